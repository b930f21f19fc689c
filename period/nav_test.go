package period_test

import (
	"slices"
	"testing"
	"time"

	"github.com/lantu/lantu/period"
)

func TestWeeksInYear(t *testing.T) {
	tests := []struct {
		year, want int
	}{
		{2004, 53}, // starts Thursday
		{2009, 53}, // starts Thursday
		{2015, 53}, // starts Thursday
		{1992, 53}, // leap year starting Wednesday
		{2020, 53}, // leap year starting Wednesday
		{2026, 53}, // starts Thursday
		{2032, 53}, // leap year starting Thursday
		{1900, 52}, // starts Monday; not a leap year
		{2000, 52}, // leap year starting Saturday
		{2021, 52}, // starts Friday
		{2022, 52}, // starts Saturday
		{2023, 52}, // starts Sunday
		{2024, 52}, // leap year starting Monday
		{2025, 52}, // starts Wednesday, not leap
		{2027, 52}, // starts Friday
	}
	for _, tt := range tests {
		if got := period.WeeksInYear(tt.year); got != tt.want {
			t.Errorf("WeeksInYear(%d) = %d, want %d", tt.year, got, tt.want)
		}
	}
}

func TestOf(t *testing.T) {
	tests := []struct {
		name string
		kind period.Kind
		t    time.Time
		want string
	}{
		{"NewYear2021Week", period.Week, date(2021, 1, 1), "2020W53"}, // Friday
		{"NewYear2021Year", period.Year, date(2021, 1, 1), "2021"},
		{"NewYear2021Quarter", period.Quarter, date(2021, 1, 1), "2021Q1"},
		{"NewYear2021Month", period.Month, date(2021, 1, 1), "2021-01"},
		{"Sunday20210103", period.Week, date(2021, 1, 3), "2020W53"},
		{"Monday20210104", period.Week, date(2021, 1, 4), "2021W01"},
		{"Thursday20260101", period.Week, date(2026, 1, 1), "2026W01"},
		{"Monday20251229", period.Week, date(2025, 12, 29), "2026W01"},
		{"Sunday20251228", period.Week, date(2025, 12, 28), "2025W52"},
		{"Monday20241230", period.Week, date(2024, 12, 30), "2025W01"},
		{"Sunday20241229", period.Week, date(2024, 12, 29), "2024W52"},
		{"Friday20270101", period.Week, date(2027, 1, 1), "2026W53"},
		{"Monday20270104", period.Week, date(2027, 1, 4), "2027W01"},
		{"Thursday20210506", period.Week, date(2021, 5, 6), "2021W18"},
		{"Sunday20210509", period.Week, date(2021, 5, 9), "2021W18"},
		{"Monday20210510", period.Week, date(2021, 5, 10), "2021W19"},
		{"QuarterEnd", period.Quarter, date(2021, 3, 31), "2021Q1"},
		{"QuarterStart", period.Quarter, date(2021, 4, 1), "2021Q2"},
		{"LastQuarter", period.Quarter, date(2021, 12, 31), "2021Q4"},
		// 00:30 on New Year's Day in Beijing is still 2020 in UTC; the
		// date is read in the time's own location.
		{"OwnLocationYear", period.Year, time.Date(2021, 1, 1, 0, 30, 0, 0, beijing), "2021"},
		{"OwnLocationWeek", period.Week, time.Date(2021, 1, 4, 0, 30, 0, 0, beijing), "2021W01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := period.Of(tt.kind, tt.t); got != period.MustParse(tt.want) {
				t.Errorf("Of(%v, %v) = %v, want %s", tt.kind, tt.t, got, tt.want)
			}
		})
	}
	t.Run("BadKind", func(t *testing.T) {
		if got := period.Of(0, date(2021, 1, 1)); !got.IsZero() {
			t.Errorf("Of(0, …) = %v, want zero", got)
		}
	})
}

func TestNextPrev(t *testing.T) {
	tests := []struct {
		p, next string
	}{
		{"2021", "2022"},
		{"2021Q3", "2021Q4"},
		{"2021Q4", "2022Q1"},
		{"2021-11", "2021-12"},
		{"2021-12", "2022-01"},
		{"2021W18", "2021W19"},
		{"2020W52", "2020W53"},
		{"2020W53", "2021W01"}, // 2020 has 53 weeks
		{"2021W52", "2022W01"}, // 2021 has 52
		{"2024W52", "2025W01"},
		{"2026W53", "2027W01"},
	}
	for _, tt := range tests {
		p, next := period.MustParse(tt.p), period.MustParse(tt.next)
		if got := p.Next(); got != next {
			t.Errorf("%s.Next() = %v, want %s", tt.p, got, tt.next)
		}
		if got := next.Prev(); got != p {
			t.Errorf("%s.Prev() = %v, want %s", tt.next, got, tt.p)
		}
	}
}

