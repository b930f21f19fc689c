package excelio

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/xuri/excelize/v2"
)

// formulasKept is how many formula cells per column a scan remembers to
// name in messages; the rest are only counted.
const formulasKept = 20

// sheetScan is what a streaming pass over a worksheet's XML found out before
// excelize reads it: excelize's row reader neither bounds a row's width nor
// tells a formula from a value.
type sheetScan struct {
	formulas     map[int][]int // column → rows of the first formula cells in it
	formulaCount map[int]int   // column → formula cells in it
}

// scanSheet streams a worksheet's XML once. It refuses, at the first
// offending cell, a sheet with content beyond lim.MaxCols or more than
// lim.MaxRows rows with content, and records where formulas are.
func scanSheet(p sheetPart, lim Limits) (sheetScan, error) {
	where := sheetRef(p.Name)
	sc := sheetScan{formulas: map[int][]int{}, formulaCount: map[int]int{}}
	rc, err := p.File.Open()
	if err != nil {
		return sc, damaged(where)
	}
	defer rc.Close()
	d := xml.NewDecoder(rc)
	var (
		row, col, rows, depth int
		inCell, inText        bool
		hasContent, isFormula bool
		rowHasContent         bool
	)
	for {
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) && depth == 0 {
			return sc, nil
		}
		if err != nil {
			return sc, damaged(where)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch t.Name.Local {
			case "row":
				if row, err = position(t, row+1, strconv.Atoi); err != nil {
					return sc, damaged(where)
				}
				col, rowHasContent = 0, false
			case "c":
				if col, err = position(t, col+1, cellColumn); err != nil {
					return sc, damaged(where)
				}
				inCell, hasContent, isFormula = true, false, false
			case "f":
				isFormula = isFormula || inCell
			case "v", "t":
				inText = inCell
			}
		case xml.CharData:
			if inText && len(bytes.TrimSpace(t)) > 0 {
				hasContent = true
			}
		case xml.EndElement:
			depth--
			switch t.Name.Local {
			case "v", "t":
				inText = false
			case "c":
				inCell = false
				if !hasContent && !isFormula {
					continue
				}
				if col > lim.MaxCols {
					return sc, refuse(cellName(p.Name, col, row),
						fmt.Sprintf("第 %d 行超出了 %d 列的上限：请删去多余的列", row, lim.MaxCols),
						fmt.Sprintf("row %d goes beyond the limit of %d columns; delete the extra columns", row, lim.MaxCols))
				}
				rowHasContent = true
				if isFormula {
					sc.formulaCount[col]++
					if len(sc.formulas[col]) < formulasKept {
						sc.formulas[col] = append(sc.formulas[col], row)
					}
				}
			case "row":
				if !rowHasContent {
					continue
				}
				if rows++; rows > lim.MaxRows || row > lim.MaxRows {
					return sc, refuse(sheetWhere(p.Name, row),
						fmt.Sprintf("行数超过 %d 行的上限，请拆分成几个文件上传", lim.MaxRows),
						fmt.Sprintf("more than %d rows; split the file into several", lim.MaxRows))
				}
			}
		}
	}
}

// position reads the r attribute of a row or cell, or takes next when it
// has none, as excelize does.
func position(t xml.StartElement, next int, parse func(string) (int, error)) (int, error) {
	for _, a := range t.Attr {
		if a.Name.Local == "r" && a.Name.Space == "" {
			n, err := parse(a.Value)
			if err != nil || n < 1 {
				return 0, zip.ErrFormat
			}
			return n, nil
		}
	}
	return next, nil
}

// cellColumn reads the column of a cell reference such as "AB12". A column
// past Excel's last (XFD) still counts, as a large number, so that it is
// refused as too wide rather than as damaged.
func cellColumn(ref string) (int, error) {
	n, i := 0, 0
	for ; i < len(ref) && n <= 1<<20; i++ {
		c := ref[i] | 0x20 // lower case
		if c < 'a' || c > 'z' {
			break
		}
		n = n*26 + int(c-'a') + 1
	}
	if i == 0 {
		return 0, zip.ErrFormat
	}
	return n, nil
}

// cellName writes a cell reference with its sheet, e.g. 数据!I7, quoting
// the sheet name where Excel would.
func cellName(sheet string, col, row int) string {
	ref, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		ref = fmt.Sprintf("R%dC%d", row, col)
	}
	return sheetRef(sheet) + "!" + ref
}

// sheetWhere names a whole row: 数据!7:7.
func sheetWhere(sheet string, row int) string {
	return fmt.Sprintf("%s!%d:%d", sheetRef(sheet), row, row)
}

func sheetRef(sheet string) string {
	for i, r := range sheet {
		if !(unicode.IsLetter(r) || r == '_' || r == '.' || (i > 0 && unicode.IsDigit(r))) {
			return "'" + strings.ReplaceAll(sheet, "'", "''") + "'"
		}
	}
	return sheet
}
