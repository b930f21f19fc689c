package supervision

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/calendar"
)

// Event is one step of an order's history, as storage keeps it and as
// department scores are computed from it.
type Event struct {
	OrderID   int64
	Number    string
	Kind      ActionKind
	At        time.Time
	ByName    string
	ByDept    string
	ByRole    Role
	FromState State // empty for Assign
	ToState   State
	Version   int // the order's version after the event
	Note      string
	// Accepted is the office's decision on a report (Review), a return or
	// an extension.
	Accepted bool
	// OldDeadline and NewDeadline are set by an extension asked or
	// decided (NewDeadline is the date asked; it took effect if Accepted),
	// and NewDeadline by Assign.
	OldDeadline time.Time
	NewDeadline time.Time
	// OldLevel and NewLevel are set by Assign (NewLevel) and Escalate.
	OldLevel Level
	NewLevel Level
	// LeadDept and CoDepts are who the order concerns, so that a score
	// needs no other lookup; Completion is set when the order is closed.
	LeadDept   string
	CoDepts    []string
	Completion *Completion
}

// Completion is what a department's score takes from a closed order. It
// counts alike for the lead and the co-handlers.
type Completion struct {
	Deadline    time.Time // the deadline in force, after any extension
	ReportedAt  time.Time
	ClosedAt    time.Time
	OnTime      bool // closed (销号) on or before the deadline date
	Extensions  int
	Reminders   int
	Escalations int
}

// RoleOf says what part an actor plays on the order: the office (or the
// system) whatever its department, else the lead or a co-handler by
// department; empty if none.
func (o Order) RoleOf(by Actor) Role {
	switch {
	case by.System:
		return System
	case by.Office:
		return Office
	case by.Dept == "":
		return ""
	case by.Dept == o.LeadDept:
		return Lead
	case slices.Contains(o.CoDepts, by.Dept):
		return Co
	}
	return ""
}

// Allowed lists the actions the table lets this actor take on the order
// now, for a page to offer. Apply may still refuse one for its timing or
// its input (a return window passed, an extension already asked).
func (o Order) Allowed(by Actor) []ActionKind {
	role := o.RoleOf(by)
	var kinds []ActionKind
	for _, k := range ActionKinds {
		t := transitions[k]
		if slices.Contains(t.from, o.State) && slices.Contains(t.by, role) {
			kinds = append(kinds, k)
		}
	}
	return kinds
}

// Issue assigns (交办) a new order drafted by the office: its Number,
// Subject, Title, Requirement, Level, LeadDept, CoDepts, DeadlineDays and
// ReturnWindowDays (0 for DefaultReturnWindowDays) are kept, everything
// else is set here: issued now by by, deadline counted on cal, state
// Assigned, version 1.
func Issue(draft Order, by Actor, now time.Time, cal *calendar.Calendar) (Order, Event, error) {
	if strings.TrimSpace(by.Name) == "" {
		return Order{}, Event{}, apperr.New(apperr.Invalid, "操作人姓名不能为空", "the actor's name is required")
	}
	if !by.Office {
		return Order{}, Event{}, apperr.New(apperr.Forbidden, "只有督查室可以交办督办单", "only the supervision office issues supervision orders")
	}
	o := Order{
		ID: draft.ID, Number: strings.TrimSpace(draft.Number), Subject: draft.Subject,
		Title: strings.TrimSpace(draft.Title), Requirement: strings.TrimSpace(draft.Requirement), Level: draft.Level,
		LeadDept: draft.LeadDept, CoDepts: slices.Clone(draft.CoDepts),
		IssuedBy: by.Name, IssuedAt: now, DeadlineDays: draft.DeadlineDays, ReturnWindowDays: draft.ReturnWindowDays,
		State: Assigned, Version: 1,
	}
	if o.ReturnWindowDays == 0 {
		o.ReturnWindowDays = DefaultReturnWindowDays
	}
	// Counting a deadline out of range would be slow and then refused.
	if o.DeadlineDays >= 1 && o.DeadlineDays <= MaxDeadlineDays {
		o.OriginalDeadline = deadlineFor(now, o.DeadlineDays, cal)
		o.Deadline = o.OriginalDeadline
	}
	if err := o.Validate(); err != nil {
		return Order{}, Event{}, err
	}
	e := o.event(Assign, by, Office, now)
	e.ToState, e.Version, e.NewDeadline, e.NewLevel = Assigned, o.Version, o.Deadline, o.Level
	return o, e, nil
}

