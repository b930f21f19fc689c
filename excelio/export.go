package excelio

import (
	"encoding/csv"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/lantu/lantu/apperr"
	"github.com/xuri/excelize/v2"
)

// SafeCells applies SafeCell to every cell, in place, and returns them.
func SafeCells(cells ...string) []string {
	for i, c := range cells {
		cells[i] = SafeCell(c)
	}
	return cells
}

// SafeCell neutralises text that Excel or LibreOffice would read as a
// formula (OWASP "CSV injection"): a leading = + - @, tab or carriage
// return gets a leading apostrophe. Plain numbers, negative ones included,
// are left alone so that they stay numbers.
func SafeCell(s string) string {
	if s == "" || isPlainNumber(s) {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// isPlainNumber matches -?digits[.digits][e[+-]digits]: what a spreadsheet
// reads as a number and nothing else.
func isPlainNumber(s string) bool {
	s = trimPrefix(s, '-')
	mantissa, exp := s, ""
	for i := 0; i < len(s); i++ {
		if s[i] == 'e' || s[i] == 'E' {
			mantissa, exp = s[:i], s[i+1:]
			if exp == "" {
				return false
			}
			break
		}
	}
	whole, frac, dot := cut(mantissa, '.')
	if !digits(whole) || (dot && !digits(frac)) {
		return false
	}
	return exp == "" || digits(trimPrefix(trimPrefix(exp, '+'), '-'))
}

// tableNumber says whether an export cell is better written as a number:
// a plain decimal without leading zeros (codes such as "007" stay text)
// and with no more digits than a float64 keeps (15).
func tableNumber(s string) (float64, bool) {
	u := trimPrefix(s, '-')
	whole, frac, dot := cut(u, '.')
	if !digits(whole) || (dot && !digits(frac)) || (len(whole) > 1 && whole[0] == '0') {
		return 0, false
	}
	significant := len(whole) + len(frac)
	if whole == "0" {
		significant = len(frac)
	}
	if significant > 15 {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

func trimPrefix(s string, c byte) string {
	if len(s) > 0 && s[0] == c {
		return s[1:]
	}
	return s
}

func cut(s string, sep byte) (before, after string, found bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == sep {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// WriteCSV writes a table as CSV for Excel: UTF-8 with a BOM (without one,
// Excel on Chinese Windows reads it as GB18030) and every cell through
// SafeCell.
func WriteCSV(w io.Writer, header []string, rows [][]string) (err error) {
	defer apperr.Wrap(&err, "excelio.WriteCSV")
	if _, err := w.Write(utf8BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	var safe []string
	for _, row := range append([][]string{header}, rows...) {
		safe = safe[:0]
		for _, c := range row {
			safe = append(safe, SafeCell(c))
		}
		if err := cw.Write(safe); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteTable writes a table as an .xlsx with one sheet: a bold, frozen
// header and text cells through SafeCell, except plain numbers, which are
// written as numbers. It streams, so a million rows are fine.
func WriteTable(w io.Writer, sheet string, header []string, rows [][]string) (err error) {
	defer apperr.Wrap(&err, "excelio.WriteTable(%q)", sheet)
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	if sheet == "" {
		sheet = "Sheet1"
	}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	for i, width := range columnWidths(header, rows) {
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	values := make([]any, 0, len(header))
	for _, h := range header {
		values = append(values, excelize.Cell{StyleID: bold, Value: SafeCell(h)})
	}
	if err := sw.SetRow("A1", values); err != nil {
		return err
	}
	for i, row := range rows {
		values = values[:0]
		for _, c := range row {
			if n, ok := tableNumber(c); ok {
				values = append(values, n)
			} else {
				values = append(values, SafeCell(c))
			}
		}
		cell, err := excelize.CoordinatesToCellName(1, i+2)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, values); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// columnWidths sizes columns to the header and the first rows, counting a
// Chinese character as two, between 8 and 60 characters.
func columnWidths(header []string, rows [][]string) []float64 {
	widths := make([]float64, len(header))
	measure := func(row []string) {
		for i, c := range row {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			n := 0
			for _, r := range c {
				n++
				if utf8.RuneLen(r) > 2 {
					n++
				}
			}
			widths[i] = max(widths[i], float64(n+2))
		}
	}
	measure(header)
	for _, row := range rows[:min(len(rows), 200)] {
		measure(row)
	}
	for i := range widths {
		widths[i] = min(max(widths[i], 8), 60)
	}
	return widths
}
