package excelio

import (
	"bytes"
	"errors"
	"io"
	"math/bits"
	"unicode/utf8"
)

// xmlReader tokenises an XML part of a workbook as it streams out of the
// zip. It is a small fraction of encoding/xml: elements, attributes and
// text, no namespaces (names are matched by their local part, so <x:row>
// is a row) and no DTD. It checks what tells a damaged part from a sound
// one (tags that match, quoted attributes, a document that ends) and, in
// the text a reader decodes, the entities and the characters XML allows.
//
// Tokens point into its buffer and are valid until the next call to next.
type xmlReader struct {
	src      io.Reader
	buf      []byte
	pos, end int  // buf[pos:end] is read from src but not yet tokenised
	eof      bool // src is exhausted
	err      error
	root     bool // the root element has started

	open    []uint64 // hashes of the names of the open elements
	closing bool     // the last start tag was self-closing: its end comes next

	// The current token.
	local []byte     // start and end: the local name, without a prefix
	attrs []xmlAttr  // start
	text  []byte     // text: raw, still with entities, unless cdata
	cdata bool       // text: from a CDATA section, to be taken as it is
	tag   []byte     // start: the whole tag, which attrs index
	names [8]xmlAttr // attrs' backing array for the usual few attributes

	attrText []byte // an attribute's value with its entities decoded
}

type xmlToken int

const (
	xmlEOF xmlToken = iota // the document ended, well-formed
	xmlStart
	xmlEnd
	xmlText
)

// xmlAttr is an attribute as offsets into xmlReader.tag.
type xmlAttr struct{ name, nameEnd, value, valueEnd int }

const (
	xmlReadSize = 64 << 10
	// maxXMLToken bounds a tag, a comment or a CDATA section, the things
	// kept whole in memory; Excel's cells hold at most 32,767 characters.
	maxXMLToken = 4 << 20
	maxXMLDepth = 256
)

// errXMLSyntax is any way a part fails to be XML; the user is only told the
// file is damaged.
var errXMLSyntax = errors.New("excelio: XML syntax error")

func newXMLReader(src io.Reader) *xmlReader {
	return &xmlReader{src: src, buf: make([]byte, xmlReadSize)}
}

// depth is the number of open elements, the current start tag's included.
func (x *xmlReader) depth() int { return len(x.open) }

// next reads the next token. At the end of a well-formed document it
// returns xmlEOF; a document that is not XML gives errXMLSyntax, and a
// failing read its error.
func (x *xmlReader) next() (xmlToken, error) {
	if x.closing {
		x.closing = false
		x.pop()
		return xmlEnd, nil
	}
	for {
		if x.pos == x.end && !x.more() {
			if x.err != nil {
				return xmlEOF, x.err
			}
			if !x.root || x.depth() > 0 {
				return xmlEOF, errXMLSyntax
			}
			return xmlEOF, nil
		}
		if x.buf[x.pos] != '<' {
			return x.readText()
		}
		if !x.ensure(2) {
			return xmlEOF, x.failure()
		}
		var err error
		switch x.buf[x.pos+1] {
		case '/':
			return x.endTag()
		case '?':
			err = x.instruction()
		case '!':
			var tok bool
			if tok, err = x.bang(); tok && err == nil {
				return xmlText, nil
			}
		default:
			return x.startTag()
		}
		if err != nil {
			return xmlEOF, err
		}
	}
}

// more reads more of the part, moving what is left to the start of the
// buffer and growing it when a token fills it. It reports false at the end
// of the part or on an error, kept in x.err.
func (x *xmlReader) more() bool {
	if x.eof || x.err != nil {
		return false
	}
	if x.pos > 0 {
		x.end = copy(x.buf, x.buf[x.pos:x.end])
		x.pos = 0
	}
	if x.end == len(x.buf) {
		if len(x.buf) >= maxXMLToken {
			x.err = errXMLSyntax
			return false
		}
		x.buf = append(x.buf, make([]byte, len(x.buf))...)
	}
	for empty := 0; empty < 100; empty++ {
		n, err := x.src.Read(x.buf[x.end:])
		x.end += n
		if errors.Is(err, io.EOF) {
			x.eof = true
			return n > 0
		}
		if err != nil {
			x.err = err
			return false
		}
		if n > 0 {
			return true
		}
	}
	x.err = io.ErrNoProgress
	return false
}

// ensure reads until n bytes are unread, and reports whether they are.
func (x *xmlReader) ensure(n int) bool {
	for x.end-x.pos < n {
		if !x.more() {
			return false
		}
	}
	return true
}

