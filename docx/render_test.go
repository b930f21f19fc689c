package docx_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lantu/lantu/docx"
)

// bulletin is a supervision bulletin as Lantu will write it: a centred
// title, the departments' lights in colour, the issuing line on the right.
func bulletin() *docx.Document {
	d := docx.New(docx.Options{Title: "古交市重点工作督查通报", Author: "古交市人民政府督查室",
		Created: time.Date(2024, 5, 10, 9, 0, 0, 0, time.UTC)})
	d.Paragraph(docx.Run{Text: "古交市重点工作督查通报", Bold: true, Size: 22, Color: "C00000"}).Align(docx.Center)
	d.Text("（2024年第19期）").Align(docx.Center)
	d.Text("古交市人民政府督查室                    2024年5月10日").Align(docx.Right)
	d.Heading(1, "一、总体情况")
	d.Paragraph(
		docx.Run{Text: "截至5月10日，纳入督查的重点工作共42项，其中"},
		docx.Run{Text: "绿灯30项", Bold: true, Color: "00B050"},
		docx.Run{Text: "、"},
		docx.Run{Text: "黄灯9项", Bold: true, Color: "BF8F00"},
		docx.Run{Text: "、"},
		docx.Run{Text: "红灯3项", Bold: true, Color: "FF0000"},
		docx.Run{Text: "。红灯事项已连续两周未按期推进，请责任单位于5月17日前书面说明原因。"},
	).Align(docx.Justify)
	d.Heading(1, "二、各单位推进情况")
	lights := map[string]docx.CellStyle{
		"红灯": {Shading: "FF0000", Color: "FFFFFF", Bold: true},
		"黄灯": {Shading: "FFC000", Bold: true},
		"绿灯": {Shading: "00B050", Color: "FFFFFF", Bold: true},
	}
	rows := [][]string{
		{"1", "市发展和改革局", "太原都市区产业转移承接项目前期手续", "环评批复未取得\n用地预审已报省厅", "红灯"},
		{"2", "市财政局", "专项债券资金拨付", "已拨付2.3亿元，占计划的76%", "黄灯"},
		{"3", "市住房和城乡建设局", "老旧小区改造（12个小区）", "10个小区已开工", "绿灯"},
		{"4", "市交通运输局", "古交至娄烦公路改建", "路基完成85%", "绿灯"},
		{"5", "市自然资源局", "国土空间总体规划报批", "专家评审意见待修改 <第二轮>", "黄灯"},
	}
	cells := make([][]docx.CellStyle, len(rows))
	for i, r := range rows {
		cells[i] = []docx.CellStyle{{}, {}, {}, {}, lights[r[4]]}
	}
	d.Table([]string{"序号", "责任单位", "重点工作", "进展情况", "状态"}, rows, docx.TableOptions{
		ColumnWidths:  []float64{12, 32, 48, 46, 18},
		ColumnAlign:   []docx.Alignment{docx.Center, docx.Left, docx.Left, docx.Left, docx.Center},
		HeaderBold:    true,
		HeaderShading: "D9D9D9",
		Cells:         cells,
	})
	d.Heading(1, "三、下一步工作要求")
	d.Heading(2, "（一）压实责任")
	d.Text("各责任单位要对照时间节点，逐项倒排工期，确保红灯事项在下期通报前转为黄灯以上。").Align(docx.Justify)
	d.Heading(2, "（二）加强调度")
	d.Text("市政府督查室将每周跟踪调度，对连续三周亮红灯的事项提请市政府约谈。").Align(docx.Justify)
	return d
}

// TestRenderBulletin renders the bulletin to PNG through LibreOffice and
// pdftoppm, to be looked at by a person: the test only logs where the
// picture is (left in place, outside the test's temporary directory).
func TestRenderBulletin(t *testing.T) {
	t.Parallel()
	lo := newLibreOffice(t)
	pdftoppm := popplerPath(t, "pdftoppm")
	dir, err := os.MkdirTemp("", "lantu-docx-render-")
	if err != nil {
		t.Fatal(err)
	}
	file := writeFile(t, dir, "bulletin.docx", write(t, bulletin()))
	pdf, err := lo.convert("pdf", dir, file)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := run(pdftoppm, "-png", "-r", "60", pdf, filepath.Join(dir, "bulletin")); err != nil {
		t.Fatal(err)
	}
	pngs, err := filepath.Glob(filepath.Join(dir, "bulletin*.png"))
	if err != nil || len(pngs) == 0 {
		t.Fatalf("pdftoppm made no PNG in %s (%v)", dir, err)
	}
	t.Logf("the bulletin rendered by LibreOffice: %v (delete %s when seen)", pngs, dir)
}
