package excelio

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/xuri/excelize/v2"
)

func f64(v float64) *float64 { return &v }

// sampleTemplate has three rows: two open (one with bounds and a prefilled
// value, one empty) and one approved.
func sampleTemplate() Template {
	return Template{
		DepartmentCode: "G01",
		DepartmentName: "古交市发展和改革局",
		Period:         "2021Q3",
		DueDate:        "2021-10-15",
		GeneratedAt:    time.Date(2021, 10, 1, 8, 0, 0, 0, time.UTC),
		Rows: []TemplateRow{
			{Indicator: "GDP", IndicatorName: "地区生产总值", Unit: "亿元", OrgUnit: "140181", OrgUnitName: "古交市",
				Period: "2021Q3", LastPeriod: "2021Q2", LastValue: f64(55.5), Target: f64(120), Value: f64(18.77),
				Decimals: 2, Min: f64(0), Max: f64(1000)},
			{Indicator: "JOBS", IndicatorName: "城镇新增就业", Unit: "人", OrgUnit: "140181", OrgUnitName: "古交市",
				Period: "2021Q3", Decimals: 0},
			{Indicator: "FOREST", IndicatorName: "森林覆盖率", Unit: "%", OrgUnit: "140181", OrgUnitName: "古交市",
				Period: "2021Q3", LastPeriod: "2020", LastValue: f64(30.1), Target: f64(33), Value: f64(31.25),
				Note: "已审核", Decimals: 1, Locked: true},
		},
	}
}

func templateBytes(t testing.TB, tpl Template) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteTemplate(&buf, tpl); err != nil {
		t.Fatalf("WriteTemplate: %v", err)
	}
	return buf.Bytes()
}

func readXLSXBytes(data []byte, lim Limits) ([]Record, error) {
	return ReadXLSX(bytes.NewReader(data), int64(len(data)), lim)
}

// workbook builds an .xlsx with excelize: fill gets the file with one sheet
// named sheet.
func workbook(t testing.TB, sheet string, fill func(f *excelize.File) error) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		t.Fatal(err)
	}
	if err := fill(f); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// rowsOf writes rows from A1 down.
func rowsOf(sheet string, rows ...[]any) func(f *excelize.File) error {
	return func(f *excelize.File) error {
		for i, r := range rows {
			if err := f.SetSheetRow(sheet, fmt.Sprintf("A%d", i+1), &r); err != nil {
				return err
			}
		}
		return nil
	}
}

// replaceParts rewrites a zip, replacing (or adding) entries; an entry
// given as a *zip.FileHeader with its raw compressed bytes is written raw.
func replaceParts(t testing.TB, data []byte, parts map[string]string, raw map[string]rawPart) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	done := map[string]bool{}
	for _, f := range zr.File {
		done[f.Name] = true
		if r, ok := raw[f.Name]; ok {
			writeRaw(t, zw, f.Name, r)
			continue
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if s, ok := parts[f.Name]; ok {
			_, err = io.WriteString(w, s)
		} else {
			var rc io.ReadCloser
			if rc, err = f.Open(); err == nil {
				_, err = io.Copy(w, rc)
				rc.Close()
			}
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	for name, s := range parts {
		if done[name] {
			continue
		}
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, s); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

type rawPart struct {
	deflated       []byte
	declaredLength uint64
}

func writeRaw(t testing.TB, zw *zip.Writer, name string, r rawPart) {
	t.Helper()
	w, err := zw.CreateRaw(&zip.FileHeader{
		Name: name, Method: zip.Deflate,
		CompressedSize64: uint64(len(r.deflated)), UncompressedSize64: r.declaredLength,
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(r.deflated); err != nil {
		t.Fatal(err)
	}
}

// partText returns one entry of a zip as text.
func partText(t testing.TB, data []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			b, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
	t.Fatalf("no %s in the zip", name)
	return ""
}

// wantProblem checks that err is Problems holding one at where whose
// Chinese message contains zh, and that apperr sees invalid input.
func wantProblem(t testing.TB, err error, where, zh string) {
	t.Helper()
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("got error %v (%T), want Problems", err, err)
	}
	if apperr.Code(err) != apperr.Invalid {
		t.Errorf("apperr.Code = %q, want %q", apperr.Code(err), apperr.Invalid)
	}
	for _, p := range ps {
		if p.Where == where && strings.Contains(p.ZH, zh) {
			if p.EN == "" {
				t.Errorf("problem %+v has no English", p)
			}
			return
		}
	}
	t.Fatalf("problems:\n%v\nwant one at %q containing %q", ps, where, zh)
}

// diffRecords reports the differences between two lists of records, one
// line per record, -want +got.
func diffRecords(want, got []Record) string {
	var b strings.Builder
	for i := range max(len(want), len(got)) {
		var w, g string
		if i < len(want) {
			w = fmt.Sprintf("%+v", want[i])
		}
		if i < len(got) {
			g = fmt.Sprintf("%+v", got[i])
		}
		if w != g {
			fmt.Fprintf(&b, "-%s\n+%s\n", w, g)
		}
	}
	return b.String()
}