// failure is the error for a token cut short: the read error if there was
// one, else the part ended early.
func (x *xmlReader) failure() error {
	if x.err != nil {
		return x.err
	}
	return errXMLSyntax
}

// findString returns the offset from x.pos of the first delim, such as
// "-->", at or after x.pos+from, reading more of the part as needed.
func (x *xmlReader) findString(delim string, from int) (int, error) {
	for {
		if i := bytes.Index(x.buf[x.pos+from:x.end], []byte(delim)); i >= 0 {
			return from + i, nil
		}
		from = max(from, x.end-x.pos-len(delim)+1)
		if !x.more() {
			return 0, x.failure()
		}
	}
}

// readText returns the text up to the next tag. A long text comes in
// pieces, cut where no entity, line end or character is split, so that the
// buffer stays small.
func (x *xmlReader) readText() (xmlToken, error) {
	for from := 0; ; {
		if i := bytes.IndexByte(x.buf[x.pos+from:x.end], '<'); i >= 0 {
			x.text, x.cdata = x.buf[x.pos:x.pos+from+i], false
			x.pos += from + i
			return xmlText, nil
		}
		if x.end-x.pos >= xmlReadSize/2 || x.eof {
			n := x.end - x.pos
			if !x.eof {
				n = textCut(x.buf[x.pos:x.end])
			}
			x.text, x.cdata = x.buf[x.pos:x.pos+n], false
			x.pos += n
			return xmlText, nil
		}
		from = x.end - x.pos // searched already
		if !x.more() && x.err != nil {
			return xmlEOF, x.err
		}
	}
}

// textCut says how much of a piece of text can be decoded on its own: all
// but an entity, a CR (which may precede an LF) or a character cut at its
// end.
func textCut(b []byte) int {
	n := len(b)
	tail := max(0, n-16)
	if i := bytes.LastIndexByte(b[tail:], '&'); i >= 0 && bytes.IndexByte(b[tail+i:], ';') < 0 {
		n = tail + i
	}
	if n > 0 && b[n-1] == '\r' {
		n--
	}
	for i := n - 1; i >= max(0, n-utf8.UTFMax); i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:n]) {
				n = i
			}
			break
		}
	}
	return n
}

// startTag reads <name attr="value" …> or <name …/>.
func (x *xmlReader) startTag() (xmlToken, error) {
	for {
		whole, err := x.parseStartTag()
		if err != nil {
			return xmlEOF, err
		}
		if whole {
			return xmlStart, nil
		}
		if !x.more() {
			return xmlEOF, x.failure()
		}
	}
}

// parseStartTag parses the start tag at x.pos in one pass, and reports
// false when the buffer ends before it does.
func (x *xmlReader) parseStartTag() (bool, error) {
	b := x.buf[x.pos:x.end]
	i, local, hash := scanName(b, 1)
	if i == len(b) {
		return false, nil
	}
	if i == 1 || !isXMLSpace(b[i]) && b[i] != '/' && b[i] != '>' {
		return false, errXMLSyntax
	}
	name := b[local:i]
	x.attrs = x.names[:0]
	for {
		for i < len(b) && isXMLSpace(b[i]) {
			i++
		}
		if i == len(b) {
			return false, nil
		}
		switch b[i] {
		case '>':
			return true, x.opened(name, hash, b[:i+1], false)
		case '/':
			if i+1 == len(b) {
				return false, nil
			}
			if b[i+1] != '>' {
				return false, errXMLSyntax
			}
			return true, x.opened(name, hash, b[:i+2], true)
		}
		a, next, status := parseAttr(b, i)
		if status != attrOK {
			return false, status.err()
		}
		x.attrs = append(x.attrs, a)
		i = next
	}
}

// scanName reads the name at b[start:], up to the first byte that cannot
// be in one. It returns where the name ends, where its local part starts
// (past a prefix: a colon neither first nor last) and a hash of it, which
// holds its last eight bytes exactly and the others mixed in. The names in
// a workbook are ASCII, so this is rough but quick: letters, digits, "_",
// "-", ".", one ":" and any byte past ASCII. (It returns scalars: a struct
// made the compiler stall on its copy, a fifth of the time of the whole
// read.)
func scanName(b []byte, start int) (end, local int, hash uint64) {
	local = start
	i := start
	for ; i < len(b); i++ {
		c := b[i]
		if c <= '?' && (c < '0' || c > '9') && c != '-' && c != '.' {
			if c != ':' || local != start {
				break
			}
			local = i + 1
		}
		hash = bits.RotateLeft64(hash, 8) ^ uint64(c)
	}
	if local == start+1 || local == i {
		local = start // ":a" and "a:" are names without a prefix, to encoding/xml
	}
	return i, local, hash
}

