package excelio

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lantu/lantu/internal/officetest"
)

// newLibreOffice is LibreOffice with a profile of the test's own.
func newLibreOffice(t *testing.T) officetest.LibreOffice { return officetest.New(t) }

// TestLibreOffice opens the template in the real LibreOffice: (a) as CSV,
// it shows what was written, formats included; (b) filled in by
// LibreOffice (through its flat XML format) and saved as .xlsx, it reads
// back with the figures entered.
func TestLibreOffice(t *testing.T) {
	csvLO, fodsLO := newLibreOffice(t), newLibreOffice(t)
	dir := t.TempDir()
	tpl := filepath.Join(dir, "template.xlsx")
	if err := os.WriteFile(tpl, templateBytes(t, sampleTemplate()), 0o600); err != nil {
		t.Fatal(err)
	}
	// The two first conversions run at once, each with its own profile.
	type result struct {
		took time.Duration
		err  error
	}
	csvDone, fodsDone := make(chan result, 1), make(chan result, 1)
	go func() {
		took, err := csvLO.Convert("csv:Text - txt - csv (StarCalc):44,34,76,1", filepath.Join(dir, "csv"), tpl)
		csvDone <- result{took, err}
	}()
	go func() {
		took, err := fodsLO.Convert("fods", filepath.Join(dir, "fods"), tpl)
		fodsDone <- result{took, err}
	}()
	csvRun, fodsRun := <-csvDone, <-fodsDone

	t.Run("CSV", func(t *testing.T) {
		if csvRun.err != nil {
			t.Fatal(csvRun.err)
		}
		t.Logf("soffice xlsx → csv: %v", csvRun.took.Round(time.Millisecond))
		data, err := os.ReadFile(filepath.Join(dir, "csv", "template.csv"))
		if err != nil {
			t.Fatal(err)
		}
		got, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
		if err != nil {
			t.Fatalf("LibreOffice's CSV: %v\n%s", err, data)
		}
		header := make([]string, len(columns))
		for i, c := range columns {
			header[i] = c.zh + "\n" + c.key
		}
		// As LibreOffice shows them: the last value with its period, every
		// number with the row's decimals (31.25 shown to one decimal is 31.3).
		want := [][]string{
			header,
			{"GDP", "地区生产总值", "亿元", "140181", "古交市", "2021Q3", "55.50 (2021Q2)", "120.00", "18.77", ""},
			{"JOBS", "城镇新增就业", "人", "140181", "古交市", "2021Q3", "", "", "", ""},
			{"FOREST", "森林覆盖率", "%", "140181", "古交市", "2021Q3", "30.1 (2020)", "33.0", "31.3", "已审核"},
		}
		if len(got) != len(want) {
			t.Fatalf("LibreOffice shows %d rows, want %d:\n%s", len(got), len(want), data)
		}
		for i := range want {
			for j := range want[i] {
				if j >= len(got[i]) || got[i][j] != want[i][j] {
					t.Errorf("row %d column %d: LibreOffice shows %q, want %q (row: %q)", i+1, j+1, cellOrNone(got[i], j), want[i][j], got[i])
				}
			}
		}
	})

	t.Run("FilledByLibreOffice", func(t *testing.T) {
		if fodsRun.err != nil {
			t.Fatal(fodsRun.err)
		}
		t.Logf("soffice xlsx → fods: %v", fodsRun.took.Round(time.Millisecond))
		flat, err := os.ReadFile(filepath.Join(dir, "fods", "template.fods"))
		if err != nil {
			t.Fatal(err)
		}
		filled, err := fillFODS(string(flat), DataSheet, map[[2]int]fodsCell{
			{2, colValue}: {number: "20.5"},
			{3, colValue}: {number: "1234"},
			{3, colNote}:  {text: "估算值 estimate"},
		})
		if err != nil {
			t.Fatal(err)
		}
		in := filepath.Join(dir, "filled.fods")
		if err := os.WriteFile(in, []byte(filled), 0o600); err != nil {
			t.Fatal(err)
		}
		took, err := fodsLO.Convert("xlsx", filepath.Join(dir, "xlsx"), in)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("soffice fods → xlsx: %v", took.Round(time.Millisecond))
		data, err := os.ReadFile(filepath.Join(dir, "xlsx", "filled.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		got, err := readXLSXBytes(data, DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		want := []Record{
			{Sheet: "数据", Row: 2, Indicator: "GDP", OrgUnit: "140181", Period: "2021Q3", Value: "20.5", ValueCell: "数据!I2"},
			{Sheet: "数据", Row: 3, Indicator: "JOBS", OrgUnit: "140181", Period: "2021Q3", Value: "1234", Note: "估算值 estimate", ValueCell: "数据!I3"},
			{Sheet: "数据", Row: 4, Indicator: "FOREST", OrgUnit: "140181", Period: "2021Q3", Value: "31.25", Note: "已审核", ValueCell: "数据!I4"},
		}
		if d := diffRecords(want, got); d != "" {
			t.Errorf("records (-want +got):\n%s", d)
		}
		stamp, err := ReadStamp(bytes.NewReader(data), int64(len(data)), DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		if want := (Stamp{DepartmentCode: "G01", Period: "2021Q3"}); stamp != want {
			t.Errorf("stamp after LibreOffice = %+v, want %+v", stamp, want)
		}
		if sheet := partText(t, data, "xl/worksheets/sheet1.xml"); !strings.Contains(sheet, "<sheetProtection") {
			t.Error("LibreOffice dropped the sheet protection")
		}
	})
}

func cellOrNone(row []string, i int) string {
	if i < len(row) {
		return row[i]
	}
	return "(none)"
}

// fodsCell is what to put in a cell of a flat ODS: a number or a text.
type fodsCell struct{ number, text string }

var (
	fodsCellStart = regexp.MustCompile(`<table:(?:covered-)?table-cell\b[^>]*>`)
	fodsRepeated  = regexp.MustCompile(`\s*table:number-columns-repeated="(\d+)"`)
	fodsValue     = regexp.MustCompile(`\s*(?:office:value-type|office:value|calcext:value-type)="[^"]*"`)
)

// fillFODS edits the text of a flat ODS as a user would in LibreOffice:
// it puts values in cells of one sheet, keyed by (row, column), 1-based,
// keeping each cell's style (and so its protection and validation). It
// splits cells that LibreOffice wrote as one repeated cell.
func fillFODS(doc, sheet string, cells map[[2]int]fodsCell) (string, error) {
	start := strings.Index(doc, `<table:table table:name="`+sheet+`"`)
	if start < 0 {
		return "", fmt.Errorf("no sheet %s in the flat ODS", sheet)
	}
	end := start + strings.Index(doc[start:], "</table:table>")
	table := doc[start:end]
	var out strings.Builder
	row, pos := 0, 0
	for {
		i := strings.Index(table[pos:], "<table:table-row")
		if i < 0 {
			break
		}
		rowStart := pos + i
		rowEnd := rowStart + strings.Index(table[rowStart:], "</table:table-row>")
		row++
		out.WriteString(table[pos:rowStart])
		out.WriteString(fillFODSRow(table[rowStart:rowEnd], row, cells))
		pos = rowEnd
	}
	out.WriteString(table[pos:])
	for k := range cells {
		if k[0] > row {
			return "", fmt.Errorf("flat ODS has %d rows, no row %d", row, k[0])
		}
	}
	return doc[:start] + out.String() + doc[end:], nil
}

func fillFODSRow(xml string, row int, cells map[[2]int]fodsCell) string {
	var out strings.Builder
	col, pos := 1, 0
	for _, loc := range fodsCellStart.FindAllStringIndex(xml, -1) {
		if loc[0] < pos {
			continue // inside a cell already copied
		}
		tag := xml[loc[0]:loc[1]]
		selfClosing := strings.HasSuffix(tag, "/>")
		cellEnd := loc[1]
		if !selfClosing {
			cellEnd += strings.Index(xml[loc[1]:], "</table:") // the cell's end tag
			cellEnd += strings.Index(xml[cellEnd:], ">") + 1
		}
		n := 1
		if m := fodsRepeated.FindStringSubmatch(tag); m != nil {
			n, _ = strconv.Atoi(m[1])
		}
		// The start tag without its repetition and its end: attributes to
		// copy the cell, and to make a filled cell of the same style.
		attrs := strings.TrimSuffix(strings.TrimSuffix(fodsRepeated.ReplaceAllString(tag, ""), ">"), "/")
		copyCell := func(times int) string {
			rep := ""
			if times > 1 {
				rep = fmt.Sprintf(` table:number-columns-repeated="%d"`, times)
			}
			if selfClosing {
				return attrs + rep + "/>"
			}
			return attrs + rep + ">" + xml[loc[1]:cellEnd]
		}
		out.WriteString(xml[pos:loc[0]])
		for c := col; c < col+n; {
			v, fill := cells[[2]int{row, c}]
			if !fill {
				run := 1 // the cells up to the next one to fill stay as they were
				for c+run < col+n {
					if _, next := cells[[2]int{row, c + run}]; next {
						break
					}
					run++
				}
				out.WriteString(copyCell(run))
				c += run
				continue
			}
			bare := fodsValue.ReplaceAllString(attrs, "")
			if v.number != "" {
				fmt.Fprintf(&out, `%s office:value-type="float" office:value="%s" calcext:value-type="float"><text:p>%s</text:p></table:table-cell>`, bare, v.number, v.number)
			} else {
				fmt.Fprintf(&out, `%s office:value-type="string" calcext:value-type="string"><text:p>%s</text:p></table:table-cell>`, bare, v.text)
			}
			c++
		}
		col += n
		pos = cellEnd
	}
	out.WriteString(xml[pos:])
	return out.String()
}
