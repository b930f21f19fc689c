package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/period"
)

func valueID(ind, org string, p period.Period) string { return ind + "/" + org + "/" + p.String() }

var values = table[indicator.Value]{
	name: "indicator_values", objectType: "value",
	key: []string{"indicator_code", "org_unit_code", "period"},
	cols: []string{"indicator_code", "org_unit_code", "period", "period_start", "number", "qualifier", "status",
		"entered_by", "entered_at", "approved_by", "approved_at", "published_at", "source", "quote", "note", "sample",
		"submitted_by", "submitted_at", "explanation", "review_comment", "computed"},
	args: func(v indicator.Value) []any {
		return []any{v.IndicatorCode, v.OrgUnitCode, v.Period.String(), formatDate(v.Period.Start()), v.Number, string(v.Qualifier), string(v.Status),
			v.EnteredBy, formatTime(v.EnteredAt), v.ApprovedBy, formatTime(v.ApprovedAt), formatTime(v.PublishedAt), v.Source, v.Quote, v.Note, v.Sample,
			v.SubmittedBy, formatTime(v.SubmittedAt), v.Explanation, v.ReviewComment, v.Computed}
	},
	scan: func(r scanner) (v indicator.Value, err error) {
		var p, start, entered, approved, published, submitted string
		err = r.Scan(&v.IndicatorCode, &v.OrgUnitCode, &p, &start, &v.Number, &v.Qualifier, &v.Status,
			&v.EnteredBy, &entered, &v.ApprovedBy, &approved, &published, &v.Source, &v.Quote, &v.Note, &v.Sample,
			&v.SubmittedBy, &submitted, &v.Explanation, &v.ReviewComment, &v.Computed)
		if err != nil {
			return v, err
		}
		if v.SubmittedAt, err = parseTime(submitted); err != nil {
			return v, err
		}
		if v.Period, err = period.Parse(p); err != nil {
			return v, err
		}
		if v.EnteredAt, err = parseTime(entered); err != nil {
			return v, err
		}
		if v.ApprovedAt, err = parseTime(approved); err != nil {
			return v, err
		}
		v.PublishedAt, err = parseTime(published)
		return v, err
	},
	id: func(v indicator.Value) string { return valueID(v.IndicatorCode, v.OrgUnitCode, v.Period) },
}

var targets = table[indicator.Target]{
	name: "targets", objectType: "target",
	key:  []string{"indicator_code", "org_unit_code", "period"},
	cols: []string{"indicator_code", "org_unit_code", "period", "period_start", "number", "qualifier", "source", "quote", "sample"},
	args: func(t indicator.Target) []any {
		return []any{t.IndicatorCode, t.OrgUnitCode, t.Period.String(), formatDate(t.Period.Start()), t.Number, string(t.Qualifier), t.Source, t.Quote, t.Sample}
	},
	scan: func(r scanner) (t indicator.Target, err error) {
		var p, start string
		err = r.Scan(&t.IndicatorCode, &t.OrgUnitCode, &p, &start, &t.Number, &t.Qualifier, &t.Source, &t.Quote, &t.Sample)
		if err != nil {
			return t, err
		}
		t.Period, err = period.Parse(p)
		return t, err
	},
	id: func(t indicator.Target) string { return valueID(t.IndicatorCode, t.OrgUnitCode, t.Period) },
}

// ValueFilter narrows Values and Targets; empty fields match everything.
type ValueFilter struct {
	IndicatorCode string
	OrgUnitCode   string
	Period        period.Period
	Statuses      []indicator.Status // e.g. only published, for the public
	SampleOnly    bool
	// Scope is whose unpublished values the reader may see: those of
	// indicators owned by a department in the scope. The zero Scope sees
	// only published values.
	Scope auth.Scope
}

