package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/lantu/lantu/audit"
)

// AuditFilter narrows AuditEntries; empty fields match everything.
type AuditFilter struct {
	ObjectType string
	ObjectID   string
	Actor      string
	Limit      int // default 200
}

// AuditEntries returns audit rows matching f, newest first.
func (db *DB) AuditEntries(ctx context.Context, f AuditFilter) ([]audit.Entry, error) {
	var conds []string
	var args []any
	for _, c := range []struct{ col, v string }{{"object_type", f.ObjectType}, {"object_id", f.ObjectID}, {"actor", f.Actor}} {
		if c.v != "" {
			args = append(args, c.v)
			conds = append(conds, c.col+" = $"+itoa(len(args)))
		}
	}
	query := `SELECT id, at, actor, action, object_type, object_id, before, after, reason FROM audit_log`
	if len(conds) > 0 {
		query += " WHERE " + joinAnd(conds)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 200
	}
	args = append(args, limit)
	query += " ORDER BY id DESC LIMIT $" + itoa(len(args)) // #nosec G202 -- fixed column names and $n placeholders only
	rows, err := db.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("storage: audit entries: %w", err)
	}
	defer rows.Close()
	var out []audit.Entry
	for rows.Next() {
		var e audit.Entry
		var at, before, after string
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.ObjectType, &e.ObjectID, &before, &after, &e.Reason); err != nil {
			return nil, fmt.Errorf("storage: audit entries: %w", err)
		}
		if e.At, err = time.Parse(time.RFC3339Nano, at); err != nil {
			return nil, fmt.Errorf("storage: audit entry %d time %q: %w", e.ID, at, err)
		}
		if before != "" {
			e.Before = []byte(before)
		}
		if after != "" {
			e.After = []byte(after)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// AuditCount returns the number of audit rows.
func (db *DB) AuditCount(ctx context.Context) (int64, error) {
	var n int64
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log`).Scan(&n); err != nil {
		return 0, fmt.Errorf("storage: audit count: %w", err)
	}
	return n, nil
}
