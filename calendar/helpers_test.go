package calendar_test

import (
	"time"

	"github.com/lantu/lantu/calendar"
)

// date returns midnight UTC of the given day.
func date(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// beijing is UTC+8 without relying on the tz database being installed.
var beijing = time.FixedZone("CST", 8*3600)

// plainCalendar is a calendar without local overrides.
func plainCalendar() *calendar.Calendar { return calendar.New(nil) }
