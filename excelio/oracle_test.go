package excelio

// The excelize-based reader that the streaming scanner replaced, kept as
// the oracle the cross-check tests compare the new reader with.

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// oracleExcelizeInMemory is the largest worksheet excelize keeps in memory;
// larger ones it unzips to a temporary file and streams from there.
const oracleExcelizeInMemory = 16 << 20

func oracleReadXLSX(where string, r io.ReaderAt, size int64, lim Limits) ([]Record, error) {
	lim = lim.orDefault()
	zr, err := openZip(where, r, size, lim)
	if err != nil {
		return nil, err
	}
	wb, err := readWorkbook(where, zr)
	if err != nil {
		return nil, err
	}
	parts := wb.sheets
	book, err := excelize.OpenReader(io.NewSectionReader(r, 0, size), excelize.Options{
		RawCellValue:      true, // 18.77 as stored, not as formatted
		UnzipSizeLimit:    lim.MaxUncompressedBytes,
		UnzipXMLSizeLimit: min(oracleExcelizeInMemory, lim.MaxUncompressedBytes),
	})
	if err != nil {
		return nil, oracleExcelizeError(where, err)
	}
	defer book.Close()
	s, err := oracleFindDataSheet(where, book, parts, lim)
	if err != nil {
		return nil, err
	}
	defer s.rows.Close()
	if err := s.formulaProblems(); err != nil {
		return nil, err
	}
	return s.records(lim)
}

// oracleExcelizeError tells a file excelize cannot parse (the user's problem)
// from a failure of this machine, such as a full temporary directory.
func oracleExcelizeError(where string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("excelio: excelize: %w", err)
	}
	return damaged(where)
}

// oracleSheet is the sheet being read, positioned after its header.
type oracleSheet struct {
	name   string
	rows   *excelize.Rows
	row    int // number of the row last read
	header int // number of the header row
	layout layout
	scan   oracleScan
}

func oracleFindDataSheet(where string, book *excelize.File, parts []sheetPart, lim Limits) (*oracleSheet, error) {
	for _, p := range parts {
		if p.Name == DataSheet {
			s, ps, _, err := oracleOpenDataSheet(book, p, lim)
			if err == nil && len(ps) > 0 {
				err = ps
			}
			return s, err
		}
	}
	var why Problems // about sheets that looked like data sheets but were not fit
	for _, p := range parts {
		s, ps, recognised, err := oracleOpenDataSheet(book, p, lim)
		if err != nil {
			return nil, err
		}
		if len(ps) == 0 {
			return s, nil
		}
		if recognised > 0 {
			why = append(why, ps...)
		}
	}
	names := make([]string, len(required))
	for i, k := range required {
		names[i] = columnZH(k)
	}
	return nil, append(Problems{{Where: where,
		ZH: "找不到数据工作表：没有名为「数据」的工作表，也没有哪个工作表的表头含有" + strings.Join(names, "、") + "这几列",
		EN: "no data sheet: no sheet is named 数据 and no sheet has a header with the columns " + strings.Join(required, ", "),
	}}, why...)
}

// oracleOpenDataSheet scans a sheet and reads its header. It returns the problems
// that make the sheet unfit, and how many of the template's columns its
// header named; err is kept for failures that are not the file's.
func oracleOpenDataSheet(book *excelize.File, p sheetPart, lim Limits) (s *oracleSheet, ps Problems, recognised int, err error) {
	scan, err := oracleScanSheet(p, lim)
	if err != nil {
		if errors.As(err, &ps) {
			return nil, ps, 1, nil
		}
		return nil, nil, 0, err
	}
	rows, err := book.Rows(p.Name)
	if err != nil {
		return nil, nil, 0, oracleExcelizeError(p.Name, err)
	}
	s = &oracleSheet{name: p.Name, rows: rows, scan: scan}
	defer func() {
		if len(ps) > 0 || err != nil {
			_ = rows.Close()
			s = nil
		}
	}()
	for rows.Next() && s.row < lim.MaxRows {
		s.row++
		cells, err := rows.Columns()
		if err != nil {
			return s, damaged(sheetWhere(p.Name, s.row)).(Problems), 0, nil
		}
		if strings.TrimSpace(strings.Join(cells, "")) == "" {
			continue
		}
		s.header = s.row
		l, hp, n := readHeader(cells, sheetWhere(p.Name, s.row), func(i int) string { return cellName(p.Name, i+1, s.header) })
		s.layout = l
		return s, hp, n, nil
	}
	return s, Problems{{Where: p.Name, ZH: fmt.Sprintf("工作表「%s」是空的", p.Name), EN: fmt.Sprintf("sheet %s is empty", p.Name)}}, 0, nil
}

