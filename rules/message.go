package rules

import (
	"strconv"
	"strings"

	"github.com/lantu/lantu/plan"
)

// placeholder is one {code}, {prev:code} or {target:code} in a message.
type placeholder struct {
	text       string // as written, braces included
	which      string // "", "prev" or "target"
	code       string
	start, end int // msg[start:end] is text
}

// placeholders finds the placeholders in msg. Braces around anything else
// are left as text.
func placeholders(msg string) []placeholder {
	var out []placeholder
	for from := 0; ; {
		open := strings.IndexByte(msg[from:], '{')
		if open < 0 {
			return out
		}
		open += from
		end := strings.IndexByte(msg[open:], '}')
		if end < 0 {
			return out
		}
		end += open + 1
		if ph, ok := parsePlaceholder(msg[open:end]); ok {
			ph.start, ph.end = open, end
			out = append(out, ph)
			from = end
		} else {
			from = open + 1
		}
	}
}

func parsePlaceholder(text string) (placeholder, bool) {
	inner := text[1 : len(text)-1]
	which, code := "", inner
	if w, c, found := strings.Cut(inner, ":"); found {
		if w != "prev" && w != "target" {
			return placeholder{}, false
		}
		which, code = w, c
	}
	if !plan.ValidCode(code) {
		return placeholder{}, false
	}
	return placeholder{text: text, which: which, code: code}, true
}

// render replaces the placeholders in msg with the figures from env; a
// missing figure shows as a dash.
func render(msg string, env Env) string {
	phs := placeholders(msg)
	if len(phs) == 0 {
		return msg
	}
	var b strings.Builder
	last := 0
	for _, ph := range phs {
		b.WriteString(msg[last:ph.start])
		b.WriteString(plainNumber(ph.lookup(env)))
		last = ph.end
	}
	b.WriteString(msg[last:])
	return b.String()
}

func (ph placeholder) lookup(env Env) (float64, bool) {
	switch ph.which {
	case "prev":
		return env.Prev(ph.code)
	case "target":
		return env.Target(ph.code)
	}
	return env.Value(ph.code)
}

// plainNumber writes x without exponent and without trailing zeros, to at
// most six decimals (the most an indicator shows).
func plainNumber(x float64, ok bool) string {
	if !ok {
		return "—"
	}
	s := strconv.FormatFloat(x, 'f', 6, 64)
	s = strings.TrimRight(s, "0")
	s = strings.TrimSuffix(s, ".")
	if s == "-0" {
		return "0"
	}
	return s
}
