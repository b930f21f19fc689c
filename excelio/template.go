package excelio

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/xuri/excelize/v2"
)

// The sheets of a template.
const (
	DataSheet         = "数据"
	InstructionsSheet = "说明"
)

// TemplateRow is one figure a department is asked for.
type TemplateRow struct {
	Indicator, IndicatorName, Unit string // code, name (zh), unit (zh)
	OrgUnit, OrgUnitName           string
	Period                         string   // e.g. 2021, 2021Q3
	LastPeriod                     string   // of LastValue
	LastValue                      *float64 // previous period's figure, if any
	Target                         *float64
	Value                          *float64 // existing value, prefilled
	Note                           string
	Decimals                       int      // 0–6
	Min, Max                       *float64 // optional bounds for the value cell's validation
	Locked                         bool     // approved values: shown, not editable
}

// Template is the workbook sent to one department for one round.
type Template struct {
	DepartmentCode, DepartmentName string
	Period                         string
	DueDate                        string // as the user should read it, e.g. 2021-10-15
	Rows                           []TemplateRow
	GeneratedAt                    time.Time
}

// WriteTemplate writes t as an .xlsx: a protected sheet 数据 in which only
// the value and note cells of unlocked rows can be edited, and a sheet 说明
// telling how to fill it in. The department and period are stamped in the
// document properties (see ReadStamp).
func WriteTemplate(w io.Writer, t Template) (err error) {
	defer apperr.Wrap(&err, "excelio.WriteTemplate(%s, %s)", t.DepartmentCode, t.Period)
	for i, r := range t.Rows {
		if r.Decimals < 0 || r.Decimals > 6 {
			return fmt.Errorf("row %d (%s/%s): decimals %d outside 0–6", i+1, r.Indicator, r.OrgUnit, r.Decimals)
		}
	}
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	st := &styler{f: f, ids: map[styleKey]int{}}
	if err := f.SetSheetName("Sheet1", DataSheet); err != nil {
		return err
	}
	if err := writeDataSheet(f, st, t.Rows); err != nil {
		return err
	}
	if _, err := f.NewSheet(InstructionsSheet); err != nil {
		return err
	}
	if err := writeInstructions(f, st, t); err != nil {
		return err
	}
	if err := writeStamp(f, t); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	_, err = f.WriteTo(w)
	return err
}

