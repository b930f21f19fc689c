package period

import "time"

// WeeksInYear returns the number of ISO weeks, 52 or 53, in the ISO
// week-year isoYear.
func WeeksInYear(isoYear int) int {
	// 28 December is always in the last week of its year: that week's
	// Thursday is at most three days away, still in December.
	_, w := time.Date(isoYear, time.December, 28, 0, 0, 0, 0, time.UTC).ISOWeek()
	return w
}

// weekOneMonday returns the Monday that starts ISO week 1 of isoYear.
func weekOneMonday(isoYear int) time.Time {
	// 4 January is always in week 1: the year's first Thursday falls on
	// 1–7 January, so its week starts between 29 December and 4 January
	// and ends between 4 and 10 January.
	jan4 := time.Date(isoYear, time.January, 4, 0, 0, 0, 0, time.UTC)
	sinceMonday := (int(jan4.Weekday()) + 6) % 7 // Sunday is 0 in Go
	return jan4.AddDate(0, 0, -sinceMonday)
}
