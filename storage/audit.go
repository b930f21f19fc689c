package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/lantu/lantu/audit"
)

// AuditFilter narrows AuditEntries; empty fields match everything.
type AuditFilter struct {
	ObjectType string
	ObjectID   string
	Actor      string
	Action     audit.Action
	From       time.Time // at or after
	To         time.Time // before
	BeforeID   int64     // rows older than this one, for paging
	Limit      int       // default 200
}

// AuditEntries returns audit rows matching f, newest first.
func (db *DB) AuditEntries(ctx context.Context, f AuditFilter) ([]audit.Entry, error) {
	var conds []string
	var args []any
	for _, c := range []struct{ col, v string }{{"object_type", f.ObjectType}, {"object_id", f.ObjectID}, {"actor", f.Actor}, {"action", string(f.Action)}} {
		if c.v != "" {
			args = append(args, c.v)
			conds = append(conds, c.col+" = $"+itoa(len(args)))
		}
	}
	if !f.From.IsZero() {
		args = append(args, formatTime(f.From))
		conds = append(conds, "at >= $"+itoa(len(args)))
	}
	if !f.To.IsZero() {
		args = append(args, formatTime(f.To))
		conds = append(conds, "at < $"+itoa(len(args)))
	}
	if f.BeforeID > 0 {
		args = append(args, f.BeforeID)
		conds = append(conds, "id < $"+itoa(len(args)))
	}
	query := `SELECT ` + auditColumns + ` FROM audit_log`
	if len(conds) > 0 {
		query += " WHERE " + joinAnd(conds)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 200
	}
	args = append(args, limit)
	query += " ORDER BY id DESC LIMIT $" + itoa(len(args)) // #nosec G202 -- fixed column names and $n placeholders only
	return db.queryAudit(ctx, query, args...)
}

// queryAudit runs a query of auditColumns and returns its rows.
func (db *DB) queryAudit(ctx context.Context, query string, args ...any) ([]audit.Entry, error) {
	rows, err := db.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("storage: audit entries: %w", err)
	}
	defer rows.Close()
	var out []audit.Entry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

const auditColumns = `id, at, actor, action, object_type, object_id, before, after, reason, ip, prev_hash, hash`

func scanAudit(r scanner) (audit.Entry, error) {
	var e audit.Entry
	var at, before, after string
	if err := r.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.ObjectType, &e.ObjectID, &before, &after, &e.Reason, &e.IP, &e.PrevHash, &e.Hash); err != nil {
		return e, fmt.Errorf("storage: audit entries: %w", err)
	}
	var err error
	if e.At, err = time.Parse(time.RFC3339Nano, at); err != nil {
		return e, fmt.Errorf("storage: audit entry %d time %q: %w", e.ID, at, err)
	}
	if before != "" {
		e.Before = []byte(before)
	}
	if after != "" {
		e.After = []byte(after)
	}
	return e, nil
}

// VerifyAudit walks the whole audit trail in order and checks its hash
// chain; it returns the number of rows checked and the first problem, if
// any.
func (db *DB) VerifyAudit(ctx context.Context) (int64, *audit.Problem, error) {
	// One snapshot for head and rows; SQLite's read transactions are
	// snapshots already and refuse an isolation level.
	opts := &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}
	if db.engine == SQLite {
		opts.Isolation = sql.LevelDefault
	}
	tx, err := db.read.BeginTx(ctx, opts)
	if err != nil {
		return 0, nil, fmt.Errorf("storage: verify audit: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	var head audit.Head
	if err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&head.Seq, &head.Hash); err != nil {
		return 0, nil, fmt.Errorf("storage: verify audit: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log ORDER BY id`)
	if err != nil {
		return 0, nil, fmt.Errorf("storage: verify audit: %w", err)
	}
	defer rows.Close()
	v := audit.NewVerifier()
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return v.Count(), nil, err
		}
		if p := v.Next(e); p != nil {
			return v.Count(), p, nil
		}
	}
	if err := rows.Err(); err != nil {
		return v.Count(), nil, fmt.Errorf("storage: verify audit: %w", err)
	}
	return v.Count(), v.End(head), nil
}

// AuditCount returns the number of audit rows.
func (db *DB) AuditCount(ctx context.Context) (int64, error) {
	var n int64
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log`).Scan(&n); err != nil {
		return 0, fmt.Errorf("storage: audit count: %w", err)
	}
	return n, nil
}
