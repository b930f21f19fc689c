package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
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
// one per org unit and period, whose ID is "org/period". Its After is
//
//	{"Common": {a whole figure}, "Figures": [{a figure's difference from Common}, …]}
//
// with each figure's indicator, number and whatever else differs from the
// common one (see appendValueDiff), and its Before the same for the
// figures' earlier states, null for a new figure, and no Before at all when
// every figure is new. A million figures are a thousand rows of the trail
// and tens of bytes each; ValueHistory reads one figure's part.
const ImportedValues = "values"

// importedState is the JSON of one side of an ImportedValues row.
type importedState struct {
	Common  json.RawMessage
	Figures []json.RawMessage
}

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
	keep := func(list []indicator.Value) {
		for _, v := range list {
			if batches[group{v.OrgUnitCode, v.Period.String()}] != nil {
				before[valueID(v.IndicatorCode, v.OrgUnitCode, v.Period)] = v
			}
		}
	}
	if tx.db.engine == Postgres {
		// One query for every org unit and period of the batch: a round
		// trip per group was a tenth of an import's writing.
		var orgs, periods []string
		for _, g := range order {
			orgs, periods = append(orgs, g.org), append(periods, g.period)
		}
		list, err := values.list(ctx, tx.tx, "org_unit_code = ANY($1) AND period = ANY($2)", "", orgs, periods)
		if err != nil {
			return err
		}
		keep(list)
	} else {
		for _, g := range order {
			list, err := values.list(ctx, tx.tx, "org_unit_code = $1 AND period = $2", "", g.org, g.period)
			if err != nil {
				return err
			}
			keep(list)
		}
	}
	created := make([]indicator.Value, 0, len(vals))
	var updated []indicator.Value
	var olds []indicator.Value // the earlier states of the updated, in order
	var a, b []byte
	for i, v := range vals {
		old, exists := before[valueID(v.IndicatorCode, v.OrgUnitCode, v.Period)]
		previous := -1
		if exists {
			var err error
			if a, err = appendValueJSON(a[:0], old); err != nil {
				return err
			}
			if b, err = appendValueJSON(b[:0], v); err != nil {
				return err
			}
			if string(a) == string(b) {
				continue
			}
			updated = append(updated, v)
			previous = len(olds)
			olds = append(olds, old)
		} else {
			created = append(created, v)
		}
		batch := batches[group{v.OrgUnitCode, v.Period.String()}]
		batch.after = append(batch.after, i)
		batch.before = append(batch.before, previous)
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
		batch := batches[g]
		if len(batch.after) == 0 {
			continue
		}
		after, err := encodeImported(len(batch.after), func(j int) (indicator.Value, bool) { return vals[batch.after[j]], true })
		if err != nil {
			return err
		}
		var before any // none when every figure is new
		if slices.ContainsFunc(batch.before, func(k int) bool { return k >= 0 }) {
			before, err = encodeImported(len(batch.before), func(j int) (indicator.Value, bool) {
				if k := batch.before[j]; k >= 0 {
					return olds[k], true
				}
				return indicator.Value{}, false
			})
			if err != nil {
				return err
			}
		}
		rows = append(rows, pendingAudit{audit.Import, ImportedValues, g.org + "/" + g.period, before, after})
	}
	return tx.recordMany(ctx, rows)
}

// valueBatch is what one ImportedValues row records, by position: the
// figures written (indexes into PutValues' vals) and their earlier states
// (indexes into its olds; -1 for a new figure).
type valueBatch struct {
	after, before []int
}

// encodeImported writes one side of an ImportedValues row of n figures;
// at(j) is the j-th, or false for none (written as null).
func encodeImported(n int, at func(j int) (indicator.Value, bool)) (json.RawMessage, error) {
	var common indicator.Value
	for j := range n {
		if v, ok := at(j); ok {
			common = v
			break
		}
	}
	out := append(make([]byte, 0, 64*n), `{"Common":`...)
	out, err := appendValueJSON(out, common)
	if err != nil {
		return nil, err
	}
	out = append(out, `,"Figures":[`...)
	for j := range n {
		if j > 0 {
			out = append(out, ',')
		}
		v, ok := at(j)
		if !ok {
			out = append(out, "null"...)
			continue
		}
		if out, err = appendValueDiff(out, v, common); err != nil {
			return nil, err
		}
	}
	return append(out, "]}"...), nil
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
// The rows' indicators and org units are checked first, all at once and
// locked FOR KEY SHARE as a foreign key would lock them, so that the COPY
// can skip the per-row check of the trigger (migration 00006).
func (tx *Tx) copyValues(ctx context.Context, rows []indicator.Value) error {
	if err := tx.lockValueParents(ctx, rows); err != nil {
		return err
	}
	if _, err := tx.tx.ExecContext(ctx, `SELECT set_config('lantu.refs_checked', 'on', true)`); err != nil {
		return fmt.Errorf("storage: copy: %w", err)
	}
	err := tx.conn.Raw(func(dc any) error {
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
	if err != nil {
		return err
	}
	// Every later statement of the transaction is checked row by row again.
	if _, err := tx.tx.ExecContext(ctx, `SELECT set_config('lantu.refs_checked', 'off', true)`); err != nil {
		return fmt.Errorf("storage: copy: %w", err)
	}
	return nil
}

// lockValueParents locks the indicators and org units rows refer to FOR
// KEY SHARE, as foreign keys would, and refuses rows whose parent is
// missing: a parent deleted meanwhile is waited for and then found gone,
// and one not yet deleted cannot be until this transaction ends.
func (tx *Tx) lockValueParents(ctx context.Context, rows []indicator.Value) error {
	for _, parent := range []struct {
		table, what string
		code        func(indicator.Value) string
	}{
		{"indicators", "指标 indicator", func(v indicator.Value) string { return v.IndicatorCode }},
		{"org_units", "组织 org unit", func(v indicator.Value) string { return v.OrgUnitCode }},
	} {
		if tx.locked == nil {
			tx.locked = map[string]bool{}
		}
		want := map[string]bool{}
		for _, v := range rows {
			if c := parent.code(v); !tx.locked[parent.table+"/"+c] {
				want[c] = true
			}
		}
		if len(want) == 0 {
			continue
		}
		codes := make([]string, 0, len(want))
		for c := range want {
			codes = append(codes, c)
		}
		found, err := tx.tx.QueryContext(ctx, `SELECT code FROM `+parent.table+` WHERE code = ANY($1) FOR KEY SHARE`, codes) // #nosec G202 -- a fixed table name
		if err != nil {
			return fmt.Errorf("storage: lock %s: %w", parent.table, err)
		}
		for found.Next() {
			var c string
			if err := found.Scan(&c); err != nil {
				_ = found.Close()
				return fmt.Errorf("storage: lock %s: %w", parent.table, err)
			}
			delete(want, c)
			tx.locked[parent.table+"/"+c] = true
		}
		_ = found.Close()
		if err := found.Err(); err != nil {
			return fmt.Errorf("storage: lock %s: %w", parent.table, err)
		}
		for c := range want {
			return invalidReference("value", parent.what+" "+c)
		}
	}
	return nil
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
