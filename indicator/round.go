package indicator

import (
	"time"

	"github.com/lantu/lantu/period"
)

// Round is a reporting round (填报轮次): the planning office opens a period
// for a set of indicators with a due date, and each owner department
// reports its figures for it.
type Round struct {
	ID         int64
	Period     period.Period
	DueDate    time.Time // a date; reports are on time until its end, Beijing time
	Indicators []string  // codes
	OpenedBy   string
	OpenedAt   time.Time
	ClosedAt   time.Time // zero while open
	Note       string
}

// Open reports whether figures may still be entered in the round.
func (r Round) Open() bool { return r.ClosedAt.IsZero() }

// Beijing is the time zone in which due dates end.
var Beijing = time.FixedZone("CST", 8*3600)

// OnTime reports whether a figure submitted at t met the round's due date:
// submitted before the end of the due day in Beijing time.
func (r Round) OnTime(t time.Time) bool {
	y, m, d := r.DueDate.Date()
	end := time.Date(y, m, d, 0, 0, 0, 0, Beijing).AddDate(0, 0, 1)
	return !t.IsZero() && t.Before(end)
}
