package cases

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/calendar"
)

// Register records a new case received by an office: the draft's Number,
// Type, Category, Title, Submitter, SubmitterContact, ParentNumber and
// PublishConsent are kept, everything else is set here: registered now by by, for by's
// office, state Registered, version 1.
func Register(draft Case, by Actor, now time.Time) (Case, Event, error) {
	if strings.TrimSpace(by.Name) == "" {
		return Case{}, Event{}, apperr.New(apperr.Invalid, "操作人姓名不能为空", "the actor's name is required")
	}
	if !by.Office || by.System {
		return Case{}, Event{}, apperr.New(apperr.Forbidden, "只有登记交办机构可以登记事项", "only a registering office registers cases")
	}
	c := Case{
		ID: draft.ID, Number: strings.TrimSpace(draft.Number), Type: draft.Type, Category: draft.Category,
		Title: strings.TrimSpace(draft.Title), Submitter: strings.TrimSpace(draft.Submitter),
		SubmitterContact: strings.TrimSpace(draft.SubmitterContact), ParentNumber: draft.ParentNumber, PublishConsent: draft.PublishConsent,
		OfficeDept: by.Dept, RegisteredBy: by.Name, ReceivedAt: now, State: Registered, Version: 1,
	}
	if err := c.Validate(); err != nil {
		return Case{}, Event{}, err
	}
	e := c.event(Registration, by, Office, now)
	e.ToState, e.Version, e.Round = Registered, 1, 1
	return c, e, nil
}

// FollowUp registers a 复查 or 复核 of an answered case: t must follow up
// the parent's type, and the request must come within t's RequestWindow
// of the parent's last answer. The new case takes the parent's title and
// submitter.
func FollowUp(parent Case, t Type, number string, by Actor, now time.Time, cal *calendar.Calendar) (Case, Event, error) {
	pzh, pen := parent.label()
	if t.FollowUpOf == "" || t.FollowUpOf != parent.Type.Code {
		return Case{}, Event{}, apperr.New(apperr.Invalid, t.NameZH+" 不能对"+pzh+"提出", "a "+t.NameEN+" cannot follow up "+pen)
	}
	answer, ok := parent.LastAnswer()
	if !ok {
		return Case{}, Event{}, apperr.New(apperr.Conflict, pzh+" 尚未答复，不能申请"+t.NameZH, pen+" has not been answered; no "+t.NameEN+" yet")
	}
	if end := t.RequestWindow.End(answer.AnsweredAt, cal); !onOrBefore(now, end) {
		return Case{}, Event{}, apperr.New(apperr.Conflict,
			fmt.Sprintf("%s 于 %s 答复，应在 %s 前（%s）申请%s，已过期限", pzh, formatDate(answer.AnsweredAt), formatDate(end), t.RequestWindow.LabelZH(), t.NameZH),
			fmt.Sprintf("%s was answered on %s; a %s had to be asked by %s (%s)", pen, formatDate(answer.AnsweredAt), t.NameEN, formatDate(end), t.RequestWindow.LabelEN()))
	}
	return Register(Case{Number: number, Type: t, Title: parent.Title, Submitter: parent.Submitter,
		SubmitterContact: parent.SubmitterContact, ParentNumber: parent.Number}, by, now)
}

// Apply takes one action on the case, by the actor, at now, and returns
// the case as it becomes and the event to keep. It refuses, leaving c as
// it was: an action the case's type does not use, or a state its table
// does not allow it in (Conflict, naming the case, the state and the
// action); an actor who plays no part in the case or whose role the table
// does not allow (Forbidden); an ExpectedVersion other than c.Version
// (Conflict); a missing note or a bad input (Invalid); a passed window or
// deadline (Conflict).
func Apply(c Case, a Action, by Actor, now time.Time, cal *calendar.Calendar) (Case, Event, error) {
	zh, en := c.label()
	if a.Kind.LabelZH() == "" || a.Kind == Registration {
		return c, Event{}, apperr.Invalidf("未知的事项操作 %q", "unknown case action %q", string(a.Kind))
	}
	tr, ok := c.Type.transition(a.Kind)
	if !ok {
		return c, Event{}, apperr.New(apperr.Conflict,
			fmt.Sprintf("%s 不设「%s」这一步", zh, a.Kind.LabelZH()),
			fmt.Sprintf("%s has no step to %s", en, a.Kind.LabelEN()))
	}
	role, err := c.authorize(tr, by)
	if err != nil {
		return c, Event{}, err
	}
	if a.ExpectedVersion != c.Version {
		return c, Event{}, apperr.New(apperr.Conflict, "事项已被他人处理，请刷新后重试", "the case was changed by someone else; reload and try again")
	}
	if !slices.Contains(tr.From, c.State) {
		return c, Event{}, apperr.New(apperr.Conflict,
			fmt.Sprintf("%s 当前为「%s」，不能「%s」", zh, c.State.LabelZH(), a.Kind.LabelZH()),
			fmt.Sprintf("%s is %s: %s is not possible now", en, c.State.LabelEN(), a.Kind.LabelEN()))
	}
	a.Note = strings.TrimSpace(a.Note)
	b := behaviours[a.Kind]
	if err := c.checkNote(a, b.note); err != nil {
		return c, Event{}, err
	}
	if b.check != nil {
		if err := b.check(c, a, by, now, cal); err != nil {
			return c, Event{}, err
		}
	}
	e := c.event(a.Kind, by, role, now)
	e.Note, e.Accepted = a.Note, a.Kind.decision() && a.Accept
	next := c.clone()
	if b.apply != nil {
		b.apply(&next, a, by, now, cal, &e)
	}
	next.State, next.Version = tr.target(c.State, a.Accept), c.Version+1
	e.ToState, e.Version, e.Round = next.State, next.Version, next.Round()
	if cur, ok := next.Assignment(); ok {
		e.LeadDept, e.CoDepts = cur.LeadDept, coDepts(cur)
	}
	if k := next.firstClock(now, cal); k.Started && !k.Paused {
		e.Deadline = k.Deadline
	}
	return next, e, nil
}

