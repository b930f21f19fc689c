package calendar_test

import (
	"testing"
	"time"

	"github.com/lantu/lantu/calendar"
)

func TestOverrides(t *testing.T) {
	// Wednesday 2024-07-10 off for a flood, made up on Saturday 07-13.
	// The override's date is given in Beijing time on purpose.
	c := calendar.New([]calendar.Override{
		{Date: time.Date(2024, 7, 10, 0, 0, 0, 0, beijing), Working: false, NameZH: "防汛放假", NameEN: "Flood day off", Reason: "市防汛指挥部通知"},
		{Date: date(2024, 7, 13), Working: true, NameZH: "防汛补班", NameEN: "Flood make-up day"},
	})
	plain := plainCalendar()

	t.Run("OK", func(t *testing.T) {
		if c.IsWorkingDay(date(2024, 7, 10)) || !plain.IsWorkingDay(date(2024, 7, 10)) {
			t.Error("2024-07-10 should be off only with the override")
		}
		if !c.IsWorkingDay(date(2024, 7, 13)) || plain.IsWorkingDay(date(2024, 7, 13)) {
			t.Error("2024-07-13 should be worked only with the override")
		}
		d := c.Day(time.Date(2024, 7, 10, 15, 0, 0, 0, time.UTC))
		if d.Kind != calendar.LocalOverride || d.Working || d.NameZH != "防汛放假" || d.NameEN != "Flood day off" || d.Reason != "市防汛指挥部通知" {
			t.Errorf("Day(2024-07-10) = %+v", d)
		}
	})
	t.Run("Arithmetic", func(t *testing.T) {
		tests := []struct {
			name  string
			start time.Time
			n     int
			with  time.Time
			plain time.Time
		}{
			// Tuesday + 1 skips the flood day.
			{"SkipsDayOff", date(2024, 7, 9), 1, date(2024, 7, 11), date(2024, 7, 10)},
			// Friday + 1 is the worked Saturday.
			{"UsesSaturday", date(2024, 7, 12), 1, date(2024, 7, 13), date(2024, 7, 15)},
			// Over the whole week the two cancel out: 07-11, 07-12,
			// 07-13, 07-15, 07-16 against 07-10, 07-11, 07-12, 07-15,
			// 07-16.
			{"WeekBalances", date(2024, 7, 9), 5, date(2024, 7, 16), date(2024, 7, 16)},
		}
		for _, tt := range tests {
			if got := c.AddWorkingDays(tt.start, tt.n); !got.Equal(tt.with) {
				t.Errorf("%s: with overrides = %v, want %v", tt.name, got, tt.with)
			}
			if got := plain.AddWorkingDays(tt.start, tt.n); !got.Equal(tt.plain) {
				t.Errorf("%s: without = %v, want %v", tt.name, got, tt.plain)
			}
		}
		// 07-08 (Mon) to 07-14 (Sun): 07-09, 07-11, 07-12, 07-13 = 4.
		if got := c.WorkingDaysBetween(date(2024, 7, 8), date(2024, 7, 14)); got != 4 {
			t.Errorf("WorkingDaysBetween with overrides = %d, want 4", got)
		}
	})
	// A local decision beats the national table: cancelling the make-up
	// Saturday 2024-10-12 moves 09-29 + 13 from 10-22 to 10-23.
	t.Run("BeatsNationalTable", func(t *testing.T) {
		c := calendar.New([]calendar.Override{{Date: date(2024, 10, 12), Working: false, NameZH: "取消调休"}})
		if got := c.AddWorkingDays(date(2024, 9, 29), 13); !got.Equal(date(2024, 10, 23)) {
			t.Errorf("AddWorkingDays = %v, want 2024-10-23", got)
		}
		if d := c.Day(date(2024, 10, 12)); d.Kind != calendar.LocalOverride || d.Working || !d.Covered {
			t.Errorf("Day(2024-10-12) = %+v", d)
		}
	})
	t.Run("LaterWins", func(t *testing.T) {
		c := calendar.New([]calendar.Override{
			{Date: date(2024, 7, 10), Working: false},
			{Date: date(2024, 7, 10), Working: true, NameZH: "恢复上班"},
		})
		if d := c.Day(date(2024, 7, 10)); !d.Working || d.NameZH != "恢复上班" {
			t.Errorf("Day(2024-07-10) = %+v, want the later override", d)
		}
	})
	// The caller's slice is copied: changing it later has no effect.
	t.Run("Immutable", func(t *testing.T) {
		ov := []calendar.Override{{Date: date(2024, 7, 10), Working: false}}
		c := calendar.New(ov)
		ov[0].Working = true
		if c.IsWorkingDay(date(2024, 7, 10)) {
			t.Error("changing the slice after New changed the calendar")
		}
	})
}
