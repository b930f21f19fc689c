package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/lantu/lantu/audit"
)

// JobRun is one run of a scheduled job for one slot, e.g. the lights of
// week 2024W18 or the reminders of 2024-05-10.
type JobRun struct {
	Job, Slot  string
	Node       string // the server that ran it
	StartedAt  time.Time
	LeaseUntil time.Time
	FinishedAt time.Time
	Status     string // running, done, failed
	Detail     string
}

// ClaimJob claims a job's slot for node until leaseUntil, and reports
// whether it got it: a slot another server is running, or has finished,
// is not claimed again; one whose lease ran out (its server died) or that
// failed is taken over. With two servers on one PostgreSQL, exactly one
// runs each slot.
func (tx *Tx) ClaimJob(ctx context.Context, job, slot, node string, leaseUntil time.Time) (bool, error) {
	res, err := tx.tx.ExecContext(ctx, `INSERT INTO job_runs (job, slot, node, started_at, lease_until) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (job, slot) DO UPDATE SET node = excluded.node, started_at = excluded.started_at, lease_until = excluded.lease_until,
    finished_at = '', status = 'running', detail = ''
WHERE job_runs.status = 'failed' OR (job_runs.status = 'running' AND job_runs.lease_until < excluded.started_at)`,
		job, slot, node, formatTime(tx.now), formatTime(leaseUntil))
	if err != nil {
		return false, fmt.Errorf("storage: claim job %s %s: %w", job, slot, err)
	}
	n, err := res.RowsAffected()
	if err != nil || n == 0 {
		return false, err
	}
	return true, tx.RecordEvent(ctx, audit.Create, "job_run", job+"/"+slot, map[string]string{"node": node})
}

// FinishJob records the end of a claimed run.
func (tx *Tx) FinishJob(ctx context.Context, job, slot, node string, failed bool, detail string) error {
	status := "done"
	if failed {
		status = "failed"
	}
	if _, err := tx.tx.ExecContext(ctx, `UPDATE job_runs SET finished_at = $1, status = $2, detail = $3 WHERE job = $4 AND slot = $5 AND node = $6`,
		formatTime(tx.now), status, detail, job, slot, node); err != nil {
		return fmt.Errorf("storage: finish job %s %s: %w", job, slot, err)
	}
	return tx.RecordEvent(ctx, audit.Update, "job_run", job+"/"+slot, map[string]string{"node": node, "status": status, "detail": detail})
}

// JobRuns returns the latest runs, newest first.
func (db *DB) JobRuns(ctx context.Context, limit int) ([]JobRun, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT job, slot, node, started_at, lease_until, finished_at, status, detail FROM job_runs ORDER BY started_at DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("storage: job runs: %w", err)
	}
	defer rows.Close()
	var out []JobRun
	for rows.Next() {
		var r JobRun
		var started, lease, finished string
		if err := rows.Scan(&r.Job, &r.Slot, &r.Node, &started, &lease, &finished, &r.Status, &r.Detail); err != nil {
			return nil, fmt.Errorf("storage: job runs: %w", err)
		}
		for _, p := range []struct {
			s string
			t *time.Time
		}{{started, &r.StartedAt}, {lease, &r.LeaseUntil}, {finished, &r.FinishedAt}} {
			if *p.t, err = parseTime(p.s); err != nil {
				return nil, fmt.Errorf("storage: job runs: %w", err)
			}
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
