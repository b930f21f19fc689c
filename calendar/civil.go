package calendar

import "time"

// dayNum is a calendar date as days since 1970-01-01. Lookups and stepping
// use it instead of time.Time so that neither time zones nor daylight saving
// can shift a date.
type dayNum int64

const secondsPerDay = 24 * 60 * 60

// dayOf returns t's calendar date in t's own location.
func dayOf(t time.Time) dayNum {
	y, m, d := t.Date()
	// Unix time has no leap seconds, so a UTC midnight is an exact
	// multiple of a day and the division is exact, before 1970 too.
	return dayNum(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / secondsPerDay)
}

// in returns midnight of the date in loc.
func (n dayNum) in(loc *time.Location) time.Time {
	y, m, d := n.utc().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

func (n dayNum) utc() time.Time { return time.Unix(int64(n)*secondsPerDay, 0).UTC() }

func (n dayNum) year() int { return n.utc().Year() }

func (n dayNum) weekend() bool {
	wd := n.utc().Weekday()
	return wd == time.Saturday || wd == time.Sunday
}
