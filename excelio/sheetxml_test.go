package excelio

import (
	"archive/zip"
	"bytes"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

const mainNS = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`

// sheetXML wraps rows in a worksheet, with what surrounds the sheet data
// in real files.
func sheetXML(rows string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n" +
		`<worksheet ` + mainNS + ` xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
		`<dimension ref="A1:J9"/><sheetViews><sheetView workbookViewId="0"/></sheetViews>` +
		`<sheetFormatPr defaultRowHeight="15"/><cols><col min="1" max="1" width="14" customWidth="1"/></cols>` +
		`<sheetData>` + rows + `</sheetData>` +
		`<mergeCells count="1"><mergeCell ref="H1:I1"/></mergeCells>` +
		`<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>` +
		`<extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}" xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">` +
		`<x14:conditionalFormattings><x14:conditionalFormatting><xm:sqref xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">A1</xm:sqref>` +
		`</x14:conditionalFormatting></x14:conditionalFormattings></ext></extLst></worksheet>`
}

func sstXML(items ...string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><sst ` + mainNS + fmt.Sprintf(` count="%d" uniqueCount="%d">`, len(items), len(items)) +
		strings.Join(items, "") + `</sst>`
}

// scannedRow is a row with content as the sheet reader gives it.
type scannedRow struct {
	Row   int
	Cells []string
}

// scanRows reads a worksheet's XML with the sheet reader, with sst as the
// shared strings ("" for none), keeping every value.
func scanRows(t *testing.T, sheet, sst string, lim Limits) ([]scannedRow, sheetScan, error) {
	t.Helper()
	strs := &sharedStrings{}
	if sst != "" {
		var err error
		if strs, err = parseSharedStrings(strings.NewReader(sst)); err != nil {
			t.Fatalf("shared strings: %v", err)
		}
	}
	sr := newSheetReader(DataSheet, strings.NewReader(sheet), strs, lim.orDefault())
	var rows []scannedRow
	for {
		ok, err := sr.nextRow()
		if err != nil || !ok {
			return rows, sr.scan, err
		}
		rows = append(rows, scannedRow{sr.row, append([]string(nil), sr.cells...)})
	}
}

func diffRows(want, got []scannedRow) string {
	var b strings.Builder
	for i := range max(len(want), len(got)) {
		var w, g string
		if i < len(want) {
			w = fmt.Sprintf("%d %q", want[i].Row, want[i].Cells)
		}
		if i < len(got) {
			g = fmt.Sprintf("%d %q", got[i].Row, got[i].Cells)
		}
		if w != g {
			fmt.Fprintf(&b, "-%s\n+%s\n", w, g)
		}
	}
	return b.String()
}

// TestSheetReaderValues reads hand-written worksheets holding what Excel,
// WPS, LibreOffice and excelize write, with the values worked out by hand.
func TestSheetReaderValues(t *testing.T) {
	sst := sstXML(
		`<si><t>plain</t></si>`,
		`<si><r><rPr><b/><sz val="11"/></rPr><t>rich </t></r><r><t xml:space="preserve">text</t></r></si>`,
		`<si><t>日本</t><rPh sb="0" eb="2"><t>にほん</t></rPh><phoneticPr fontId="1"/></si>`,
		"<si><t>line_x000D_\nbreak _x005F_x000D_ _x0041__xD800_</t></si>",
		`<si><t/></si>`,
		`<x:si xmlns:x="urn:x"><x:t>&lt;prefixed&gt;</x:t></x:si>`,
	)
	tests := []struct {
		name string
		rows string
		want []scannedRow
	}{
		{"PrefixesAndQuotes",
			`<x:row r="1" spans="1:3" xmlns:x="urn:x"><x:c r="A1" t="inlineStr"><x:is><x:t>a</x:t></x:is></x:c>` +
				`<x:c t='n' r='C1' s='2'><x:v>1.5</x:v></x:c><x:c s="3" r="D1" t="s" ><x:v>0</x:v></x:c></x:row>`,
			[]scannedRow{{1, []string{"a", "", "1.5", "plain"}}}},
		{"SelfClosingAndPositional",
			`<row r="2"><c r="A2" s="1"/><c><v>x</v></c><c r="E2"><v>5</v></c><c><v>6</v></c></row>` +
				`<row><c><v>7</v></c></row><row r="5" s="3" customFormat="1"/>` +
				`<row><c t="inlineStr"><is><t>r6</t></is></c></row><row r="8" spans="1:2"/>`,
			[]scannedRow{{2, []string{"", "x", "", "", "5", "6"}}, {3, []string{"7"}}, {6, []string{"r6"}}}},
		{"SharedStrings",
			`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v> 2 </v></c>` +
				`<c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c><c r="F1" t="s"><v>5</v></c></row>`,
			[]scannedRow{{1, []string{"plain", "rich text", "日本", "line\r\nbreak _x000D_ A", "", "<prefixed>"}}}},
		{"TypesAsStored",
			`<row r="2"><c r="A2" t="str"><v>_x000D_kept</v></c><c r="B2" t="b"><v>1</v></c><c r="C2" t="e"><v>#N/A</v></c>` +
				`<c r="D2" t="d"><v>2021-09-30T00:00:00Z</v></c><c r="E2" t="n"><v>1.8770000000000001E1</v></c>` +
				`<c r="F2" s="4"><v>18.770000000000003</v></c><c r="G2" t="inlineStr"><v>v only</v></c>` +
				`<c r="H2" t="e" vm="1"><v>#VALUE!</v></c><c r="I2" t="n"><v>` + "\n  7\n" + `</v></c></row>`,
			[]scannedRow{{2, []string{"_x000D_kept", "1", "#N/A", "2021-09-30T00:00:00Z", "1.8770000000000001E1",
				"18.770000000000003", "v only", "#VALUE!", "\n  7\n"}}}},
		{"InlineStrings",
			`<row r="3"><c r="A3" t="inlineStr"><is><t xml:space="preserve">  padded  </t></is></c>` +
				`<c r="B3" t="inlineStr"><is><r><t>ri</t></r><r><rPr><i/></rPr><t>ch</t></r><rPh sb="0" eb="1"><t>ignored</t></rPh></is></c>` +
				`<c r="C3" t="inlineStr"><is><t><![CDATA[<b>&amp;</b>]]></t></is></c>` +
				`<c r="D3" t="inlineStr"><is><t>_x0009_tab</t></is></c>` +
				`<c r="E3" t="inlineStr"><v>ignored</v><is><t>is wins</t></is></c></row>`,
			[]scannedRow{{3, []string{"  padded  ", "rich", "<b>&amp;</b>", "\ttab", "is wins"}}}},
		{"References",
			"<row r=\"4\"><c r=\"A4\" t=\"inlineStr\"><is><t>&amp;&lt;&gt;&quot;&apos;&#20013;&#x6587;&#x1F600;&#0000065;</t></is></c>" +
				`<c r="B4"><v>&#49;8.77</v></c>` +
				"<c r=\"C4\" t=\"inlineStr\"><is><t>a\r\nb\rc\n</t></is></c>" +
				`<c r="D4" t="inlineStr"><is><t>x&#13;y&#xD800;</t></is></c><c r="&#69;4"><v>e</v></c></row>`,
			[]scannedRow{{4, []string{"&<>\"'中文😀A", "18.77", "a\nb\nc\n", "x\ry\uFFFD", "e"}}}},
		{"Formulas",
			`<row r="5"><c r="A5"><f>1+1</f><v>2</v></c><c r="B5"><f t="shared" ref="B5:B6" si="0">A5*2</f><v>4</v></c></row>` +
				`<row r="6"><c r="B6"><f t="shared" si="0"/><v>8</v></c><c r="C6"><f>A1</f></c></row>` +
				`<row r="7"><c r="A7" t="str"><f>""</f><v></v></c></row>`,
			[]scannedRow{{5, []string{"2", "4"}}, {6, []string{"", "8"}}, {7, nil}}},
		{"SkippedMarkup",
			`<row r="7" x14ac:dyDescent="0.25" xmlns:x14ac="urn:x14ac"><!-- a <c> in a comment --><c r="A7"><v>1</v>` +
				`<extLst><ext uri="x"><foo>bar</foo></ext></extLst></c><?pi <c>?>` +
				`<c r="B7" t="inlineStr"><is><t>b</t></is></c></row>`,
			[]scannedRow{{7, []string{"1", "b"}}}},
		{"BlankCellsAndRows",
			`<row r="8"><c r="A8" t="inlineStr"><is><t>   </t></is></c><c r="B8" s="1"/><c r="C8" t="inlineStr"><is><t>` +
				"\u3000" + `</t></is></c></row><row r="9"><c r="B9" t="inlineStr"><is><t> x </t></is></c><c r="C9"><v> </v></c></row>`,
			[]scannedRow{{9, []string{"", " x "}}}},
		{"Unsorted cells",
			`<row r="1"><c r="C1"><v>3</v></c><c r="A1"><v>1</v></c><c><v>2</v></c><c r="B1"><v>b</v></c></row>`,
			[]scannedRow{{1, []string{"1", "b", "3"}}}},
	}
	for _, tt := range tests {
		t.Run(strings.ReplaceAll(tt.name, " ", ""), func(t *testing.T) {
			got, _, err := scanRows(t, sheetXML(tt.rows), sst, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if d := diffRows(tt.want, got); d != "" {
				t.Errorf("rows (-want +got):\n%s", d)
			}
		})
	}
}

