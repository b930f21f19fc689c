package excelio

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// writeInstructions fills the sheet 说明: Chinese first, then English.
func writeInstructions(f *excelize.File, st *styler, t Template) error {
	due := t.DueDate
	if due == "" {
		due = "（见通知 see the notice）"
	}
	lines := []struct {
		text  string
		title bool
	}{
		{"数据填报说明", true},
		{fmt.Sprintf("部门：%s %s", t.DepartmentCode, t.DepartmentName), false},
		{"期别：" + t.Period, false},
		{"截止日期：" + due, false},
		{"", false},
		{"1. 请在「数据」工作表的「本期数值」列（I 列，黄色单元格）填写本期数值。只填数字，不要带单位、千位逗号或文字；可以写负数和小数。", false},
		{"2. 计量单位见「计量单位」列（C 列），请按该单位填写。例如单位是“万元”，1.5 亿元应填 15000。", false},
		{"3. 需要说明的情况（口径变化、估算值、暂缺原因等）请写在「说明」列（J 列）。", false},
		{"4. 其他单元格已保护，不能修改。绿色单元格是已审核通过的数值，只能查看。请不要增删行列、改动表头或编码；不要使用公式，如需引用其他表格请“选择性粘贴为数值”。", false},
		{"5. 请在截止日期 " + due + " 前，在系统中上传本文件（可以另存为 .xlsx 或 CSV UTF-8）。", false},
		{"6. 上传的文件整体导入：只要有一处错误，整个文件都不导入，系统会逐一列出出错的单元格；改正后重新上传即可。", false},
		{"", false},
		{"Instructions", true},
		{fmt.Sprintf("Department: %s %s", t.DepartmentCode, t.DepartmentName), false},
		{"Period: " + t.Period, false},
		{"Due date: " + due, false},
		{"", false},
		{"1. On the sheet 数据, enter this period's figures in the column 本期数值 / value (column I, yellow cells). Numbers only: no unit, no thousands commas, no words; negative numbers and decimals are fine.", false},
		{"2. The unit is in column C (计量单位 / unit); give the figure in that unit. For example, if the unit is 万元 (10,000 yuan), 150 million yuan is 15000.", false},
		{"3. To explain a figure (a change of definition, an estimate, why it is missing), write in the column 说明 / note (column J).", false},
		{"4. All other cells are protected and cannot be changed. Green cells are approved figures, shown for reference. Do not add or delete rows or columns, change the header or the codes, or use formulas: paste values instead.", false},
		{"5. Upload this file in the system by the due date, " + due + " (you may save it as .xlsx or as CSV UTF-8).", false},
		{"6. The upload is imported all or nothing: if any cell is wrong, nothing is imported and every wrong cell is listed. Correct them and upload again.", false},
	}
	if err := f.SetColWidth(InstructionsSheet, "A", "A", 110); err != nil {
		return err
	}
	for i, l := range lines {
		cell := fmt.Sprintf("A%d", i+1)
		if err := f.SetCellStr(InstructionsSheet, cell, l.text); err != nil {
			return err
		}
		k := styleKey{kind: paragraphStyle}
		if l.title {
			k.kind = titleStyle
		}
		if err := st.apply(InstructionsSheet, cell, cell, k); err != nil {
			return err
		}
	}
	return nil
}
