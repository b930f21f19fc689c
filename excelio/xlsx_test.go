package excelio

import (
	"bytes"
	"compress/flate"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/xuri/excelize/v2"
)

// deflatedSpaces returns a raw deflate stream of prefix, n MiB of spaces
// and suffix, built from one compressed MiB repeated: a stream that
// inflates to gigabytes costs a few megabytes and no time to make.
func deflatedSpaces(t testing.TB, prefix string, mib int, suffix string) []byte {
	t.Helper()
	chunk := func(s []byte, last bool) []byte {
		var buf bytes.Buffer
		w, err := flate.NewWriter(&buf, flate.BestCompression)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(s); err != nil {
			t.Fatal(err)
		}
		// Flush ends the blocks without the final bit and with no
		// reference before the chunk: chunks can be concatenated.
		if last {
			err = w.Close()
		} else {
			err = w.Flush()
		}
		if err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	spaces := chunk(bytes.Repeat([]byte(" "), 1<<20), false)
	out := chunk([]byte(prefix), false)
	for range mib {
		out = append(out, spaces...)
	}
	return append(out, chunk([]byte(suffix), true)...)
}

const sheetStart = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
const sheetEnd = `</sheetData></worksheet>`

// dataWorkbook is a small valid upload whose sheet 数据 has the header
// and one row; its sheet XML is xl/worksheets/sheet1.xml.
func dataWorkbook(t testing.TB) []byte {
	return workbook(t, DataSheet, rowsOf(DataSheet,
		[]any{"指标编码", "地区编码", "期别", "本期数值"},
		[]any{"GDP", "140181", "2021", 18.77}))
}

func TestReadXLSXRefuses(t *testing.T) {
	bombSheet := func(declared func(actual uint64) uint64, mib int) func(t *testing.T) []byte {
		return func(t *testing.T) []byte {
			deflated := deflatedSpaces(t, sheetStart, mib, sheetEnd)
			actual := uint64(len(sheetStart)+len(sheetEnd)) + uint64(mib)<<20
			return replaceParts(t, dataWorkbook(t), nil, map[string]rawPart{
				"xl/worksheets/sheet1.xml": {deflated: deflated, declaredLength: declared(actual)}})
		}
	}
	honest := func(actual uint64) uint64 { return actual }
	lying := func(uint64) uint64 { return 1000 }
	tests := []struct {
		name  string
		file  func(t *testing.T) []byte
		lim   Limits
		where string
		zh    string
	}{
		{"ZipBomb4GiB", bombSheet(honest, 4096), Limits{}, "XLSX", "解压后超过 200 MiB"},
		{"ZipBombLyingSize", bombSheet(lying, 4096), Limits{}, "数据", "文件已损坏"},
		{"ZipBombRatio", bombSheet(honest, 100), Limits{}, "XLSX", "压缩比异常"},
		{"TooBig", func(t *testing.T) []byte { return dataWorkbook(t) }, Limits{MaxFileBytes: 1000}, "XLSX", "超过上限 1000 B"},
		{"TooManyEntries", func(t *testing.T) []byte {
			extra := map[string]string{}
			for i := range 1000 {
				extra[fmt.Sprintf("xl/media/image%d.png", i)] = "x"
			}
			return replaceParts(t, dataWorkbook(t), extra, nil)
		}, Limits{}, "XLSX", "条目超过 1000 个"},
		{"NotAZip", func(*testing.T) []byte {
			return []byte("指标编码,地区编码,期别,本期数值\nGDP,140181,2021,1\n")
		}, Limits{}, "XLSX", "不是有效的 .xlsx 文件"},
		{"OldXLS", func(*testing.T) []byte {
			return append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...)
		}, Limits{}, "XLSX", "旧版 .xls"},
		{"NoDataSheet", func(t *testing.T) []byte {
			return workbook(t, "Sheet1", rowsOf("Sheet1", []any{"姓名", "电话"}, []any{"张三", "123"}))
		}, Limits{}, "XLSX", "找不到数据工作表"},
		{"MissingColumn", func(t *testing.T) []byte {
			return workbook(t, DataSheet, rowsOf(DataSheet, []any{"指标编码", "地区编码", "本期数值"}, []any{"GDP", "140181", 1}))
		}, Limits{}, "数据!1:1", "表头缺少必填列：期别"},
		{"DuplicateColumn", func(t *testing.T) []byte {
			return workbook(t, DataSheet, rowsOf(DataSheet, []any{"指标编码", "地区编码", "期别", "本期数值", "value"}, []any{"GDP", "140181", "2021", 1, 2}))
		}, Limits{}, "数据!1:1", "「本期数值」列出现了两次（数据!D1 和 数据!E1）"},
		{"Formula", func(t *testing.T) []byte {
			return workbook(t, DataSheet, func(f *excelize.File) error {
				if err := rowsOf(DataSheet, []any{"指标编码", "地区编码", "期别", "本期数值"},
					[]any{"GDP", "140181", "2021", 1}, []any{"JOBS", "140181", "2021"})(f); err != nil {
					return err
				}
				return f.SetCellFormula(DataSheet, "D3", "=D2*2")
			})
		}, Limits{}, "数据!D3", "单元格含公式，请粘贴为数值"},
		{"TooManyRows", func(t *testing.T) []byte {
			rows := [][]any{{"指标编码", "地区编码", "期别", "本期数值"}}
			for i := range 9 {
				rows = append(rows, []any{"GDP", "140181", fmt.Sprint(2011 + i), i})
			}
			return workbook(t, DataSheet, rowsOf(DataSheet, rows...))
		}, Limits{MaxRows: 5}, "数据!6:6", "行数超过 5 行的上限"},
		{"NoRows", func(t *testing.T) []byte {
			return workbook(t, DataSheet, rowsOf(DataSheet, []any{"指标编码", "地区编码", "期别", "本期数值"}))
		}, Limits{}, "数据", "表头下面没有数据行"},
		{"EmptySheet", func(t *testing.T) []byte { return workbook(t, DataSheet, rowsOf(DataSheet)) }, Limits{}, "数据", "是空的"},
		{"DamagedSheetXML", func(t *testing.T) []byte {
			return replaceParts(t, dataWorkbook(t), map[string]string{"xl/worksheets/sheet1.xml": sheetStart + "<row><c><v>1</v>"}, nil)
		}, Limits{}, "数据", "文件已损坏"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := tt.file(t)
			_, err := readXLSXBytes(data, tt.lim)
			wantProblem(t, err, tt.where, tt.zh)
		})
	}
}