func TestSheetReaderFormulas(t *testing.T) {
	_, scan, err := scanRows(t, sheetXML(
		`<row r="5"><c r="A5"><f>1+1</f><v>2</v></c><c r="B5"><f t="shared" ref="B5:B6" si="0">A5*2</f><v>4</v></c></row>`+
			`<row r="6"><c r="B6"><f t="shared" si="0"/><v>8</v></c><c r="C6"><f>A1</f></c><c r="D6"><v>1</v></c></row>`), "", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want := sheetScan{formulas: map[int][]int{1: {5}, 2: {5, 6}, 3: {6}}, formulaCount: map[int]int{1: 1, 2: 2, 3: 1}}
	if !reflect.DeepEqual(scan, want) {
		t.Errorf("formulas = %+v, want %+v", scan, want)
	}
}

func TestSheetReaderLimits(t *testing.T) {
	tests := []struct {
		name  string
		rows  string
		lim   Limits
		where string
		zh    string
	}{
		{"WideContent", `<row r="1"><c r="C1"><v>1</v></c><c r="D1"><v>2</v></c></row>`,
			Limits{MaxCols: 3}, "数据!D1", "第 1 行超出了 3 列的上限"},
		{"WideFormulaWithoutValue", `<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="D2"><f>A1</f></c></row>`,
			Limits{MaxCols: 3}, "数据!D2", "第 2 行超出了 3 列的上限"},
		{"WidePositional", `<row r="1"><c><v>1</v></c><c/><c/><c><v>4</v></c></row>`,
			Limits{MaxCols: 3}, "数据!D1", "超出了 3 列的上限"},
		{"TooManyRows", `<row r="1"><c><v>1</v></c></row><row r="2"><c><v>1</v></c></row><row r="3"><c s="1"/></row>` +
			`<row r="4"><c><v>1</v></c></row>`, Limits{MaxRows: 2}, "数据!4:4", "行数超过 2 行的上限"},
		{"RowPastLimit", `<row r="1"><c><v>1</v></c></row><row r="5"><c><v>1</v></c></row>`,
			Limits{MaxRows: 2}, "数据!5:5", "行数超过 2 行的上限"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := scanRows(t, sheetXML(tt.rows), "", tt.lim)
			wantProblem(t, err, tt.where, tt.zh)
		})
	}
	t.Run("BlankBeyondLimitsIsFine", func(t *testing.T) {
		rows, _, err := scanRows(t, sheetXML(`<row r="1"><c r="A1"><v>1</v></c><c r="Z1" s="1"/><c r="AA1" t="inlineStr"><is><t> </t></is></c></row>`+
			`<row r="9"><c r="A9" s="2"/></row>`), "", Limits{MaxCols: 3, MaxRows: 2})
		if err != nil || len(rows) != 1 {
			t.Errorf("got %v, %v; want one row", rows, err)
		}
	})
}

