package web

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/lantu/lantu/excelio"
)

// The safe-file rules every uploaded register (项目登记表, 事项登记表)
// passes before its rows are read: only an .xlsx, the zip checks of
// excelio (size, entries, what the parts expand to, compression ratios)
// before excelize opens it, row and column limits while reading, and no
// formula in any cell.

// sheetUpload says what an uploaded one-sheet register is, for its checks
// and its messages.
type sheetUpload struct {
	zh, en string // what the file is: 项目登记表, the project register
	sheet  string // the sheet to read; the first one when none has this name
	limits excelio.Limits
}

// sheetRow is a row of the sheet, numbered as Excel numbers it.
type sheetRow struct {
	n     int
	cells []string
}

// read checks an uploaded workbook by the safe-file rules and returns the
// sheet read and its rows; a refused file is excelio.Problems, each
// naming the file, the sheet or the cell. A file refused only for its
// formulas still gives its rows, so that a reader may report the other
// problems of the file with them.
func (u sheetUpload) read(name string, file io.ReaderAt, size int64) (string, []sheetRow, error) {
	base := name[strings.LastIndexAny(name, `/\`)+1:]
	if !strings.HasSuffix(strings.ToLower(base), ".xlsx") {
		return "", nil, excelio.Problems{{Where: base, ZH: u.zh + "须为 .xlsx 文件（Excel 工作簿）", EN: u.en + " must be an .xlsx file (Excel workbook)"}}
	}
	lim := u.limits
	// excelio reads only the figures' layout, but its zip checks guard any
	// workbook: only a file they pass is opened.
	if _, err := excelio.ReadStamp(file, size, lim); err != nil {
		return "", nil, err
	}
	f, err := excelize.OpenReader(io.NewSectionReader(file, 0, size), excelize.Options{UnzipSizeLimit: lim.MaxUncompressedBytes, UnzipXMLSizeLimit: lim.MaxUncompressedBytes})
	if err != nil {
		return "", nil, excelio.Problems{{Where: base, ZH: "文件已损坏，或不是 Excel 工作簿", EN: "the file is damaged or is not an Excel workbook"}}
	}
	defer f.Close()
	sheet := u.sheet
	if i, err := f.GetSheetIndex(sheet); err != nil || i < 0 {
		sheet = f.GetSheetName(0)
	}
	rows, err := sheetRows(f, sheet, lim)
	return sheet, rows, err
}

// sheetRows reads the sheet's rows up to the limits, refusing a formula
// in any cell (the rows still come back with those problems): what it
// shows is whatever the program that saved the file last computed, if
// anything.
func sheetRows(f *excelize.File, sheet string, lim excelio.Limits) ([]sheetRow, error) {
	damaged := excelio.Problems{{Where: sheet, ZH: "工作表已损坏，无法读取", EN: "the sheet is damaged and cannot be read"}}
	it, err := f.Rows(sheet)
	if err != nil {
		return nil, damaged
	}
	defer it.Close()
	var rows []sheetRow
	for n := 1; it.Next(); n++ {
		if n > lim.MaxRows {
			return nil, excelio.Problems{{Where: sheet, ZH: fmt.Sprintf("工作表超过 %d 行", lim.MaxRows), EN: fmt.Sprintf("the sheet has more than %d rows", lim.MaxRows)}}
		}
		cells, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, damaged
		}
		if len(cells) > lim.MaxCols {
			return nil, excelio.Problems{{Where: sheet, ZH: fmt.Sprintf("工作表超过 %d 列", lim.MaxCols), EN: fmt.Sprintf("the sheet has more than %d columns", lim.MaxCols)}}
		}
		rows = append(rows, sheetRow{n: n, cells: cells})
	}
	if it.Error() != nil {
		return nil, damaged
	}
	var probs excelio.Problems
	for _, row := range rows {
		for c := range row.cells {
			cell, _ := excelize.CoordinatesToCellName(c+1, row.n)
			if formula, err := f.GetCellFormula(sheet, cell); err == nil && formula != "" {
				probs = append(probs, excelio.Problem{Where: sheet + "!" + cell, ZH: "单元格含公式，请粘贴为数值", EN: "the cell holds a formula; paste it as a value"})
			}
		}
	}
	if len(probs) > 0 {
		return rows, probs
	}
	return rows, nil
}

// cellText is the text of the row's cell in column col, trimmed, with the
// apostrophe that excelio.SafeCell put before a formula-like text removed.
func (row sheetRow) cellText(col int) string {
	var text string
	if col >= 0 && col < len(row.cells) {
		text = strings.TrimSpace(row.cells[col])
	}
	if len(text) > 1 && text[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(text[1])) {
		text = text[1:]
	}
	return text
}

// blank reports whether every cell of the row is empty.
func (row sheetRow) blank() bool {
	for _, c := range row.cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