// TestZipBombCheap checks that a bomb is refused before anything inflates:
// quickly, and with little memory.
func TestZipBombCheap(t *testing.T) {
	deflated := deflatedSpaces(t, sheetStart, 8192, sheetEnd) // 8 GiB of spaces in ~8 MB
	for _, declared := range []uint64{8 << 30, 1000} {
		t.Run(fmt.Sprintf("Declared%d", declared), func(t *testing.T) {
			data := replaceParts(t, dataWorkbook(t), nil, map[string]rawPart{
				"xl/worksheets/sheet1.xml": {deflated: deflated, declaredLength: declared}})
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			_, err := readXLSXBytes(data, DefaultLimits())
			took := time.Since(start)
			runtime.ReadMemStats(&after)
			if err == nil {
				t.Fatal("bomb read without error")
			}
			grew := after.TotalAlloc - before.TotalAlloc
			t.Logf("%d-byte bomb refused in %v, %d KiB allocated: %v", len(data), took, grew>>10, err)
			// The honest bomb costs a scan of the file. The lying one passes
			// the directory checks, and excelize copies the file (8 MB)
			// before archive/zip stops at the declared size: tens of
			// megabytes at most (more under -race), against 8 GiB inflated.
			if grew > 64<<20 {
				t.Errorf("allocated %d MiB refusing the bomb, want under 64 MiB", grew>>20)
			}
			if took > 2*time.Second {
				t.Errorf("took %v refusing the bomb", took)
			}
		})
	}
}