func TestSheetReaderDamaged(t *testing.T) {
	sst := sstXML(`<si><t>only</t></si>`)
	tests := []struct{ name, sheet, where string }{
		{"Truncated", sheetXML(`<row r="1"><c><v>1</v></c></row>`)[:200], "数据"},
		{"NoRoot", ``, "数据"},
		{"MismatchedTags", sheetXML(`<row r="1"><c><v>1</v></row>`), "数据"},
		{"PrefixMismatch", sheetXML(`<x:row r="1"></row>`), "数据"},
		{"UnquotedAttribute", sheetXML(`<row r=1><c><v>1</v></c></row>`), "数据"},
		{"LessThanInAttribute", sheetXML(`<row r="1<"><c><v>1</v></c></row>`), "数据"},
		{"UnknownEntity", sheetXML(`<row r="1"><c t="inlineStr"><is><t>&nbsp;</t></is></c></row>`), "数据"},
		{"UppercaseHexReference", sheetXML(`<row r="1"><c t="inlineStr"><is><t>&#X41;</t></is></c></row>`), "数据"},
		{"EntityWithoutSemicolon", sheetXML(`<row r="1"><c><v>&amp</v></c></row>`), "数据"},
		{"ControlReference", sheetXML(`<row r="1"><c><v>&#1;</v></c></row>`), "数据"},
		{"ReferenceTooLarge", sheetXML(`<row r="1"><c><v>&#x110000;</v></c></row>`), "数据"},
		{"RawControl", sheetXML("<row r=\"1\"><c><v>1\x01</v></c></row>"), "数据"},
		{"InvalidUTF8", sheetXML("<row r=\"1\"><c t=\"inlineStr\"><is><t>\xff</t></is></c></row>"), "数据"},
		{"RowsOutOfOrder", sheetXML(`<row r="2"><c><v>1</v></c></row><row r="1"><c><v>1</v></c></row>`), "数据"},
		{"RowZero", sheetXML(`<row r="0"><c><v>1</v></c></row>`), "数据"},
		{"RowPastExcel", sheetXML(`<row r="1048577"><c><v>1</v></c></row>`), "数据"},
		{"RowNotANumber", sheetXML(`<row r="x"><c><v>1</v></c></row>`), "数据"},
		{"CellReferenceWithoutRow", sheetXML(`<row r="1"><c r="A"><v>1</v></c></row>`), "数据"},
		{"CellReferenceBackwards", sheetXML(`<row r="1"><c r="1A"><v>1</v></c></row>`), "数据"},
		{"SharedStringOutOfRange", sheetXML(`<row r="1"><c t="s"><v>1</v></c></row>`), "数据!1:1"},
		{"SharedStringNotANumber", sheetXML(`<row r="1"><c t="s"><v>x</v></c></row>`), "数据!1:1"},
		{"DTD", `<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "b">]><worksheet ` + mainNS + `><sheetData/></worksheet>`, "数据"},
		{"OtherEncoding", strings.Replace(sheetXML(`<row r="1"><c><v>1</v></c></row>`), "UTF-8", "GB18030", 1), "数据"},
		{"UnclosedComment", sheetXML(`<!-- `), "数据"},
		{"UnclosedCDATA", sheetXML(`<row r="1"><c t="inlineStr"><is><t><![CDATA[x`), "数据"},
		{"EmptyName", sheetXML(`<row r="1"><></row>`), "数据"},
		{"TwoColons", sheetXML(`<x:y:row r="1"></x:y:row>`), "数据"},
		{"TooDeep", sheetXML(strings.Repeat("<a>", 300) + strings.Repeat("</a>", 300)), "数据"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := scanRows(t, tt.sheet, sst, Limits{})
			wantProblem(t, err, tt.where, "文件已损坏")
		})
	}
}

