package web

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/storage"
	"github.com/lantu/lantu/storage/storagetest"
)

// fileMatrixCases are the authorization matrix's entries for the files of
// a reporting round. Writes use round 2 (2023), whose written value the
// matrix looks for in the database.
var fileMatrixCases = map[string]matrixCase{
	"reporting_template": func(dept, _ string) []matrixRequest {
		return []matrixRequest{{method: "GET", path: "/reporting/rounds/1/departments/" + dept + "/template.xlsx"}}
	},
	"reporting_upload": func(dept, ind string) []matrixRequest {
		body, ct := multipartCSV("indicator,org_unit,period,value\n" + ind + ",gujiao,2023,7\n")
		return []matrixRequest{{method: "POST", path: "/reporting/rounds/2/departments/" + dept + "/upload", body: body, contentType: ct, writes: true}}
	},
	"api_import": func(_, ind string) []matrixRequest {
		return []matrixRequest{{method: "POST", path: "/api/v1/values/import", writes: true,
			body: `[{"indicator":"` + ind + `","org_unit":"gujiao","period":"2023","value":"7"}]`}}
	},
}

// multipartCSV is an upload form holding one CSV file.
func multipartCSV(content string) (body, contentType string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("file", "values.csv")
	if err != nil {
		panic(err)
	}
	_, _ = fw.Write([]byte(content))
	_ = mw.Close()
	return buf.String(), mw.FormDataContentType()
}

// uploadFile posts a file to a department's upload form as the visitor.
func uploadFile(t *testing.T, base string, v visitorCase, path, name string, content []byte, fields map[string]string) (int, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, val := range fields {
		_ = mw.WriteField(k, val)
	}
	_ = mw.WriteField(csrfField, v.csrf)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(content)
	_ = mw.Close()
	req, err := http.NewRequest("POST", base+path, &buf)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.AddCookie(v.cookie)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, html.UnescapeString(string(body))
}

// sheet makes an .xlsx whose first sheet, 数据, holds rows (the first is
// the header); a cell starting with "=" is written as a formula.
func sheet(t *testing.T, rows [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "数据"); err != nil {
		t.Fatal(err)
	}
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			var err error
			switch {
			case strings.HasPrefix(v, "="):
				err = f.SetCellFormula("数据", cell, v[1:])
			case r > 0 && c == 3:
				if x, perr := strconv.ParseFloat(v, 64); perr == nil {
					err = f.SetCellFloat("数据", cell, x, -1, 64)
				} else {
					err = f.SetCellStr("数据", cell, v)
				}
			default:
				err = f.SetCellStr("数据", cell, v)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// withPart rewrites one part of a zip (an .xlsx), as an attacker would.
func withPart(t *testing.T, data []byte, name string, content []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == name {
			_, _ = w.Write(content)
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(w, rc)
		rc.Close()
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

const csvHeader = "indicator,org_unit,period,value,note\n"

var blanks = regexp.MustCompile(`\s+`)

// problemsOf is the text of an import report page, tags removed, for
// messages in failures.
func problemsOf(page string) string {
	return blanks.ReplaceAllString(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(page, " "), " ")
}

// TestUploadRefusesBadFiles sends the corpus of bad files through the
// upload form: each is refused with the message that names what is wrong
// (the cell, where there is one), and nothing is written.
func TestUploadRefusesBadFiles(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		_, ts, accounts := gujiaoServer(t, db)
		reporter := signInAs(t, accounts, auth.Reporter)
		header := []string{"indicator", "org_unit", "period", "value", "note"}
		good := sheet(t, [][]string{header, {"forest-cover", "gujiao", "2021", "19.1", ""}})

		var bomb bytes.Buffer
		zw := zip.NewWriter(&bomb)
		w, _ := zw.Create("xl/worksheets/sheet1.xml")
		_, _ = w.Write(bytes.Repeat([]byte{' '}, 300<<20))
		_ = zw.Close()
		var wide strings.Builder
		wide.WriteString(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">`)
		for i := range 200_000 {
			fmt.Fprintf(&wide, `<c t="inlineStr"><is><t>c%d</t></is></c>`, i)
		}
		wide.WriteString(`</row></sheetData></worksheet>`)
		gb, err := simplifiedchinese.GB18030.NewEncoder().String(csvHeader + "forest-cover,gujiao,2021,19.1,林业普查数\n")
		if err != nil {
			t.Fatal(err)
		}

		cases := []struct {
			name    string
			file    string
			content []byte
			want    []string
		}{
			{"ZipBomb", "bomb.xlsx", bomb.Bytes(), []string{"解压后超过 200 MiB"}},
			{"NotAZip", "fake.xlsx", []byte("this is not a workbook"), []string{"xlsx"}},
			{"WrongSheet", "other.xlsx", sheet(t, [][]string{{"name", "amount"}, {"x", "1"}}), []string{"indicator"}},
			{"TextInNumberCell", "text.xlsx", sheet(t, [][]string{header, {"forest-cover", "gujiao", "2021", "abc", ""}}),
				[]string{"数据!D2", "「森林覆盖率」应为数字（不用千位分隔符），填写的是 abc"}},
			{"ImpossibleFigure", "range.xlsx", sheet(t, [][]string{header, {"forest-cover", "gujiao", "2021", "187.7", ""}}),
				[]string{"数据!D2", "森林覆盖率 应在 0–100 之间，填写的是 187.7"}},
			{"DuplicateRows", "dup.xlsx", sheet(t, [][]string{header, {"afforestation", "gujiao", "2021", "3", ""}, {"afforestation", "gujiao", "2021", "4", ""}}),
				[]string{"数据!D3", "重复"}},
			{"UnknownIndicator", "unknown.xlsx", sheet(t, [][]string{header, {"ghost", "gujiao", "2021", "3", ""}}), []string{"数据!D2", "指标 ghost 不存在"}},
			{"PeriodNotOpen", "2022.xlsx", sheet(t, [][]string{header, {"afforestation", "gujiao", "2022", "3", ""}}), []string{"数据!D2", "2022 尚未开放填报"}},
			{"FormulaCell", "formula.xlsx", sheet(t, [][]string{header, {"forest-cover", "gujiao", "2021", "=18+1", ""}}), []string{"数据!D2", "公式"}},
			{"Columns200k", "wide.xlsx", withPart(t, good, "xl/worksheets/sheet1.xml", []byte(wide.String())), []string{"列"}},
			{"BrokenEncoding", "broken.csv", append([]byte(csvHeader+"forest-cover,gujiao,2021,19.1,"), 0x81, 0x30, 0xff, 0xfe, '\n'), []string{"编码"}},
			{"AnotherDepartment", "hr.csv", []byte(csvHeader + "urban-jobs-new,gujiao,2021,3700,\n"), []string{"hr.csv:2", "属于其他部门"}},
		}
		auditBefore, _ := db.AuditCount(context.Background())
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				status, body := uploadFile(t, ts.URL, reporter, "/reporting/rounds/1/departments/forestry/upload", c.file, c.content, nil)
				if status != http.StatusBadRequest {
					t.Errorf("status %d, want 400", status)
				}
				for _, w := range c.want {
					if !strings.Contains(body, w) {
						t.Errorf("the answer does not say %q:\n%s", w, problemsOf(body))
					}
				}
			})
		}
		vals, _ := db.Values(context.Background(), storage.ValueFilter{Period: period.MustParse("2021"), Scope: auth.SystemScope()})
		if len(vals) != 0 {
			t.Errorf("refused uploads wrote %d values", len(vals))
		}
		// Refusals write nothing but the audit of the download-free
		// requests themselves: no value rows.
		entries, _ := db.AuditEntries(context.Background(), storage.AuditFilter{ObjectType: "value"})
		for _, e := range entries {
			if e.ID > auditBefore {
				t.Errorf("a refused upload left an audit row of a value: %+v", e)
			}
		}

		// A GB18030 CSV, as Excel on Chinese Windows saves it, imports.
		status, body := uploadFile(t, ts.URL, reporter, "/reporting/rounds/1/departments/forestry/upload", "gb.csv", []byte(gb), nil)
		if status != http.StatusOK || !strings.Contains(body, "已导入") {
			t.Fatalf("GB18030 CSV: %d %s", status, body)
		}
		v, err := db.Value(context.Background(), auth.SystemScope(), "forest-cover", "gujiao", period.MustParse("2021"))
		if err != nil || v.Note != "林业普查数" || v.Number != 19.1 {
			t.Errorf("GB18030 import stored %+v, %v", v, err)
		}
	})
}

