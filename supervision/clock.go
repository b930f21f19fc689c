package supervision

import (
	"fmt"
	"time"

	"github.com/lantu/lantu/calendar"
	"github.com/lantu/lantu/indicator"
)

const dateLayout = "2006-01-02"

// dateOf is t's calendar date in Beijing, at midnight: the only thing a
// deadline compares.
func dateOf(t time.Time) time.Time {
	y, m, d := t.In(indicator.Beijing).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, indicator.Beijing)
}

// deadlineFor counts days working days after the issue date.
func deadlineFor(issuedAt time.Time, days int, cal *calendar.Calendar) time.Time {
	return cal.AddWorkingDays(dateOf(issuedAt), days)
}

// ReturnWindowEnd is the last date on which the lead may ask to return
// the order: ReturnWindowDays working days after the issue date.
func (o Order) ReturnWindowEnd(cal *calendar.Calendar) time.Time {
	return cal.AddWorkingDays(dateOf(o.IssuedAt), o.ReturnWindowDays)
}

// WorkingDaysLeft counts the working days after now's date up to and
// including the deadline: 0 on the deadline date, negative once it has
// passed. Past the deadline the count is the working days since it, but
// at least one, so that a weekend right after the deadline also reads as
// overdue.
func (o Order) WorkingDaysLeft(now time.Time, cal *calendar.Calendar) int {
	today, deadline := dateOf(now), dateOf(o.Deadline)
	if !today.After(deadline) {
		return cal.WorkingDaysBetween(today, deadline)
	}
	return min(-1, -cal.WorkingDaysBetween(deadline, today))
}

// Overdue reports whether an open order's deadline date has passed at now
// without the work done: a completion report filed on or before the
// deadline date stops the clock while the office reviews it.
func (o Order) Overdue(now time.Time) bool {
	if !o.State.Open() {
		return false
	}
	return dateOf(now).After(dateOf(o.Deadline)) && !o.reportedOnTime()
}

// reportedOnTime reports whether a completion report waiting for review
// was filed on or before the deadline date.
func (o Order) reportedOnTime() bool {
	return o.State == Reported && onOrBefore(o.ReportedAt, o.Deadline)
}

// onOrBefore reports whether t's Beijing date is not after the deadline's.
func onOrBefore(t, deadline time.Time) bool {
	return !dateOf(t).After(dateOf(deadline))
}

// DueForEscalation reports whether the scheduler should raise the order
// one level now: it is overdue, still with the lead (not reported, not
// waiting for a decision on a return), below mayor, and has not been
// escalated since its deadline passed. An approved extension thus gives
// the order a fresh deadline and, if that passes too, one more escalation.
func (o Order) DueForEscalation(now time.Time) bool {
	switch o.State {
	case Assigned, Signed, InProgress:
	default:
		return false
	}
	return o.Level < Mayor && o.Overdue(now) && (o.EscalatedAt.IsZero() || onOrBefore(o.EscalatedAt, o.Deadline))
}

// Light is an order's 红黄绿灯, computed from its clock.
type Light string

const (
	NoLight Light = ""       // closed or returned: nothing to watch
	Green   Light = "green"  // on track
	Yellow  Light = "yellow" // few working days left
	Red     Light = "red"    // overdue
)

// LabelZH returns the Chinese label.
func (l Light) LabelZH() string {
	return map[Light]string{Green: "绿灯", Yellow: "黄灯", Red: "红灯"}[l]
}

// LabelEN returns the English label.
func (l Light) LabelEN() string {
	return map[Light]string{Green: "green", Yellow: "yellow", Red: "red"}[l]
}

// Light is red when the order is overdue, yellow when yellowDays working
// days or fewer remain, else green; a report filed on time is green while
// the office reviews it. Closed and returned orders have no light.
func (o Order) Light(now time.Time, cal *calendar.Calendar, yellowDays int) Light {
	switch {
	case !o.State.Open():
		return NoLight
	case o.Overdue(now):
		return Red
	case o.State == Reported:
		return Green
	case o.WorkingDaysLeft(now, cal) <= yellowDays:
		return Yellow
	}
	return Green
}

// DeadlineExplained writes how the deadline was reached, e.g.
// "交办 2024-02-08 + 5 个工作日 = 2024-02-21", followed by "，延期至 …"
// once an extension has been approved.
func (o Order) DeadlineExplained() (zh, en string) {
	issued, original, deadline := dateOf(o.IssuedAt).Format(dateLayout), dateOf(o.OriginalDeadline).Format(dateLayout), dateOf(o.Deadline).Format(dateLayout)
	zh = fmt.Sprintf("交办 %s + %d 个工作日 = %s", issued, o.DeadlineDays, original)
	en = fmt.Sprintf("issued %s + %d working days = %s", issued, o.DeadlineDays, original)
	switch {
	case o.Extensions == 1:
		zh += "，延期至 " + deadline
		en += ", extended to " + deadline
	case o.Extensions > 1:
		zh += fmt.Sprintf("，经 %d 次延期至 %s", o.Extensions, deadline)
		en += fmt.Sprintf(", extended %d times to %s", o.Extensions, deadline)
	}
	return zh, en
}