// TestSheetReaderLongText reads long values through a part that comes a
// byte at a time, so that the tokeniser hands text over in pieces cut at
// every offset of the pattern: no entity, CR LF or character may be split.
func TestSheetReaderLongText(t *testing.T) {
	const pattern, decoded = "a&amp;\r\n中&#x1F600;\r", "a&\n中😀\n"
	for offset := range len(pattern) {
		raw := strings.Repeat("x", offset) + strings.Repeat(pattern, 50_000/len(pattern))
		want := strings.Repeat("x", offset) + strings.Repeat(decoded, 50_000/len(pattern))
		sheet := sheetXML(`<row r="1"><c t="inlineStr"><is><t>` + raw + `</t></is></c><c><v>` + raw + `</v></c></row>`)
		sr := newSheetReader(DataSheet, iotest.OneByteReader(strings.NewReader(sheet)), &sharedStrings{}, DefaultLimits())
		ok, err := sr.nextRow()
		if err != nil || !ok {
			t.Fatalf("offset %d: %v, %v", offset, ok, err)
		}
		if len(sr.cells) != 2 || sr.cells[0] != want || sr.cells[1] != want {
			t.Fatalf("offset %d: the long values do not read back", offset)
		}
	}
}

func TestSharedStringsDamaged(t *testing.T) {
	for _, sst := range []string{
		sstXML(`<si><t>a</t></si>`)[:60],
		sstXML(`<si><t>&bad;</t></si>`),
		sstXML(`<si><t>a</si></t>`),
	} {
		data := handWorkbook(t, sst, [2]string{DataSheet, sheetXML(``)})
		_, err := readXLSXBytes(data, DefaultLimits())
		wantProblem(t, err, "XLSX", "文件已损坏")
	}
}