func TestReadXLSXWideSheet(t *testing.T) {
	for _, withRefs := range []bool{false, true} {
		t.Run(fmt.Sprintf("Refs%v", withRefs), func(t *testing.T) {
			var row strings.Builder
			row.WriteString(`<row r="1">`)
			for i := range 200_000 {
				if withRefs {
					// Past XFD, Excel's last column: excelize would refuse
					// the reference; the scan counts it as wide.
					fmt.Fprintf(&row, `<c r="%s1"><v>%d</v></c>`, columnName(i+1), i)
				} else {
					fmt.Fprintf(&row, `<c><v>%d</v></c>`, i)
				}
			}
			row.WriteString(`</row>`)
			data := replaceParts(t, dataWorkbook(t), map[string]string{"xl/worksheets/sheet1.xml": sheetStart + row.String() + sheetEnd}, nil)
			start := time.Now()
			_, err := readXLSXBytes(data, DefaultLimits())
			took := time.Since(start)
			wantProblem(t, err, "数据!AY1", "第 1 行超出了 50 列的上限")
			t.Logf("200,000 columns refused in %v", took)
			if took > 2*time.Second {
				t.Errorf("took %v refusing a wide sheet", took)
			}
		})
	}
}

// columnName names a column the spreadsheet way, past XFD too.
func columnName(n int) string {
	s := ""
	for ; n > 0; n = (n - 1) / 26 {
		s = string(rune('A'+(n-1)%26)) + s
	}
	return s
}

