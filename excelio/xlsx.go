package excelio

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Record is one data row of an upload, as text: the caller parses the
// period and the number and names ValueCell when they are wrong.
type Record struct {
	Sheet     string // the sheet, or the file for a CSV
	Row       int    // the row in the sheet, or the line in the CSV
	Indicator string
	OrgUnit   string
	Period    string
	Value     string // "" when the cell is empty; thousands separators left in
	Note      string
	ValueCell string // "数据!I7", or "values.csv:7"
}

// excelizeInMemory is the largest worksheet excelize keeps in memory;
// larger ones it unzips to a temporary file and streams from there.
const excelizeInMemory = 16 << 20

// ReadXLSX reads the data sheet of an uploaded .xlsx: the sheet named 数据
// if there is one, else the first whose header has the template's columns.
// A file it refuses gives Problems.
func ReadXLSX(r io.ReaderAt, size int64, lim Limits) ([]Record, error) {
	return readXLSX("XLSX", r, size, lim)
}

func readXLSX(where string, r io.ReaderAt, size int64, lim Limits) ([]Record, error) {
	lim = lim.orDefault()
	zr, err := openZip(where, r, size, lim)
	if err != nil {
		return nil, err
	}
	parts, err := workbookSheets(where, zr)
	if err != nil {
		return nil, err
	}
	book, err := excelize.OpenReader(io.NewSectionReader(r, 0, size), excelize.Options{
		RawCellValue:      true, // 18.77 as stored, not as formatted
		UnzipSizeLimit:    lim.MaxUncompressedBytes,
		UnzipXMLSizeLimit: min(excelizeInMemory, lim.MaxUncompressedBytes),
	})
	if err != nil {
		return nil, excelizeError(where, err)
	}
	defer book.Close()
	s, err := findDataSheet(where, book, parts, lim)
	if err != nil {
		return nil, err
	}
	defer s.rows.Close()
	if err := s.formulaProblems(); err != nil {
		return nil, err
	}
	return s.records(lim)
}

// excelizeError tells a file excelize cannot parse (the user's problem)
// from a failure of this machine, such as a full temporary directory.
func excelizeError(where string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("excelio: excelize: %w", err)
	}
	return damaged(where)
}

// dataSheet is the sheet being read, positioned after its header.
type dataSheet struct {
	name   string
	rows   *excelize.Rows
	row    int // number of the row last read
	header int // number of the header row
	layout layout
	scan   sheetScan
}

func findDataSheet(where string, book *excelize.File, parts []sheetPart, lim Limits) (*dataSheet, error) {
	for _, p := range parts {
		if p.Name == DataSheet {
			s, ps, _, err := openDataSheet(book, p, lim)
			if err == nil && len(ps) > 0 {
				err = ps
			}
			return s, err
		}
	}
	var why Problems // about sheets that looked like data sheets but were not fit
	for _, p := range parts {
		s, ps, recognised, err := openDataSheet(book, p, lim)
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

// openDataSheet scans a sheet and reads its header. It returns the problems
// that make the sheet unfit, and how many of the template's columns its
// header named; err is kept for failures that are not the file's.
func openDataSheet(book *excelize.File, p sheetPart, lim Limits) (s *dataSheet, ps Problems, recognised int, err error) {
	scan, err := scanSheet(p, lim)
	if err != nil {
		if errors.As(err, &ps) {
			return nil, ps, 1, nil
		}
		return nil, nil, 0, err
	}
	rows, err := book.Rows(p.Name)
	if err != nil {
		return nil, nil, 0, excelizeError(p.Name, err)
	}
	s = &dataSheet{name: p.Name, rows: rows, scan: scan}
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
func (s *dataSheet) formulaProblems() error {
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
func (s *dataSheet) records(lim Limits) ([]Record, error) {
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
