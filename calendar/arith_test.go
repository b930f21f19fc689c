package calendar_test

import (
	"testing"
	"time"
)

func TestAddWorkingDays(t *testing.T) {
	c := plainCalendar()
	tests := []struct {
		name  string
		start time.Time
		n     int
		want  time.Time
	}{
		// Friday + 1 skips Saturday 09-28 and lands on make-up Sunday.
		{"OK", date(2024, 9, 27), 1, date(2024, 9, 29)},
		// 09-30, 10-08, 10-09, 10-10, 10-11, 10-12 (Sat, make-up), 10-14,
		// 10-15, 10-16, 10-17, 10-18, 10-21, 10-22.
		{"AcrossNationalDay", date(2024, 9, 29), 13, date(2024, 10, 22)},
		{"OverNationalDay", date(2024, 9, 30), 1, date(2024, 10, 8)},
		// 02-09 (Fri, 除夕, worked in 2024), 02-18 (Sun, make-up), 02-19.
		{"AcrossSpringFestival", date(2024, 2, 8), 3, date(2024, 2, 19)},
		{"SpringEveWorked", date(2024, 2, 8), 1, date(2024, 2, 9)},
		{"StartOnHoliday", date(2024, 10, 3), 1, date(2024, 10, 8)},
		{"ZeroOnWorkingDay", date(2024, 9, 29), 0, date(2024, 9, 29)},
		{"ZeroOnHoliday", date(2024, 10, 3), 0, date(2024, 10, 8)},
		{"ZeroOnSaturday", date(2024, 10, 19), 0, date(2024, 10, 21)},
		{"MinusOne", date(2024, 10, 8), -1, date(2024, 9, 30)},
		{"MinusTwoMakeUp", date(2024, 10, 8), -2, date(2024, 9, 29)},
		{"MinusThree", date(2024, 10, 8), -3, date(2024, 9, 27)},
		{"MinusFromHoliday", date(2024, 10, 5), -1, date(2024, 9, 30)},
		// 02-18, 02-09, 02-08.
		{"MinusAcrossSpring", date(2024, 2, 19), -3, date(2024, 2, 8)},
		// 2024 has 251 working days (see TestOfficialNotices).
		{"WholeYear", date(2023, 12, 31), 251, date(2024, 12, 31)},
		// No data for 2031: Friday 01-03 + 1 is Monday 01-06.
		{"Uncovered", date(2031, 1, 3), 1, date(2031, 1, 6)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.AddWorkingDays(tt.start, tt.n)
			if !got.Equal(tt.want) {
				t.Errorf("AddWorkingDays(%s, %d) = %s, want %s", tt.start.Format(time.DateOnly), tt.n,
					got.Format(time.DateOnly), tt.want.Format(time.DateOnly))
			}
		})
	}
	// Late on Friday evening in Beijing still counts from Friday's date,
	// and the result is midnight in Beijing.
	t.Run("KeepsLocation", func(t *testing.T) {
		got := c.AddWorkingDays(time.Date(2024, 9, 27, 23, 30, 0, 0, beijing), 1)
		want := time.Date(2024, 9, 29, 0, 0, 0, 0, beijing)
		if !got.Equal(want) || got.Location() != beijing {
			t.Errorf("AddWorkingDays = %v, want %v", got, want)
		}
	})
}

func TestNextWorkingDay(t *testing.T) {
	c := plainCalendar()
	tests := []struct {
		t, want time.Time
	}{
		{date(2024, 9, 27), date(2024, 9, 29)},
		{date(2024, 9, 29), date(2024, 9, 30)},
		{date(2024, 9, 30), date(2024, 10, 8)},
		{date(2024, 10, 11), date(2024, 10, 12)},
		{time.Date(2024, 10, 12, 18, 0, 0, 0, time.UTC), date(2024, 10, 14)},
	}
	for _, tt := range tests {
		if got := c.NextWorkingDay(tt.t); !got.Equal(tt.want) {
			t.Errorf("NextWorkingDay(%v) = %v, want %v", tt.t, got, tt.want)
		}
	}
}

func TestWorkingDaysBetween(t *testing.T) {
	c := plainCalendar()
	tests := []struct {
		name     string
		from, to time.Time
		want     int
	}{
		// 09-29 (make-up), 09-30, 10-08; 09-27 itself not counted.
		{"OK", date(2024, 9, 27), date(2024, 10, 8), 3},
		{"Backwards", date(2024, 10, 8), date(2024, 9, 27), -3},
		{"Same", date(2024, 9, 27), date(2024, 9, 27), 0},
		{"AllHoliday", date(2024, 10, 1), date(2024, 10, 7), 0},
		{"Year2024", date(2023, 12, 31), date(2024, 12, 31), 251},
		{"Year2024Backwards", date(2024, 12, 31), date(2023, 12, 31), -251},
		// The clock time is ignored: Friday night to Sunday morning is
		// one working day (the make-up Sunday).
		{"DatesOnly", time.Date(2024, 9, 27, 23, 0, 0, 0, time.UTC), time.Date(2024, 9, 29, 1, 0, 0, 0, time.UTC), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.WorkingDaysBetween(tt.from, tt.to); got != tt.want {
				t.Errorf("WorkingDaysBetween(%v, %v) = %d, want %d", tt.from, tt.to, got, tt.want)
			}
		})
	}
}

// TestInverse checks, for every start date from 2020 to 2025 and n up to 40,
// that AddWorkingDays and WorkingDaysBetween agree in both directions.
func TestInverse(t *testing.T) {
	c := plainCalendar()
	for s := date(2020, 1, 1); s.Year() <= 2025; s = s.AddDate(0, 0, 1) {
		startWorks := c.IsWorkingDay(s)
		for n := 0; n <= 40; n++ {
			r := c.AddWorkingDays(s, n)
			if !c.IsWorkingDay(r) {
				t.Fatalf("AddWorkingDays(%s, %d) = %s, not a working day", s.Format(time.DateOnly), n, r.Format(time.DateOnly))
			}
			want := n
			if n == 0 && !startWorks {
				want = 1 // the next working day after s
			}
			if got := c.WorkingDaysBetween(s, r); got != want {
				t.Fatalf("WorkingDaysBetween(%s, AddWorkingDays(…, %d)=%s) = %d, want %d",
					s.Format(time.DateOnly), n, r.Format(time.DateOnly), got, want)
			}
			if n == 0 {
				continue
			}
			// Backwards: r is the n-th working day before s, so [r, s)
			// holds n working days and (r, s] holds n-1, plus s itself.
			r = c.AddWorkingDays(s, -n)
			want = n - 1
			if startWorks {
				want = n
			}
			if !r.Before(s) || !c.IsWorkingDay(r) || c.WorkingDaysBetween(r, s) != want {
				t.Fatalf("AddWorkingDays(%s, %d) = %s: WorkingDaysBetween back = %d, want %d",
					s.Format(time.DateOnly), -n, r.Format(time.DateOnly), c.WorkingDaysBetween(r, s), want)
			}
			if startWorks && !c.AddWorkingDays(r, n).Equal(s) {
				t.Fatalf("AddWorkingDays(AddWorkingDays(%s, %d), %d) = %s", s.Format(time.DateOnly), -n, n,
					c.AddWorkingDays(r, n).Format(time.DateOnly))
			}
		}
	}
}