func (f ValueFilter) where(withStatus bool) (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, fmt.Sprintf(cond, len(args)))
	}
	if f.IndicatorCode != "" {
		add("indicator_code = $%d", f.IndicatorCode)
	}
	if f.OrgUnitCode != "" {
		add("org_unit_code = $%d", f.OrgUnitCode)
	}
	if !f.Period.IsZero() {
		add("period = $%d", f.Period.String())
	}
	if withStatus && len(f.Statuses) > 0 {
		// Literals, not parameters, so that both engines can use the
		// partial index of the figures under review; only the known
		// statuses are written, and an unknown one matches nothing.
		var in []string
		for _, s := range f.Statuses {
			if slices.Contains(indicator.Statuses, s) {
				in = append(in, "'"+string(s)+"'")
			}
		}
		switch len(in) {
		case 0:
			conds = append(conds, "FALSE")
		case 1: // SQLite proves a partial index from "=", not from "IN"
			conds = append(conds, "status = "+in[0])
		default:
			conds = append(conds, "status IN ("+strings.Join(in, ", ")+")")
		}
	}
	if f.SampleOnly {
		conds = append(conds, "sample = TRUE")
	}
	if withStatus && !f.Scope.All() {
		visible := "status = 'published'"
		if depts := f.Scope.Departments(); len(depts) > 0 {
			var in []string
			for _, d := range depts {
				args = append(args, d)
				in = append(in, fmt.Sprintf("$%d", len(args)))
			}
			visible += " OR indicator_code IN (SELECT code FROM indicators WHERE owner_dept IN (" + strings.Join(in, ", ") + "))"
		}
		conds = append(conds, "("+visible+")")
	}
	return strings.Join(conds, " AND "), args
}

// Values returns the values matching f, ordered by indicator, org unit and
// period.
func (db *DB) Values(ctx context.Context, f ValueFilter) ([]indicator.Value, error) {
	where, args := f.where(true)
	return values.list(ctx, db.read, where, "indicator_code, org_unit_code, period_start, period", args...)
}

// Targets returns the targets matching f (Statuses is ignored).
func (db *DB) Targets(ctx context.Context, f ValueFilter) ([]indicator.Target, error) {
	where, args := f.where(false)
	return targets.list(ctx, db.read, where, "indicator_code, org_unit_code, period_start, period", args...)
}

// Value returns one value, if the scope may see it; a value outside the
// scope is reported as not found, so its existence does not leak either.
func (db *DB) Value(ctx context.Context, scope auth.Scope, ind, org string, p period.Period) (indicator.Value, error) {
	list, err := db.Values(ctx, ValueFilter{IndicatorCode: ind, OrgUnitCode: org, Period: p, Scope: scope})
	if err != nil {
		return indicator.Value{}, err
	}
	if len(list) == 0 {
		return indicator.Value{}, apperr.NotFoundf("数据 %s 不存在", "value %s not found", valueID(ind, org, p))
	}
	return list[0], nil
}

// PutValue creates or updates a value after checking that its indicator and
// org unit exist.
func (tx *Tx) PutValue(ctx context.Context, v indicator.Value) error {
	if err := v.Validate(); err != nil {
		return err
	}
	// Stored times have microsecond precision in UTC; normalise first so
	// that the audit row shows what was stored.
	for _, t := range []*time.Time{&v.EnteredAt, &v.ApprovedAt, &v.PublishedAt, &v.SubmittedAt} {
		*t = normalTime(*t)
	}
	return values.put(ctx, tx, v)
}

// PutTarget creates or updates a target.
func (tx *Tx) PutTarget(ctx context.Context, t indicator.Target) error {
	if err := t.Validate(); err != nil {
		return err
	}
	return targets.put(ctx, tx, t)
}

// DeleteValue removes a value.
func (tx *Tx) DeleteValue(ctx context.Context, ind, org string, p period.Period) error {
	found, err := values.remove(ctx, tx, ind, org, p.String())
	if err == nil && !found {
		err = apperr.NotFoundf("数据 %s 不存在", "value %s not found", valueID(ind, org, p))
	}
	return err
}

