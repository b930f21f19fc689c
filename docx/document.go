package docx

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// Options describe the document as a whole.
type Options struct {
	Title  string // shown in the file's properties, not on the page
	Author string
	// Lang is the language of the text, a BCP 47 tag; "zh-CN" when empty.
	Lang string
	// Page is the paper and its margins; the zero Page is A4Portrait().
	Page Page
	// Created is the date in the file's properties; the zero time leaves
	// it out (the package reads no clock, so output stays deterministic).
	Created time.Time
}

// Page is a page's size and margins, in millimetres.
type Page struct {
	Width, Height            float64
	Top, Right, Bottom, Left float64
}

// A4Portrait is A4 upright with the margins of GB/T 9704-2012 (the format
// of Party and government documents): a 156 × 225 mm type area, 37 mm
// from the top and 28 mm from the binding edge.
func A4Portrait() Page {
	return Page{Width: 210, Height: 297, Top: 37, Right: 26, Bottom: 35, Left: 28}
}

// textWidth is the width between the margins, in twips.
func (p Page) textWidth() int { return twips(p.Width) - twips(p.Left) - twips(p.Right) }

func (p Page) check() error {
	for _, v := range []float64{p.Width, p.Height, p.Top, p.Right, p.Bottom, p.Left} {
		// Word takes pages up to 22 inches (558.8 mm) a side.
		if !(v >= 0 && v <= 558.8) { // NaN fails too
			return fmt.Errorf("page %+v: sizes must be between 0 and 558.8 mm", p)
		}
	}
	// Word wants room for at least a few characters between the margins.
	if p.Width-p.Left-p.Right < 20 || p.Height-p.Top-p.Bottom < 20 {
		return fmt.Errorf("page %+v: margins leave less than 20 mm for the text", p)
	}
	return nil
}

// twips converts millimetres to twentieths of a point, WordprocessingML's
// unit of length.
func twips(mm float64) int { return int(math.Round(mm * 1440 / 25.4)) }

// Alignment is how a paragraph's lines sit between the margins.
type Alignment int

// The alignments. Left is the zero value.
const (
	Left Alignment = iota
	Center
	Right
	// Justify stretches full lines to both margins (两端对齐), usual for
	// Chinese body text.
	Justify
)

// jc is the alignment's w:jc value, "" for Left (the styles' default).
func (a Alignment) jc() (string, error) {
	switch a {
	case Left:
		return "", nil
	case Center:
		return "center", nil
	case Right:
		return "right", nil
	case Justify:
		return "both", nil
	}
	return "", fmt.Errorf("alignment %d is not Left, Center, Right or Justify", int(a))
}

// Document is a Word document being built. Its methods add blocks in
// order; Write writes it. A Document is not safe for concurrent use.
type Document struct {
	opts   Options
	blocks []block
}

// block is a paragraph or a table of the body.
type block interface {
	check() error
	// render writes the block as WordprocessingML; textWidth is the width
	// between the margins in twips.
	render(b *xmlBuffer, textWidth int)
}

// New starts an empty document.
func New(opts Options) *Document {
	if opts.Lang == "" {
		opts.Lang = "zh-CN"
	}
	if opts.Page == (Page{}) {
		opts.Page = A4Portrait()
	}
	return &Document{opts: opts}
}

// Paragraph is a paragraph of the document, returned so that its
// alignment can be set: doc.Text("古交市人民政府督查室").Align(docx.Right).
type Paragraph struct {
	heading   bool
	level     int // of a heading, 1 to 3
	align     Alignment
	runs      []Run
	pageBreak bool
}

// Align sets the paragraph's alignment and returns the paragraph.
func (p *Paragraph) Align(a Alignment) *Paragraph {
	p.align = a
	return p
}

// Heading adds a heading of level 1 to 3 (styles Heading 1 to 3, in 黑体,
// which Word lists in its navigation pane).
func (d *Document) Heading(level int, text string) *Paragraph {
	return d.add(&Paragraph{heading: true, level: level, runs: []Run{{Text: text}}})
}

// Paragraph adds a paragraph of body text made of runs.
func (d *Document) Paragraph(runs ...Run) *Paragraph {
	return d.add(&Paragraph{runs: slices.Clone(runs)})
}

// Text adds a paragraph of plain body text.
func (d *Document) Text(s string) *Paragraph {
	return d.add(&Paragraph{runs: []Run{{Text: s}}})
}

// PageBreak starts a new page.
func (d *Document) PageBreak() {
	d.add(&Paragraph{pageBreak: true})
}

func (d *Document) add(p *Paragraph) *Paragraph {
	d.blocks = append(d.blocks, p)
	return p
}

func (p *Paragraph) check() error {
	if p.heading && (p.level < 1 || p.level > 3) {
		return fmt.Errorf("heading level %d, want 1 to 3", p.level)
	}
	if _, err := p.align.jc(); err != nil {
		return err
	}
	for i, r := range p.runs {
		if err := r.check(); err != nil {
			return fmt.Errorf("run %d: %w", i+1, err)
		}
	}
	return nil
}

func (p *Paragraph) render(b *xmlBuffer, _ int) {
	if p.pageBreak {
		b.raw(`<w:p><w:r><w:br w:type="page"/></w:r></w:p>` + "\n")
		return
	}
	jc, _ := p.align.jc() // checked
	b.raw("<w:p>")
	if p.heading || jc != "" {
		b.raw("<w:pPr>")
		if p.heading {
			b.rawf(`<w:pStyle w:val="Heading%d"/>`, p.level)
		}
		if jc != "" {
			b.rawf(`<w:jc w:val="%s"/>`, jc)
		}
		b.raw("</w:pPr>")
	}
	for _, r := range p.runs {
		r.render(b)
	}
	b.raw("</w:p>\n")
}

// check reports the first mistake in building the document, naming the
// block it is in.
func (d *Document) check() error {
	if err := d.opts.Page.check(); err != nil {
		return err
	}
	if !validLang(d.opts.Lang) {
		return fmt.Errorf("language %q is not a BCP 47 tag such as zh-CN", d.opts.Lang)
	}
	for i, blk := range d.blocks {
		if err := blk.check(); err != nil {
			return fmt.Errorf("%s %d of the body: %w", blockKind(blk), i+1, err)
		}
	}
	return nil
}

func blockKind(blk block) string {
	if p, ok := blk.(*Paragraph); ok && p.heading {
		return "heading"
	}
	if _, ok := blk.(*table); ok {
		return "table"
	}
	return "paragraph"
}

// validLang accepts the shape of a BCP 47 tag (letters and digits in
// subtags of 1 to 8, joined by hyphens), enough to keep it a plain
// attribute value.
func validLang(tag string) bool {
	n := 0
	for i := 0; i < len(tag); i++ {
		c := tag[i]
		switch {
		case c == '-':
			if n == 0 {
				return false
			}
			n = 0
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
			n++
			if n > 8 {
				return false
			}
		default:
			return false
		}
	}
	return n > 0
}
