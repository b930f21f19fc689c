// Package scheduler runs Lantu's periodic jobs inside the server: the
// weekly lights, reminders before deadlines, overdue checks, deliveries of
// notifications and the weekly bulletin. Each job divides time into slots
// (a week, a day, an hour); a slot is claimed in the database before it
// runs and recorded when it ends, so a job is idempotent per slot and, with
// two servers sharing one PostgreSQL, exactly one of them runs each slot.
package scheduler

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/storage"
)

// Job is a periodic task.
type Job struct {
	Name string
	// Slot names the slot now falls in, e.g. "2024W18"; "" means nothing
	// is due now.
	Slot func(now time.Time) string
	// Lease is how long a run may take before another server may take the
	// slot over, taking this one's server for dead.
	Lease time.Duration
	Run   func(ctx context.Context, now time.Time, slot string) (detail string, err error)
}

// Scheduler runs jobs on one server.
type Scheduler struct {
	DB   *storage.DB
	Node string // this server's name in job_runs
	Jobs []Job
	Now  func() time.Time
	Log  *slog.Logger
}

// Loop runs every due slot now and then every interval until ctx ends.
func (s *Scheduler) Loop(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		s.RunDue(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunDue runs each job's current slot if no server has run it; it returns
// the jobs and slots this server ran.
func (s *Scheduler) RunDue(ctx context.Context) []string {
	var ran []string
	for _, j := range s.Jobs {
		now := s.Now()
		slot := j.Slot(now)
		if slot == "" {
			continue
		}
		ok, err := s.run(ctx, j, slot, now)
		if err != nil {
			s.logger().Error("scheduler", "job", j.Name, "slot", slot, "err", err)
		}
		if ok {
			ran = append(ran, j.Name+"/"+slot)
		}
	}
	return ran
}

// RunSlot runs one job's slot now unless already done (for tests and for
// an administrator's "run now").
func (s *Scheduler) RunSlot(ctx context.Context, name, slot string) (bool, error) {
	for _, j := range s.Jobs {
		if j.Name == name {
			return s.run(ctx, j, slot, s.Now())
		}
	}
	return false, fmt.Errorf("scheduler: no job %q", name)
}

func (s *Scheduler) run(ctx context.Context, j Job, slot string, now time.Time) (bool, error) {
	actor := audit.Actor{Name: "scheduler@" + s.Node, Reason: "定时任务 " + j.Name + " (scheduled job)"}
	var claimed bool
	err := s.DB.Write(ctx, actor, func(tx *storage.Tx) (err error) {
		claimed, err = tx.ClaimJob(ctx, j.Name, slot, s.Node, now.Add(j.Lease))
		return err
	})
	if err != nil || !claimed {
		return false, err
	}
	detail, runErr := j.Run(ctx, now, slot)
	if runErr != nil {
		detail = runErr.Error()
	}
	err = s.DB.Write(ctx, actor, func(tx *storage.Tx) error {
		return tx.FinishJob(ctx, j.Name, slot, s.Node, runErr != nil, detail)
	})
	if runErr != nil {
		return true, fmt.Errorf("scheduler: %s %s: %w", j.Name, slot, runErr)
	}
	return true, err
}

func (s *Scheduler) logger() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}
