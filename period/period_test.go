package period_test

import (
	"testing"
	"time"

	"github.com/lantu/lantu/period"
)

func TestStartEndDays(t *testing.T) {
	tests := []struct {
		p          string
		start, end time.Time
		days       int
	}{
		{"2021", date(2021, 1, 1), date(2022, 1, 1), 365},
		{"2024", date(2024, 1, 1), date(2025, 1, 1), 366},
		{"2021Q1", date(2021, 1, 1), date(2021, 4, 1), 90}, // 31+28+31
		{"2024Q1", date(2024, 1, 1), date(2024, 4, 1), 91}, // 31+29+31
		{"2021Q2", date(2021, 4, 1), date(2021, 7, 1), 91}, // 30+31+30
		{"2021Q3", date(2021, 7, 1), date(2021, 10, 1), 92},
		{"2021Q4", date(2021, 10, 1), date(2022, 1, 1), 92},
		{"2021-05", date(2021, 5, 1), date(2021, 6, 1), 31},
		{"2021-12", date(2021, 12, 1), date(2022, 1, 1), 31},
		{"2021-02", date(2021, 2, 1), date(2021, 3, 1), 28},
		{"2024-02", date(2024, 2, 1), date(2024, 3, 1), 29},
		{"1900-02", date(1900, 2, 1), date(1900, 3, 1), 28}, // century, not leap
		{"2000-02", date(2000, 2, 1), date(2000, 3, 1), 29}, // divisible by 400
		{"2100-02", date(2100, 2, 1), date(2100, 3, 1), 28},
		// 2021-01-04 is the first Monday after 2021's first Thursday (01-07);
		// 17 weeks later is 05-03.
		{"2021W18", date(2021, 5, 3), date(2021, 5, 10), 7},
		{"2021W01", date(2021, 1, 4), date(2021, 1, 11), 7},
		{"2021W52", date(2021, 12, 27), date(2022, 1, 3), 7},
		{"2020W53", date(2020, 12, 28), date(2021, 1, 4), 7},
		// 2025-01-01 is a Wednesday, so week 1 starts Monday 2024-12-30.
		{"2025W01", date(2024, 12, 30), date(2025, 1, 6), 7},
		// 2026-01-01 is a Thursday, so week 1 starts Monday 2025-12-29.
		{"2026W01", date(2025, 12, 29), date(2026, 1, 5), 7},
		{"2026W53", date(2026, 12, 28), date(2027, 1, 4), 7},
		// 1900-01-01 is a Monday.
		{"1900W01", date(1900, 1, 1), date(1900, 1, 8), 7},
	}
	for _, tt := range tests {
		p := period.MustParse(tt.p)
		if got := p.Start(); !got.Equal(tt.start) || got.Location() != time.UTC {
			t.Errorf("%s.Start() = %v, want %v", tt.p, got, tt.start)
		}
		if got := p.End(); !got.Equal(tt.end) || got.Location() != time.UTC {
			t.Errorf("%s.End() = %v, want %v", tt.p, got, tt.end)
		}
		if got := p.Days(); got != tt.days {
			t.Errorf("%s.Days() = %d, want %d", tt.p, got, tt.days)
		}
	}
}

func TestZero(t *testing.T) {
	var p period.Period
	if !p.IsZero() {
		t.Error("zero Period: IsZero() = false")
	}
	if period.MustParse("2021").IsZero() {
		t.Error("2021: IsZero() = true")
	}
	if !p.Start().IsZero() || p.Days() != 0 {
		t.Errorf("zero Period: Start() = %v, Days() = %d", p.Start(), p.Days())
	}
	if !p.Next().IsZero() || !p.Prev().IsZero() {
		t.Error("zero Period: Next or Prev not zero")
	}
}

func TestContainsDate(t *testing.T) {
	tests := []struct {
		name string
		p    string
		t    time.Time
		want bool
	}{
		{"FirstDay", "2021-05", date(2021, 5, 1), true},
		{"LastDayLate", "2021-05", time.Date(2021, 5, 31, 23, 59, 59, 0, time.UTC), true},
		{"DayAfter", "2021-05", date(2021, 6, 1), false},
		{"DayBefore", "2021-05", date(2021, 4, 30), false},
		// 2021-06-01 07:00 in Beijing is 2021-05-31 23:00 UTC: the date
		// is read in the time's own location, so it is June.
		{"OwnLocation", "2021-05", time.Date(2021, 6, 1, 7, 0, 0, 0, beijing), false},
		{"OwnLocationUTC", "2021-05", time.Date(2021, 6, 1, 7, 0, 0, 0, beijing).UTC(), true},
		{"WeekSunday", "2021W18", date(2021, 5, 9), true},
		{"WeekNextMonday", "2021W18", date(2021, 5, 10), false},
		{"WeekAcrossYear", "2020W53", date(2021, 1, 3), true},
		{"YearLastDay", "2020", date(2020, 12, 31), true},
		{"YearNextDay", "2020", date(2021, 1, 1), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := period.MustParse(tt.p).ContainsDate(tt.t); got != tt.want {
				t.Errorf("%s.ContainsDate(%v) = %v, want %v", tt.p, tt.t, got, tt.want)
			}
		})
	}
}
