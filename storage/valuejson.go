package storage

import (
	"encoding/json"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/lantu/lantu/indicator"
)

// appendValueJSON appends v as encoding/json would marshal it, byte for
// byte, without reflection: an import of a million figures writes each of
// them into the audit trail, and json.Marshal would cost more than storing
// them. TestValueJSONMatchesEncodingJSON holds the two together.
func appendValueJSON(b []byte, v indicator.Value) ([]byte, error) {
	return appendValueFields(b, &v, nil)
}

// appendValueDiff appends v as a JSON object holding its indicator, its
// number and every other field in which it differs from ref, zero values
// included: unmarshalled over ref, it gives v back. An import's figures
// share their org unit, period, status and who entered them, so each is
// a few dozen bytes in the audit trail instead of a few hundred.
func appendValueDiff(b []byte, v, ref indicator.Value) ([]byte, error) {
	return appendValueFields(b, &v, &ref)
}

// valueField is a field of indicator.Value other than its indicator,
// period and number, in the order encoding/json writes them.
type valueField struct {
	name string
	text func(*indicator.Value) string // string fields
	at   func(*indicator.Value) time.Time
	flag func(*indicator.Value) bool
	// always: written even when zero (no omitzero tag)
	always bool
}

var valueFieldsBeforeNumber = []valueField{
	{name: "OrgUnitCode", text: func(v *indicator.Value) string { return v.OrgUnitCode }, always: true},
}

var valueFieldsAfterNumber = []valueField{
	{name: "Qualifier", text: func(v *indicator.Value) string { return string(v.Qualifier) }},
	{name: "Status", text: func(v *indicator.Value) string { return string(v.Status) }, always: true},
	{name: "EnteredBy", text: func(v *indicator.Value) string { return v.EnteredBy }},
	{name: "EnteredAt", at: func(v *indicator.Value) time.Time { return v.EnteredAt }},
	{name: "ApprovedBy", text: func(v *indicator.Value) string { return v.ApprovedBy }},
	{name: "ApprovedAt", at: func(v *indicator.Value) time.Time { return v.ApprovedAt }},
	{name: "PublishedAt", at: func(v *indicator.Value) time.Time { return v.PublishedAt }},
	{name: "Source", text: func(v *indicator.Value) string { return v.Source }},
	{name: "Quote", text: func(v *indicator.Value) string { return v.Quote }},
	{name: "Note", text: func(v *indicator.Value) string { return v.Note }},
	{name: "Sample", flag: func(v *indicator.Value) bool { return v.Sample }},
	{name: "SubmittedBy", text: func(v *indicator.Value) string { return v.SubmittedBy }},
	{name: "SubmittedAt", at: func(v *indicator.Value) time.Time { return v.SubmittedAt }},
	{name: "Explanation", text: func(v *indicator.Value) string { return v.Explanation }},
	{name: "ReviewComment", text: func(v *indicator.Value) string { return v.ReviewComment }},
	{name: "Computed", flag: func(v *indicator.Value) bool { return v.Computed }},
}

// appendValueFields writes v whole (ref nil, as encoding/json does) or as
// its difference from ref.
func appendValueFields(b []byte, v, ref *indicator.Value) ([]byte, error) {
	b = append(b, `{"IndicatorCode":`...)
	b = appendJSONString(b, v.IndicatorCode)
	b = appendFields(b, v, ref, valueFieldsBeforeNumber)
	if ref == nil || v.Period != ref.Period {
		p, err := v.Period.MarshalText()
		if err != nil {
			return b, err
		}
		b = append(b, `,"Period":`...)
		b = appendJSONString(b, string(p))
	}
	b = append(b, `,"Number":`...)
	b, err := appendJSONFloat(b, v.Number)
	if err != nil {
		return b, err
	}
	b = appendFields(b, v, ref, valueFieldsAfterNumber)
	return append(b, '}'), nil
}

func appendFields(b []byte, v, ref *indicator.Value, fields []valueField) []byte {
	for _, f := range fields {
		switch {
		case f.text != nil:
			x := f.text(v)
			if (ref == nil && (x != "" || f.always)) || (ref != nil && x != f.text(ref)) {
				b = append(append(append(b, `,"`...), f.name...), `":`...)
				b = appendJSONString(b, x)
			}
		case f.at != nil:
			x := f.at(v)
			if (ref == nil && !x.IsZero()) || (ref != nil && x != f.at(ref)) {
				b = append(append(append(b, `,"`...), f.name...), `":"`...)
				b = append(x.AppendFormat(b, time.RFC3339Nano), '"')
			}
		default:
			x := f.flag(v)
			if (ref == nil && x) || (ref != nil && x != f.flag(ref)) {
				b = append(append(append(b, `,"`...), f.name...), `":`...)
				b = strconv.AppendBool(b, x)
			}
		}
	}
	return b
}

// appendJSONFloat formats a float64 as encoding/json does.
func appendJSONFloat(b []byte, f float64) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return b, &json.UnsupportedValueError{Str: strconv.FormatFloat(f, 'g', -1, 64)}
	}
	abs, format := math.Abs(f), byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}

// appendJSONString quotes s as encoding/json does; strings that need more
// than plain copying (escapes, HTML characters, invalid UTF-8, U+2028 and
// U+2029) go through encoding/json itself.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
				return appendMarshalled(b, s)
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || r == '\u2028' || r == '\u2029' {
			return appendMarshalled(b, s)
		}
		i += size - 1
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func appendMarshalled(b []byte, s string) []byte {
	q, _ := json.Marshal(s) // a string always marshals
	return append(b, q...)
}