func TestReadXLSX(t *testing.T) {
	tests := []struct {
		name string
		file func(t *testing.T) []byte
		want []Record
	}{
		{"AnySheetEnglishHeaderAnyOrder", func(t *testing.T) []byte {
			f := excelize.NewFile()
			defer f.Close()
			if _, err := f.NewSheet("Data"); err != nil {
				t.Fatal(err)
			}
			rows := [][]any{
				{"  VALUE ", "Note", "Period", "Org Unit", "Indicator", "unit"},
				{18.77, "初步", "2021Q3", "140181", "GDP", "亿元"},
			}
			if err := rowsOf("Sheet1", []any{"封面 cover"})(f); err != nil {
				t.Fatal(err)
			}
			if err := rowsOf("Data", rows...)(f); err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if _, err := f.WriteTo(&buf); err != nil {
				t.Fatal(err)
			}
			return buf.Bytes()
		}, []Record{{Sheet: "Data", Row: 2, Indicator: "GDP", OrgUnit: "140181", Period: "2021Q3", Value: "18.77", Note: "初步", ValueCell: "Data!A2"}}},
		{"RawNumbersFullWidthEmptyRowsDuplicates", func(t *testing.T) []byte {
			return workbook(t, DataSheet, func(f *excelize.File) error {
				err := rowsOf(DataSheet,
					[]any{"指标编码 indicator", "地区编码（org_unit）", "期别\nperiod", "本期数值 / value", "说明"},
					[]any{"GDP", "140181", "2021", 18.77, " 说明，保留中文标点。 "},
					[]any{},
					[]any{"ＧＤＰ", "１４０１８１", "２０２１", "１８．７７"},
					[]any{"JOBS", "140181", "2021", nil, "暂缺"},
					[]any{"JOBS", "140181", "2021", "1,000"},
				)(f)
				if err != nil {
					return err
				}
				// Shown as "18.8": read as stored.
				oneDecimal := "0.0"
				style, err := f.NewStyle(&excelize.Style{CustomNumFmt: &oneDecimal})
				if err != nil {
					return err
				}
				return f.SetCellStyle(DataSheet, "D2", "D2", style)
			})
		}, []Record{
			{Sheet: "数据", Row: 2, Indicator: "GDP", OrgUnit: "140181", Period: "2021", Value: "18.77", Note: "说明，保留中文标点。", ValueCell: "数据!D2"},
			{Sheet: "数据", Row: 4, Indicator: "GDP", OrgUnit: "140181", Period: "2021", Value: "18.77", ValueCell: "数据!D4"},
			{Sheet: "数据", Row: 5, Indicator: "JOBS", OrgUnit: "140181", Period: "2021", Value: "", Note: "暂缺", ValueCell: "数据!D5"},
			{Sheet: "数据", Row: 6, Indicator: "JOBS", OrgUnit: "140181", Period: "2021", Value: "1,000", ValueCell: "数据!D6"},
		}},
		{"SheetNameQuoted", func(t *testing.T) []byte {
			return workbook(t, "My data", rowsOf("My data", []any{"indicator", "org_unit", "period", "value"}, []any{"GDP", "140181", "2021", 1}))
		}, []Record{{Sheet: "My data", Row: 2, Indicator: "GDP", OrgUnit: "140181", Period: "2021", Value: "1", ValueCell: "'My data'!D2"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readXLSXBytes(tt.file(t), DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			if d := diffRecords(tt.want, got); d != "" {
				t.Errorf("records (-want +got):\n%s", d)
			}
		})
	}
}

func TestReadDispatch(t *testing.T) {
	xlsx := dataWorkbook(t)
	csvData := []byte("indicator,org_unit,period,value\nGDP,140181,2021,18.77\n")
	tests := []struct {
		name  string
		data  []byte
		cell  string // of the first record; "" when refused
		where string
		zh    string
	}{
		{`C:\Users\张三\Desktop\报表.XLSX`, xlsx, "数据!D2", "", ""},
		{"values.csv", csvData, "values.csv:2", "", ""},
		{"values.xls", xlsx, "", "values.xls", "不支持 .xls 文件"},
		{"values.txt", csvData, "", "values.txt", "不支持的文件类型"},
		{"values.csv", xlsx, "", "values.csv", "这是 .xlsx 文件"},
		{"values.xlsx", csvData, "", "values.xlsx", "不是有效的 .xlsx 文件"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Read(tt.name, bytes.NewReader(tt.data), int64(len(tt.data)), DefaultLimits())
			if tt.cell == "" {
				wantProblem(t, err, tt.where, tt.zh)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got[0].ValueCell != tt.cell || got[0].Value != "18.77" {
				t.Errorf("first record = %+v, want value 18.77 at %s", got[0], tt.cell)
			}
		})
	}
}

func TestProblemsError(t *testing.T) {
	ps := Problems{{Where: "数据!I7", ZH: "单元格含公式", EN: "the cell holds a formula"}, {ZH: "另有 3 个问题", EN: "3 more"}}
	want := "数据!I7：单元格含公式 (the cell holds a formula)\n另有 3 个问题 (3 more)"
	if ps.Error() != want {
		t.Errorf("Error() = %q, want %q", ps.Error(), want)
	}
	var err error = ps
	if got, want := apperr.Message(err, "en"), "数据!I7: the cell holds a formula\n3 more"; got != want {
		t.Errorf("apperr.Message(en) = %q, want %q", got, want)
	}
	if got, want := apperr.Message(err, "zh"), "数据!I7：单元格含公式\n另有 3 个问题"; got != want {
		t.Errorf("apperr.Message(zh) = %q, want %q", got, want)
	}
	var many problems
	for i := range maxProblems + 5 {
		many.add(fmt.Sprint(i), "坏", "bad")
	}
	capped := many.err().(Problems)
	if len(capped) != maxProblems+1 || capped[maxProblems].ZH != "另有 5 个问题未列出" {
		t.Errorf("capped problems end with %+v, want a count of 5 more", capped[len(capped)-1])
	}
	var none problems
	if none.err() != nil {
		t.Error("no problems gave a non-nil error")
	}
}