// handWorkbook zips a workbook by hand: sheets as {name, worksheet XML}
// in order, and the shared strings unless sst is "".
func handWorkbook(t testing.TB, sst string, sheets ...[2]string) []byte {
	t.Helper()
	var book, rels, types strings.Builder
	book.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook ` + mainNS +
		` xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>`)
	rels.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	types.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>`)
	parts := map[string]string{}
	for i, s := range sheets {
		fmt.Fprintf(&book, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, s[0], i+1, i+1)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, i+1, i+1)
		fmt.Fprintf(&types, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, i+1)
		parts[fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1)] = s[1]
	}
	if sst != "" {
		rels.WriteString(`<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="/xl/strings.xml"/>`)
		types.WriteString(`<Override PartName="/xl/strings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>`)
		parts["xl/strings.xml"] = sst
	}
	book.WriteString(`</sheets></workbook>`)
	rels.WriteString(`</Relationships>`)
	types.WriteString(`</Types>`)
	parts["[Content_Types].xml"] = types.String()
	parts["_rels/.rels"] = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`
	parts["xl/workbook.xml"] = book.String()
	parts["xl/_rels/workbook.xml.rels"] = rels.String()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"} {
		writePart(t, zw, name, parts[name])
		delete(parts, name)
	}
	for i := range sheets {
		name := fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1)
		writePart(t, zw, name, parts[name])
	}
	if sst != "" {
		writePart(t, zw, "xl/strings.xml", sst)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func writePart(t testing.TB, zw *zip.Writer, name, text string) {
	t.Helper()
	w, err := zw.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte(text)); err != nil {
		t.Fatal(err)
	}
}

// handSST and handSheets make a workbook such as WPS writes: prefixed
// elements, shared strings found through the relationships under another
// name, a cover sheet before the data sheet.
const handSST = `<?xml version="1.0" encoding="UTF-8"?><x:sst xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
	`<x:si><x:t>指标编码</x:t></x:si><x:si><x:t>地区编码</x:t></x:si><x:si><x:r><x:t>期</x:t></x:r><x:r><x:t>别</x:t></x:r></x:si>` +
	`<x:si><x:t>本期数值</x:t></x:si><x:si><x:t>GDP</x:t></x:si><x:si><x:t>140181</x:t></x:si><x:si><x:t>2021Q3</x:t></x:si>` +
	`<x:si><x:t xml:space="preserve"> 说明 </x:t></x:si><x:si><x:t>封面 cover</x:t></x:si></x:sst>`

func handSheets() [][2]string {
	return [][2]string{
		{"封面", sheetXML(`<row r="1"><c r="A1" t="s"><v>8</v></c></row>`)},
		{"Data", `<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>` +
			`<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="s"><x:v>1</x:v></x:c><x:c r="C1" t="s"><x:v>2</x:v></x:c>` +
			`<x:c r="D1" t="s"><x:v>3</x:v></x:c><x:c r="E1" t="inlineStr"><x:is><x:t>note</x:t></x:is></x:c></x:row>` +
			`<x:row r="2"><x:c r="A2" t="s"><x:v>4</x:v></x:c><x:c r="B2" t="s"><x:v>5</x:v></x:c><x:c r="C2" t="s"><x:v>6</x:v></x:c>` +
			`<x:c r="D2"><x:v>1.8770000000000001E1</x:v></x:c><x:c r="E2" t="s"><x:v>7</x:v></x:c></x:row>` +
			`<x:row r="4"><x:c r="A4" t="inlineStr"><x:is><x:t>ＧＤＰ</x:t></x:is></x:c><x:c t="str"><x:v>140181</x:v></x:c>` +
			`<x:c t="inlineStr"><x:is><x:t>2021Q3</x:t></x:is></x:c><x:c t="n"><x:v>18.770000000000003</x:v></x:c></x:row>` +
			`</x:sheetData></x:worksheet>`},
	}
}

