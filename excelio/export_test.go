package excelio

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestSafeCell(t *testing.T) {
	tests := []struct{ in, want string }{
		{"=1+1", "'=1+1"},
		{"+86 138", "'+86 138"},
		{"-3.5", "-3.5"},
		{"-1e5", "-1e5"},
		{"-", "'-"},
		{"-3.5+A1", "'-3.5+A1"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"normal", "normal"},
		{"", ""},
		{"18.77", "18.77"},
		{"地区=古交", "地区=古交"},
	}
	for _, tt := range tests {
		if got := SafeCell(tt.in); got != tt.want {
			t.Errorf("SafeCell(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWriteCSV(t *testing.T) {
	var buf bytes.Buffer
	rows := [][]string{{"GDP", "=HYPERLINK(\"http://x\")", "-3.5"}, {"JOBS", "第一行\n第二行", "@x"}}
	if err := WriteCSV(&buf, []string{"指标", "说明", "数值"}, rows); err != nil {
		t.Fatal(err)
	}
	if rows[0][1] != "=HYPERLINK(\"http://x\")" {
		t.Error("WriteCSV changed the caller's rows")
	}
	data := buf.Bytes()
	if !bytes.HasPrefix(data, []byte("\uFEFF")) {
		t.Fatal("no BOM")
	}
	got, err := csv.NewReader(bytes.NewReader(data[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"指标", "说明", "数值"}, {"GDP", "'=HYPERLINK(\"http://x\")", "-3.5"}, {"JOBS", "第一行\n第二行", "'@x"}}
	if strings.Join(flat(got), "|") != strings.Join(flat(want), "|") {
		t.Errorf("CSV = %q, want %q", got, want)
	}
}

func flat(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, strings.Join(r, ","))
	}
	return out
}

func TestWriteTable(t *testing.T) {
	var buf bytes.Buffer
	rows := [][]string{
		{"GDP", "18.77", "=1+1", "007", "-3.5", "1234567890123456"},
		{"JOBS", "", "+86 138", "0.5", "1e5", "地区"},
	}
	if err := WriteTable(&buf, "导出", []string{"指标", "数值", "说明", "编码", "变化", "证号"}, rows); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	if strings.Contains(partText(t, data, "xl/worksheets/sheet1.xml"), "<f>") {
		t.Fatal("the export holds a formula")
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := map[string]struct {
		value  string
		number bool
	}{
		"A1": {"指标", false}, "B2": {"18.77", true}, "C2": {"'=1+1", false}, "D2": {"007", false},
		"E2": {"-3.5", true}, "F2": {"1234567890123456", false}, "B3": {"", false}, "C3": {"'+86 138", false},
		"D3": {"0.5", true}, "E3": {"1e5", false}, "F3": {"地区", false},
	}
	for cell, w := range want {
		got, err := f.GetCellValue("导出", cell, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		typ, err := f.GetCellType("导出", cell)
		if err != nil {
			t.Fatal(err)
		}
		isNumber := typ == excelize.CellTypeNumber || (typ == excelize.CellTypeUnset && got != "")
		if got != w.value || isNumber != w.number {
			t.Errorf("%s = %q (number %v), want %q (number %v)", cell, got, isNumber, w.value, w.number)
		}
	}
}
