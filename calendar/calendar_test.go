package calendar_test

import (
	"testing"
	"time"

	"github.com/lantu/lantu/calendar"
)

func TestIsWorkingDay(t *testing.T) {
	c := plainCalendar()
	tests := []struct {
		name string
		t    time.Time
		want bool
	}{
		// 2024 Spring Festival: off 02-10 (Sat) to 02-17 (Sat); Sundays
		// 02-04 and 02-18 worked. 除夕 02-09 (Fri) is not a statutory
		// holiday in 2024: the notice only encourages giving it off.
		{"SpringMakeUpSunday0204", date(2024, 2, 4), true},
		{"SpringEve0209Friday", date(2024, 2, 9), true},
		{"SpringSaturday0210", date(2024, 2, 10), false},
		{"SpringMonday0212", date(2024, 2, 12), false},
		{"SpringSaturday0217", date(2024, 2, 17), false},
		{"SpringMakeUpSunday0218", date(2024, 2, 18), true},
		{"SpringAfterMonday0219", date(2024, 2, 19), true},
		// 2024 National Day: off 10-01 (Tue) to 10-07 (Mon); Sunday 09-29
		// and Saturday 10-12 worked.
		{"NationalSaturday0928", date(2024, 9, 28), false},
		{"NationalMakeUpSunday0929", date(2024, 9, 29), true},
		{"NationalTuesday1001", date(2024, 10, 1), false},
		{"NationalMonday1007", date(2024, 10, 7), false},
		{"NationalTuesday1008", date(2024, 10, 8), true},
		{"NationalMakeUpSaturday1012", date(2024, 10, 12), true},
		{"NationalSunday1013", date(2024, 10, 13), false},
		// From 2025 除夕 is statutory: 2025-01-28 is a Tuesday off.
		{"SpringEve2025Tuesday", date(2025, 1, 28), false},
		// 2020: the Spring Festival was extended to 02-02 and the make-up
		// Saturday 02-01 cancelled.
		{"Extension2020Friday0131", date(2020, 1, 31), false},
		{"Extension2020Saturday0201", date(2020, 2, 1), false},
		{"Extension2020Monday0203", date(2020, 2, 3), true},
		{"PlainWednesday", date(2024, 7, 10), true},
		{"PlainSaturday", date(2024, 7, 13), false},
		// The clock time does not matter, only the date in t's location.
		{"LateEvening", time.Date(2024, 10, 7, 23, 59, 0, 0, beijing), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.IsWorkingDay(tt.t); got != tt.want {
				t.Errorf("IsWorkingDay(%v) = %v, want %v", tt.t, got, tt.want)
			}
		})
	}
}

func TestDay(t *testing.T) {
	c := plainCalendar()
	tests := []struct {
		t       time.Time
		working bool
		kind    calendar.DayKind
		zh, en  string
	}{
		{date(2024, 10, 1), false, calendar.Holiday, "国庆节", "National Day"},
		{date(2024, 10, 12), true, calendar.MakeUpWorkday, "国庆节", "National Day"},
		{date(2024, 2, 4), true, calendar.MakeUpWorkday, "春节", "Spring Festival"},
		{date(2024, 2, 12), false, calendar.Holiday, "春节", "Spring Festival"},
		{date(2024, 1, 1), false, calendar.Holiday, "元旦", "New Year's Day"},
		{date(2024, 4, 4), false, calendar.Holiday, "清明节", "Qingming Festival"},
		{date(2024, 5, 1), false, calendar.Holiday, "劳动节", "Labour Day"},
		{date(2024, 6, 10), false, calendar.Holiday, "端午节", "Dragon Boat Festival"},
		{date(2024, 9, 17), false, calendar.Holiday, "中秋节", "Mid-Autumn Festival"},
		// 2025: National Day and Mid-Autumn share one eight-day break.
		{date(2025, 10, 1), false, calendar.Holiday, "国庆节、中秋节", "National Day and Mid-Autumn Festival"},
		// 2015-09-03 (Thu): one-off holiday for the 70th anniversary.
		{date(2015, 9, 3), false, calendar.Holiday, "抗战胜利纪念日", "Victory Day"},
		{date(2024, 10, 14), true, calendar.Weekday, "", ""},
		{date(2024, 10, 13), false, calendar.Weekend, "", ""},
	}
	for _, tt := range tests {
		d := c.Day(tt.t)
		if d.Working != tt.working || d.Kind != tt.kind || d.NameZH != tt.zh || d.NameEN != tt.en || !d.Covered {
			t.Errorf("Day(%s) = %+v, want working=%v kind=%v name=%s/%s covered",
				tt.t.Format(time.DateOnly), d, tt.working, tt.kind, tt.zh, tt.en)
		}
		if !d.Date.Equal(tt.t) {
			t.Errorf("Day(%s).Date = %v", tt.t.Format(time.DateOnly), d.Date)
		}
	}

	// 2024-09-29T17:00Z is 09-29 in UTC (a make-up Sunday) but already
	// Monday 09-30 01:00 in Beijing: each time is read in its own zone.
	t.Run("OwnLocation", func(t *testing.T) {
		instant := time.Date(2024, 9, 29, 17, 0, 0, 0, time.UTC)
		if d := c.Day(instant); d.Kind != calendar.MakeUpWorkday || !d.Date.Equal(date(2024, 9, 29)) {
			t.Errorf("Day(UTC) = %+v", d)
		}
		d := c.Day(instant.In(beijing))
		want := time.Date(2024, 9, 30, 0, 0, 0, 0, beijing)
		if d.Kind != calendar.Weekday || !d.Date.Equal(want) || d.Date.Location() != beijing {
			t.Errorf("Day(Beijing) = %+v, want a weekday dated %v", d, want)
		}
	})
}

