// Package watch is how Lantu watches its key projects week by week: when
// each weekly report (周报) is due, the light (红黄绿灯) a project earns by
// rule, how far a project that stays red climbs the coordination ladder
// (分管领导 → 单位主要领导 → 联系市领导 → 市长督办), and the scores that rank
// departments in the weekly bulletin (通报).
//
// Everything here is a pure function of its inputs: no clock, no storage,
// no HTTP. The caller passes the evaluation time, the calendar and the
// rules, and keeps what comes back, so a light computed for week 18 can be
// shown, with its reasons, long after the project turned green.
//
// Times are instants; dates (a milestone's planned day, the day a plan is
// measured at) are read in Beijing time, where the city works.
package watch

import (
	"time"

	"github.com/lantu/lantu/indicator"
)

// civil returns t's calendar date in its own location as UTC midnight, so
// that two dates subtract to a whole number of days.
func civil(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// beijingDate is the calendar date of the instant t in Beijing.
func beijingDate(t time.Time) time.Time { return civil(t.In(indicator.Beijing)) }

// daysBetween counts the days from date a to date b, both from civil.
func daysBetween(a, b time.Time) int { return int(b.Sub(a) / (24 * time.Hour)) }
