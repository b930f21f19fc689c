package docx_test

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/lantu/lantu/docx"
)

// TestWriteRefuses: a mistake in building the document is reported by
// Write, naming the block, and nothing is written.
func TestWriteRefuses(t *testing.T) {
	rows := [][]string{{"发改局", "红灯"}}
	for _, tc := range []struct {
		name  string
		opts  docx.Options
		build func(d *docx.Document)
		want  string
	}{
		{"ErrHeadingLevel", docx.Options{}, func(d *docx.Document) { d.Text("ok"); d.Heading(4, "四级") }, "heading 2 of the body: heading level 4"},
		{"ErrHeadingLevelZero", docx.Options{}, func(d *docx.Document) { d.Heading(0, "零级") }, "heading level 0"},
		{"ErrColor", docx.Options{}, func(d *docx.Document) { d.Paragraph(docx.Run{Text: "a"}, docx.Run{Text: "b", Color: "red"}) }, `paragraph 1 of the body: run 2: colour "red"`},
		{"ErrSize", docx.Options{}, func(d *docx.Document) { d.Paragraph(docx.Run{Text: "a", Size: -3}) }, "font size -3"},
		{"ErrSizeNaN", docx.Options{}, func(d *docx.Document) { d.Paragraph(docx.Run{Text: "a", Size: math.NaN()}) }, "font size NaN"},
		{"ErrAlignment", docx.Options{}, func(d *docx.Document) { d.Text("a").Align(docx.Alignment(9)) }, "alignment 9"},
		{"ErrColumnWidths", docx.Options{}, func(d *docx.Document) {
			d.Table(nil, rows, docx.TableOptions{ColumnWidths: []float64{40}})
		}, "table 1 of the body: 1 column widths for 2 columns"},
		{"ErrColumnWidthZero", docx.Options{}, func(d *docx.Document) {
			d.Table(nil, rows, docx.TableOptions{ColumnWidths: []float64{40, 0}})
		}, "column 2: width 0 mm"},
		{"ErrColumnAlign", docx.Options{}, func(d *docx.Document) {
			d.Table(nil, rows, docx.TableOptions{ColumnAlign: []docx.Alignment{docx.Left, docx.Right, docx.Right}})
		}, "3 column alignments for 2 columns"},
		{"ErrHeaderShading", docx.Options{}, func(d *docx.Document) {
			d.Table([]string{"部门", "状态"}, rows, docx.TableOptions{HeaderShading: "#EEE"})
		}, `header shading: colour "#EEE"`},
		{"ErrCellShading", docx.Options{}, func(d *docx.Document) {
			d.Table(nil, rows, docx.TableOptions{Cells: [][]docx.CellStyle{{{}, {Shading: "绿色"}}}})
		}, "row 1 column 2: colour"},
		{"ErrCellRows", docx.Options{}, func(d *docx.Document) {
			d.Table(nil, rows, docx.TableOptions{Cells: make([][]docx.CellStyle, 2)})
		}, "cell styles for 2 rows, the table has 1"},
		{"ErrEmptyTable", docx.Options{}, func(d *docx.Document) { d.Table(nil, [][]string{{}}, docx.TableOptions{}) }, "table 1 of the body: no cells"},
		{"ErrMargins", docx.Options{Page: docx.Page{Width: 210, Height: 297, Left: 100, Right: 100}}, func(*docx.Document) {}, "margins leave less than 20 mm"},
		{"ErrPageSize", docx.Options{Page: docx.Page{Width: 600, Height: 297}}, func(*docx.Document) {}, "between 0 and 558.8 mm"},
		{"ErrLang", docx.Options{Lang: `zh" x="1`}, func(*docx.Document) {}, "is not a BCP 47 tag"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := docx.New(tc.opts)
			tc.build(d)
			var buf bytes.Buffer
			err := d.Write(&buf)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Write: %v, want an error with %q", err, tc.want)
			}
			if buf.Len() != 0 {
				t.Errorf("Write wrote %d bytes of a document it refused", buf.Len())
			}
		})
	}
}

// TestTableCopies: a table keeps the rows it was given, whatever the
// caller does to its slices afterwards (a bulletin's rows are often built
// in a reused buffer).
func TestTableCopies(t *testing.T) {
	row := []string{"发改局", "红灯"}
	rows := [][]string{row}
	d := docx.New(docx.Options{})
	d.Table([]string{"部门", "状态"}, rows, docx.TableOptions{})
	row[1] = "绿灯"
	rows[0] = []string{"改了", "改了"}
	_, files := parts(t, write(t, d))
	if doc := string(files["word/document.xml"]); !strings.Contains(doc, ">红灯<") || strings.Contains(doc, "改了") || strings.Contains(doc, "绿灯") {
		t.Errorf("the table changed with the caller's slices:\n%s", doc)
	}
}

// TestPage: the page set in Options is the one written, in twips, turned
// for a landscape page; tables without widths share its text width.
func TestPage(t *testing.T) {
	d := docx.New(docx.Options{Page: docx.Page{Width: 297, Height: 210, Top: 20, Right: 15, Bottom: 20, Left: 15}})
	d.Table([]string{"甲", "乙"}, nil, docx.TableOptions{})
	_, files := parts(t, write(t, d))
	doc := string(files["word/document.xml"])
	for _, want := range []string{
		`<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>`,
		`<w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="850" `,
		`<w:gridCol w:w="7569"/><w:gridCol w:w="7569"/>`, // (16838 - 2×850) / 2
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("document.xml lacks %s:\n%s", want, doc)
		}
	}
}
