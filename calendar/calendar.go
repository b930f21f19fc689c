package calendar

import "time"

// Calendar answers which dates are worked. It is immutable after New and
// safe for concurrent use; build one when the overrides change and share it.
type Calendar struct {
	holidays    map[dayNum]holiday // shared by all calendars; read only
	overrides   map[dayNum]Override
	first, last int // years covered by holidays
}

// New builds a calendar from the national holiday data and the local
// overrides. Overrides win over the national data; if two overrides share a
// date, the later one in the slice wins.
func New(overrides []Override) *Calendar {
	n := national()
	c := &Calendar{holidays: n.table, first: n.first, last: n.last,
		overrides: make(map[dayNum]Override, len(overrides))}
	for _, o := range overrides {
		c.overrides[dayOf(o.Date)] = o
	}
	return c
}

// CoveredYears returns the first and last year for which national holiday
// data exists. Outside them only weekends and overrides are known (see
// Day.Covered). The last year's late December may still change, as make-up
// days for the next New Year come with the next year's notice.
func (c *Calendar) CoveredYears() (first, last int) { return c.first, c.last }

// Day describes t's calendar date (read in t's location). Precedence: a
// local override, then the national table (holiday: off; make-up workday:
// worked), then Monday to Friday worked and the weekend off.
func (c *Calendar) Day(t time.Time) Day {
	d := c.day(dayOf(t))
	d.Date = dayOf(t).in(t.Location())
	return d
}

// day is Day without the Date, which needs a location.
func (c *Calendar) day(n dayNum) Day {
	h, inTable := c.holidays[n]
	y := n.year()
	// An entry outside the covered years (2001-12-29 is a make-up day for
	// New Year 2002) is still data about that date.
	d := Day{Covered: inTable || (c.first != 0 && c.first <= y && y <= c.last)}
	switch o, ok := c.overrides[n]; {
	case ok:
		d.Working, d.Kind = o.Working, LocalOverride
		d.NameZH, d.NameEN, d.Reason = o.NameZH, o.NameEN, o.Reason
	case inTable && h.working:
		d.Working, d.Kind, d.NameZH, d.NameEN = true, MakeUpWorkday, h.nameZH, h.nameEN
	case inTable:
		d.Working, d.Kind, d.NameZH, d.NameEN = false, Holiday, h.nameZH, h.nameEN
	case n.weekend():
		d.Working, d.Kind = false, Weekend
	default:
		d.Working, d.Kind = true, Weekday
	}
	return d
}

// working is the hot path of the day arithmetic: Day's answer without
// building a Day.
func (c *Calendar) working(n dayNum) bool {
	if o, ok := c.overrides[n]; ok {
		return o.Working
	}
	if h, ok := c.holidays[n]; ok {
		return h.working
	}
	return !n.weekend()
}

// IsWorkingDay reports whether t's calendar date is worked.
func (c *Calendar) IsWorkingDay(t time.Time) bool { return c.working(dayOf(t)) }

// Days returns the days from from's date up to but not including to's date,
// the half-open range that period.Period's Start and End describe, for a
// month view: c.Days(p.Start(), p.End()). Dates are midnight in from's
// location. It returns nil if to's date is not after from's.
func (c *Calendar) Days(from, to time.Time) []Day {
	a, b := dayOf(from), dayOf(to)
	if b <= a {
		return nil
	}
	days := make([]Day, 0, b-a)
	for n := a; n < b; n++ {
		d := c.day(n)
		d.Date = n.in(from.Location())
		days = append(days, d)
	}
	return days
}
