package excelio

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// crossFile is a workbook to read with both readers, and the limits to
// read it with.
type crossFile struct {
	name string
	data []byte
	lim  Limits
}

// crossCheckFiles are workbooks as excelize writes them: the export, the
// template, the template filled in by a program, and sheets holding every
// kind of value, several sheets, formulas and the files refused.
func crossCheckFiles(t *testing.T) []crossFile {
	header := []string{"指标编码", "地区编码", "期别", "本期数值", "说明"}
	table := func(rows [][]string) []byte {
		var buf bytes.Buffer
		if err := WriteTable(&buf, DataSheet, header, rows); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	var big [][]string
	for i := range 20_000 {
		// Values of varying length, so that tags and texts fall across
		// every boundary of the reader's buffer.
		big = append(big, []string{fmt.Sprintf("IND%0*d", 1+i%7, i), fmt.Sprint(140100 + i%97), fmt.Sprint(2000 + i%30),
			fmt.Sprint(float64(i) / 7), string([]rune("说明文字很长的说明 & <注> ")[:i%14])})
	}
	files := []crossFile{
		{"table", table([][]string{
			{"GDP", "140181", "2021", "18.77", "说明"},
			{"A&B <c>", `"q" 'a'`, "2021Q3", "1,000", "line\nbreak\r\nx"},
			{"=1+1", "+86", "-5", "1e5", "\ttab"},
			{"", "", "", "", ""},
			{"ＧＤＰ", "１４０１８１", "２０２１", "１８．７７", "\u3000全角空格\u3000"},
			{"_x000D_", "_x005F_", "emoji 😀", "0.1", "ctl\x01char"},
			{"  spaced  ", "007", "123456789012345678", "-0.000001", "]]>"},
		}), Limits{}},
		{"bigtable", table(big), Limits{}},
		{"template", templateBytes(t, sampleTemplate()), Limits{}},
		{"templatefilled", fillTemplate(t), Limits{}},
		{"everykind", everyKind(t), Limits{}},
		{"formulas", formulas(t, "E1", `"目标值"`), Limits{}},
		// Excelize stores no value for a formula: only LibreOffice, which
		// computes one, makes this header whole.
		{"formulaheader", formulas(t, "D1", `"本期数值"`), Limits{}},
		{"formulasunread", workbook(t, DataSheet, func(f *excelize.File) error {
			if err := rowsOf(DataSheet, []any{"指标编码", "地区编码", "期别", "本期数值", "目标值"},
				[]any{"GDP", "140181", "2021", 1})(f); err != nil {
				return err
			}
			return f.SetCellFormula(DataSheet, "E2", "D2*2")
		}), Limits{}},
		{"pickssheet", severalSheets(t), Limits{}},
		{"nodatasheet", severalSheets(t, "Sheet3"), Limits{}},
		{"missingcolumn", workbook(t, DataSheet, rowsOf(DataSheet, []any{"指标编码", "地区编码", "本期数值"}, []any{"GDP", "140181", 1})), Limits{}},
		{"duplicatecolumn", workbook(t, DataSheet, rowsOf(DataSheet, []any{"指标编码", "地区编码", "期别", "本期数值", "value"}, []any{"GDP", "140181", "2021", 1, 2})), Limits{}},
		{"empty", workbook(t, DataSheet, rowsOf(DataSheet)), Limits{}},
		{"headeronly", workbook(t, DataSheet, rowsOf(DataSheet, []any{"指标编码", "地区编码", "期别", "本期数值"}, []any{}, []any{nil, " "})), Limits{}},
		{"toolong", table(big[:50]), Limits{MaxRows: 30}},
		{"toowide", workbook(t, "O'Brien data", rowsOf("O'Brien data", []any{"indicator", "org_unit", "period", "value"},
			[]any{"GDP", "140181", "2021", 1, nil, nil, "x"})), Limits{MaxCols: 6}},
		{"gaps", workbook(t, "Data 2", func(f *excelize.File) error {
			for _, r := range []struct {
				cell string
				row  []any
			}{
				{"B3", []any{"period", "value", nil, "org_unit", "indicator", "note"}},
				{"B4", []any{"2021", 5, nil, "140181", "GDP"}},
				{"B9", []any{nil, nil, "gap", nil, nil, "只有说明"}},
				{"B12", []any{"2022", -0.5, nil, "140181", "GDP", "  "}},
			} {
				if err := f.SetSheetRow("Data 2", r.cell, &r.row); err != nil {
					return err
				}
			}
			return f.MergeCell("Data 2", "B9", "D9")
		}), Limits{}},
	}
	return files
}

// formulas is a data sheet with formulas in its value column from row 16
// on, more than are named, and one more in a header cell.
func formulas(t *testing.T, headerCell, headerFormula string) []byte {
	return workbook(t, DataSheet, func(f *excelize.File) error {
		if err := rowsOf(DataSheet, []any{"指标编码", "地区编码", "期别", "本期数值", "目标值"})(f); err != nil {
			return err
		}
		for r := 2; r <= 40; r++ {
			if err := f.SetSheetRow(DataSheet, fmt.Sprintf("A%d", r), &[]any{"GDP", "140181", fmt.Sprint(1980 + r), r}); err != nil {
				return err
			}
			if err := f.SetCellFormula(DataSheet, fmt.Sprintf("E%d", r), fmt.Sprintf("D%d*2", r)); err != nil {
				return err
			}
			if r > 15 {
				if err := f.SetCellFormula(DataSheet, fmt.Sprintf("D%d", r), fmt.Sprintf("E%d/2", r-1)); err != nil {
					return err
				}
			}
		}
		return f.SetCellFormula(DataSheet, headerCell, headerFormula)
	})
}

// fillTemplate fills the template in as a program using excelize would.
func fillTemplate(t *testing.T) []byte {
	f, err := excelize.OpenReader(bytes.NewReader(templateBytes(t, sampleTemplate())))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	set := func(cell string, v any) {
		if err := f.SetCellValue(DataSheet, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	set("I2", 20.5)
	set("I3", "1,234")
	set("I4", int64(31))
	set("J3", "估算值\nestimate")
	if err := f.SetCellRichText(DataSheet, "J2", []excelize.RichTextRun{{Text: "初步"}, {Text: " 数据", Font: &excelize.Font{Bold: true}}}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// everyKind is a cover sheet, then a data sheet with an English header in
// another order and a value of every kind excelize writes.
func everyKind(t *testing.T) []byte {
	f := excelize.NewFile()
	defer f.Close()
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	check(f.SetCellStr("Sheet1", "A1", "封面 cover"))
	_, err := f.NewSheet("Data")
	check(err)
	rows := [][]any{
		{"Value", "Note", "Period", "Org Unit", "Indicator"},
		{1.0 / 3, "third", "2021", "140181", "A"},
		{1e-7, "tiny", "2021", "140181", "B"},
		{1e21, "huge", "2021", "140181", "C"},
		{int64(math.MaxInt64), "max", "2021", "140181", "D"},
		{math.Copysign(0, -1), "minus zero", "2021", "140181", "E", true}, // LibreOffice writes a boolean as the formula TRUE()
		{time.Date(2021, 9, 30, 12, 0, 0, 0, time.UTC), "time", "2021", "140181", "F"},
		{"=not a formula", "set as text", "2021", "140181", "G"},
		{18.77, "   ", 2021, 140181, "H"},
		{[]byte("bytes"), nil, "2021", "140181", "I"},
		{uint8(7), "x\r\ny", "2021Q3", "140181", "J"},
	}
	check(rowsOf("Data", rows...)(f))
	check(f.SetCellRichText("Data", "B3", []excelize.RichTextRun{{Text: "rich "}, {Text: "run", Font: &excelize.Font{Italic: true}}}))
	check(f.SetCellFormula("Data", "F2", "A2*3"))
	check(f.SetCellHyperLink("Data", "E2", "https://example.org", "External"))
	style, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	check(err)
	check(f.SetCellStyle("Data", "A7", "A7", style))
	check(f.SetCellStyle("Data", "G1", "H20", style)) // styled, empty
	check(f.AddComment("Data", excelize.Comment{Cell: "A2", Author: "me", Text: "a comment"}))
	var buf bytes.Buffer
	_, err = f.WriteTo(&buf)
	check(err)
	return buf.Bytes()
}

// severalSheets has no 数据 sheet, unless named: a sheet whose header lacks
// a column, then a fit one.
func severalSheets(t *testing.T, names ...string) []byte {
	f := excelize.NewFile()
	defer f.Close()
	for _, s := range []string{"Sheet2", "Sheet3"} {
		if _, err := f.NewSheet(s); err != nil {
			t.Fatal(err)
		}
	}
	fills := []func(*excelize.File) error{
		rowsOf("Sheet1", []any{"说明"}, []any{"请填写"}),
		rowsOf("Sheet2", []any{"指标编码", "地区编码", "本期数值"}, []any{"GDP", "140181", 1}),
		rowsOf("Sheet3", []any{"indicator", "org_unit", "period", "value"}, []any{"GDP", "140181", "2021", 2}),
	}
	for _, fill := range fills {
		if err := fill(f); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range names {
		if err := f.DeleteSheet(s); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// crossCheck reads a file with the streaming reader and with the excelize
// reader it replaced, and wants the same records or the same problems.
func crossCheck(t *testing.T, data []byte, lim Limits) {
	t.Helper()
	want, wantErr := oracleReadXLSX("XLSX", bytes.NewReader(data), int64(len(data)), lim)
	got, err := readXLSX("XLSX", bytes.NewReader(data), int64(len(data)), lim)
	if !reflect.DeepEqual(err, wantErr) {
		t.Errorf("error:\n%v\nwant (as excelize read it):\n%v", err, wantErr)
	}
	if d := diffRecords(want, got); d != "" {
		t.Errorf("records (-excelize +streaming):\n%s", d)
	}
	t.Logf("%d records, error %v", len(got), err)
}

func TestCrossCheckExcelize(t *testing.T) {
	for _, f := range crossCheckFiles(t) {
		t.Run(f.name, func(t *testing.T) { crossCheck(t, f.data, f.lim) })
	}
}

// TestCrossCheckLibreOffice has LibreOffice open each file and save it as
// .xlsx, as a user of LibreOffice would, and reads what it wrote with both
// readers.
func TestCrossCheckLibreOffice(t *testing.T) {
	lo := newLibreOffice(t)
	dir := t.TempDir()
	files := crossCheckFiles(t)
	var paths []string
	for _, f := range files {
		p := filepath.Join(dir, "in", f.name+".xlsx")
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.data, 0o600); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	took, err := lo.Convert("xlsx", filepath.Join(dir, "out"), paths...)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("soffice xlsx → xlsx, %d files: %v", len(paths), took.Round(time.Millisecond))
	for _, f := range files {
		t.Run(f.name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, "out", f.name+".xlsx"))
			if err != nil {
				t.Fatal(err)
			}
			crossCheck(t, data, f.lim)
		})
	}
}
