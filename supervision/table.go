package supervision

import (
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/calendar"
)

// Where a transition leads besides a named state.
const (
	stay     State = "(stay)"     // the state does not change
	previous State = "(previous)" // back to the state before the return request
)

// notes says when an action needs a note.
type notes int

const (
	noteOptional notes = iota
	noteRequired
	noteIfRefused // a decision's refusal must say why
)

// transition is one row of the table: the states an action is allowed in,
// who may take it, where it leads (toIfRefused for a decision the office
// refuses; empty when the action is no decision), what it needs beyond
// that (check) and what it records (apply).
type transition struct {
	from        []State
	by          []Role
	to          State
	toIfRefused State
	note        notes
	check       func(o Order, a Action, role Role, now time.Time, cal *calendar.Calendar) error
	apply       func(o *Order, a Action, by Actor, now time.Time, e *Event)
}

// decision reports whether the action is the office's yes or no.
func (t transition) decision() bool { return t.toIfRefused != "" }

// target is the state the action leads o to.
func (t transition) target(o Order, accept bool) State {
	to := t.to
	if t.decision() && !accept {
		to = t.toIfRefused
	}
	switch to {
	case stay:
		return o.State
	case previous:
		return o.PendingReturn.From
	}
	return to
}

var openStates = []State{Assigned, Signed, InProgress, Reported, ReturnRequested}

// transitions is the order's state table. Anything not in it is refused.
// Assign has no state to start from: an order is assigned by Issue only.
var transitions = map[ActionKind]transition{
	Assign: {by: []Role{Office}, to: Assigned},
	Sign: {from: []State{Assigned}, by: []Role{Lead}, to: Signed,
		apply: func(o *Order, _ Action, _ Actor, now time.Time, _ *Event) { o.SignedAt = now }},
	Feedback: {from: []State{Signed, InProgress}, by: []Role{Lead, Co}, to: InProgress, note: noteRequired,
		apply: func(o *Order, _ Action, _ Actor, now time.Time, _ *Event) { o.LastFeedbackAt = now }},
	Report: {from: []State{Signed, InProgress}, by: []Role{Lead}, to: Reported, note: noteRequired,
		apply: func(o *Order, a Action, _ Actor, now time.Time, _ *Event) {
			o.CompletionReport, o.ReportedAt, o.ReviewNote = a.Note, now, ""
		}},
	Review: {from: []State{Reported}, by: []Role{Office}, to: Closed, toIfRefused: InProgress, note: noteIfRefused,
		apply: applyReview},
	RequestReturn: {from: []State{Assigned, Signed}, by: []Role{Lead}, to: ReturnRequested, note: noteRequired,
		check: checkReturnWindow, apply: applyRequestReturn},
	DecideReturn: {from: []State{ReturnRequested}, by: []Role{Office}, to: Returned, toIfRefused: previous,
		check: checkPendingReturn, apply: applyDecideReturn},
	RequestExtension: {from: []State{Signed, InProgress}, by: []Role{Lead}, to: stay, note: noteRequired,
		check: checkExtensionRequest, apply: applyRequestExtension},
	DecideExtension: {from: []State{Signed, InProgress, Reported}, by: []Role{Office}, to: stay, toIfRefused: stay,
		check: checkPendingExtension, apply: applyDecideExtension},
	Remind: {from: openStates, by: []Role{Office}, to: stay,
		apply: func(o *Order, _ Action, _ Actor, now time.Time, _ *Event) {
			o.Reminders, o.RemindedAt = o.Reminders+1, now
		}},
	Escalate: {from: openStates, by: []Role{Office, System}, to: stay,
		check: checkEscalation, apply: applyEscalation},
}

func applyReview(o *Order, a Action, _ Actor, now time.Time, _ *Event) {
	if a.Accept {
		o.ClosedAt, o.PendingExtension = now, nil
		return
	}
	o.ReviewNote, o.ReportedAt = a.Note, time.Time{}
}

