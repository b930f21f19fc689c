package excelio

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/xuri/excelize/v2"
)

// formulasKept is how many formula cells per column a scan remembers to
// name in messages; the rest are only counted.
const formulasKept = 20

// maxSheetRows is Excel's last row.
const maxSheetRows = 1 << 20

// sheetScan is where a worksheet's formulas are.
type sheetScan struct {
	formulas     map[int][]int // column → rows of the first formula cells in it
	formulaCount map[int]int   // column → formula cells in it
}

// sheetReader reads a worksheet's rows in one pass over its XML, as it
// streams out of the zip. It refuses, at the first offending cell, content
// beyond lim.MaxCols or more than lim.MaxRows rows with content, and notes
// where the formulas are. A cell has content when the text of its value
// is not blank, or when it holds a formula.
//
// Rows and cells without an r attribute follow the one before, as excelize
// placed them. Values are as stored: "18.77", not as formatted.
type sheetReader struct {
	x    *xmlReader
	name string
	lim  Limits
	sst  *sharedStrings
	scan sheetScan

	row   int      // number of the row last read
	cells []string // its values by column, from 0; "" where empty
	rows  int      // rows with content so far
	keep  []bool   // by column number, the values to keep; nil keeps all

	dataDepth int  // depth of <sheetData>, 0 before it
	dataEnded bool // past </sheetData>

	// Reused from cell to cell and from row to row.
	value, inline, other []byte
	rowText              []byte // the text values of the row, one after another
	pending              []cellValue
}

// cellValue is a value of the row being read: a shared string, or a
// span of rowText.
type cellValue struct {
	col        int
	shared     string
	start, end int
}

func newSheetReader(name string, part io.Reader, sst *sharedStrings, lim Limits) *sheetReader {
	return &sheetReader{x: newXMLReader(part), name: name, lim: lim, sst: sst,
		scan: sheetScan{formulas: map[int][]int{}, formulaCount: map[int]int{}}}
}

// keepColumns keeps from now on only the values of the columns given, by
// their 0-based index; -1 is skipped.
func (s *sheetReader) keepColumns(indexes ...int) {
	s.keep = make([]bool, s.lim.MaxCols+1)
	for _, i := range indexes {
		if i >= 0 && i < s.lim.MaxCols {
			s.keep[i+1] = true
		}
	}
}

func (s *sheetReader) keeps(col int) bool {
	return s.keep == nil || col < len(s.keep) && s.keep[col]
}

// nextRow reads up to the next row with content, and reports false when
// there is none. After the sheet data it reads the rest of the part, to
// know it is whole.
func (s *sheetReader) nextRow() (bool, error) {
	for {
		tok, err := s.x.next()
		if err != nil {
			return false, s.damaged()
		}
		switch tok {
		case xmlEOF:
			return false, nil
		case xmlStart:
			switch {
			case s.dataDepth == 0 && string(s.x.local) == "sheetData":
				s.dataDepth = s.x.depth()
			case s.dataDepth > 0 && !s.dataEnded && s.x.depth() == s.dataDepth+1 && string(s.x.local) == "row":
				if ok, err := s.readRow(); ok || err != nil {
					return ok, err
				}
			}
		case xmlEnd:
			if s.dataDepth > 0 && s.x.depth() == s.dataDepth-1 {
				s.dataEnded = true
			}
		}
	}
}

// skipBlankRows reads up to the first row with text that is not blank,
// the header, and reports whether there is one. Rows that hold only
// formulas computed to nothing come before it.
func (s *sheetReader) skipBlankRows() (bool, error) {
	for {
		ok, err := s.nextRow()
		if err != nil || !ok {
			return false, err
		}
		for _, c := range s.cells {
			if strings.TrimSpace(c) != "" {
				return true, nil
			}
		}
	}
}

// skipRest reads the rest of the sheet for its problems, keeping nothing.
func (s *sheetReader) skipRest() error {
	s.keepColumns()
	for {
		ok, err := s.nextRow()
		if err != nil || !ok {
			return err
		}
	}
}