// opened records the start tag just parsed.
func (x *xmlReader) opened(local []byte, hash uint64, tag []byte, selfClosing bool) error {
	if x.depth() >= maxXMLDepth {
		return errXMLSyntax
	}
	x.pos += len(tag)
	x.tag, x.closing, x.root = tag, selfClosing, true
	x.open = append(x.open, hash)
	x.local = local
	return nil
}

type attrStatus int

const (
	attrOK  attrStatus = iota
	attrCut            // the buffer ends in the attribute
	attrBad
)

func (s attrStatus) err() error {
	if s == attrBad {
		return errXMLSyntax
	}
	return nil
}

// parseAttr reads name="value" or name='value' at b[i:].
func parseAttr(b []byte, i int) (xmlAttr, int, attrStatus) {
	a := xmlAttr{name: i}
	i, _, _ = scanName(b, i)
	a.nameEnd = i
	for i < len(b) && isXMLSpace(b[i]) {
		i++
	}
	if i == len(b) {
		return a, 0, attrCut
	}
	if b[i] != '=' || a.nameEnd == a.name {
		return a, 0, attrBad
	}
	for i++; i < len(b) && isXMLSpace(b[i]); i++ {
	}
	if i == len(b) {
		return a, 0, attrCut
	}
	quote := b[i]
	if quote != '"' && quote != '\'' {
		return a, 0, attrBad
	}
	q := bytes.IndexByte(b[i+1:], quote)
	if q < 0 {
		return a, 0, attrCut
	}
	a.value, a.valueEnd = i+1, i+1+q
	if bytes.IndexByte(b[a.value:a.valueEnd], '<') >= 0 {
		return a, 0, attrBad
	}
	return a, a.valueEnd + 1, attrOK // encoding/xml wants no space before the next
}

// attr returns the value of the current start tag's attribute with no
// prefix named name, entities decoded.
func (x *xmlReader) attr(name string) ([]byte, bool) {
	for _, a := range x.attrs {
		if string(x.tag[a.name:a.nameEnd]) == name {
			v := x.tag[a.value:a.valueEnd]
			if bytes.IndexByte(v, '&') < 0 {
				return v, true
			}
			x.attrText, _ = appendText(x.attrText[:0], v, false) // undecodable: the caller refuses the value
			return x.attrText, true
		}
	}
	return nil, false
}

// endTag reads </name>, which must close the last element opened.
func (x *xmlReader) endTag() (xmlToken, error) {
	for {
		b := x.buf[x.pos:x.end]
		i, local, hash := scanName(b, 2)
		nameEnd := i
		for i < len(b) && isXMLSpace(b[i]) {
			i++
		}
		if i == len(b) {
			if !x.more() {
				return xmlEOF, x.failure()
			}
			continue
		}
		d := x.depth()
		if b[i] != '>' || nameEnd == 2 || d == 0 || x.open[d-1] != hash {
			return xmlEOF, errXMLSyntax
		}
		x.pos += i + 1
		x.local = b[local:nameEnd]
		x.pop()
		return xmlEnd, nil
	}
}

func (x *xmlReader) pop() { x.open = x.open[:len(x.open)-1] }

// instruction skips <?…?>, refusing an XML declaration of an encoding
// other than UTF-8, as encoding/xml does without a CharsetReader.
func (x *xmlReader) instruction() error {
	n, err := x.findString("?>", 2)
	if err != nil {
		return err
	}
	pi := x.buf[x.pos+2 : x.pos+n]
	x.pos += n + 2
	if !bytes.HasPrefix(pi, []byte("xml")) || len(pi) > 3 && !isXMLSpace(pi[3]) {
		return nil
	}
	if enc := declared(pi[3:], "encoding"); len(enc) > 0 && !bytes.EqualFold(enc, []byte("utf-8")) {
		return errXMLSyntax
	}
	return nil
}

// declared finds a pseudo-attribute of the XML declaration the way
// encoding/xml does, so that both read the same declarations.
func declared(decl []byte, name string) []byte {
	for {
		i := bytes.Index(decl, []byte(name+"="))
		if i < 0 || i+len(name)+1 >= len(decl) {
			return nil
		}
		decl = decl[i+len(name)+1:]
		if q := decl[0]; q == '"' || q == '\'' {
			if end := bytes.IndexByte(decl[1:], q); end >= 0 {
				return decl[1 : 1+end]
			}
			return nil
		}
	}
}

