package calendar

import "time"

// AddWorkingDays returns the n-th working day after start's date, as
// administrative deadlines are counted (受理之日起N个工作日): start's own date
// is not counted, even when worked. n = 0 returns start's date if it is a
// working day, else the next working day. Negative n counts back: -1 is the
// last working day before start's date. The result is midnight in start's
// location.
func (c *Calendar) AddWorkingDays(start time.Time, n int) time.Time {
	d := dayOf(start)
	switch {
	case n == 0:
		for !c.working(d) {
			d++
		}
	case n > 0:
		for n > 0 {
			d++
			if c.working(d) {
				n--
			}
		}
	default:
		for n < 0 {
			d--
			if c.working(d) {
				n++
			}
		}
	}
	return d.in(start.Location())
}

// NextWorkingDay returns the first working day strictly after t's date, at
// midnight in t's location.
func (c *Calendar) NextWorkingDay(t time.Time) time.Time { return c.AddWorkingDays(t, 1) }

// WorkingDaysBetween counts the working days d with from < d <= to (dates
// only), so that WorkingDaysBetween(s, AddWorkingDays(s, n)) == n for n >= 1:
// the days a deadline has used. If to is before from the count is negated,
// WorkingDaysBetween(a, b) == -WorkingDaysBetween(b, a).
func (c *Calendar) WorkingDaysBetween(from, to time.Time) int {
	a, b := dayOf(from), dayOf(to)
	sign := 1
	if b < a {
		a, b, sign = b, a, -1
	}
	count := 0
	for d := a + 1; d <= b; d++ {
		if c.working(d) {
			count++
		}
	}
	return sign * count
}
