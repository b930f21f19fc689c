package calendar

import (
	"fmt"
	"time"
)

// Override is a local decision that a date is, or is not, a working day,
// such as a day off for a flood or a Saturday worked to make up for it.
// Overrides are kept by the caller (an administrator edits them) and passed
// to New. Only Date's calendar date in its own location counts.
type Override struct {
	Date    time.Time
	Working bool
	NameZH  string // e.g. 防汛放假
	NameEN  string
	Reason  string // why, e.g. the document that decided it
}

// DayKind says why a day is or is not worked.
type DayKind int

// Kinds of day. The zero DayKind is invalid.
const (
	Weekday       DayKind = iota + 1 // Monday to Friday, nothing special
	Weekend                          // Saturday or Sunday, nothing special
	Holiday                          // statutory holiday (法定节假日), including its weekend days
	MakeUpWorkday                    // weekend day worked in exchange for a holiday (调休上班)
	LocalOverride                    // decided locally; see Day.Working
)

// String returns a stable English token for APIs and logs.
func (k DayKind) String() string {
	switch k {
	case Weekday:
		return "weekday"
	case Weekend:
		return "weekend"
	case Holiday:
		return "holiday"
	case MakeUpWorkday:
		return "makeup_workday"
	case LocalOverride:
		return "local_override"
	}
	return fmt.Sprintf("DayKind(%d)", int(k))
}

// LabelZH returns the Chinese label shown in the calendar.
func (k DayKind) LabelZH() string {
	switch k {
	case Weekday:
		return "工作日"
	case Weekend:
		return "休息日"
	case Holiday:
		return "法定节假日"
	case MakeUpWorkday:
		return "调休上班日"
	case LocalOverride:
		return "本地调整"
	}
	return k.String()
}

// MarshalText writes the String token, so JSON shows "holiday", not 3.
func (k DayKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Day is what the calendar knows about one date.
type Day struct {
	Date    time.Time // midnight, in the location of the time asked about
	Working bool
	Kind    DayKind
	// NameZH and NameEN name the holiday, the holiday a make-up workday
	// serves, or the local override; empty for plain weekdays and weekends.
	NameZH string
	NameEN string
	Reason string // a local override's reason; empty otherwise
	// Covered is false when the national holiday data has nothing for the
	// date's year, so only weekends and local overrides were applied and a
	// UI should warn that holidays are unknown.
	Covered bool
}
