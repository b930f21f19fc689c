package cases

import (
	"fmt"
	"strings"
	"time"

	"github.com/lantu/lantu/calendar"
)

// ClockKind says where a time limit comes from.
type ClockKind string

const (
	Statutory  ClockKind = "statutory"  // 法定时限: set by a law or an administrative regulation
	Prescribed ClockKind = "prescribed" // 规定时限: set by a local rule or the government's own rules
	Promised   ClockKind = "promised"   // 承诺时限: the shorter time the government promises; never extended
)

// LabelZH returns the Chinese label.
func (k ClockKind) LabelZH() string {
	return map[ClockKind]string{Statutory: "法定时限", Prescribed: "规定时限", Promised: "承诺时限"}[k]
}

// LabelEN returns the English label.
func (k ClockKind) LabelEN() string {
	return map[ClockKind]string{Statutory: "statutory limit", Prescribed: "prescribed limit", Promised: "promised limit"}[k]
}

// Milestone is a moment of the case a clock starts or stops at.
type Milestone string

const (
	AtReceived Milestone = "received" // 登记 (收到)
	AtAccepted Milestone = "accepted" // 受理
	AtAssigned Milestone = "assigned" // 交办 (the current assignment's)
	AtSigned   Milestone = "signed"   // 签收 (the current assignment's)
	AtReopened Milestone = "reopened" // 重办: every round after the first starts here
	AtApproved Milestone = "approved" // 审核: for a licence, the decision (行政许可决定) is made
	AtAnswered Milestone = "answered" // 答复
)

// LabelZH returns the Chinese label, as a deadline's explanation starts.
func (m Milestone) LabelZH() string {
	return map[Milestone]string{AtReceived: "登记", AtAccepted: "受理", AtAssigned: "交办", AtSigned: "签收",
		AtReopened: "重办", AtApproved: "审核", AtAnswered: "答复"}[m]
}

// LabelEN returns the English label.
func (m Milestone) LabelEN() string {
	return map[Milestone]string{AtReceived: "received", AtAccepted: "accepted", AtAssigned: "assigned", AtSigned: "signed",
		AtReopened: "reopened", AtApproved: "approved", AtAnswered: "answered"}[m]
}

// ClockRule is one clock of a type: its limit, counted from the Start
// milestone's date (not counted itself), running until the Stop milestone.
type ClockRule struct {
	Kind  ClockKind
	Start Milestone // AtReceived, AtAccepted, AtAssigned or AtSigned
	Stop  Milestone // AtApproved or AtAnswered
	Limit Limit
}

// PauseKind is why a clock stands still.
type PauseKind string

const (
	// Correction is 补正: waiting for the applicant's missing documents.
	Correction PauseKind = "correction"
	// Procedure is the time 行政许可法第四十五条 leaves out of the limits:
	// 听证、招标、拍卖、检验、检测、检疫、鉴定和专家评审.
	Procedure PauseKind = "procedure"
)

// LabelZH returns the Chinese label.
func (k PauseKind) LabelZH() string {
	return map[PauseKind]string{Correction: "补正", Procedure: "听证检验鉴定等特别程序"}[k]
}

// LabelEN returns the English label.
func (k PauseKind) LabelEN() string {
	return map[PauseKind]string{Correction: "paused for missing documents", Procedure: "paused for a hearing, test or expert review"}[k]
}

// Pause stops every clock of the case from the day after Start's date up
// to and including End's date: the day the clock stops was worked on, the
// day the documents arrive is not, and counting goes on the next day, as
// it starts (次日起算). A working-day clock skips the working days in
// between, a calendar-day or month clock the calendar days.
type Pause struct {
	Round  int
	Kind   PauseKind
	Reason string
	By     string
	Start  time.Time
	End    time.Time // zero while the clock stands still
}

// Extension is an approved 延期 of N units of the type's MaxExtension,
// asked on or before the deadline. It lengthens every clock but the
// promised one: a promise kept late is late.
type Extension struct {
	Round       int
	N           int
	Reason      string
	RequestedBy string
	RequestedAt time.Time
	DecidedBy   string
	DecidedAt   time.Time
}

