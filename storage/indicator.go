package storage

import (
	"context"
	"fmt"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/period"
)

const definitionColumns = `indicator_code, effective_from, name_zh, name_en, unit_zh, unit_en, definition_zh, definition_en,
direction, band_low, band_high, nature, frequency, time_agg, place_agg, formula, decimals, change_note`

func definitionArgs(code string, d indicator.Definition) []any {
	return []any{code, formatDate(d.EffectiveFrom), d.NameZH, d.NameEN, d.UnitZH, d.UnitEN, d.DefinitionZH, d.DefinitionEN,
		string(d.Direction), nullFloat(d.BandLow), nullFloat(d.BandHigh), string(d.Nature), d.Frequency.String(),
		string(d.TimeAgg), string(d.PlaceAgg), d.Formula, d.Decimals, d.ChangeNote}
}

func scanDefinition(r scanner) (code string, d indicator.Definition, err error) {
	var from, freq string
	err = r.Scan(&code, &from, &d.NameZH, &d.NameEN, &d.UnitZH, &d.UnitEN, &d.DefinitionZH, &d.DefinitionEN,
		&d.Direction, &d.BandLow, &d.BandHigh, &d.Nature, &freq, &d.TimeAgg, &d.PlaceAgg, &d.Formula, &d.Decimals, &d.ChangeNote)
	if err != nil {
		return "", d, err
	}
	if d.EffectiveFrom, err = parseDate(from); err != nil {
		return "", d, fmt.Errorf("indicator %s effective_from %q: %w", code, from, err)
	}
	if d.Frequency, err = period.ParseKind(freq); err != nil {
		return "", d, fmt.Errorf("indicator %s frequency %q: %w", code, freq, err)
	}
	return code, d, nil
}

// IndicatorFilter narrows Indicators; empty fields match everything.
type IndicatorFilter struct {
	AreaCode  string
	OwnerDept string
}

// Indicators returns the indicators matching f with all their definition
// versions, ordered by area and position.
func (db *DB) Indicators(ctx context.Context, f IndicatorFilter) ([]indicator.Indicator, error) {
	return loadIndicators(ctx, db.read, f, "")
}

// Indicator returns one indicator with its definition versions.
func (db *DB) Indicator(ctx context.Context, code string) (indicator.Indicator, error) {
	list, err := loadIndicators(ctx, db.read, IndicatorFilter{}, code)
	if err != nil {
		return indicator.Indicator{}, err
	}
	if len(list) == 0 {
		return indicator.Indicator{}, apperr.NotFoundf("指标 %s 不存在", "indicator %s not found", code)
	}
	return list[0], nil
}

func loadIndicators(ctx context.Context, q queryer, f IndicatorFilter, code string) ([]indicator.Indicator, error) {
	where, args := "1 = 1", []any{}
	add := func(col, v string) {
		if v != "" {
			args = append(args, v)
			where += fmt.Sprintf(" AND %s = $%d", col, len(args))
		}
	}
	add("i.code", code)
	add("i.area_code", f.AreaCode)
	add("i.owner_dept", f.OwnerDept)

	rows, err := q.QueryContext(ctx, `SELECT i.code, i.area_code, i.owner_dept, i.position FROM indicators i
WHERE `+where+` ORDER BY i.area_code, i.position, i.code`, args...)
	if err != nil {
		return nil, fmt.Errorf("storage: list indicators: %w", err)
	}
	var list []indicator.Indicator
	index := map[string]int{}
	for rows.Next() {
		var ind indicator.Indicator
		if err := rows.Scan(&ind.Code, &ind.AreaCode, &ind.OwnerDept, &ind.Position); err != nil {
			_ = rows.Close()
			return nil, fmt.Errorf("storage: scan indicator: %w", err)
		}
		index[ind.Code] = len(list)
		list = append(list, ind)
	}
	_ = rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: list indicators: %w", err)
	}
	if len(list) == 0 {
		return nil, nil
	}

	rows, err = q.QueryContext(ctx, `SELECT `+definitionColumns+` FROM indicator_definitions i
WHERE i.indicator_code IN (SELECT i.code FROM indicators i WHERE `+where+`)
ORDER BY i.indicator_code, i.effective_from`, args...)
	if err != nil {
		return nil, fmt.Errorf("storage: list indicator definitions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		code, d, err := scanDefinition(rows)
		if err != nil {
			return nil, fmt.Errorf("storage: scan indicator definition: %w", err)
		}
		if i, ok := index[code]; ok {
			list[i].Definitions = append(list[i].Definitions, d)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: list indicator definitions: %w", err)
	}
	return list, nil
}

// PutIndicator creates or updates an indicator together with its definition
// versions, which it replaces as a whole; the audit row holds the whole
// indicator before and after.
func (tx *Tx) PutIndicator(ctx context.Context, ind indicator.Indicator) error {
	if err := ind.Validate(); err != nil {
		return err
	}
	existing, err := loadIndicators(ctx, tx.tx, IndicatorFilter{}, ind.Code)
	if err != nil {
		return err
	}
	var before any
	if len(existing) > 0 {
		if same(existing[0], ind) {
			return nil
		}
		before = existing[0]
		if _, err := tx.tx.ExecContext(ctx, `UPDATE indicators SET area_code = $2, owner_dept = $3, position = $4 WHERE code = $1`,
			ind.Code, ind.AreaCode, ind.OwnerDept, ind.Position); err != nil {
			return translateWriteError("indicator", ind.Code, err)
		}
		if _, err := tx.tx.ExecContext(ctx, `DELETE FROM indicator_definitions WHERE indicator_code = $1`, ind.Code); err != nil {
			return translateWriteError("indicator", ind.Code, err)
		}
	} else if _, err := tx.tx.ExecContext(ctx, `INSERT INTO indicators (code, area_code, owner_dept, position) VALUES ($1, $2, $3, $4)`,
		ind.Code, ind.AreaCode, ind.OwnerDept, ind.Position); err != nil {
		return translateWriteError("indicator", ind.Code, err)
	}
	for _, d := range ind.Definitions {
		if _, err := tx.tx.ExecContext(ctx, `INSERT INTO indicator_definitions (`+definitionColumns+`)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`, definitionArgs(ind.Code, d)...); err != nil {
			return translateWriteError("indicator", ind.Code, err)
		}
	}
	if before == nil {
		return tx.record(ctx, audit.Create, "indicator", ind.Code, nil, ind)
	}
	return tx.record(ctx, audit.Update, "indicator", ind.Code, before, ind)
}