func TestContains(t *testing.T) {
	tests := []struct {
		p, q string
		want bool
	}{
		{"2021", "2021", true},
		{"2021Q2", "2021Q2", true},
		{"2021-05", "2021-05", true},
		{"2021W18", "2021W18", true},
		{"2021", "2021Q2", true},
		{"2021", "2021-12", true},
		{"2021", "2022Q1", false},
		{"2021Q2", "2021-05", true},
		{"2021Q2", "2021-07", false},
		{"2021Q2", "2021-03", false},
		{"2021-05", "2021Q2", false}, // finer never contains coarser
		{"2021Q2", "2021", false},
		{"2021W18", "2021-05", false},
		{"2021W18", "2021W19", false},
		{"2021-05", "2021W18", true}, // 05-03..05-09
		// 2020W53 is 2020-12-28..2021-01-03; its Thursday 2020-12-31
		// files it under December 2020.
		{"2020", "2020W53", true},
		{"2020Q4", "2020W53", true},
		{"2020-12", "2020W53", true},
		{"2021", "2020W53", false},
		{"2021Q1", "2020W53", false},
		{"2021-01", "2020W53", false},
		{"2021", "2021W01", true},
		{"2021-01", "2021W01", true},
		{"2020", "2021W01", false},
		// 2025W01 is 2024-12-30..2025-01-05; Thursday 2025-01-02.
		{"2025", "2025W01", true},
		{"2025-01", "2025W01", true},
		{"2024", "2025W01", false},
		{"2024-12", "2025W01", false},
		// 2021W13 is 2021-03-29..04-04; Thursday 04-01 puts it in April
		// and Q2 though four of its days are in March.
		{"2021-04", "2021W13", true},
		{"2021Q2", "2021W13", true},
		{"2021-03", "2021W13", false},
		{"2021Q1", "2021W13", false},
	}
	for _, tt := range tests {
		if got := period.MustParse(tt.p).Contains(period.MustParse(tt.q)); got != tt.want {
			t.Errorf("%s.Contains(%s) = %v, want %v", tt.p, tt.q, got, tt.want)
		}
	}
	t.Run("Zero", func(t *testing.T) {
		var z period.Period
		if z.Contains(z) || z.Contains(period.MustParse("2021")) || period.MustParse("2021").Contains(z) {
			t.Error("the zero Period contains or is contained")
		}
	})
}

func TestParent(t *testing.T) {
	tests := []struct {
		p    string
		kind period.Kind
		want string // "" for the zero Period
	}{
		{"2021W13", period.Month, "2021-04"},
		{"2021W13", period.Quarter, "2021Q2"},
		{"2021W13", period.Year, "2021"},
		{"2021W13", period.Week, "2021W13"},
		{"2020W53", period.Month, "2020-12"},
		{"2020W53", period.Year, "2020"},
		{"2025W01", period.Month, "2025-01"},
		{"2025W01", period.Year, "2025"},
		{"2021-05", period.Quarter, "2021Q2"},
		{"2021-05", period.Year, "2021"},
		{"2021-05", period.Month, "2021-05"},
		{"2021Q4", period.Year, "2021"},
		{"2021-05", period.Week, ""},
		{"2021Q2", period.Month, ""},
		{"2021", period.Quarter, ""},
	}
	for _, tt := range tests {
		want := period.Period{}
		if tt.want != "" {
			want = period.MustParse(tt.want)
		}
		if got := period.MustParse(tt.p).Parent(tt.kind); got != want {
			t.Errorf("%s.Parent(%v) = %v, want %v", tt.p, tt.kind, got, want)
		}
	}
}

func TestCompare(t *testing.T) {
	in := []string{"2021-04", "2021Q2", "2021W13", "2021", "2020W53", "2021-01", "2021Q1", "2021W01", "2020-12"}
	// By start date: 2020-12-01, 2020-12-28, then three starting
	// 2021-01-01 coarse first, 2021-01-04, 2021-03-29, two on 2021-04-01.
	want := []string{"2020-12", "2020W53", "2021", "2021Q1", "2021-01", "2021W01", "2021W13", "2021Q2", "2021-04"}
	ps := make([]period.Period, len(in))
	for i, s := range in {
		ps[i] = period.MustParse(s)
	}
	slices.SortFunc(ps, period.Period.Compare)
	got := make([]string, len(ps))
	for i, p := range ps {
		got[i] = p.String()
	}
	if !slices.Equal(got, want) {
		t.Errorf("sorted = %v, want %v", got, want)
	}
	if c := period.MustParse("2021Q2").Compare(period.MustParse("2021Q2")); c != 0 {
		t.Errorf("Compare with itself = %d", c)
	}
}
