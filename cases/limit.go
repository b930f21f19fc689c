package cases

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

// onOrBefore reports whether t's Beijing date is not after the deadline's.
func onOrBefore(t, deadline time.Time) bool { return !dateOf(t).After(dateOf(deadline)) }

func formatDate(t time.Time) string { return dateOf(t).Format(dateLayout) }

// Unit is what a time limit counts.
type Unit string

const (
	WorkingDays  Unit = "working_days"  // 工作日, on the working-day calendar
	CalendarDays Unit = "calendar_days" // 日 (自然日)
	Months       Unit = "months"        // 月, to the corresponding day of the month
)

// Valid reports whether u is one of the three units.
func (u Unit) Valid() bool { return u == WorkingDays || u == CalendarDays || u == Months }

// Limits on a Limit's N, so that a typo cannot make a clock of decades.
const (
	maxWorkingDays  = 250
	maxCalendarDays = 366
	maxMonths       = 24
)

// Limit is a time limit: N units counted after a start date, whose own
// date is never counted (次日起算).
//
// Working days are counted on the working-day calendar, so they always end
// on a working day. Calendar days and months may end on a day off; with
// RollOver the end then moves to the next working day (see doc.go for the
// law). Months end on the corresponding day of the last month, or on that
// month's last day when it has none (民法典第二百零二条).
type Limit struct {
	N        int
	Unit     Unit
	RollOver bool
}

// IsZero reports whether the limit is unset (no unit).
func (l Limit) IsZero() bool { return l.Unit == "" }

// End is the last day of the limit counted from start's Beijing date, at
// midnight in Beijing.
func (l Limit) End(start time.Time, cal *calendar.Calendar) time.Time {
	raw := addUnits(start, l.N, l.Unit, cal)
	if l.RollOver {
		return rollOver(raw, cal)
	}
	return raw
}

// LabelZH writes the limit as a deadline shows it: 60日, 13个工作日, 3个月.
func (l Limit) LabelZH() string { return unitsZH(l.N, l.Unit) }

// LabelEN writes the limit in English: 60 days, 13 working days, 3 months.
func (l Limit) LabelEN() string { return unitsEN(l.N, l.Unit) }

func (l Limit) validate(field string) error {
	if !l.Unit.Valid() {
		return fmt.Errorf("%s: unit %q", field, string(l.Unit))
	}
	top := map[Unit]int{WorkingDays: maxWorkingDays, CalendarDays: maxCalendarDays, Months: maxMonths}[l.Unit]
	if l.N < 0 || l.N > top {
		return fmt.Errorf("%s: %d is outside 0 to %d", field, l.N, top)
	}
	return nil
}

// addUnits counts n units after start's Beijing date.
func addUnits(start time.Time, n int, u Unit, cal *calendar.Calendar) time.Time {
	d := dateOf(start)
	switch u {
	case WorkingDays:
		return cal.AddWorkingDays(d, n)
	case Months:
		return addMonths(d, n)
	}
	return d.AddDate(0, 0, n)
}

// addMonths is 民法典第二百零二条: the corresponding day of the month n
// months on, or that month's last day if it has none (11-30 + 3 months is
// 02-28). time.AddDate would run over into March instead.
func addMonths(d time.Time, n int) time.Time {
	y, m, day := d.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, d.Location())
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(day, last)-1)
}

// rollOver moves a last day that is not worked to the next working day.
func rollOver(d time.Time, cal *calendar.Calendar) time.Time { return cal.AddWorkingDays(d, 0) }

func unitsZH(n int, u Unit) string {
	switch u {
	case WorkingDays:
		return fmt.Sprintf("%d个工作日", n)
	case Months:
		return fmt.Sprintf("%d个月", n)
	}
	if n == 0 {
		return "0日（当日）"
	}
	return fmt.Sprintf("%d日", n)
}

func unitsEN(n int, u Unit) string {
	word := map[Unit]string{WorkingDays: "working day", CalendarDays: "day", Months: "month"}[u]
	switch {
	case n == 0 && u == CalendarDays:
		return "0 days (the same day)"
	case n == 1:
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
