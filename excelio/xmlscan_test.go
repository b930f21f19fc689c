package excelio

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"
)

// stdTokens reads a document with encoding/xml: its elements, their
// attributes and its text, comments and instructions left out and texts
// next to each other joined. It reports false for a document encoding/xml
// refuses, or one outside what the tokeniser is meant to read: with a DTD,
// without a root, deeper than maxXMLDepth.
func stdTokens(doc string) ([]string, bool) {
	d := xml.NewDecoder(strings.NewReader(doc))
	var out []string
	root, depth := false, 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return out, root
		}
		if err != nil {
			return nil, false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth++; depth > maxXMLDepth {
				return nil, false
			}
			root = true
			out = append(out, "<"+t.Name.Local+attrsText(t.Attr, func(a xml.Attr) (string, string) { return a.Name.Local, a.Value }))
		case xml.EndElement:
			depth--
			out = append(out, "</"+t.Name.Local)
		case xml.CharData:
			out = appendJoined(out, string(t))
		case xml.Directive:
			return nil, false
		}
	}
}

// ourTokens reads a document with the tokeniser, a byte at a time when
// slow, in the form of stdTokens.
func ourTokens(doc string, slow bool) ([]string, error) {
	var r io.Reader = strings.NewReader(doc)
	if slow {
		r = iotest.OneByteReader(r)
	}
	x := newXMLReader(r)
	var out []string
	for {
		tok, err := x.next()
		if err != nil {
			return out, err
		}
		switch tok {
		case xmlEOF:
			return out, nil
		case xmlStart:
			out = append(out, "<"+string(x.local)+attrsText(x.attrs, func(a xmlAttr) (string, string) {
				_, local, _ := scanName(x.tag, a.name)
				v, ok := appendText(nil, x.tag[a.value:a.valueEnd], false)
				if !ok {
					v = []byte("(undecodable)")
				}
				return string(x.tag[local:a.nameEnd]), string(v)
			}))
		case xmlEnd:
			out = append(out, "</"+string(x.local))
		case xmlText:
			text, ok := appendText(nil, x.text, x.cdata)
			if !ok {
				return out, fmt.Errorf("text %q does not decode", x.text)
			}
			out = appendJoined(out, string(text))
		}
	}
}

func attrsText[A any](attrs []A, nameValue func(A) (string, string)) string {
	var b strings.Builder
	for _, a := range attrs {
		n, v := nameValue(a)
		fmt.Fprintf(&b, " %s=%q", n, v)
	}
	return b.String()
}

func appendJoined(out []string, text string) []string {
	if text == "" {
		return out
	}
	if n := len(out); n > 0 && strings.HasPrefix(out[n-1], "#") {
		out[n-1] += text
		return out
	}
	return append(out, "#"+text)
}

// FuzzXMLReader checks the tokeniser against encoding/xml: a document
// encoding/xml reads, the tokeniser reads too, to the same elements,
// attributes and text. (The tokeniser may refuse less: it does not check
// names or what it skips.)
func FuzzXMLReader(f *testing.F) {
	for _, seed := range []string{
		sheetXML(`<row r="1"><c r="A1" t="inlineStr"><is><t xml:space="preserve"> a&amp;b&#20013; </t></is></c></row>`),
		handSST,
		handSheets()[1][1],
		`<?xml version="1.0" encoding='utf-8'?><a x='1' y = "2"z="&lt;"><!-- c --><b/><?pi x?><![CDATA[<x>]]>` + "t\r\n</a>",
		`<x:a xmlns:x="u"><x:b></x:b></x:a>`,
		`<a><b></a></b>`,
		`<a:b:c/>`,
		`<:a></:a>`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		want, ok := stdTokens(doc)
		got, err := ourTokens(doc, false)
		if !ok {
			return // whatever the tokeniser made of it, it did not panic or hang
		}
		if err != nil {
			t.Fatalf("encoding/xml reads %q, the tokeniser refuses it: %v", doc, err)
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("tokens of %q:\n%q\nwant (encoding/xml):\n%q", doc, got, want)
		}
		if slow, err := ourTokens(doc, true); err != nil || strings.Join(slow, "\n") != strings.Join(want, "\n") {
			t.Fatalf("a byte at a time, tokens of %q:\n%q, %v\nwant:\n%q", doc, slow, err, want)
		}
	})
}

func TestDecodeEscapes(t *testing.T) {
	for in, want := range map[string]string{
		"plain":                "plain",
		"_x000D_":              "\r",
		"a_x000d_b":            "a\rb",
		"_x005F_x000D_":        "_x000D_",
		"_x0041__x0042_":       "AB",
		"_x0041_x0042_":        "Ax0042_",
		"_xD800_left":          "left",
		"_x00":                 "_x00",
		"_x12G4_":              "_x12G4_",
		"__x0041_":             "_A",
		"中_x6587_":             "中文",
		"_x005f__x005F_x0041_": "__x0041_",
	} {
		if got := string(decodeEscapes([]byte(in))); got != want {
			t.Errorf("decodeEscapes(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTextCut(t *testing.T) {
	for _, tt := range []struct {
		text string
		want int
	}{
		{"abc", 3},
		{"ab&am", 2},
		{"ab&amp;", 7},
		{"ab\r", 2},
		{"ab中"[:4], 2},
		{"ab中", 5},
		{"&amp;&lt", 5},
	} {
		if got := textCut([]byte(tt.text)); got != tt.want {
			t.Errorf("textCut(%q) = %d, want %d", tt.text, got, tt.want)
		}
		if !utf8.ValidString(tt.text[:textCut([]byte(tt.text))]) {
			t.Errorf("textCut(%q) splits a character", tt.text)
		}
	}
}
