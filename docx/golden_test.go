package docx_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lantu/lantu/docx"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata from the current output")

// TestGoldenDocument compares word/document.xml of a small document with
// testdata/document.xml, read through by hand once: run
// `go test ./docx -run Golden -update` after a deliberate change and read
// the diff.
func TestGoldenDocument(t *testing.T) {
	d := docx.New(docx.Options{Title: "督查通报"})
	d.Paragraph(docx.Run{Text: "督查通报", Bold: true, Size: 22}).Align(docx.Center)
	d.Heading(1, "一、总体情况")
	d.Paragraph(
		docx.Run{Text: "红灯 "},
		docx.Run{Text: "3", Bold: true, Color: "#c00000"},
		docx.Run{Text: " 项；  <a & \"b\" 'c'>\x01\x7f\uFFFE\xff\r\n次行\t制表"},
	).Align(docx.Justify)
	d.Table([]string{"部门", "状态"}, [][]string{{"发改局", "红灯"}, {"财政局\n第二行"}}, docx.TableOptions{
		ColumnWidths:  []float64{100, 56},
		ColumnAlign:   []docx.Alignment{docx.Left, docx.Center},
		HeaderBold:    true,
		HeaderShading: "d9d9d9",
		Cells:         [][]docx.CellStyle{{{}, {Shading: "FF0000", Color: "FFFFFF", Bold: true}}},
	})
	d.Table(nil, [][]string{{"一格"}}, docx.TableOptions{})
	d.PageBreak()
	d.Heading(3, "三级标题")
	d.Text("古交市人民政府督查室 2024年5月10日").Align(docx.Right)

	_, files := parts(t, write(t, d))
	got := files["word/document.xml"]
	golden := filepath.Join("testdata", "document.xml")
	if *update {
		if err := os.WriteFile(golden, got, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("word/document.xml differs from %s (-want +got):\n%s", golden, lineDiff(string(want), string(got)))
	}
}

// lineDiff lists the lines that differ, position by position: enough for
// a document.xml written one block to a line.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := range max(len(w), len(g)) {
		wl, gl := lineAt(w, i), lineAt(g, i)
		if wl != gl {
			b.WriteString("-" + wl + "\n+" + gl + "\n")
		}
	}
	return b.String()
}

func lineAt(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return "(none)"
}
