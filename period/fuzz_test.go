package period_test

import (
	"testing"

	"github.com/lantu/lantu/period"
)

// FuzzParse checks that whatever Parse accepts prints canonically and
// parses back to the same period, and that the period is a sane range.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"2021", "2021Q2", "2021q2", "2021-05", "2021W18", "2021-W1", "2020W53", "2021W53", "", "2021-5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := period.Parse(s)
		if err != nil {
			return
		}
		str := p.String()
		q, err := period.Parse(str)
		if err != nil || q != p {
			t.Fatalf("Parse(%q) = %+v; Parse(%q) = %+v, %v", s, p, str, q, err)
		}
		if q.String() != str {
			t.Fatalf("String not stable: %q then %q", str, q.String())
		}
		if b, err := p.MarshalText(); err != nil || string(b) != str {
			t.Fatalf("MarshalText(%+v) = %q, %v", p, b, err)
		}
		if !p.Start().Before(p.End()) || !p.ContainsDate(p.Start()) || p.ContainsDate(p.End()) {
			t.Fatalf("%v: bad range %v..%v", p, p.Start(), p.End())
		}
		if !p.Contains(p) || p.Next().Prev() != p {
			t.Fatalf("%v: Contains itself or Next/Prev broken", p)
		}
	})
}