func TestReadXLSXHandWritten(t *testing.T) {
	data := handWorkbook(t, handSST, handSheets()...)
	got, err := readXLSXBytes(data, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	want := []Record{
		{Sheet: "Data", Row: 2, Indicator: "GDP", OrgUnit: "140181", Period: "2021Q3", Value: "1.8770000000000001E1", Note: "说明", ValueCell: "Data!D2"},
		{Sheet: "Data", Row: 4, Indicator: "GDP", OrgUnit: "140181", Period: "2021Q3", Value: "18.770000000000003", ValueCell: "Data!D4"},
	}
	if d := diffRecords(want, got); d != "" {
		t.Errorf("records (-want +got):\n%s", d)
	}
}

// TestReadXLSXTruncated cuts the data sheet and the shared strings at
// every byte: each is refused as damaged.
func TestReadXLSXTruncated(t *testing.T) {
	sheets := handSheets()
	sheets[1][0] = DataSheet
	sheet := sheets[1][1]
	for n := range len(sheet) {
		cut := append([][2]string(nil), sheets...)
		cut[1][1] = sheet[:n]
		_, err := readXLSXBytes(handWorkbook(t, handSST, cut...), DefaultLimits())
		wantProblem(t, err, DataSheet, "文件已损坏")
	}
	for n := range len(handSST) {
		_, err := readXLSXBytes(handWorkbook(t, handSST[:n], sheets...), DefaultLimits())
		if n == 0 {
			// An empty part is an empty table, as excelize took it: the
			// cells then refer to strings there are not.
			wantProblem(t, err, "数据!1:1", "文件已损坏")
			continue
		}
		wantProblem(t, err, "XLSX", "文件已损坏")
	}
}

// TestReadXLSXGarbled damages the parts at random: a damaged file may read
// (a changed value is still a value) or be refused, but must never panic,
// hang, or fail with anything but Problems.
func TestReadXLSXGarbled(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	sheets := handSheets()
	const junk = `<>/="' &;:x#![]?` + "\x00\xff\r"
	for range 1500 {
		garbled := append([][2]string(nil), sheets...)
		text := []byte(garbled[1][1])
		sst := []byte(handSST)
		for range 1 + rng.IntN(4) {
			target := &text
			if rng.IntN(3) == 0 {
				target = &sst
			}
			switch i := rng.IntN(len(*target)); rng.IntN(3) {
			case 0:
				(*target)[i] = junk[rng.IntN(len(junk))]
			case 1:
				*target = append((*target)[:i:i], (*target)[i+1:]...)
			default:
				*target = append((*target)[:i:i], append([]byte{junk[rng.IntN(len(junk))]}, (*target)[i:]...)...)
			}
		}
		garbled[1][1] = string(text)
		readGarbled(t, handWorkbook(t, string(sst), garbled...))
	}
}

func readGarbled(t *testing.T, data []byte) {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		_, err := readXLSXBytes(data, DefaultLimits())
		done <- err
	}()
	select {
	case err := <-done:
		if _, ok := isProblems(err); err != nil && !ok {
			t.Fatalf("garbled file: %v (%T), want Problems", err, err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a garbled file hangs the reader")
	}
}

// FuzzSheetXML reads a workbook around any worksheet XML; go test runs the
// seeds, go test -fuzz FuzzSheetXML searches further.
func FuzzSheetXML(f *testing.F) {
	f.Add(handSheets()[1][1])
	f.Add(sheetXML(`<row r="1"><c t="inlineStr"><is><r><t>a</t></r></is></c><c><f/></c></row>`))
	f.Add(sheetXML(`<row><c r="A1" t="s"><v>3</v></c><!-- x --><c><![CDATA[y]]></c></row>`))
	f.Fuzz(func(t *testing.T, sheet string) {
		readGarbled(t, handWorkbook(t, handSST, [2]string{DataSheet, sheet}))
	})
}
