package excelio

import (
	"fmt"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// column is one column of the template's data sheet. A header cell names it
// in Chinese, in English, or both ("本期数值\nvalue").
type column struct {
	key   string // the English name
	zh    string
	width float64 // in the template, in characters
}

// The template's columns, in order: A to J.
var columns = []column{
	{"indicator", "指标编码", 14},
	{"name", "指标名称", 32},
	{"unit", "计量单位", 10},
	{"org_unit", "地区编码", 12},
	{"org_unit_name", "地区", 14},
	{"period", "期别", 10},
	{"last_value", "上期数值", 16},
	{"target", "目标值", 12},
	{"value", "本期数值", 14},
	{"note", "说明", 40},
}

// Column numbers (1-based) of the template.
const (
	colIndicator = 1 + iota
	colName
	colUnit
	colOrgUnit
	colOrgUnitName
	colPeriod
	colLastValue
	colTarget
	colValue
	colNote
)

// required are the columns an upload must have; note is read if present,
// the others are for people and ignored.
var required = []string{"indicator", "org_unit", "period", "value"}

func (c column) header() string { return c.zh + "\n" + c.key }

// columnKey says which column a header cell names, or "" if none. It
// accepts the Chinese name, the English name (any case, spaces for
// underscores) or both, Chinese first, as the template writes them.
func columnKey(cell string) string {
	s := strings.ToLower(norm.NFKC.String(cell))
	fields := strings.Fields(strings.NewReplacer("(", " ", ")", " ", "/", " ").Replace(s))
	if len(fields) == 0 {
		return ""
	}
	if k := nameKey(strings.Join(fields, "_")); k != "" {
		return k
	}
	zh, en := nameKey(fields[0]), nameKey(strings.Join(fields[1:], "_"))
	if zh != "" && zh == en {
		return zh
	}
	return ""
}

func nameKey(name string) string {
	for _, c := range columns {
		if name == c.key || name == c.zh {
			return c.key
		}
	}
	return ""
}

func columnZH(key string) string {
	for _, c := range columns {
		if c.key == key {
			return c.zh
		}
	}
	return key
}

// layout is where the columns that are read sit in an uploaded sheet:
// 0-based indexes into a row, -1 for an absent optional column.
type layout struct {
	indicator, orgUnit, period, value, note int
}

// readHeader maps a header row. cellName names the header cell at a 0-based
// index, for messages. It returns the problems that make the header unfit
// and how many cells it recognised, which tells a data sheet whose header
// is incomplete from an unrelated sheet.
func readHeader(cells []string, where string, cellName func(i int) string) (layout, []Problem, int) {
	at := map[string]int{}
	var ps []Problem
	for i, c := range cells {
		k := columnKey(c)
		if k == "" {
			continue
		}
		if j, dup := at[k]; dup {
			ps = append(ps, Problem{Where: where,
				ZH: fmt.Sprintf("表头中「%s」列出现了两次（%s 和 %s）", columnZH(k), cellName(j), cellName(i)),
				EN: fmt.Sprintf("column %s appears twice in the header (%s and %s)", k, cellName(j), cellName(i))})
			continue
		}
		at[k] = i
	}
	var missingZH, missingEN []string
	for _, k := range required {
		if _, ok := at[k]; !ok {
			missingZH, missingEN = append(missingZH, columnZH(k)), append(missingEN, k)
		}
	}
	if len(missingZH) > 0 {
		ps = append(ps, Problem{Where: where,
			ZH: "表头缺少必填列：" + strings.Join(missingZH, "、"),
			EN: "the header lacks required columns: " + strings.Join(missingEN, ", ")})
	}
	l := layout{indicator: at["indicator"], orgUnit: at["org_unit"], period: at["period"], value: at["value"], note: -1}
	if i, ok := at["note"]; ok {
		l.note = i
	}
	return l, ps, len(at)
}

// record makes a Record of a data row, or reports false for a row with
// nothing in the columns that are read. Codes, periods and values are
// trimmed and NFKC-normalised, so that full-width "１８．７７" reads as
// "18.77"; a note is only trimmed, keeping its Chinese punctuation.
func (l layout) record(cells []string) (Record, bool) {
	get := func(i int) string {
		if i < 0 || i >= len(cells) {
			return ""
		}
		return cells[i]
	}
	r := Record{
		Indicator: clean(get(l.indicator)),
		OrgUnit:   clean(get(l.orgUnit)),
		Period:    clean(get(l.period)),
		Value:     clean(get(l.value)),
		Note:      strings.TrimSpace(get(l.note)),
	}
	empty := r.Indicator == "" && r.OrgUnit == "" && r.Period == "" && r.Value == "" && r.Note == ""
	return r, !empty
}

func clean(s string) string {
	return strings.TrimSpace(norm.NFKC.String(s)) // after NFKC: it turns U+3000 into a space
}
