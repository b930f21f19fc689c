package period

import (
	"fmt"
	"strconv"
	"time"
)

// Period is one reporting period. The zero Period means "no period".
type Period struct {
	Kind Kind
	// Year is the calendar year, or for a week its ISO week-year.
	Year int
	// N is the quarter (1–4), month (1–12) or ISO week (1–53); 0 for a year.
	N int
}

// IsZero reports whether p is the zero Period, i.e. unset.
func (p Period) IsZero() bool { return p == Period{} }

// String returns the canonical form that Parse reads back: 2021, 2021Q2,
// 2021-05, 2021W01. The zero Period gives "".
func (p Period) String() string {
	if p.Kind >= Year && p.Kind <= Week && p.Year >= 0 && p.Year <= 9999 && p.N >= 0 && p.N <= 99 {
		// strconv rather than fmt: an import writes a million of these.
		b := make([]byte, 0, 8)
		b = appendPadded(b, p.Year, 4)
		switch p.Kind {
		case Quarter:
			b = append(b, 'Q')
			b = strconv.AppendInt(b, int64(p.N), 10)
		case Month:
			b = appendPadded(append(b, '-'), p.N, 2)
		case Week:
			b = appendPadded(append(b, 'W'), p.N, 2)
		}
		return string(b)
	}
	if p.IsZero() {
		return ""
	}
	return fmt.Sprintf("Period{Kind:%d Year:%d N:%d}", int(p.Kind), p.Year, p.N)
}

// appendPadded appends n (0 <= n < 10^width) with leading zeros.
func appendPadded(b []byte, n, width int) []byte {
	digits := strconv.AppendInt(nil, int64(n), 10)
	for range width - len(digits) {
		b = append(b, '0')
	}
	return append(b, digits...)
}

// Start returns the period's first day at 00:00 UTC; the zero time for the
// zero Period.
func (p Period) Start() time.Time {
	switch p.Kind {
	case Year:
		return time.Date(p.Year, time.January, 1, 0, 0, 0, 0, time.UTC)
	case Quarter:
		return time.Date(p.Year, time.Month(3*(p.N-1)+1), 1, 0, 0, 0, 0, time.UTC)
	case Month:
		return time.Date(p.Year, time.Month(p.N), 1, 0, 0, 0, 0, time.UTC)
	case Week:
		return weekOneMonday(p.Year).AddDate(0, 0, 7*(p.N-1))
	}
	return time.Time{}
}

// End returns the first day after the period at 00:00 UTC, so a period is
// the half-open range [Start, End) and consecutive periods share a bound.
func (p Period) End() time.Time {
	s := p.Start()
	switch p.Kind {
	case Year:
		return s.AddDate(1, 0, 0)
	case Quarter:
		return s.AddDate(0, 3, 0)
	case Month:
		return s.AddDate(0, 1, 0)
	case Week:
		return s.AddDate(0, 0, 7)
	}
	return s
}

// Days returns the number of days in the period.
func (p Period) Days() int {
	// Start and End are UTC midnights, so every day is exactly 24 hours.
	return int(p.End().Sub(p.Start()) / (24 * time.Hour))
}

// ContainsDate reports whether t's calendar date, read in t's own location,
// falls within p. Using the date rather than the instant keeps a local
// midnight from slipping into the previous day in UTC.
func (p Period) ContainsDate(t time.Time) bool {
	d := dateOf(t)
	return !d.Before(p.Start()) && d.Before(p.End())
}

// dateOf returns t's calendar date, read in t's location, as UTC midnight.
func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// valid reports whether p is a period Parse could have returned.
func (p Period) valid() bool {
	if p.Year < minYear || p.Year > maxYear {
		return false
	}
	switch p.Kind {
	case Year:
		return p.N == 0
	case Quarter:
		return p.N >= 1 && p.N <= 4
	case Month:
		return p.N >= 1 && p.N <= 12
	case Week:
		return p.N >= 1 && p.N <= WeeksInYear(p.Year)
	}
	return false
}