// Clock is one clock of a case in one round, as computed from the case's
// facts and the working-day calendar.
type Clock struct {
	Rule  ClockRule
	Round int
	// Started is false until the Start milestone is reached; the dates
	// below are then zero.
	Started bool
	Start   time.Time // the milestone's date, at midnight in Beijing
	// Raw is Start + the limit + extensions + pauses; Deadline is Raw
	// rolled over to a working day where the limit says so.
	Raw      time.Time
	Deadline time.Time
	// Paused is set while a pause runs: Deadline then assumes it ends
	// on the date the clock was computed for.
	Paused  bool
	Stopped time.Time // when the Stop milestone was reached; zero while running

	extensions []Extension
	pauses     []pauseSpan
}

type pauseSpan struct {
	Pause
	units int
}

// clockInput is what computeClock needs of a case.
type clockInput struct {
	rule        ClockRule
	round       int
	start, stop time.Time
	pauses      []Pause
	extensions  []Extension
	// extensionUnit is the type's MaxExtension unit: extensions lengthen
	// the clocks in that unit, never a same-day limit in another.
	extensionUnit Unit
	now           time.Time
}

// computeClock is the clock engine. Every addition (limit, extensions,
// pauses) is made to the unrolled end, so the order of the events does
// not matter, and only the final day rolls over a day off: an extension
// lengthens the period (60 + 30 = 90 days), it does not start a new one.
func computeClock(in clockInput, cal *calendar.Calendar) Clock {
	k := Clock{Rule: in.rule, Round: in.round}
	if in.start.IsZero() {
		return k
	}
	k.Started, k.Start, k.Stopped = true, dateOf(in.start), in.stop
	limit := in.rule.Limit
	n, months := limit.N, limit.Unit == Months
	if in.rule.Kind != Promised && limit.Unit == in.extensionUnit {
		for _, x := range in.extensions {
			if x.Round == in.round {
				k.extensions = append(k.extensions, x)
				n += x.N
			}
		}
	}
	paused := 0
	for _, p := range in.pauses {
		if p.Round != in.round {
			continue
		}
		end := p.End
		if end.IsZero() {
			end, k.Paused = in.now, true
		}
		span := pauseSpan{Pause: p, units: pauseUnits(p.Start, end, limit.Unit, cal)}
		k.pauses = append(k.pauses, span)
		paused += span.units
	}
	switch {
	case months:
		k.Raw = addMonths(k.Start, n).AddDate(0, 0, paused)
	default:
		k.Raw = addUnits(k.Start, n+paused, limit.Unit, cal)
	}
	k.Deadline = k.Raw
	if limit.RollOver {
		k.Deadline = rollOver(k.Raw, cal)
	}
	return k
}

// pauseUnits counts the units a pause takes out of a clock: working days
// for a working-day clock, else calendar days, in (start, end].
func pauseUnits(start, end time.Time, u Unit, cal *calendar.Calendar) int {
	if u == WorkingDays {
		return max(0, cal.WorkingDaysBetween(dateOf(start), dateOf(end)))
	}
	return max(0, int(dateOf(end).Sub(dateOf(start)).Hours()/24+0.5))
}

// Running reports whether the clock has started and not stopped.
func (k Clock) Running() bool { return k.Started && k.Stopped.IsZero() }

// OnTime reports whether a stopped clock stopped on or before its
// deadline date.
func (k Clock) OnTime() bool {
	return k.Started && !k.Stopped.IsZero() && onOrBefore(k.Stopped, k.Deadline)
}

// Overdue reports whether a running clock's deadline date has passed at
// now. A paused clock is never overdue: the pause grows with the days.
func (k Clock) Overdue(now time.Time) bool {
	return k.Running() && !k.Paused && dateOf(now).After(k.Deadline)
}

// WorkingDaysLeft counts the working days after now's date up to and
// including the deadline: 0 on the deadline date, negative once it has
// passed (at least -1, so that a weekend right after the deadline also
// reads as late). It is 0 for a clock that has not started.
func (k Clock) WorkingDaysLeft(now time.Time, cal *calendar.Calendar) int {
	if !k.Started {
		return 0
	}
	today := dateOf(now)
	if !today.After(k.Deadline) {
		return cal.WorkingDaysBetween(today, k.Deadline)
	}
	return min(-1, -cal.WorkingDaysBetween(k.Deadline, today))
}