// damaged is the problem for a part that is not XML, or fails to inflate.
func (s *sheetReader) damaged() error {
	return damaged(sheetRef(s.name))
}

// readRow reads a row from its start tag to its end, and reports whether
// it had content.
func (s *sheetReader) readRow() (bool, error) {
	row := s.row + 1
	if r, ok := s.x.attr("r"); ok {
		if row, ok = parseRowNumber(r); !ok || row <= s.row {
			return false, s.damaged() // rows come in order, as Excel writes them
		}
	}
	if row > maxSheetRows {
		return false, s.damaged()
	}
	s.row = row
	s.cells, s.rowText, s.pending = s.cells[:0], s.rowText[:0], s.pending[:0]
	depth, col, content := s.x.depth(), 0, false
	for {
		tok, err := s.x.next()
		if err != nil {
			return false, s.damaged()
		}
		switch {
		case tok == xmlStart && s.x.depth() == depth+1 && string(s.x.local) == "c":
			var has bool
			if col, has, err = s.readCell(col); err != nil {
				return false, err
			}
			content = content || has
		case tok == xmlEnd && s.x.depth() == depth-1:
			if !content {
				return false, nil
			}
			if s.rows++; s.rows > s.lim.MaxRows || s.row > s.lim.MaxRows {
				return false, refuse(sheetWhere(s.name, s.row),
					fmt.Sprintf("行数超过 %d 行的上限，请拆分成几个文件上传", s.lim.MaxRows),
					fmt.Sprintf("more than %d rows; split the file into several", s.lim.MaxRows))
			}
			s.fillCells()
			return true, nil
		}
	}
}

// fillCells puts the row's values in s.cells: the text values as slices of
// one string, one allocation for the row.
func (s *sheetReader) fillCells() {
	text := string(s.rowText)
	for _, v := range s.pending {
		for len(s.cells) < v.col {
			s.cells = append(s.cells, "")
		}
		if v.end > v.start {
			s.cells[v.col-1] = text[v.start:v.end]
		} else {
			s.cells[v.col-1] = v.shared
		}
	}
}

// cellKind is a cell's t attribute, as far as reading its value goes.
type cellKind int

const (
	cellNumber       cellKind = iota // t="n" or none; also b, d, e, str: <v> as it is
	cellSharedString                 // t="s": <v> indexes the shared strings
	cellInlineString                 // t="inlineStr": <is>, else <v>
)

// textTarget is where the text read in a cell goes.
type textTarget int

const (
	toNothing textTarget = iota
	toValue              // <v>
	toInline             // the <t> of <is>, or of its runs
	toOther              // any other <t>, such as a phonetic run's: only its blankness counts
)

// readCell reads a cell from its start tag to its end. It returns the
// cell's column, following prev when it has no reference, and whether the
// cell has content.
func (s *sheetReader) readCell(prev int) (col int, content bool, err error) {
	x := s.x
	col = prev + 1
	if r, ok := x.attr("r"); ok {
		if col, ok = parseColumn(r); !ok {
			return 0, false, s.damaged()
		}
	}
	kind := cellNumber
	if t, _ := x.attr("t"); string(t) == "s" {
		kind = cellSharedString
	} else if string(t) == "inlineStr" {
		kind = cellInlineString
	}
	s.value, s.inline = s.value[:0], s.inline[:0]
	var (
		formula, inline                  bool
		target                           textTarget
		depth                            = x.depth()
		textDepth, inlineDepth, runDepth int
	)
	for {
		tok, err := x.next()
		if err != nil {
			return 0, false, s.damaged()
		}
		switch tok {
		case xmlStart:
			d := x.depth()
			switch string(x.local) {
			case "v":
				target, textDepth = toOther, d
				if inlineDepth == 0 {
					target, s.value = toValue, s.value[:0] // the last <v> counts
				}
			case "t":
				target, textDepth = toOther, d
				if inlineDepth > 0 && (d == inlineDepth+1 || runDepth > 0 && d == runDepth+1) {
					target = toInline
				}
			case "f":
				formula = true
			case "is":
				if d == depth+1 {
					inline, inlineDepth = true, d
				}
			case "r":
				if inlineDepth > 0 && d == inlineDepth+1 {
					runDepth = d
				}
			}
		case xmlText:
			if target == toNothing || x.depth() != textDepth {
				continue
			}
			nonBlank, ok := s.cellText(target)
			if !ok {
				return 0, false, s.damaged()
			}
			content = content || nonBlank
		case xmlEnd:
			switch d := x.depth() + 1; d {
			case depth:
				return col, content || formula, s.endCell(col, kind, inline, content, formula)
			case textDepth:
				target, textDepth = toNothing, 0
			case runDepth:
				runDepth = 0
			case inlineDepth:
				inlineDepth = 0
			}
		}
	}
}

