package docx_test

import (
	"archive/zip"
	"bytes"
	"io"
	"testing"

	"github.com/lantu/lantu/docx"
)

// write writes d and fails the test if it cannot.
func write(t testing.TB, d *docx.Document) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := d.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// parts opens a written .docx and returns its files by name, in order.
func parts(t testing.TB, data []byte) (names []string, files map[string][]byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	files = make(map[string][]byte)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if _, dup := files[f.Name]; dup {
			t.Errorf("%s twice in the zip", f.Name)
		}
		names = append(names, f.Name)
		files[f.Name] = b
	}
	return names, files
}

// sample is a document with every kind of block and the awkward strings,
// and the lines a reader should show for it, in order.
func sample() (*docx.Document, []string) {
	d := docx.New(docx.Options{Title: "督查通报 <测试>", Author: "古交市人民政府督查室"})
	d.Paragraph(docx.Run{Text: "关于重点工作推进情况的通报", Bold: true, Size: 22}).Align(docx.Center)
	d.Heading(1, "一、总体情况")
	d.Heading(2, "（一）进度")
	d.Heading(3, "1. 细项 & 说明")
	d.Paragraph(docx.Run{Text: "特殊字符："}, docx.Run{Text: `<script>&"'`, Bold: true, Color: "#c00000"}, docx.Run{Text: " 结束"})
	d.Text("控制\x01字符\x7f已\x00删除")
	d.Text("制表\t符  与两个空格")
	d.Text("段内第一行\n段内第二行")
	d.Table([]string{"部门", "事项", "状态"}, [][]string{
		{"发改局", "项目审批\n第二行", "红灯"},
		{"财政局", `a<b & "c"`, "绿灯"},
		{"住建局"},
	}, docx.TableOptions{
		ColumnWidths: []float64{40, 86, 30},
		HeaderBold:   true,
		Cells:        [][]docx.CellStyle{{{}, {}, {Shading: "FF0000", Color: "FFFFFF"}}},
	})
	d.PageBreak()
	d.Text("古交市人民政府督查室 2024年5月10日").Align(docx.Right)
	return d, []string{
		"关于重点工作推进情况的通报",
		"一、总体情况",
		"（一）进度",
		"1. 细项 & 说明",
		`特殊字符：<script>&"' 结束`,
		"控制字符已删除",
		"制表\t符  与两个空格",
		"段内第一行",
		"段内第二行",
		"部门", "事项", "状态",
		"发改局", "项目审批", "第二行", "红灯",
		"财政局", `a<b & "c"`, "绿灯",
		"住建局",
		"古交市人民政府督查室 2024年5月10日",
	}
}
