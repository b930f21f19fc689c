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
	b = append(b, `{"IndicatorCode":`...)
	b = appendJSONString(b, v.IndicatorCode)
	b = append(b, `,"OrgUnitCode":`...)
	b = appendJSONString(b, v.OrgUnitCode)
	p, err := v.Period.MarshalText()
	if err != nil {
		return b, err
	}
	b = append(b, `,"Period":`...)
	b = appendJSONString(b, string(p))
	b = append(b, `,"Number":`...)
	if b, err = appendJSONFloat(b, v.Number); err != nil {
		return b, err
	}
	b = optString(b, "Qualifier", string(v.Qualifier))
	b = append(b, `,"Status":`...)
	b = appendJSONString(b, string(v.Status))
	b = optString(b, "EnteredBy", v.EnteredBy)
	b = optTime(b, "EnteredAt", v.EnteredAt)
	b = optString(b, "ApprovedBy", v.ApprovedBy)
	b = optTime(b, "ApprovedAt", v.ApprovedAt)
	b = optTime(b, "PublishedAt", v.PublishedAt)
	b = optString(b, "Source", v.Source)
	b = optString(b, "Quote", v.Quote)
	b = optString(b, "Note", v.Note)
	b = optBool(b, "Sample", v.Sample)
	b = optString(b, "SubmittedBy", v.SubmittedBy)
	b = optTime(b, "SubmittedAt", v.SubmittedAt)
	b = optString(b, "Explanation", v.Explanation)
	b = optString(b, "ReviewComment", v.ReviewComment)
	b = optBool(b, "Computed", v.Computed)
	return append(b, '}'), nil
}

func optString(b []byte, name, s string) []byte {
	if s == "" {
		return b
	}
	b = append(append(append(b, `,"`...), name...), `":`...)
	return appendJSONString(b, s)
}

func optBool(b []byte, name string, x bool) []byte {
	if !x {
		return b
	}
	return append(append(append(b, `,"`...), name...), `":true`...)
}

func optTime(b []byte, name string, t time.Time) []byte {
	if t.IsZero() {
		return b
	}
	b = append(append(append(b, `,"`...), name...), `":"`...)
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
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