// Light is a clock's or a case's 红黄绿灯, computed from its clocks.
type Light string

const (
	NoLight Light = ""       // not started, stopped or finished: nothing to watch
	Green   Light = "green"  // on track
	Yellow  Light = "yellow" // few working days left
	Red     Light = "red"    // overdue
	Paused  Light = "paused" // the clock stands still (补正 …)
)

// LabelZH returns the Chinese label.
func (l Light) LabelZH() string {
	return map[Light]string{Green: "绿灯", Yellow: "黄灯", Red: "红灯", Paused: "暂停计时"}[l]
}

// LabelEN returns the English label.
func (l Light) LabelEN() string {
	return map[Light]string{Green: "green", Yellow: "yellow", Red: "red", Paused: "paused"}[l]
}

// severity orders lights for the worst of several.
func (l Light) severity() int {
	return map[Light]int{NoLight: 0, Green: 1, Yellow: 2, Paused: 3, Red: 4}[l]
}

func worse(a, b Light) Light {
	if b.severity() > a.severity() {
		return b
	}
	return a
}

// Light is red when the clock is overdue, paused while it stands still,
// yellow when yellowDays working days or fewer remain, else green; a clock
// not running has no light.
func (k Clock) Light(now time.Time, cal *calendar.Calendar, yellowDays int) Light {
	switch {
	case !k.Running():
		return NoLight
	case k.Overdue(now):
		return Red
	case k.Paused:
		return Paused
	case k.WorkingDaysLeft(now, cal) <= yellowDays:
		return Yellow
	}
	return Green
}

// Explained writes how the deadline was reached, e.g.
// "受理 2024-09-27 + 60日 = 2024-11-26",
// "受理 2024-09-25 + 20个工作日 + 补正 5个工作日（2024-10-08至2024-10-14） = 2024-11-04"
// or "受理 2024-08-02 + 60日 = 2024-10-01，逢休息日顺延至 2024-10-08".
// A clock not started explains nothing.
func (k Clock) Explained() (zh, en string) {
	if !k.Started {
		return "", ""
	}
	var z, e strings.Builder
	unit := k.Rule.Limit.Unit
	fmt.Fprintf(&z, "%s %s + %s", k.startLabel(true), formatDate(k.Start), k.Rule.Limit.LabelZH())
	fmt.Fprintf(&e, "%s %s + %s", k.startLabel(false), formatDate(k.Start), k.Rule.Limit.LabelEN())
	for _, x := range k.extensions {
		fmt.Fprintf(&z, " + 延期 %s", unitsZH(x.N, unit))
		fmt.Fprintf(&e, " + %s extension", unitsEN(x.N, unit))
	}
	pauseUnit := unit
	if unit == Months {
		pauseUnit = CalendarDays
	}
	for _, p := range k.pauses {
		if p.End.IsZero() {
			fmt.Fprintf(&z, " + %s %s（%s起，暂停中）", p.Kind.LabelZH(), unitsZH(p.units, pauseUnit), formatDate(p.Start))
			fmt.Fprintf(&e, " + %s %s (since %s, still paused)", unitsEN(p.units, pauseUnit), p.Kind.LabelEN(), formatDate(p.Start))
			continue
		}
		fmt.Fprintf(&z, " + %s %s（%s至%s）", p.Kind.LabelZH(), unitsZH(p.units, pauseUnit), formatDate(p.Start), formatDate(p.End))
		fmt.Fprintf(&e, " + %s %s (%s to %s)", unitsEN(p.units, pauseUnit), p.Kind.LabelEN(), formatDate(p.Start), formatDate(p.End))
	}
	fmt.Fprintf(&z, " = %s", formatDate(k.Raw))
	fmt.Fprintf(&e, " = %s", formatDate(k.Raw))
	if !k.Deadline.Equal(k.Raw) {
		fmt.Fprintf(&z, "，逢休息日顺延至 %s", formatDate(k.Deadline))
		fmt.Fprintf(&e, ", a day off, so %s", formatDate(k.Deadline))
	}
	return z.String(), e.String()
}

func (k Clock) startLabel(zh bool) string {
	m := k.Rule.Start
	if k.Round > 1 {
		m = AtReopened
	}
	if zh {
		return m.LabelZH()
	}
	return m.LabelEN()
}
