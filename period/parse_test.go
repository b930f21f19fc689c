package period_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/period"
)

func TestParse(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		tests := []struct {
			in   string
			want period.Period
		}{
			{"2021", period.Period{Kind: period.Year, Year: 2021}},
			{"1900", period.Period{Kind: period.Year, Year: 1900}},
			{"2200", period.Period{Kind: period.Year, Year: 2200}},
			{"2021Q2", period.Period{Kind: period.Quarter, Year: 2021, N: 2}},
			{"2021q4", period.Period{Kind: period.Quarter, Year: 2021, N: 4}},
			{"2021-05", period.Period{Kind: period.Month, Year: 2021, N: 5}},
			{"2021-12", period.Period{Kind: period.Month, Year: 2021, N: 12}},
			{"2021W18", period.Period{Kind: period.Week, Year: 2021, N: 18}},
			{"2021-W18", period.Period{Kind: period.Week, Year: 2021, N: 18}},
			{"2021w18", period.Period{Kind: period.Week, Year: 2021, N: 18}},
			{"2021W01", period.Period{Kind: period.Week, Year: 2021, N: 1}},
			{"2021W1", period.Period{Kind: period.Week, Year: 2021, N: 1}},
			{"2021-W1", period.Period{Kind: period.Week, Year: 2021, N: 1}},
			{"2021W52", period.Period{Kind: period.Week, Year: 2021, N: 52}},
			// 2020 began on a Wednesday and is a leap year: 53 weeks.
			{"2020W53", period.Period{Kind: period.Week, Year: 2020, N: 53}},
			// 2026 begins on a Thursday: 53 weeks.
			{"2026W53", period.Period{Kind: period.Week, Year: 2026, N: 53}},
		}
		for _, tt := range tests {
			got, err := period.Parse(tt.in)
			if err != nil {
				t.Errorf("Parse(%q): %v", tt.in, err)
				continue
			}
			if got != tt.want {
				t.Errorf("Parse(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		}
	})

	// Badly written periods; the error must be a user-facing Invalid error.
	t.Run("ErrBadFormat", func(t *testing.T) {
		for _, in := range []string{
			"", "21", "202", "20211", "abc", "2021X", "2021-05-01", "2021-5",
			"2021-005", "2021Q", "2021Q02", "2021QQ", "2021W", "2021-W",
			"2021W018", "2021W-1", "2021--05", " 2021", "2021 ", "+2021",
			"-2021", "２０２１", "2021Y", "2021H1", "2021-Q2", "W2021",
		} {
			checkErr(t, in, "期间格式无效")
		}
	})

	t.Run("ErrOutOfRange", func(t *testing.T) {
		for _, in := range []string{
			"1899", "2201", "0000", "9999",
			"2021Q0", "2021Q5", "2021Q9",
			"2021-00", "2021-13", "2021-99",
			"2021W00", "2021W0", "2021W54", "2021W99",
			// 2021 began on a Friday: only 52 weeks. So did 2027.
			"2021W53", "2027W53",
			// 2024 is a leap year but began on a Monday: 52 weeks.
			"2024W53",
		} {
			checkErr(t, in, "期间超出范围")
		}
	})

	t.Run("ErrMessage", func(t *testing.T) {
		_, err := period.Parse("2021X")
		want := `期间格式无效 "2021X": 应为 2021、2021Q2、2021-05 或 2021W18 ` +
			`(invalid period "2021X": want 2021, 2021Q2, 2021-05 or 2021W18)`
		if err == nil || err.Error() != want {
			t.Errorf("Parse(\"2021X\") error = %v, want %s", err, want)
		}
		_, err = period.Parse("2021W53")
		want = `期间超出范围 "2021W53": 2021 年共有 52 个 ISO 周 ` +
			`(period "2021W53" out of range: 2021 has 52 ISO weeks)`
		if err == nil || err.Error() != want {
			t.Errorf("Parse(\"2021W53\") error = %v, want %s", err, want)
		}
	})
}

// checkErr asserts that Parse rejects in with an Invalid apperr whose
// Chinese message starts with prefix.
func checkErr(t *testing.T, in, prefix string) {
	t.Helper()
	p, err := period.Parse(in)
	if err == nil {
		t.Errorf("Parse(%q) = %v, want error", in, p)
		return
	}
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Code != apperr.Invalid {
		t.Errorf("Parse(%q) error %v is not an Invalid *apperr.Error", in, err)
		return
	}
	if !strings.HasPrefix(ae.ZH, prefix) {
		t.Errorf("Parse(%q) error %q, want prefix %q", in, ae.ZH, prefix)
	}
	if !p.IsZero() {
		t.Errorf("Parse(%q) returned %+v with the error, want zero", in, p)
	}
}

func TestMustParse(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		if got := period.MustParse("2021-05"); got != (period.Period{Kind: period.Month, Year: 2021, N: 5}) {
			t.Errorf("MustParse(2021-05) = %+v", got)
		}
	})
	t.Run("PanicBadInput", func(t *testing.T) {
		defer func() {
			if recover() == nil {
				t.Error("MustParse(2021Q5) did not panic")
			}
		}()
		period.MustParse("2021Q5")
	})
}

func TestString(t *testing.T) {
	tests := []struct {
		p    period.Period
		want string
	}{
		{period.Period{}, ""},
		{period.Period{Kind: period.Year, Year: 2021}, "2021"},
		{period.Period{Kind: period.Quarter, Year: 2021, N: 2}, "2021Q2"},
		{period.Period{Kind: period.Month, Year: 2021, N: 5}, "2021-05"},
		{period.Period{Kind: period.Week, Year: 2021, N: 1}, "2021W01"},
		{period.Period{Kind: period.Week, Year: 2021, N: 18}, "2021W18"},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.p, got, tt.want)
		}
	}
}

// TestRoundTrip walks every period of every kind from 1900 to 2200 and
// checks that each prints and parses back to itself and that consecutive
// periods tile time without gap or overlap.
func TestRoundTrip(t *testing.T) {
	tests := []struct {
		first string
		count int // periods from 1900 to 2200: 301 years
	}{
		{"1900", 301},
		{"1900Q1", 301 * 4},
		{"1900-01", 301 * 12},
		{"1900W01", 0}, // not counted by hand; the tiling check covers it
	}
	for _, tt := range tests {
		p := period.MustParse(tt.first)
		count := 0
		for p.Year <= 2200 {
			got, err := period.Parse(p.String())
			if err != nil || got != p {
				t.Fatalf("Parse(%q) = %+v, %v; want %+v", p.String(), got, err, p)
			}
			next := p.Next()
			if !next.Start().Equal(p.End()) {
				t.Fatalf("%v ends %v but %v starts %v", p, p.End(), next, next.Start())
			}
			if next.Prev() != p {
				t.Fatalf("%v.Next().Prev() = %v", p, next.Prev())
			}
			p = next
			count++
		}
		if tt.count != 0 && count != tt.count {
			t.Errorf("from %s: %d periods, want %d", tt.first, count, tt.count)
		}
	}
}