func checkReturnWindow(o Order, _ Action, _ Role, now time.Time, cal *calendar.Calendar) error {
	if end := o.ReturnWindowEnd(cal); dateOf(now).After(end) {
		return apperr.Conflictf("督办单 %s 只能在交办后 %d 个工作日内（%s 前）申请退办，已过时限",
			"supervision order %s could be returned only within %d working days of issue (until %s); that time has passed",
			o.Number, o.ReturnWindowDays, end.Format(dateLayout))
	}
	return nil
}

func applyRequestReturn(o *Order, a Action, by Actor, now time.Time, _ *Event) {
	o.PendingReturn = &ReturnRequest{Reason: a.Note, By: by.Name, At: now, From: o.State}
}

func checkPendingReturn(o Order, _ Action, _ Role, _ time.Time, _ *calendar.Calendar) error {
	if o.PendingReturn == nil {
		return apperr.Conflictf("督办单 %s 没有待审批的退办申请", "supervision order %s has no return request to decide", o.Number)
	}
	return nil
}

func applyDecideReturn(o *Order, a Action, _ Actor, now time.Time, _ *Event) {
	o.PendingReturn = nil
	if a.Accept {
		o.ReturnedAt, o.PendingExtension = now, nil
	}
}

func checkExtensionRequest(o Order, a Action, _ Role, now time.Time, _ *calendar.Calendar) error {
	deadline := dateOf(o.Deadline).Format(dateLayout)
	switch {
	case o.PendingExtension != nil:
		return apperr.Conflictf("督办单 %s 已有待审批的延期申请（延期至 %s）", "supervision order %s already has an extension request waiting (to %s)",
			o.Number, dateOf(o.PendingExtension.NewDeadline).Format(dateLayout))
	case !onOrBefore(now, o.Deadline):
		return apperr.Conflictf("督办单 %s 的办理期限 %s 已过，不能再申请延期", "supervision order %s was due on %s; an extension can no longer be asked",
			o.Number, deadline)
	case a.NewDeadline.IsZero():
		return apperr.Invalidf("请填写督办单 %s 申请延期至的日期", "supervision order %s: give the date the extension asks for", o.Number)
	case onOrBefore(a.NewDeadline, o.Deadline):
		return apperr.Invalidf("督办单 %s 申请延期至 %s，应晚于现行期限 %s", "supervision order %s: the extension to %s must be after the current deadline %s",
			o.Number, dateOf(a.NewDeadline).Format(dateLayout), deadline)
	}
	return nil
}

func applyRequestExtension(o *Order, a Action, by Actor, now time.Time, e *Event) {
	o.PendingExtension = &ExtensionRequest{NewDeadline: dateOf(a.NewDeadline), Reason: a.Note, By: by.Name, At: now}
	e.OldDeadline, e.NewDeadline = o.Deadline, o.PendingExtension.NewDeadline
}

func checkPendingExtension(o Order, _ Action, _ Role, _ time.Time, _ *calendar.Calendar) error {
	if o.PendingExtension == nil {
		return apperr.Conflictf("督办单 %s 没有待审批的延期申请", "supervision order %s has no extension request to decide", o.Number)
	}
	return nil
}

func applyDecideExtension(o *Order, a Action, _ Actor, _ time.Time, e *Event) {
	e.OldDeadline, e.NewDeadline = o.Deadline, o.PendingExtension.NewDeadline
	if a.Accept {
		o.Deadline, o.Extensions = o.PendingExtension.NewDeadline, o.Extensions+1
	}
	o.PendingExtension = nil
}

func checkEscalation(o Order, _ Action, role Role, now time.Time, _ *calendar.Calendar) error {
	if o.Level >= Mayor {
		return apperr.Conflictf("督办单 %s 已是市长督办，不能再升级", "supervision order %s is already supervised by the mayor; it cannot go higher", o.Number)
	}
	if role == System && !o.DueForEscalation(now) {
		return apperr.Conflictf("督办单 %s 未到自动升级的条件", "supervision order %s is not due for automatic escalation", o.Number)
	}
	return nil
}

func applyEscalation(o *Order, _ Action, _ Actor, now time.Time, e *Event) {
	e.OldLevel = o.Level
	o.Level, o.Escalations, o.EscalatedAt = o.Level+1, o.Escalations+1, now
	e.NewLevel = o.Level
}
