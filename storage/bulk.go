package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/indicator"
)

// bulkRows is how many rows one multi-row statement writes: few enough to
// stay under SQLite's and PostgreSQL's parameter limits with 21 columns.
const bulkRows = 400

// PutValues creates or updates many values at once, as an import does:
// the same checks and the same audit rows as PutValue, one per changed
// value with its state before and after, but written with multi-row
// statements and one reservation of the audit chain, so that a million
// figures import in seconds rather than hours.
func (tx *Tx) PutValues(ctx context.Context, vals []indicator.Value) error {
	type group struct {
		org, period string
	}
	groups := map[group]bool{}
	for i := range vals {
		v := &vals[i]
		if err := v.Validate(); err != nil {
			return err
		}
		for _, t := range []*time.Time{&v.EnteredAt, &v.ApprovedAt, &v.PublishedAt, &v.SubmittedAt} {
			*t = normalTime(*t)
		}
		groups[group{v.OrgUnitCode, v.Period.String()}] = true
	}
	before := map[string]indicator.Value{}
	for g := range groups {
		list, err := values.list(ctx, tx.tx, "org_unit_code = $1 AND period = $2", "", g.org, g.period)
		if err != nil {
			return err
		}
		for _, v := range list {
			before[valueID(v.IndicatorCode, v.OrgUnitCode, v.Period)] = v
		}
	}
	var write []indicator.Value
	var changes []pendingAudit
	for _, v := range vals {
		id := valueID(v.IndicatorCode, v.OrgUnitCode, v.Period)
		old, exists := before[id]
		switch {
		case exists && same(old, v):
			continue
		case exists:
			changes = append(changes, pendingAudit{audit.Update, "value", id, old, v})
		default:
			changes = append(changes, pendingAudit{audit.Create, "value", id, nil, v})
		}
		write = append(write, v)
	}
	err := tx.chunked(ctx, len(write), func(start, end int) (string, []any) { return upsertValues(tx.db.engine, write[start:end]) })
	if err != nil {
		return translateWriteError("value", "", err)
	}
	return tx.recordMany(ctx, changes)
}

// chunked runs a multi-row statement over n rows, bulkRows at a time. The
// statement for a full chunk is prepared once and reused: preparing one of
// thousands of parameters costs more than running it.
func (tx *Tx) chunked(ctx context.Context, n int, build func(start, end int) (string, []any)) error {
	var full *sql.Stmt
	defer func() {
		if full != nil {
			_ = full.Close()
		}
	}()
	for start := 0; start < n; start += bulkRows {
		end := min(start+bulkRows, n)
		query, args := build(start, end)
		if end-start < bulkRows {
			if _, err := tx.tx.ExecContext(ctx, query, args...); err != nil {
				return err
			}
			continue
		}
		if full == nil {
			var err error
			if full, err = tx.tx.PrepareContext(ctx, query); err != nil {
				return err
			}
		}
		if _, err := full.ExecContext(ctx, args...); err != nil {
			return err
		}
	}
	return nil
}

// placeholder is the n-th (1-based) parameter of a long statement. SQLite
// looks each numbered parameter up in a list as it parses, which makes a
// statement with thousands of $N quadratic to prepare; plain ? in order
// binds the same and parses in linear time. PostgreSQL needs $N.
func placeholder(engine Engine, n int) string {
	if engine == SQLite {
		return "?"
	}
	return "$" + strconv.Itoa(n)
}

// writeTuple writes the parameters of one row, "(?, ?, …)", numbered after
// the first `before` parameters of the statement.
func writeTuple(b *strings.Builder, engine Engine, before, n int) {
	b.WriteByte('(')
	for j := range n {
		if j > 0 {
			b.WriteString(", ")
		}
		b.WriteString(placeholder(engine, before+j+1))
	}
	b.WriteByte(')')
}

// upsertValues is one INSERT … ON CONFLICT DO UPDATE for rows, in the
// subset of SQL both engines share.
func upsertValues(engine Engine, rows []indicator.Value) (string, []any) {
	cols := values.cols
	var b strings.Builder
	b.WriteString("INSERT INTO indicator_values (" + strings.Join(cols, ", ") + ") VALUES ")
	args := make([]any, 0, len(rows)*len(cols))
	for i, v := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		writeTuple(&b, engine, len(args), len(cols))
		args = append(args, values.args(v)...)
	}
	b.WriteString(" ON CONFLICT (indicator_code, org_unit_code, period) DO UPDATE SET ")
	for j, c := range cols[len(values.key):] {
		if j > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c + " = excluded." + c)
	}
	return b.String(), args
}

// pendingAudit is an audit row to be written by recordMany.
type pendingAudit struct {
	action             audit.Action
	objectType, object string
	before, after      any
}

// recordMany writes many audit rows in the chain at once: it reserves their
// numbers with one update of the head (whose lock serialises chain writers
// as record's does), chains them in memory, and inserts them with
// multi-row statements.
func (tx *Tx) recordMany(ctx context.Context, rows []pendingAudit) error {
	if len(rows) == 0 {
		return nil
	}
	var last int64
	var prev string
	if err := tx.tx.QueryRowContext(ctx, `UPDATE audit_head SET seq = seq + $1 WHERE id = 1 RETURNING seq, hash`, len(rows)).Scan(&last, &prev); err != nil {
		return fmt.Errorf("storage: audit head: %w", err)
	}
	first := last - int64(len(rows)) + 1
	entries := make([]audit.Entry, len(rows))
	for i, r := range rows {
		b, err := marshalState(r.before)
		if err != nil {
			return err
		}
		a, err := marshalState(r.after)
		if err != nil {
			return err
		}
		e := audit.Entry{ID: first + int64(i), At: tx.now, Actor: tx.actor.Name, Action: r.action, ObjectType: r.objectType,
			ObjectID: r.object, Reason: tx.actor.Reason, IP: tx.actor.IP, PrevHash: prev}
		if b != "" {
			e.Before = []byte(b)
		}
		if a != "" {
			e.After = []byte(a)
		}
		e.Hash = e.ComputeHash()
		prev = e.Hash
		entries[i] = e
	}
	const cols = 12
	err := tx.chunked(ctx, len(entries), func(start, end int) (string, []any) {
		chunk := entries[start:end]
		var b strings.Builder
		b.WriteString(`INSERT INTO audit_log (id, at, actor, action, object_type, object_id, before, after, reason, ip, prev_hash, hash) VALUES `)
		args := make([]any, 0, len(chunk)*cols)
		for i, e := range chunk {
			if i > 0 {
				b.WriteString(", ")
			}
			writeTuple(&b, tx.db.engine, len(args), cols)
			args = append(args, e.ID, e.At.Format(audit.TimeFormat), e.Actor, string(e.Action), e.ObjectType, e.ObjectID,
				string(e.Before), string(e.After), e.Reason, e.IP, e.PrevHash, e.Hash)
		}
		return b.String(), args
	})
	if err != nil {
		return fmt.Errorf("storage: audit: %w", err)
	}
	if _, err := tx.tx.ExecContext(ctx, `UPDATE audit_head SET hash = $1 WHERE id = 1`, prev); err != nil {
		return fmt.Errorf("storage: audit head: %w", err)
	}
	return nil
}
