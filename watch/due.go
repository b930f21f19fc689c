package watch

import (
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/calendar"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/period"
)

// DueRule says when in its week a weekly report is due, Beijing time.
type DueRule struct {
	Weekday time.Weekday
	Hour    int // 0–23; the report is due at Hour:00
}

// DefaultDueRule is the usual practice: Friday at 17:00.
func DefaultDueRule() DueRule { return DueRule{Weekday: time.Friday, Hour: 17} }

// Validate checks the weekday and the hour.
func (r DueRule) Validate() error {
	if r.Weekday < time.Sunday || r.Weekday > time.Saturday {
		return apperr.Invalidf("周报截止的星期 %d 无效", "weekly report due weekday %d is invalid", int(r.Weekday))
	}
	if r.Hour < 0 || r.Hour > 23 {
		return apperr.Invalidf("周报截止时刻 %d 时无效：应为 0–23", "weekly report due hour %d is invalid: want 0–23", r.Hour)
	}
	return nil
}

// WeeklyDue returns when the weekly report of the ISO week is due: on the
// rule's weekday of that week (Monday to Sunday) at the rule's hour,
// Beijing time; if that day is not worked, at the same hour on the next
// working day, which may be a make-up Sunday or fall in the following week.
// A period that is not a week gives the zero time; cal must not be nil.
func WeeklyDue(week period.Period, rule DueRule, cal *calendar.Calendar) time.Time {
	if week.Kind != period.Week {
		return time.Time{}
	}
	// ISO weeks start on Monday; time.Weekday counts from Sunday.
	offset := (int(rule.Weekday) + 6) % 7
	y, m, d := week.Start().Date()
	day := time.Date(y, m, d+offset, 0, 0, 0, 0, indicator.Beijing)
	if !cal.IsWorkingDay(day) {
		day = cal.NextWorkingDay(day)
	}
	y, m, d = day.Date()
	return time.Date(y, m, d, rule.Hour, 0, 0, 0, indicator.Beijing)
}

// ReportState is where a week's report stands at the time of evaluation.
type ReportState string

const (
	ReportNotDue  ReportState = "not_due" // not filed, and not due yet
	ReportOnTime  ReportState = "on_time" // filed by the due time
	ReportLate    ReportState = "late"    // filed after the due time
	ReportMissing ReportState = "missing" // not filed, and the due time has passed
)

// LabelZH returns the Chinese label.
func (s ReportState) LabelZH() string {
	return map[ReportState]string{ReportNotDue: "未到期", ReportOnTime: "按时报送", ReportLate: "迟报", ReportMissing: "未报"}[s]
}

// LabelEN returns the English label.
func (s ReportState) LabelEN() string {
	return map[ReportState]string{ReportNotDue: "not due yet", ReportOnTime: "on time", ReportLate: "late", ReportMissing: "missing"}[s]
}

// ReportStateAt says where a report due at due stands at time at, given
// when it was filed (zero if never). Filing exactly at the due time is on
// time. A report filed after at does not count yet, so evaluating a past
// week shows it as it stood then.
func ReportStateAt(due, filed, at time.Time) ReportState {
	if !filed.IsZero() && !filed.After(at) {
		if filed.After(due) {
			return ReportLate
		}
		return ReportOnTime
	}
	if at.After(due) {
		return ReportMissing
	}
	return ReportNotDue
}

// WeeklyReport is when a project's report for a week was filed.
type WeeklyReport struct {
	Week  period.Period
	Filed time.Time
}