func writeDataSheet(f *excelize.File, st *styler, rows []TemplateRow) error {
	for i, c := range columns {
		letter, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(DataSheet, letter, letter, c.width); err != nil {
			return err
		}
		if err := f.SetCellStr(DataSheet, letter+"1", c.header()); err != nil {
			return err
		}
	}
	if err := st.apply(DataSheet, "A1", "J1", styleKey{kind: headerStyle}); err != nil {
		return err
	}
	if err := f.SetRowHeight(DataSheet, 1, 32); err != nil {
		return err
	}
	for i, r := range rows {
		if err := writeTemplateRow(f, st, i+2, r); err != nil {
			return err
		}
	}
	if err := addValueValidations(f, rows); err != nil {
		return err
	}
	if err := f.SetPanes(DataSheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "I2", ActiveCell: "I2", Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	// No password: the protection guards against slips, not against the
	// department; the import checks every cell anyway.
	return f.ProtectSheet(DataSheet, &excelize.SheetProtectionOptions{
		SelectLockedCells: true, SelectUnlockedCells: true, FormatColumns: true, FormatRows: true,
	})
}

func writeTemplateRow(f *excelize.File, st *styler, n int, r TemplateRow) error {
	ref := func(col int) string { c, _ := excelize.CoordinatesToCellName(col, n); return c }
	texts := []any{r.Indicator, r.IndicatorName, r.Unit, r.OrgUnit, r.OrgUnitName, r.Period}
	if err := f.SetSheetRow(DataSheet, ref(colIndicator), &texts); err != nil {
		return err
	}
	numbers := []struct {
		col int
		v   *float64
	}{{colLastValue, r.LastValue}, {colTarget, r.Target}, {colValue, r.Value}}
	for _, x := range numbers {
		if x.v == nil {
			continue
		}
		if err := f.SetCellFloat(DataSheet, ref(x.col), *x.v, -1, 64); err != nil {
			return err
		}
	}
	if r.Note != "" {
		if err := f.SetCellStr(DataSheet, ref(colNote), r.Note); err != nil {
			return err
		}
	}
	styles := []struct {
		from, to int
		key      styleKey
	}{
		{colIndicator, colUnit, styleKey{kind: textStyle}},
		{colName, colName, styleKey{kind: wrapStyle}},
		{colOrgUnit, colPeriod, styleKey{kind: textStyle}},
		{colLastValue, colLastValue, styleKey{kind: shownStyle, decimals: r.Decimals, suffix: r.LastPeriod}},
		{colTarget, colTarget, styleKey{kind: shownStyle, decimals: r.Decimals}},
		{colValue, colValue, styleKey{kind: valueStyle, decimals: r.Decimals, locked: r.Locked}},
		{colNote, colNote, styleKey{kind: noteStyle, locked: r.Locked}},
	}
	for _, s := range styles {
		if err := st.apply(DataSheet, ref(s.from), ref(s.to), s.key); err != nil {
			return err
		}
	}
	return nil
}

// addValueValidations makes the value cells of unlocked rows accept only
// numbers, within the row's bounds. Rows with the same bounds share one
// rule, over ranges of consecutive rows, to keep the sheet small.
func addValueValidations(f *excelize.File, rows []TemplateRow) error {
	var rules []*valueRule
	byBounds := map[string]*valueRule{}
	for i, r := range rows {
		if r.Locked {
			continue
		}
		n, k := i+2, boundText(r.Min, "")+"/"+boundText(r.Max, "")
		rule := byBounds[k]
		if rule == nil {
			rule = &valueRule{min: r.Min, max: r.Max}
			byBounds[k] = rule
			rules = append(rules, rule)
		}
		rule.add(n)
	}
	for _, rule := range rules {
		dv := excelize.NewDataValidation(true)
		for _, r := range rule.rows {
			if r[0] == r[1] {
				dv.SetSqref(fmt.Sprintf("I%d", r[0]))
			} else {
				dv.SetSqref(fmt.Sprintf("I%d:I%d", r[0], r[1]))
			}
		}
		if err := dv.SetRange(boundText(rule.min, "-1E+300"), boundText(rule.max, "1E+300"),
			excelize.DataValidationTypeDecimal, excelize.DataValidationOperatorBetween); err != nil {
			return err
		}
		zh, en := rangeText(rule.min, rule.max)
		dv.SetError(excelize.DataValidationErrorStyleStop, "数值无效 Invalid number",
			"请填写数字"+zh+"，不要带单位、逗号或文字。\nEnter a number"+en+", without unit, commas or words.")
		if err := f.AddDataValidation(DataSheet, dv); err != nil {
			return err
		}
	}
	return nil
}

// valueRule is one validation: the bounds and the runs of rows it covers.
type valueRule struct {
	min, max *float64
	rows     [][2]int // first and last row of each run
}

func (v *valueRule) add(row int) {
	if last := len(v.rows) - 1; last >= 0 && v.rows[last][1] == row-1 {
		v.rows[last][1] = row
		return
	}
	v.rows = append(v.rows, [2]int{row, row})
}

// boundText writes a bound for a validation formula: 1E+20 rather than
// twenty-one digits.
func boundText(v *float64, none string) string {
	if v == nil {
		return none
	}
	return strconv.FormatFloat(*v, 'G', -1, 64)
}

func rangeText(lo, hi *float64) (zh, en string) {
	num := func(v *float64) string { return strconv.FormatFloat(*v, 'f', -1, 64) }
	switch {
	case lo != nil && hi != nil:
		return fmt.Sprintf("，介于 %s 与 %s 之间", num(lo), num(hi)), fmt.Sprintf(" between %s and %s", num(lo), num(hi))
	case lo != nil:
		return fmt.Sprintf("，不小于 %s", num(lo)), fmt.Sprintf(" not less than %s", num(lo))
	case hi != nil:
		return fmt.Sprintf("，不大于 %s", num(hi)), fmt.Sprintf(" not more than %s", num(hi))
	}
	return "", ""
}

// Stamp says which department and period a template was made for, so that
// an upload can be checked against the round it is uploaded to.
type Stamp struct {
	DepartmentCode string
	Period         string
}

const (
	stampDepartment = "LantuDepartment"
	stampPeriod     = "LantuPeriod"
)

func writeStamp(f *excelize.File, t Template) error {
	props := &excelize.DocProperties{
		Title:   "数据填报模板 Data template",
		Subject: strings.TrimSpace(t.DepartmentName + " " + t.Period),
		Creator: "Lantu",
	}
	if !t.GeneratedAt.IsZero() {
		props.Created = t.GeneratedAt.UTC().Format(time.RFC3339)
	}
	if err := f.SetDocProps(props); err != nil {
		return err
	}
	for _, p := range []excelize.CustomProperty{{Name: stampDepartment, Value: t.DepartmentCode}, {Name: stampPeriod, Value: t.Period}} {
		if err := f.SetCustomProps(p); err != nil {
			return err
		}
	}
	return nil
}
