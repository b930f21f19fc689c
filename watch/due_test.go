package watch_test

import (
	"testing"
	"time"

	"github.com/lantu/lantu/calendar"
	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/watch"
)

func TestWeeklyDue(t *testing.T) {
	cal := calendar.New(nil)
	// The calendar facts the cases below rest on.
	for _, d := range []struct {
		date    time.Time
		working bool
	}{
		{date(2024, 2, 9), true},   // Friday before the Spring Festival break
		{date(2024, 2, 16), false}, // Friday in the break (10–17 Feb)
		{date(2024, 2, 17), false}, // Saturday in the break
		{date(2024, 2, 18), true},  // Sunday, make-up workday
		{date(2024, 10, 4), false}, // Friday in the National Day break (1–7 Oct)
		{date(2024, 10, 5), false},
		{date(2024, 10, 6), false},
		{date(2024, 10, 7), false}, // Monday, last day of the break
		{date(2024, 10, 8), true},
		{date(2024, 10, 11), true},
		{date(2024, 10, 13), false}, // plain Sunday
	} {
		if got := cal.IsWorkingDay(d.date); got != d.working {
			t.Fatalf("calendar: %s working = %v, want %v", d.date.Format(time.DateOnly), got, d.working)
		}
	}
	friday := watch.DefaultDueRule()
	tests := []struct {
		week string
		rule watch.DueRule
		want time.Time
	}{
		// 2024W06 is 5–11 Feb; Friday 9 Feb is worked.
		{"2024W06", friday, bj(2024, 2, 9, 17, 0)},
		// 2024W07 is 12–18 Feb; Friday 16 Feb is a holiday, Saturday 17
		// too, and the next working day is the make-up Sunday 18 Feb.
		{"2024W07", friday, bj(2024, 2, 18, 17, 0)},
		// 2024W40 is 30 Sep – 6 Oct; Friday 4 Oct and 5–7 Oct are off, so
		// Tuesday 8 Oct, in the next week.
		{"2024W40", friday, bj(2024, 10, 8, 17, 0)},
		// 2024W41 is 7–13 Oct; Friday 11 Oct is worked.
		{"2024W41", friday, bj(2024, 10, 11, 17, 0)},
		// Sunday is the last day of an ISO week: 2024W41's is 13 Oct, not
		// worked, so Monday 14 Oct.
		{"2024W41", watch.DueRule{Weekday: time.Sunday, Hour: 12}, bj(2024, 10, 14, 12, 0)},
		// Monday of 2024W40 is 30 Sep, worked.
		{"2024W40", watch.DueRule{Weekday: time.Monday, Hour: 9}, bj(2024, 9, 30, 9, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.week+tt.rule.Weekday.String(), func(t *testing.T) {
			got := watch.WeeklyDue(period.MustParse(tt.week), tt.rule, cal)
			if !got.Equal(tt.want) {
				t.Errorf("WeeklyDue(%s) = %v, want %v", tt.week, got, tt.want)
			}
			if got.Location() != tt.want.Location() {
				t.Errorf("due in %v, want Beijing time", got.Location())
			}
		})
	}
	if got := watch.WeeklyDue(period.MustParse("2024-05"), friday, cal); !got.IsZero() {
		t.Errorf("WeeklyDue(month) = %v, want the zero time", got)
	}
}

func TestReportStateAt(t *testing.T) {
	due := bj(2024, 2, 9, 17, 0)
	never := time.Time{}
	tests := []struct {
		name      string
		filed, at time.Time
		want      watch.ReportState
	}{
		{"OnTime", due.Add(-time.Minute), due.Add(time.Hour), watch.ReportOnTime},
		{"OnTimeAtDue", due, due.Add(time.Hour), watch.ReportOnTime},
		{"LateBySecond", due.Add(time.Second), due.Add(time.Hour), watch.ReportLate},
		{"NotDueAtDue", never, due, watch.ReportNotDue},
		{"MissingAfterDue", never, due.Add(time.Second), watch.ReportMissing},
		// Seen from the evening of the due day, a report filed a day
		// later was still missing.
		{"FiledAfterAt", due.Add(24 * time.Hour), due.Add(time.Hour), watch.ReportMissing},
		{"FiledAfterAtBeforeDue", due.Add(24 * time.Hour), due.Add(-time.Hour), watch.ReportNotDue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := watch.ReportStateAt(due, tt.filed, tt.at); got != tt.want {
				t.Errorf("ReportStateAt = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestDueRuleValidate(t *testing.T) {
	wantInvalid(t, watch.DefaultDueRule().Validate(), "")
	wantInvalid(t, watch.DueRule{Weekday: time.Friday, Hour: 24}.Validate(), "24")
	wantInvalid(t, watch.DueRule{Weekday: 7, Hour: 17}.Validate(), "星期")
}
