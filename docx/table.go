package docx

import (
	"fmt"
	"slices"
)

// TableOptions shape a table. The zero value is a plain table whose
// columns share the width between the margins equally.
type TableOptions struct {
	// ColumnWidths are in millimetres, one for each column; nil shares the
	// width between the margins equally.
	ColumnWidths []float64
	// ColumnAlign aligns the body cells of each column (figures read best
	// on the right); missing columns are Left. Header cells are centred.
	ColumnAlign []Alignment
	HeaderBold  bool
	// HeaderShading fills the header cells, six hex digits; "" leaves
	// them white.
	HeaderShading string
	// Cells styles body cells one by one, indexed like the rows; a row or
	// cell left out is plain.
	Cells [][]CellStyle
}

// CellStyle is the look of one body cell, such as a red light label.
type CellStyle struct {
	Shading string // fill, six hex digits; "" for none
	Color   string // text colour, six hex digits; "" for black
	Bold    bool
}

// table is a table of the body: a header row, repeated at the top of each
// page, and body rows, every cell bordered.
type table struct {
	header []string
	rows   [][]string
	opts   TableOptions
}

// Table adds a table. header may be empty for a table without one. A row
// shorter than the widest is filled with empty cells; "\n" in a cell is a
// line break.
func (d *Document) Table(header []string, rows [][]string, opts TableOptions) {
	t := &table{header: slices.Clone(header), rows: make([][]string, len(rows)), opts: opts}
	for i, r := range rows {
		t.rows[i] = slices.Clone(r)
	}
	t.opts.ColumnWidths = slices.Clone(opts.ColumnWidths)
	t.opts.ColumnAlign = slices.Clone(opts.ColumnAlign)
	t.opts.Cells = make([][]CellStyle, len(opts.Cells))
	for i, r := range opts.Cells {
		t.opts.Cells[i] = slices.Clone(r)
	}
	d.blocks = append(d.blocks, t)
}

func (t *table) columns() int {
	n := len(t.header)
	for _, r := range t.rows {
		n = max(n, len(r))
	}
	return n
}

func (t *table) check() error {
	n := t.columns()
	if n == 0 {
		return fmt.Errorf("no cells")
	}
	o := t.opts
	if o.ColumnWidths != nil && len(o.ColumnWidths) != n {
		return fmt.Errorf("%d column widths for %d columns", len(o.ColumnWidths), n)
	}
	for i, w := range o.ColumnWidths {
		if !(w >= 2 && w <= 558.8) { // NaN fails too
			return fmt.Errorf("column %d: width %v mm, want 2 to 558.8", i+1, w)
		}
	}
	if len(o.ColumnAlign) > n {
		return fmt.Errorf("%d column alignments for %d columns", len(o.ColumnAlign), n)
	}
	for i, a := range o.ColumnAlign {
		if _, err := a.jc(); err != nil {
			return fmt.Errorf("column %d: %w", i+1, err)
		}
	}
	if o.HeaderShading != "" {
		if _, err := hexColor(o.HeaderShading); err != nil {
			return fmt.Errorf("header shading: %w", err)
		}
	}
	if len(o.Cells) > len(t.rows) {
		return fmt.Errorf("cell styles for %d rows, the table has %d", len(o.Cells), len(t.rows))
	}
	for i, r := range o.Cells {
		if len(r) > n {
			return fmt.Errorf("row %d: cell styles for %d columns, the table has %d", i+1, len(r), n)
		}
		for j, c := range r {
			if err := c.check(); err != nil {
				return fmt.Errorf("row %d column %d: %w", i+1, j+1, err)
			}
		}
	}
	return nil
}

func (c CellStyle) check() error {
	for _, s := range []string{c.Shading, c.Color} {
		if s != "" {
			if _, err := hexColor(s); err != nil {
				return err
			}
		}
	}
	return nil
}

// widths returns the columns' widths in twips.
func (t *table) widths(textWidth int) []int {
	n := t.columns()
	w := make([]int, n)
	for i := range w {
		if t.opts.ColumnWidths != nil {
			w[i] = twips(t.opts.ColumnWidths[i])
		} else {
			w[i] = textWidth / n
		}
	}
	return w
}

func (t *table) render(b *xmlBuffer, textWidth int) {
	widths := t.widths(textWidth)
	total := 0
	for _, w := range widths {
		total += w
	}
	// A fixed layout makes Word and LibreOffice keep the widths given
	// instead of fitting columns to their text.
	b.rawf(`<w:tbl><w:tblPr><w:tblW w:w="%d" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders>`, total)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		b.rawf(`<w:%s w:val="single" w:sz="4" w:space="0" w:color="000000"/>`, side)
	}
	b.raw(`</w:tblBorders><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>`)
	for _, w := range widths {
		b.rawf(`<w:gridCol w:w="%d"/>`, w)
	}
	b.raw("</w:tblGrid>\n")
	if len(t.header) > 0 {
		// The header row repeats at the top of every page the table spans.
		b.raw("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>\n")
		for j, w := range widths {
			c := CellStyle{Shading: t.opts.HeaderShading, Bold: t.opts.HeaderBold}
			renderCell(b, cellAt(t.header, j), w, Center, c)
		}
		b.raw("</w:tr>\n")
	}
	for i, row := range t.rows {
		b.raw("<w:tr><w:trPr><w:cantSplit/></w:trPr>\n")
		for j, w := range widths {
			var c CellStyle
			if i < len(t.opts.Cells) && j < len(t.opts.Cells[i]) {
				c = t.opts.Cells[i][j]
			}
			align := Left
			if j < len(t.opts.ColumnAlign) {
				align = t.opts.ColumnAlign[j]
			}
			renderCell(b, cellAt(row, j), w, align, c)
		}
		b.raw("</w:tr>\n")
	}
	b.raw("</w:tbl>\n")
}

func cellAt(row []string, j int) string {
	if j < len(row) {
		return row[j]
	}
	return ""
}

// renderCell writes one cell: a single paragraph in the compact Table Text
// style (Word refuses a cell without a paragraph, so an empty cell has an
// empty one).
func renderCell(b *xmlBuffer, text string, width int, align Alignment, c CellStyle) {
	b.rawf(`<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/>`, width)
	if c.Shading != "" {
		fill, _ := hexColor(c.Shading) // checked
		b.rawf(`<w:shd w:val="clear" w:color="auto" w:fill="%s"/>`, fill)
	}
	b.raw(`<w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="TableText"/>`)
	if jc, _ := align.jc(); jc != "" { // checked
		b.rawf(`<w:jc w:val="%s"/>`, jc)
	}
	b.raw("</w:pPr>")
	if text != "" {
		Run{Text: text, Bold: c.Bold, Color: c.Color}.render(b)
	}
	b.raw("</w:p></w:tc>\n")
}