// bang skips a comment or reads a CDATA section, reporting whether it made
// a text token. A DTD is refused: no workbook part has one.
func (x *xmlReader) bang() (bool, error) {
	switch {
	case x.ensure(4) && string(x.buf[x.pos:x.pos+4]) == "<!--":
		n, err := x.findString("-->", 4)
		if err != nil {
			return false, err
		}
		x.pos += n + 3
		return false, nil
	case x.ensure(9) && string(x.buf[x.pos:x.pos+9]) == "<![CDATA[":
		n, err := x.findString("]]>", 9)
		if err != nil {
			return false, err
		}
		x.text, x.cdata = x.buf[x.pos+9:x.pos+n], true
		x.pos += n + 3
		return true, nil
	}
	return false, x.failure()
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// appendText decodes raw character data to dst: entities and character
// references, and CR LF or a lone CR read as LF, as encoding/xml does. It
// reports false for text XML does not allow: an unknown entity, invalid
// UTF-8, a control character.
func appendText(dst, raw []byte, cdata bool) ([]byte, bool) {
	for len(raw) > 0 {
		i := 0
		for i < len(raw) && raw[i] >= 0x20 && raw[i] < 0x80 && (raw[i] != '&' || cdata) {
			i++
		}
		dst = append(dst, raw[:i]...)
		raw = raw[i:]
		if len(raw) == 0 {
			break
		}
		switch c := raw[0]; {
		case c == '&':
			end := bytes.IndexByte(raw, ';')
			if end < 0 {
				return dst, false
			}
			r, ok := entity(raw[1:end])
			if !ok {
				return dst, false
			}
			dst = utf8.AppendRune(dst, r)
			raw = raw[end+1:]
		case c == '\r':
			dst = append(dst, '\n')
			raw = raw[1:]
			if len(raw) > 0 && raw[0] == '\n' {
				raw = raw[1:]
			}
		case c == '\t' || c == '\n':
			dst = append(dst, c)
			raw = raw[1:]
		case c < 0x20:
			return dst, false
		default:
			r, size := utf8.DecodeRune(raw)
			if r == utf8.RuneError && size == 1 || !xmlChar(r) {
				return dst, false
			}
			dst = append(dst, raw[:size]...)
			raw = raw[size:]
		}
	}
	return dst, true
}

// entity decodes the name of an entity or character reference, between &
// and ;.
func entity(name []byte) (rune, bool) {
	switch string(name) {
	case "amp":
		return '&', true
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "quot":
		return '"', true
	case "apos":
		return '\'', true
	}
	if len(name) < 2 || name[0] != '#' {
		return 0, false
	}
	digits, base := name[1:], rune(10)
	if digits[0] == 'x' {
		digits, base = digits[1:], 16
	}
	if len(digits) == 0 {
		return 0, false
	}
	var r rune
	for _, c := range digits {
		if r > utf8.MaxRune {
			return 0, false
		}
		var d rune
		switch {
		case '0' <= c && c <= '9':
			d = rune(c - '0')
		case base == 16 && 'a' <= c && c <= 'f':
			d = rune(c-'a') + 10
		case base == 16 && 'A' <= c && c <= 'F':
			d = rune(c-'A') + 10
		default:
			return 0, false
		}
		r = r*base + d
	}
	if r > utf8.MaxRune {
		return 0, false
	}
	if 0xD800 <= r && r <= 0xDFFF {
		r = utf8.RuneError // as string(rune(n)) makes it in encoding/xml
	}
	return r, xmlChar(r)
}

// xmlChar is XML's Char production.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// decodeEscapes decodes, in place, the _xHHHH_ escapes that Excel writes
// for characters XML cannot hold (_x000D_ for CR) and _x005F_ for an
// underscore, as excelize did for shared and inline strings: left to right,
// without overlap, dropping an escape of a surrogate.
func decodeEscapes(b []byte) []byte {
	if !bytes.Contains(b, []byte("_x")) {
		return b
	}
	out := b[:0]
	for i := 0; i < len(b); {
		if r, ok := escapeAt(b[i:]); ok {
			if utf8.ValidRune(r) {
				out = utf8.AppendRune(out, r)
			}
			i += 7
			continue
		}
		out = append(out, b[i])
		i++
	}
	return out
}

// escapeAt reads _xHHHH_ at the start of b. An invalid rune comes back
// as it is, for the caller to drop.
func escapeAt(b []byte) (rune, bool) {
	if len(b) < 7 || b[0] != '_' || b[1] != 'x' || b[6] != '_' {
		return 0, false
	}
	var r rune
	for _, c := range b[2:6] {
		switch {
		case '0' <= c && c <= '9':
			r = r<<4 | rune(c-'0')
		case 'a' <= c && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case 'A' <= c && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}
