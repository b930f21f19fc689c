package docx

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"unicode"
)

// Run is a stretch of text of one look within a paragraph.
type Run struct {
	Text string
	Bold bool
	// Color is the text colour as six hex digits, "C00000" or "#C00000";
	// "" keeps the style's (black).
	Color string
	// Size is the font size in points (10.5 is 五号, 16 is 三号); 0 keeps
	// the style's.
	Size float64
}

func (r Run) check() error {
	if r.Color != "" {
		if _, err := hexColor(r.Color); err != nil {
			return err
		}
	}
	if r.Size != 0 && !(r.Size >= 1 && r.Size <= 1638) { // NaN fails too
		return fmt.Errorf("font size %v points, want 1 to 1638", r.Size)
	}
	return nil
}

func (r Run) render(b *xmlBuffer) {
	b.raw("<w:r>")
	if r.Bold || r.Color != "" || r.Size != 0 {
		// The order of the elements is the schema's: Word refuses others.
		b.raw("<w:rPr>")
		if r.Bold {
			b.raw("<w:b/><w:bCs/>")
		}
		if r.Color != "" {
			c, _ := hexColor(r.Color) // checked
			b.rawf(`<w:color w:val="%s"/>`, c)
		}
		if r.Size != 0 {
			half := int(math.Round(r.Size * 2))
			b.rawf(`<w:sz w:val="%d"/><w:szCs w:val="%d"/>`, half, half)
		}
		b.raw("</w:rPr>")
	}
	b.runContent(r.Text)
	b.raw("</w:r>")
}

// hexColor returns a colour given as six hex digits, with or without a
// leading "#", as WordprocessingML writes it: upper case, no "#".
func hexColor(s string) (string, error) {
	c := strings.TrimPrefix(s, "#")
	if len(c) != 6 || strings.Trim(c, "0123456789abcdefABCDEF") != "" {
		return "", fmt.Errorf("colour %q is not six hex digits such as C00000", s)
	}
	return strings.ToUpper(c), nil
}

// xmlBuffer is a part being written. Writing to memory cannot fail.
type xmlBuffer struct{ buf bytes.Buffer }

// raw writes s as it is: markup.
func (b *xmlBuffer) raw(s string) { b.buf.WriteString(s) }

// rawf writes markup made with fmt.
func (b *xmlBuffer) rawf(format string, args ...any) { fmt.Fprintf(&b.buf, format, args...) }

// runContent writes s as the content of a w:r: its text in w:t elements
// that keep their spaces, each line break as w:br and each tab as w:tab.
// "\r\n" and a lone "\r" are line breaks too.
func (b *xmlBuffer) runContent(s string) {
	s = strings.ReplaceAll(strings.ToValidUTF8(s, ""), "\r\n", "\n")
	open := false // whether a w:t is open
	for _, r := range strings.ReplaceAll(s, "\r", "\n") {
		switch {
		case r == '\n' || r == '\t':
			if open {
				b.raw("</w:t>")
				open = false
			}
			if r == '\n' {
				b.raw("<w:br/>")
			} else {
				b.raw("<w:tab/>")
			}
		case !allowed(r):
		default:
			if !open {
				b.raw(`<w:t xml:space="preserve">`)
				open = true
			}
			b.escapeRune(r)
		}
	}
	if open {
		b.raw("</w:t>")
	}
}

// text writes s as XML character data, escaped, without the characters
// XML forbids; tabs and line breaks are kept as they are.
func (b *xmlBuffer) text(s string) {
	for _, r := range strings.ToValidUTF8(s, "") {
		if r == '\t' || r == '\n' || r == '\r' || allowed(r) {
			b.escapeRune(r)
		}
	}
}

func (b *xmlBuffer) escapeRune(r rune) {
	switch r {
	case '&':
		b.raw("&amp;")
	case '<':
		b.raw("&lt;")
	case '>':
		b.raw("&gt;")
	case '"':
		b.raw("&quot;")
	case '\'':
		b.raw("&apos;")
	case '\r':
		b.raw("&#xD;") // a literal one would be read as "\n"
	default:
		b.buf.WriteRune(r)
	}
}

// allowed reports whether r may stand in a document's text, tab and line
// breaks aside. XML 1.0 forbids the C0 controls, U+FFFE and U+FFFF; the
// other controls (DEL and C1) are legal XML but never meant as text, and
// some readers show them as boxes. (Invalid UTF-8 is dropped before.)
func allowed(r rune) bool {
	return !unicode.IsControl(r) && r != 0xFFFE && r != 0xFFFF
}
