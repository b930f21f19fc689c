package period_test

import "time"

// date returns midnight UTC of the given day.
func date(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// beijing is UTC+8 without relying on the tz database being installed.
var beijing = time.FixedZone("CST", 8*3600)
