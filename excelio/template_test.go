package excelio

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestTemplate(t *testing.T) {
	data := templateBytes(t, sampleTemplate())

	t.Run("ReadBack", func(t *testing.T) {
		got, err := readXLSXBytes(data, DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		want := []Record{
			{Sheet: "数据", Row: 2, Indicator: "GDP", OrgUnit: "140181", Period: "2021Q3", Value: "18.77", ValueCell: "数据!I2"},
			{Sheet: "数据", Row: 3, Indicator: "JOBS", OrgUnit: "140181", Period: "2021Q3", Value: "", ValueCell: "数据!I3"},
			{Sheet: "数据", Row: 4, Indicator: "FOREST", OrgUnit: "140181", Period: "2021Q3", Value: "31.25", Note: "已审核", ValueCell: "数据!I4"},
		}
		if d := diffRecords(want, got); d != "" {
			t.Errorf("records (-want +got):\n%s", d)
		}
	})

	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	t.Run("Sheets", func(t *testing.T) {
		if got := f.GetSheetList(); strings.Join(got, ",") != "数据,说明" {
			t.Errorf("sheets = %v, want [数据 说明]", got)
		}
		header, err := f.GetRows(DataSheet)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"指标编码\nindicator", "指标名称\nname", "计量单位\nunit", "地区编码\norg_unit", "地区\norg_unit_name",
			"期别\nperiod", "上期数值\nlast_value", "目标值\ntarget", "本期数值\nvalue", "说明\nnote"}
		if strings.Join(header[0], "|") != strings.Join(want, "|") {
			t.Errorf("header = %q, want %q", header[0], want)
		}
		text, err := f.GetRows(InstructionsSheet)
		if err != nil {
			t.Fatal(err)
		}
		all := ""
		for _, r := range text {
			all += strings.Join(r, "") + "\n"
		}
		for _, want := range []string{"数据填报说明", "2021-10-15", "本期数值", "说明", "保护", "整体导入", "Instructions", "all or nothing", "protected"} {
			if !strings.Contains(all, want) {
				t.Errorf("instructions lack %q", want)
			}
		}
		if strings.Index(all, "数据填报说明") > strings.Index(all, "Instructions") {
			t.Error("instructions: English comes before Chinese")
		}
	})

	t.Run("Protection", func(t *testing.T) {
		sheet := partText(t, data, "xl/worksheets/sheet1.xml")
		if !strings.Contains(sheet, `<sheetProtection sheet="true"`) {
			t.Fatalf("data sheet not protected:\n%.2000s", sheet)
		}
		if strings.Contains(sheet, "password") {
			t.Error("protection has a password; the template's is password-less")
		}
		unlocked := map[string]bool{"I2": true, "J2": true, "I3": true, "J3": true}
		for _, cell := range []string{"A2", "B2", "F2", "G2", "H2", "I2", "J2", "A3", "I3", "J3", "A4", "G4", "I4", "J4", "I1", "J1"} {
			id, err := f.GetCellStyle(DataSheet, cell)
			if err != nil {
				t.Fatal(err)
			}
			st, err := f.GetStyle(id)
			if err != nil {
				t.Fatal(err)
			}
			locked := st.Protection == nil || st.Protection.Locked
			if locked == unlocked[cell] {
				t.Errorf("%s locked = %v, want %v", cell, locked, !unlocked[cell])
			}
		}
	})

	t.Run("Validation", func(t *testing.T) {
		dvs, err := f.GetDataValidations(DataSheet)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, dv := range dvs {
			if dv.Type != "decimal" || dv.Error == nil || !strings.Contains(*dv.Error, "请填写数字") || !strings.Contains(*dv.Error, "Enter a number") {
				t.Errorf("validation %s: type %q, error %v; want decimal with a bilingual error", dv.Sqref, dv.Type, dv.Error)
			}
			got[dv.Sqref] = dv.Formula1 + ".." + dv.Formula2
		}
		want := map[string]string{"I2": "0..1000", "I3": "-1E+300..1E+300"}
		if len(got) != len(want) || got["I2"] != want["I2"] || got["I3"] != want["I3"] {
			t.Errorf("validations = %v, want %v (none on the locked row)", got, want)
		}
	})

	t.Run("Formats", func(t *testing.T) {
		// excelize renders quoted literals in a format wrongly ("(2021Q2)"
		// comes out as "(200000)"), so the last values' formats are checked
		// as codes here, and as shown by LibreOffice in TestLibreOffice.
		for cell, want := range map[string]string{"G2": `0.00" (2021Q2)"`, "G4": `0.0" (2020)"`} {
			id, err := f.GetCellStyle(DataSheet, cell)
			if err != nil {
				t.Fatal(err)
			}
			st, err := f.GetStyle(id)
			if err != nil {
				t.Fatal(err)
			}
			if st.CustomNumFmt == nil || *st.CustomNumFmt != want {
				t.Errorf("%s format = %v, want %s", cell, st.CustomNumFmt, want)
			}
		}
		for cell, want := range map[string]string{"H2": "120.00", "I2": "18.77", "I4": "31.3", "H4": "33.0"} {
			got, err := f.GetCellValue(DataSheet, cell)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("%s shows %q, want %q", cell, got, want)
			}
		}
		panes, err := f.GetPanes(DataSheet)
		if err != nil {
			t.Fatal(err)
		}
		if !panes.Freeze || panes.YSplit != 1 {
			t.Errorf("panes = %+v, want the header row frozen", panes)
		}
	})

	t.Run("Stamp", func(t *testing.T) {
		got, err := ReadStamp(bytes.NewReader(data), int64(len(data)), DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		if want := (Stamp{DepartmentCode: "G01", Period: "2021Q3"}); got != want {
			t.Errorf("stamp = %+v, want %+v", got, want)
		}
	})
}

func TestTemplateValidationRanges(t *testing.T) {
	open, bounded := TemplateRow{Decimals: 1}, TemplateRow{Decimals: 1, Min: f64(-5), Max: f64(1e20)}
	approved := TemplateRow{Decimals: 1, Locked: true}
	rows := []TemplateRow{open, open, bounded, open, approved, open, bounded, bounded}
	data := templateBytes(t, Template{DepartmentCode: "G01", Period: "2021", Rows: rows})
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dvs, err := f.GetDataValidations(DataSheet)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, dv := range dvs {
		got[dv.Sqref] = dv.Formula1 + ".." + dv.Formula2
	}
	want := map[string]string{"I2:I3 I5 I7": "-1E+300..1E+300", "I4 I8:I9": "-5..1E+20"}
	if len(got) != len(want) {
		t.Fatalf("validations = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("validation %s = %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
}

func TestTemplateBadDecimals(t *testing.T) {
	var buf bytes.Buffer
	err := WriteTemplate(&buf, Template{Rows: []TemplateRow{{Indicator: "GDP", Decimals: 7}}})
	if err == nil || !strings.Contains(err.Error(), "decimals 7") {
		t.Errorf("err = %v, want one about decimals 7", err)
	}
}