// Apply takes one action on the order, by the actor, at now, and returns
// the order as it becomes and the event to keep. It refuses, leaving o as
// it was: an actor who plays no part in the order or whose role the table
// does not allow (Forbidden); an ExpectedVersion other than o.Version, or
// a state the table does not allow (Conflict); a missing note, a passed
// window or a bad date (Invalid or Conflict, naming the order).
func Apply(o Order, a Action, by Actor, now time.Time, cal *calendar.Calendar) (Order, Event, error) {
	t, ok := transitions[a.Kind]
	if !ok {
		return o, Event{}, apperr.Invalidf("未知的督办操作 %q", "unknown supervision action %q", string(a.Kind))
	}
	role, err := o.authorize(a.Kind, t, by)
	if err != nil {
		return o, Event{}, err
	}
	if a.ExpectedVersion != o.Version {
		return o, Event{}, apperr.New(apperr.Conflict, "督办单已被他人处理，请刷新后重试", "the order was changed by someone else; reload and try again")
	}
	if !slices.Contains(t.from, o.State) {
		return o, Event{}, apperr.New(apperr.Conflict,
			fmt.Sprintf("督办单 %s 当前为「%s」，不能「%s」", o.Number, o.State.LabelZH(), a.Kind.LabelZH()),
			fmt.Sprintf("supervision order %s is %s: %s is not possible now", o.Number, o.State.LabelEN(), a.Kind.LabelEN()))
	}
	a.Note = strings.TrimSpace(a.Note)
	if err := o.checkNote(a, t); err != nil {
		return o, Event{}, err
	}
	if t.check != nil {
		if err := t.check(o, a, role, now, cal); err != nil {
			return o, Event{}, err
		}
	}
	e := o.event(a.Kind, by, role, now)
	e.Note, e.Accepted = a.Note, t.decision() && a.Accept
	next := o
	if t.apply != nil {
		t.apply(&next, a, by, now, &e)
	}
	next.State, next.Version = t.target(o, a.Accept), o.Version+1
	e.ToState, e.Version = next.State, next.Version
	if next.State == Closed {
		e.Completion = next.completion()
	}
	return next, e, nil
}

// authorize finds the actor's role and refuses it if the table does not
// let that role take the action.
func (o Order) authorize(kind ActionKind, t transition, by Actor) (Role, error) {
	if strings.TrimSpace(by.Name) == "" {
		return "", apperr.New(apperr.Invalid, "操作人姓名不能为空", "the actor's name is required")
	}
	role := o.RoleOf(by)
	if role == "" {
		return "", apperr.New(apperr.Forbidden,
			fmt.Sprintf("%s（%s）不是督办单 %s 的承办单位", by.Name, by.Dept, o.Number),
			fmt.Sprintf("%s (%s) is not a handler of supervision order %s", by.Name, by.Dept, o.Number))
	}
	if slices.Contains(t.by, role) {
		return role, nil
	}
	var zh, en []string
	for _, r := range t.by {
		zh, en = append(zh, r.LabelZH()), append(en, r.LabelEN())
	}
	return "", apperr.New(apperr.Forbidden,
		fmt.Sprintf("督办单 %s 的「%s」只能由%s操作，%s（%s）是%s", o.Number, kind.LabelZH(), strings.Join(zh, "或"), by.Name, by.Dept, role.LabelZH()),
		fmt.Sprintf("only %s may %s supervision order %s; %s (%s) is %s", strings.Join(en, " or "), kind.LabelEN(), o.Number, by.Name, by.Dept, role.LabelEN()))
}

// checkNote refuses a missing or overlong note.
func (o Order) checkNote(a Action, t transition) error {
	limit := maxText
	if a.Kind == Report {
		limit = maxReport
	}
	if n := utf8.RuneCountInString(a.Note); n > limit {
		return apperr.Invalidf("督办单 %s：说明过长（%d字，最多%d字）", "supervision order %s: the note is too long (%d characters, max %d)", o.Number, n, limit)
	}
	if a.Note != "" || t.note == noteOptional || (t.note == noteIfRefused && a.Accept) {
		return nil
	}
	if t.note == noteIfRefused {
		return apperr.New(apperr.Invalid,
			fmt.Sprintf("督办单 %s：不同意「%s」时需要填写理由", o.Number, a.Kind.LabelZH()),
			fmt.Sprintf("supervision order %s: say why when refusing (%s)", o.Number, a.Kind.LabelEN()))
	}
	return apperr.New(apperr.Invalid,
		fmt.Sprintf("督办单 %s：「%s」需要填写说明", o.Number, a.Kind.LabelZH()),
		fmt.Sprintf("supervision order %s: %s needs a note", o.Number, a.Kind.LabelEN()))
}

// event starts the event of an action on o, before it changes o.
func (o Order) event(kind ActionKind, by Actor, role Role, now time.Time) Event {
	var from State
	if kind != Assign {
		from = o.State
	}
	return Event{
		OrderID: o.ID, Number: o.Number, Kind: kind, At: now,
		ByName: by.Name, ByDept: by.Dept, ByRole: role, FromState: from,
		LeadDept: o.LeadDept, CoDepts: slices.Clone(o.CoDepts),
	}
}

func (o Order) completion() *Completion {
	return &Completion{
		Deadline: o.Deadline, ReportedAt: o.ReportedAt, ClosedAt: o.ClosedAt,
		OnTime:     onOrBefore(o.ClosedAt, o.Deadline),
		Extensions: o.Extensions, Reminders: o.Reminders, Escalations: o.Escalations,
	}
}