// The template downloaded from the page, filled in by a script and
// uploaded, imports; a dry run first writes nothing.
func TestTemplateRoundTrip(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		_, ts, accounts := gujiaoServer(t, db)
		reporter := signInAs(t, accounts, auth.Reporter)
		status, body := do(t, ts.URL, reporter, matrixRequest{method: "GET", path: "/reporting/rounds/1/departments/forestry/template.xlsx"})
		if status != http.StatusOK {
			t.Fatalf("template: %d", status)
		}
		f, err := excelize.OpenReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows("数据")
		if err != nil {
			t.Fatal(err)
		}
		filled := 0
		for r, row := range rows[1:] {
			cell, _ := excelize.CoordinatesToCellName(9, r+2) // I: 本期数值
			switch row[0] {
			case "forest-cover":
				_ = f.SetCellFloat("数据", cell, 19.1, -1, 64)
				filled++
			case "afforestation":
				_ = f.SetCellFloat("数据", cell, 3.4, -1, 64)
				filled++
			}
		}
		if len(rows) != 5 || filled != 2 { // header and forestry's four indicators
			t.Fatalf("template rows = %d, filled %d", len(rows), filled)
		}
		var out bytes.Buffer
		if err := f.Write(&out); err != nil {
			t.Fatal(err)
		}
		f.Close()
		path := "/reporting/rounds/1/departments/forestry/upload"
		status, page := uploadFile(t, ts.URL, reporter, path, "template.xlsx", out.Bytes(), map[string]string{"dry_run": "1"})
		if status != http.StatusOK || !strings.Contains(page, "试导入") {
			t.Fatalf("dry run: %d", status)
		}
		if _, err := db.Value(context.Background(), auth.SystemScope(), "forest-cover", "gujiao", period.MustParse("2021")); err == nil {
			t.Fatal("a dry run wrote a value")
		}
		status, page = uploadFile(t, ts.URL, reporter, path, "template.xlsx", out.Bytes(), nil)
		if status != http.StatusOK || !strings.Contains(page, "已导入") {
			t.Fatalf("import: %d", status)
		}
		for ind, want := range map[string]float64{"forest-cover": 19.1, "afforestation": 3.4} {
			v, err := db.Value(context.Background(), auth.SystemScope(), ind, "gujiao", period.MustParse("2021"))
			if err != nil || v.Number != want || v.Status != indicator.Draft {
				t.Errorf("%s = %+v, %v", ind, v, err)
			}
		}
	})
}