// formulaProblems names the formula cells below the header in the columns
// that are read: their value is whatever the last program to save the file
// computed, if it computed anything.
func (s *oracleSheet) formulaProblems() error {
	var ps problems
	for _, i := range []int{s.layout.indicator, s.layout.orgUnit, s.layout.period, s.layout.value, s.layout.note} {
		if i < 0 {
			continue
		}
		col := i + 1
		for _, row := range s.scan.formulas[col] {
			if row > s.header {
				ps.add(cellName(s.name, col, row), "单元格含公式，请粘贴为数值", "the cell holds a formula; paste it as a value")
			}
		}
		if more := s.scan.formulaCount[col] - len(s.scan.formulas[col]); more > 0 {
			letter, _ := excelize.ColumnNumberToName(col)
			ps.add(fmt.Sprintf("%s!%s:%s", sheetRef(s.name), letter, letter),
				fmt.Sprintf("该列另有 %d 个单元格含公式，请粘贴为数值", more),
				fmt.Sprintf("%d more cells in this column hold formulas; paste them as values", more))
		}
	}
	return ps.err()
}

// records reads the rows below the header, one at a time.
func (s *oracleSheet) records(lim Limits) ([]Record, error) {
	var out []Record
	for s.rows.Next() && s.row < lim.MaxRows {
		s.row++
		cells, err := s.rows.Columns()
		if err != nil {
			return nil, damaged(sheetWhere(s.name, s.row))
		}
		rec, ok := s.layout.record(cells)
		if !ok {
			continue
		}
		rec.Sheet, rec.Row, rec.ValueCell = s.name, s.row, cellName(s.name, s.layout.value+1, s.row)
		out = append(out, rec)
	}
	if s.rows.Error() != nil {
		return nil, damaged(sheetRef(s.name))
	}
	if len(out) == 0 {
		return nil, refuse(sheetRef(s.name), "表头下面没有数据行", "there are no data rows below the header")
	}
	return out, nil
}

// oracleScan is what a streaming pass over a worksheet's XML found out before
// excelize reads it: excelize's row reader neither bounds a row's width nor
// tells a formula from a value.
type oracleScan struct {
	formulas     map[int][]int // column → rows of the first formula cells in it
	formulaCount map[int]int   // column → formula cells in it
}

// oracleScanSheet streams a worksheet's XML once. It refuses, at the first
// offending cell, a sheet with content beyond lim.MaxCols or more than
// lim.MaxRows rows with content, and records where formulas are.
func oracleScanSheet(p sheetPart, lim Limits) (oracleScan, error) {
	where := sheetRef(p.Name)
	sc := oracleScan{formulas: map[int][]int{}, formulaCount: map[int]int{}}
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
				if row, err = oraclePosition(t, row+1, strconv.Atoi); err != nil {
					return sc, damaged(where)
				}
				col, rowHasContent = 0, false
			case "c":
				if col, err = oraclePosition(t, col+1, cellColumn); err != nil {
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
func oraclePosition(t xml.StartElement, next int, parse func(string) (int, error)) (int, error) {
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

// BenchmarkOracleXLSX times the excelize reader on BenchmarkReadXLSX's
// file, for comparison under the same load. (Not named Read…, so that
// -bench Read leaves this slow one out.)
func BenchmarkOracleXLSX(b *testing.B) {
	header, rows := benchTable()
	var buf bytes.Buffer
	if err := WriteTable(&buf, DataSheet, header, rows); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		recs, err := oracleReadXLSX("XLSX", bytes.NewReader(data), int64(len(data)), DefaultLimits())
		if err != nil || len(recs) != benchRows {
			b.Fatalf("%d records, %v", len(recs), err)
		}
	}
}