// DeleteTarget removes a target.
func (tx *Tx) DeleteTarget(ctx context.Context, ind, org string, p period.Period) error {
	found, err := targets.remove(ctx, tx, ind, org, p.String())
	if err == nil && !found {
		err = apperr.NotFoundf("目标值 %s 不存在", "target %s not found", valueID(ind, org, p))
	}
	return err
}

// Value reads one value inside the transaction, whatever its status: for
// the services that change it.
func (tx *Tx) Value(ctx context.Context, k indicator.Key) (indicator.Value, error) {
	v, found, err := values.get(ctx, tx.tx, k.Indicator, k.OrgUnit, k.Period.String())
	if err == nil && !found {
		err = apperr.NotFoundf("数据 %s 不存在", "value %s not found", k.String())
	}
	return v, err
}

// ValueHistory returns the audit rows that changed the value k, newest
// first, at most limit (default 1000): the rows of single writes, and the
// rows of imports (ImportedValues) narrowed to k, whose Before and After
// then hold k's states only while Hash stays the whole row's.
func (db *DB) ValueHistory(ctx context.Context, k indicator.Key, limit int) ([]audit.Entry, error) {
	if limit <= 0 {
		limit = 1000
	}
	entries, err := db.queryAudit(ctx, `SELECT `+auditColumns+` FROM audit_log
WHERE (object_type = 'value' AND object_id = $1) OR (object_type = $2 AND object_id = $3) ORDER BY id DESC LIMIT $4`,
		k.String(), ImportedValues, k.OrgUnit+"/"+k.Period.String(), limit)
	if err != nil {
		return nil, err
	}
	out := entries[:0]
	for _, e := range entries {
		if e.ObjectType == ImportedValues {
			found, err := narrowBatch(&e, k)
			if err != nil {
				return nil, err
			}
			if !found {
				continue
			}
		}
		out = append(out, e)
	}
	return out, nil
}

// narrowBatch keeps, of an import's audit row, the states of k alone, and
// reports whether the row changed k at all.
func narrowBatch(e *audit.Entry, k indicator.Key) (bool, error) {
	var after, before importedState
	if err := json.Unmarshal(e.After, &after); err != nil {
		return false, fmt.Errorf("storage: audit entry %d: %w", e.ID, err)
	}
	if len(e.Before) > 0 {
		if err := json.Unmarshal(e.Before, &before); err != nil || len(before.Figures) != len(after.Figures) {
			return false, fmt.Errorf("storage: audit entry %d: before and after do not match", e.ID)
		}
	}
	for i, raw := range after.Figures {
		var code struct{ IndicatorCode string }
		if err := json.Unmarshal(raw, &code); err != nil {
			return false, fmt.Errorf("storage: audit entry %d: %w", e.ID, err)
		}
		if code.IndicatorCode != k.Indicator {
			continue
		}
		a, err := importedFigure(after.Common, raw)
		if err != nil {
			return false, fmt.Errorf("storage: audit entry %d: %w", e.ID, err)
		}
		e.ObjectType, e.ObjectID, e.After, e.Before = values.objectType, k.String(), a, nil
		if len(before.Figures) > 0 && string(before.Figures[i]) != "null" {
			if e.Before, err = importedFigure(before.Common, before.Figures[i]); err != nil {
				return false, fmt.Errorf("storage: audit entry %d: %w", e.ID, err)
			}
		}
		return true, nil
	}
	return false, nil
}

// importedFigure is a figure's whole state from the common figure of its
// row and its difference from it.
func importedFigure(common, diff json.RawMessage) (json.RawMessage, error) {
	var v indicator.Value
	if err := json.Unmarshal(common, &v); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(diff, &v); err != nil {
		return nil, err
	}
	return appendValueJSON(nil, v)
}
