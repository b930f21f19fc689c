package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/indicator"
)

// bulkRows is how many rows one multi-row statement writes: few enough to
// stay under SQLite's and PostgreSQL's parameter limits with 21 columns.
const bulkRows = 400

// ImportedValues is the object type of the audit rows PutValues writes:
// one per org unit and period, whose ID is "org/period", whose After is the
// JSON array of the figures written and whose Before the array of their
// earlier states, null for a new figure (no Before at all when every
// figure is new). A million figures are a thousand
// rows of the trail, not a million; ValueHistory reads a figure's part.
const ImportedValues = "values"

// PutValues creates or updates many values at once, as an import does:
// the same checks as PutValue and the state of every changed value before
// and after in the audit trail, but written with multi-row statements and
// one audit row per org unit and period (see ImportedValues), so that a
// million figures import in seconds rather than hours.
func (tx *Tx) PutValues(ctx context.Context, vals []indicator.Value) error {
	type group struct {
		org, period string
	}
	var order []group
	batches := map[group]*valueBatch{}
	for i := range vals {
		v := &vals[i]
		if err := v.Validate(); err != nil {
			return err
		}
		for _, t := range []*time.Time{&v.EnteredAt, &v.ApprovedAt, &v.PublishedAt, &v.SubmittedAt} {
			*t = normalTime(*t)
		}
		g := group{v.OrgUnitCode, v.Period.String()}
		if batches[g] == nil {
			batches[g] = &valueBatch{}
			order = append(order, g)
		}
	}
	before := map[string]indicator.Value{}
	for _, g := range order {
		list, err := values.list(ctx, tx.tx, "org_unit_code = $1 AND period = $2", "", g.org, g.period)
		if err != nil {
			return err
		}
		for _, v := range list {
			before[valueID(v.IndicatorCode, v.OrgUnitCode, v.Period)] = v
		}
	}
	created := make([]indicator.Value, 0, len(vals))
	var updated []indicator.Value
	var scratch []byte
	for _, v := range vals {
		b := batches[group{v.OrgUnitCode, v.Period.String()}]
		old, exists := before[valueID(v.IndicatorCode, v.OrgUnitCode, v.Period)]
		if exists {
			var err error
			if scratch, err = appendValueJSON(scratch[:0], old); err != nil {
				return err
			}
		}
		changed, err := b.add(v, exists, scratch)
		if err != nil {
			return err
		}
		if !changed {
			continue
		}
		if exists {
			updated = append(updated, v)
		} else {
			created = append(created, v)
		}
	}
	if err := tx.insertValues(ctx, created); err != nil {
		return translateWriteError("value", "", err)
	}
	err := tx.chunked(ctx, len(updated), func(start, end int) (string, []any) { return upsertValues(tx.db.engine, updated[start:end]) })
	if err != nil {
		return translateWriteError("value", "", err)
	}
	var rows []pendingAudit
	for _, g := range order {
		if b := batches[g]; b.n > 0 {
			var before any // none when every figure is new
			if b.existed > 0 {
				before = b.state(b.before)
			}
			rows = append(rows, pendingAudit{audit.Import, ImportedValues, g.org + "/" + g.period, before, b.state(b.after)})
		}
	}
	return tx.recordMany(ctx, rows)
}

// valueBatch collects the states of one audit row of PutValues as JSON.
type valueBatch struct {
	n, existed    int
	before, after []byte
}

// add appends v, unless it equals its earlier state oldJSON, and reports
// whether it did.
func (b *valueBatch) add(v indicator.Value, exists bool, oldJSON []byte) (bool, error) {
	mark := len(b.after)
	if b.n > 0 {
		b.after = append(b.after, ',')
	}
	after, err := appendValueJSON(b.after, v)
	if err != nil {
		return false, err
	}
	b.after = after
	fresh := b.after[mark:]
	if b.n > 0 {
		fresh = fresh[1:]
	}
	if exists && string(fresh) == string(oldJSON) {
		b.after = b.after[:mark]
		return false, nil
	}
	if b.n > 0 {
		b.before = append(b.before, ',')
	}
	if exists {
		b.before = append(b.before, oldJSON...)
		b.existed++
	} else {
		b.before = append(b.before, "null"...)
	}
	b.n++
	return true, nil
}

// state is one side of the batch as a JSON array.
func (b *valueBatch) state(items []byte) json.RawMessage {
	out := make([]byte, 0, len(items)+2)
	out = append(out, '[')
	out = append(out, items...)
	return append(out, ']')
}

// insertValues inserts values that do not exist yet. On SQLite one
// prepared single-row INSERT is the fastest way: a multi-row statement must
// keep a statement journal of the pages it changes, in case it fails half
// way, and that costs more than it saves.
func (tx *Tx) insertValues(ctx context.Context, rows []indicator.Value) error {
	if tx.db.engine == SQLite && len(rows) > 0 {
		query, _ := insertValuesSQL(tx.db.engine, rows[:1])
		stmt, err := tx.tx.PrepareContext(ctx, query)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, v := range rows {
			if _, err := stmt.ExecContext(ctx, values.args(v)...); err != nil {
				return err
			}
		}
		return nil
	}
	if tx.conn != nil && len(rows) > 0 {
		return tx.copyValues(ctx, rows)
	}
	return tx.chunked(ctx, len(rows), func(start, end int) (string, []any) { return insertValuesSQL(tx.db.engine, rows[start:end]) })
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

// copyValues writes rows with PostgreSQL's COPY, inside the transaction:
// its own connection runs the COPY between the transaction's statements.
func (tx *Tx) copyValues(ctx context.Context, rows []indicator.Value) error {
	return tx.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("storage: copy: connection is %T, not pgx", dc)
		}
		i := 0
		n, err := c.Conn().CopyFrom(ctx, pgx.Identifier{values.name}, values.cols, pgx.CopyFromFunc(func() ([]any, error) {
			if i == len(rows) {
				return nil, nil
			}
			i++
			return values.args(rows[i-1]), nil
		}))
		if err == nil && n != int64(len(rows)) {
			err = fmt.Errorf("storage: copy wrote %d rows of %d", n, len(rows))
		}
		return err
	})
}

// insertValuesSQL is one multi-row INSERT of rows.
func insertValuesSQL(engine Engine, rows []indicator.Value) (string, []any) {
	var b strings.Builder
	args := writeValueRows(&b, engine, rows)
	return b.String(), args
}

// upsertValues is one INSERT … ON CONFLICT DO UPDATE for rows, in the
// subset of SQL both engines share.
func upsertValues(engine Engine, rows []indicator.Value) (string, []any) {
	cols := values.cols
	var b strings.Builder
	args := writeValueRows(&b, engine, rows)
	b.WriteString(" ON CONFLICT (indicator_code, org_unit_code, period) DO UPDATE SET ")
	for j, c := range cols[len(values.key):] {
		if j > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c + " = excluded." + c)
	}
	return b.String(), args
}

// writeValueRows writes "INSERT INTO indicator_values (…) VALUES (…), …"
// for rows and returns its parameters.
func writeValueRows(b *strings.Builder, engine Engine, rows []indicator.Value) []any {
	cols := values.cols
	b.WriteString("INSERT INTO indicator_values (" + strings.Join(cols, ", ") + ") VALUES ")
	args := make([]any, 0, len(rows)*len(cols))
	for i, v := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		writeTuple(b, engine, len(args), len(cols))
		args = append(args, values.args(v)...)
	}
	return args
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
