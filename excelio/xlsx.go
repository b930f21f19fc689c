package excelio

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
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
	book, err := readWorkbook(where, zr)
	if err != nil {
		return nil, err
	}
	sst, err := readSharedStrings(book.sharedStrings)
	if err != nil {
		return nil, damaged(where)
	}
	s, err := findDataSheet(where, book.sheets, sst, lim)
	if err != nil {
		return nil, err
	}
	if err := s.formulaProblems(); err != nil {
		return nil, err
	}
	if len(s.records) == 0 {
		return nil, refuse(sheetRef(s.name), "表头下面没有数据行", "there are no data rows below the header")
	}
	return s.records, nil
}

// dataSheet is the sheet read: its header and the rows below it.
type dataSheet struct {
	name    string
	header  int // number of the header row
	layout  layout
	records []Record
	scan    sheetScan
}

// recordList collects records in blocks and copies them once into a
// slice of the right length: a slice grown by append would be copied over
// and over, allocating five times the final size for a million records.
type recordList struct {
	blocks [][]Record
	n      int
}

const maxRecordBlock = 8192

func (l *recordList) add(r Record) {
	if k := len(l.blocks); k == 0 || len(l.blocks[k-1]) == cap(l.blocks[k-1]) {
		l.blocks = append(l.blocks, make([]Record, 0, min(64<<min(k, 8), maxRecordBlock)))
	}
	last := &l.blocks[len(l.blocks)-1]
	*last = append(*last, r)
	l.n++
}

func (l *recordList) slice() []Record {
	if l.n == 0 {
		return nil
	}
	out := make([]Record, 0, l.n)
	for _, b := range l.blocks {
		out = append(out, b...)
	}
	return out
}

func findDataSheet(where string, parts []sheetPart, sst *sharedStrings, lim Limits) (*dataSheet, error) {
	for _, p := range parts {
		if p.Name == DataSheet {
			s, ps, _, err := readDataSheet(p, sst, lim)
			if err == nil && len(ps) > 0 {
				err = ps
			}
			return s, err
		}
	}
	var why Problems // about sheets that looked like data sheets but were not fit
	for _, p := range parts {
		s, ps, recognised, err := readDataSheet(p, sst, lim)
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

// readDataSheet reads a sheet in one pass: its header, then its records.
// It returns the problems that make the sheet unfit, and how many of the
// template's columns its header named; err is kept for failures that are
// not the file's.
func readDataSheet(p sheetPart, sst *sharedStrings, lim Limits) (s *dataSheet, ps Problems, recognised int, err error) {
	rc, err := inflate(p.File)
	if err != nil {
		return unfit(damaged(sheetRef(p.Name)))
	}
	defer rc.Close()
	sr := newSheetReader(p.Name, rc, sst, lim)
	found, err := sr.skipBlankRows()
	if err != nil {
		return unfit(err)
	}
	if !found {
		return nil, Problems{{Where: p.Name, ZH: fmt.Sprintf("工作表「%s」是空的", p.Name), EN: fmt.Sprintf("sheet %s is empty", p.Name)}}, 0, nil
	}
	s = &dataSheet{name: p.Name, header: sr.row}
	l, hp, n := readHeader(sr.cells, sheetWhere(p.Name, s.header), func(i int) string { return cellName(p.Name, i+1, s.header) })
	if len(hp) > 0 {
		// A problem with the sheet's content comes first, as it did
		// when the whole sheet was scanned before its header was read.
		if err := sr.skipRest(); err != nil {
			return unfit(err)
		}
		return nil, hp, n, nil
	}
	s.layout = l
	if s.records, err = readRecords(sr, l); err != nil {
		return unfit(err)
	}
	s.scan = sr.scan
	return s, nil, n, nil
}

// unfit sorts an error of the sheet reader: the problems of a sheet that
// looked like a data sheet (too wide, too long, damaged), or a failure
// that is not the file's.
func unfit(err error) (*dataSheet, Problems, int, error) {
	if ps, ok := isProblems(err); ok {
		return nil, ps, 1, nil
	}
	return nil, nil, 0, err
}

// readRecords reads the rows below the header.
func readRecords(sr *sheetReader, l layout) ([]Record, error) {
	sr.keepColumns(l.indicator, l.orgUnit, l.period, l.value, l.note)
	valueCell := valueCellNamer(sr.name, l.value+1)
	var records recordList
	for {
		ok, err := sr.nextRow()
		if err != nil {
			return nil, err
		}
		if !ok {
			return records.slice(), nil
		}
		rec, ok := l.record(sr.cells)
		if !ok {
			continue
		}
		rec.Sheet, rec.Row, rec.ValueCell = sr.name, sr.row, valueCell(sr.row)
		records.add(rec)
	}
}

// inflate opens a zip entry and inflates it on another goroutine, so that
// inflating a large part and parsing it share the work between two cores.
// Closing the reader stops the goroutine.
func inflate(f *zip.File) (io.ReadCloser, error) {
	// archive/zip refuses to inflate past the declared size, which
	// openZip checked; so does the copy. One byte more lets archive/zip
	// say so.
	size := f.UncompressedSize64
	if size >= math.MaxInt64 {
		return nil, zip.ErrFormat
	}
	limit := int64(size) + 1
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	pr, pw := io.Pipe()
	go func() {
		_, err := io.CopyN(pw, rc, limit)
		if errors.Is(err, io.EOF) {
			err = nil
		}
		if cerr := rc.Close(); err == nil {
			err = cerr
		}
		pw.CloseWithError(err) // nil: the reader sees io.EOF
	}()
	return pr, nil
}

// valueCellNamer names the cells of a column, row by row, as cellName
// does, without working the column's letters out again for every row.
func valueCellNamer(sheet string, col int) func(row int) string {
	letters, err := excelize.ColumnNumberToName(col)
	if err != nil {
		return func(row int) string { return cellName(sheet, col, row) }
	}
	buf := []byte(sheetRef(sheet) + "!" + letters)
	prefix := len(buf)
	return func(row int) string {
		buf = strconv.AppendInt(buf[:prefix], int64(row), 10)
		return string(buf)
	}
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