// cellText decodes the text token read in a cell to where it goes, and
// reports whether it is not blank and whether it is text XML allows.
func (s *sheetReader) cellText(target textTarget) (nonBlank, ok bool) {
	buf := &s.other
	switch target {
	case toValue:
		buf = &s.value
	case toInline:
		buf = &s.inline
	default:
		s.other = s.other[:0]
	}
	start := len(*buf)
	if *buf, ok = appendText(*buf, s.x.text, s.x.cdata); !ok {
		return false, false
	}
	return !blank((*buf)[start:]), true
}

// endCell checks a cell that has been read and keeps its value.
func (s *sheetReader) endCell(col int, kind cellKind, inline, content, formula bool) error {
	if !content && !formula {
		return nil // blank: nothing in it is read, and it counts for no limit
	}
	if col > s.lim.MaxCols {
		return refuse(cellName(s.name, col, s.row),
			fmt.Sprintf("第 %d 行超出了 %d 列的上限：请删去多余的列", s.row, s.lim.MaxCols),
			fmt.Sprintf("row %d goes beyond the limit of %d columns; delete the extra columns", s.row, s.lim.MaxCols))
	}
	if formula {
		s.scan.formulaCount[col]++
		if len(s.scan.formulas[col]) < formulasKept {
			s.scan.formulas[col] = append(s.scan.formulas[col], s.row)
		}
	}
	if !s.keeps(col) {
		return nil
	}
	text := s.value
	switch {
	case kind == cellSharedString:
		index := bytes.TrimSpace(s.value)
		if len(index) == 0 {
			return nil
		}
		i, ok := parseIndex(index)
		v, found := s.sst.at(i)
		if !ok || !found {
			return damaged(sheetWhere(s.name, s.row))
		}
		if v != "" {
			s.pending = append(s.pending, cellValue{col: col, shared: v})
		}
		return nil
	case kind == cellInlineString && inline:
		text = decodeEscapes(s.inline)
	}
	if len(text) > 0 {
		start := len(s.rowText)
		s.rowText = append(s.rowText, text...)
		s.pending = append(s.pending, cellValue{col: col, start: start, end: len(s.rowText)})
	}
	return nil
}

func blank(b []byte) bool { return len(bytes.TrimSpace(b)) == 0 }

// parseRowNumber reads the r of a row: 1 to Excel's last row.
func parseRowNumber(b []byte) (int, bool) {
	n, ok := parseIndex(b)
	return n, ok && n >= 1 && n <= maxSheetRows
}

// parseIndex reads a non-negative decimal number, refusing one too large
// to matter here.
func parseIndex(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 10 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// parseColumn reads the column of a cell reference such as "AB12". A
// column past Excel's last (XFD) still counts, as a large number, so that
// a cell there is refused as too wide rather than as damaged.
func parseColumn(ref []byte) (int, bool) {
	n, i := 0, 0
	for ; i < len(ref); i++ {
		c := ref[i] | 0x20 // lower case
		if c < 'a' || c > 'z' {
			break
		}
		n = min(n*26+int(c-'a')+1, 1<<30)
	}
	if _, ok := parseRowNumber(ref[i:]); i == 0 || !ok {
		return 0, false
	}
	return n, true
}

// isProblems tells the problems a reader found in a file from other errors.
func isProblems(err error) (Problems, bool) {
	var ps Problems
	return ps, errors.As(err, &ps)
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