// target is the state the transition leads to from the state it is in.
func (tr Transition) target(from State, accept bool) State {
	to := tr.To
	if tr.Action.decision() && !accept {
		to = tr.ToIfRefused
	}
	if to == Stay {
		return from
	}
	return to
}

// authorize finds the role in which the actor may take the action, or
// refuses naming who may.
func (c Case) authorize(tr Transition, by Actor) (Role, error) {
	if strings.TrimSpace(by.Name) == "" {
		return "", apperr.New(apperr.Invalid, "操作人姓名不能为空", "the actor's name is required")
	}
	zh, en := c.label()
	roles := c.RolesOf(by)
	if len(roles) == 0 {
		return "", apperr.New(apperr.Forbidden,
			fmt.Sprintf("%s（%s）不是%s 的办理单位", by.Name, by.Dept, zh),
			fmt.Sprintf("%s (%s) has no part in %s", by.Name, by.Dept, en))
	}
	for _, r := range tr.By {
		if slices.Contains(roles, r) {
			return r, nil
		}
	}
	var mayZH, mayEN, isZH, isEN []string
	for _, r := range tr.By {
		mayZH, mayEN = append(mayZH, r.LabelZH()), append(mayEN, r.LabelEN())
	}
	for _, r := range roles {
		isZH, isEN = append(isZH, r.LabelZH()), append(isEN, r.LabelEN())
	}
	return "", apperr.New(apperr.Forbidden,
		fmt.Sprintf("%s 的「%s」只能由%s操作，%s（%s）是%s", zh, tr.Action.LabelZH(), strings.Join(mayZH, "或"), by.Name, by.Dept, strings.Join(isZH, "、")),
		fmt.Sprintf("only %s may %s %s; %s (%s) is %s", strings.Join(mayEN, " or "), tr.Action.LabelEN(), en, by.Name, by.Dept, strings.Join(isEN, " and ")))
}

// notes says when an action needs a note.
type notes int

const (
	noteOptional notes = iota
	noteRequired
	noteIfRefused // a decision's refusal must say why
)

// checkNote refuses a missing or overlong note.
func (c Case) checkNote(a Action, need notes) error {
	zh, en := c.label()
	limit := maxText
	if a.Kind == DraftAnswer {
		limit = maxAnswer
	}
	if n := utf8.RuneCountInString(a.Note); n > limit {
		return c.failf(apperr.Invalid, "：说明过长（%d字，最多%d字）", ": the note is too long (%d characters, max %d)", n, limit)
	}
	if a.Note != "" || need == noteOptional || (need == noteIfRefused && a.Accept) {
		return nil
	}
	if need == noteIfRefused {
		return apperr.New(apperr.Invalid,
			fmt.Sprintf("%s：不同意「%s」时需要填写理由", zh, a.Kind.LabelZH()),
			fmt.Sprintf("%s: say why when refusing (%s)", en, a.Kind.LabelEN()))
	}
	return apperr.New(apperr.Invalid,
		fmt.Sprintf("%s：「%s」需要填写%s", zh, a.Kind.LabelZH(), noteNameZH[a.Kind]),
		fmt.Sprintf("%s: %s needs %s", en, a.Kind.LabelEN(), noteNameEN[a.Kind]))
}

// What the note of each action that needs one is.
var (
	noteNameZH = map[ActionKind]string{Reject: "不予受理告知内容", Return: "退回理由", Opinion: "协办意见", PauseClock: "暂停原因",
		RequestExtension: "延期理由", DraftAnswer: "答复内容", KeepPromise: "兑现情况"}
	noteNameEN = map[ActionKind]string{Reject: "the notice", Return: "the reason", Opinion: "the opinion", PauseClock: "the reason",
		RequestExtension: "the reason", DraftAnswer: "the answer", KeepPromise: "how it was kept"}
)

// event starts the event of an action on c, before it changes c.
func (c Case) event(kind ActionKind, by Actor, role Role, now time.Time) Event {
	var from State
	if kind != Registration {
		from = c.State
	}
	return Event{
		CaseID: c.ID, Number: c.Number, TypeCode: c.Type.Code, Kind: kind, At: now,
		ByName: by.Name, ByDept: by.Dept, ByRole: role, FromState: from,
	}
}

func coDepts(a Assignment) []string {
	var depts []string
	for _, h := range a.CoHandlers {
		depts = append(depts, h.Dept)
	}
	return depts
}