func TestCoverage(t *testing.T) {
	c := plainCalendar()
	// lunar-go v1.4.7 holds the notices from New Year 2002 to 2027.
	if first, last := c.CoveredYears(); first != 2002 || last != 2027 {
		t.Errorf("CoveredYears() = %d, %d; want 2002, 2027", first, last)
	}
	t.Run("Inside", func(t *testing.T) {
		if d := c.Day(date(2027, 10, 1)); !d.Covered || d.Kind != calendar.Holiday {
			t.Errorf("Day(2027-10-01) = %+v, want a covered holiday", d)
		}
	})
	// 2031-01-01 is a Wednesday; without data it counts as a weekday.
	t.Run("Outside", func(t *testing.T) {
		d := c.Day(date(2031, 1, 1))
		if d.Covered || !d.Working || d.Kind != calendar.Weekday {
			t.Errorf("Day(2031-01-01) = %+v, want an uncovered weekday", d)
		}
		if d := c.Day(date(1999, 10, 1)); d.Covered || !d.Working {
			t.Errorf("Day(1999-10-01) = %+v, want an uncovered weekday", d)
		}
	})
}

func TestDays(t *testing.T) {
	c := plainCalendar()
	t.Run("OK", func(t *testing.T) {
		got := c.Days(date(2024, 9, 28), date(2024, 10, 2))
		want := []struct {
			d    time.Time
			kind calendar.DayKind
		}{
			{date(2024, 9, 28), calendar.Weekend},
			{date(2024, 9, 29), calendar.MakeUpWorkday},
			{date(2024, 9, 30), calendar.Weekday},
			{date(2024, 10, 1), calendar.Holiday},
		}
		if len(got) != len(want) {
			t.Fatalf("Days = %d days, want %d: %+v", len(got), len(want), got)
		}
		for i, w := range want {
			if !got[i].Date.Equal(w.d) || got[i].Kind != w.kind {
				t.Errorf("Days[%d] = %+v, want %v %v", i, got[i], w.d, w.kind)
			}
		}
	})
	// October 2024: 31 days, of which worked 10-08..11 (4), Saturday
	// 10-12, 10-14..18 (5), 10-21..25 (5), 10-28..31 (4) = 19.
	t.Run("Month", func(t *testing.T) {
		days := c.Days(date(2024, 10, 1), date(2024, 11, 1))
		working := 0
		for _, d := range days {
			if d.Working {
				working++
			}
		}
		if len(days) != 31 || working != 19 {
			t.Errorf("October 2024: %d days, %d working; want 31, 19", len(days), working)
		}
	})
	t.Run("Empty", func(t *testing.T) {
		if got := c.Days(date(2024, 10, 1), date(2024, 10, 1)); len(got) != 0 {
			t.Errorf("Days(x, x) = %v", got)
		}
		if got := c.Days(date(2024, 10, 2), date(2024, 10, 1)); len(got) != 0 {
			t.Errorf("Days(backwards) = %v", got)
		}
	})
}

func TestDayKind(t *testing.T) {
	tests := []struct {
		k     calendar.DayKind
		s, zh string
	}{
		{calendar.Weekday, "weekday", "工作日"},
		{calendar.Weekend, "weekend", "休息日"},
		{calendar.Holiday, "holiday", "法定节假日"},
		{calendar.MakeUpWorkday, "makeup_workday", "调休上班日"},
		{calendar.LocalOverride, "local_override", "本地调整"},
	}
	for _, tt := range tests {
		if tt.k.String() != tt.s || tt.k.LabelZH() != tt.zh {
			t.Errorf("%d: %q %q, want %q %q", int(tt.k), tt.k.String(), tt.k.LabelZH(), tt.s, tt.zh)
		}
		if b, _ := tt.k.MarshalText(); string(b) != tt.s {
			t.Errorf("%d.MarshalText() = %s", int(tt.k), b)
		}
	}
}

// TestConcurrent is for the race detector: one Calendar shared by readers.
func TestConcurrent(t *testing.T) {
	c := calendar.New([]calendar.Override{{Date: date(2024, 7, 10)}})
	done := make(chan int)
	for i := range 8 {
		go func() {
			start := date(2024, 1, 1).AddDate(0, 0, i)
			end := c.AddWorkingDays(start, 100)
			_ = c.Days(start, end)
			done <- c.WorkingDaysBetween(start, end)
		}()
	}
	for range 8 {
		if got := <-done; got != 100 {
			t.Errorf("concurrent WorkingDaysBetween = %d, want 100", got)
		}
	}
}
