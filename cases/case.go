package cases

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/calendar"
	"github.com/lantu/lantu/plan"
)

// Limits on what a case holds.
const (
	maxNumber   = 64
	maxTitle    = 200
	maxPerson   = 100
	maxText     = 4000  // a reason, opinion, notice or comment
	maxAnswer   = 20000 // an answer
	maxPromises = 20
	maxPromise  = 500
)

// Case is one case (事项): a suggestion, proposal, petition, 12345 request
// or licence application, with the facts its clocks and metrics are
// computed from. Deadlines are not stored: they follow from these facts
// and the working-day calendar (Clocks).
type Case struct {
	ID       int64
	Number   string // e.g. 建议〔2024〕第12号
	Type     Type   // the rules as registered
	Category string // a code of Type.Categories; empty for a type without
	Title    string
	// Submitter and SubmitterContact are the deputy, member, petitioner,
	// caller or applicant. A petitioner's name and phone are personal
	// data that must not leave the petition bureau (issue 6): this
	// package keeps them and leaves who may see them to its callers.
	Submitter        string
	SubmitterContact string
	ParentNumber     string // the case a 复查 or 复核 follows up
	OfficeDept       string // the registering office's department code
	RegisteredBy     string
	ReceivedAt       time.Time
	AcceptedAt       time.Time
	RejectedAt       time.Time
	RejectionNotice  string // 不予受理告知书

	Assignments      []Assignment // in order; the last is the current one
	Pauses           []Pause
	Extensions       []Extension // approved
	PendingExtension *Extension  // asked, not yet decided
	Draft            *Draft      // the answer waiting for the head or, approved, to be sent
	ReviewNote       string      // why the head last sent a draft back
	Answers          []Answer    // sent, one per round
	Reopenings       []time.Time // 重办, each starting a round
	Promises         []Promise   // 承诺事项 of all answers sent
	ClosedAt         time.Time
	CloseNote        string
	DeemedApprovedAt time.Time
	// PublishConsent is the submitter's consent to the publication of the
	// answer (Type.PublishAnswers), recorded by the office.
	PublishConsent bool `json:",omitzero"`

	State   State
	Version int // 1 when registered; every transition adds one
}

// Assignment is one 交办: to a lead and co-handlers, to be signed or
// returned by SignBy.
type Assignment struct {
	LeadDept     string
	CoHandlers   []CoHandler
	AssignedBy   string
	AssignedAt   time.Time
	SignBy       time.Time // last day to sign or return; zero without a window
	SignedBy     string
	SignedAt     time.Time
	ReturnedAt   time.Time
	ReturnReason string
}

// CoHandler is a co-handling department of one assignment, with its own
// sub-deadline for sending its opinion to the lead.
type CoHandler struct {
	Dept      string
	Deadline  time.Time
	Opinion   string
	OpinionBy string
	OpinionAt time.Time
}

// Late reports whether the opinion came, or is still missing, after the
// sub-deadline date as of now.
func (h CoHandler) Late(now time.Time) bool {
	if !h.OpinionAt.IsZero() {
		now = h.OpinionAt
	}
	return !onOrBefore(now, h.Deadline)
}

// Light is the co-handler's own light: none once its opinion is in, red
// past its sub-deadline, yellow within yellowDays working days of it.
func (h CoHandler) Light(now time.Time, cal *calendar.Calendar, yellowDays int) Light {
	switch {
	case !h.OpinionAt.IsZero():
		return NoLight
	case h.Late(now):
		return Red
	case cal.WorkingDaysBetween(dateOf(now), h.Deadline) <= yellowDays:
		return Yellow
	}
	return Green
}

// Draft is the answer on its way: drafted by the lead, approved by the
// head (a refusal drops it and leaves Case.ReviewNote).
type Draft struct {
	Text       string
	Result     string
	Promises   []Promise
	DraftedBy  string
	DraftedAt  time.Time
	ApprovedBy string
	ApprovedAt time.Time
}

// Answer is an answer sent, with how its clocks ended and how it was
// rated.
type Answer struct {
	Round      int
	Text       string
	Result     string
	DraftedAt  time.Time
	ApprovedBy string
	ApprovedAt time.Time
	AnsweredBy string
	AnsweredAt time.Time
	Clocks     []ClockResult
	// OnTime is the first clock's: stopped on or before its deadline.
	OnTime bool
	// WorkingDays are the working days from the clock's start to its
	// stop, paused days left out: the time the case took.
	WorkingDays int
	Rating      Rating
	RatingNote  string
	RatedAt     time.Time
	RatedLate   bool // after the 回访 date
}

// ClockResult is how one clock ended.
type ClockResult struct {
	Kind     ClockKind
	Deadline time.Time
	OnTime   bool
}

// Promise is a 承诺事项: something an answer promised, by a date, tracked
// until kept.
type Promise struct {
	Text     string
	Due      time.Time
	Round    int
	KeptBy   string
	KeptAt   time.Time
	KeptNote string
}

// Overdue reports whether the promise is still not kept after its due date.
func (p Promise) Overdue(now time.Time) bool { return p.KeptAt.IsZero() && !onOrBefore(now, p.Due) }

// Round is 1, plus one for every 重办.
func (c Case) Round() int { return 1 + len(c.Reopenings) }

// Assignment is the current assignment, if any.
func (c Case) Assignment() (Assignment, bool) {
	if len(c.Assignments) == 0 {
		return Assignment{}, false
	}
	return c.Assignments[len(c.Assignments)-1], true
}

// Returns counts the assignments returned (退单).
func (c Case) Returns() int {
	n := 0
	for _, a := range c.Assignments {
		if !a.ReturnedAt.IsZero() {
			n++
		}
	}
	return n
}

// answer is the answer of a round, if sent.
func (c Case) answer(round int) (Answer, bool) {
	for _, a := range c.Answers {
		if a.Round == round {
			return a, true
		}
	}
	return Answer{}, false
}

// LastAnswer is the latest answer sent, if any.
func (c Case) LastAnswer() (Answer, bool) {
	if len(c.Answers) == 0 {
		return Answer{}, false
	}
	return c.Answers[len(c.Answers)-1], true
}

// OpenPause is the pause running now, if any.
func (c Case) OpenPause() (Pause, bool) {
	for _, p := range c.Pauses {
		if p.End.IsZero() {
			return p, true
		}
	}
	return Pause{}, false
}

// clockRules are the rules of the case's first round: its category's or
// its type's.
func (c Case) clockRules() []ClockRule {
	if cat, ok := c.Type.Category(c.Category); ok {
		return cat.Clocks
	}
	return c.Type.Clocks
}

// roundRules are the rules of a round: a round after 重办 starts at the
// reopening, with the type's Redo limit if it has one.
func (c Case) roundRules(round int) []ClockRule {
	rules := slices.Clone(c.clockRules())
	if round == 1 {
		return rules
	}
	if !c.Type.Redo.IsZero() {
		rules = []ClockRule{{Kind: rules[0].Kind, Stop: rules[0].Stop, Limit: c.Type.Redo}}
	}
	for i := range rules {
		rules[i].Start = AtReopened
	}
	return rules
}

// Clocks are the current round's clocks at now: the first is the one the
// on-time metrics count, a second the promised one where the type has
// two.
func (c Case) Clocks(now time.Time, cal *calendar.Calendar) []Clock {
	round := c.Round()
	var clocks []Clock
	for _, r := range c.roundRules(round) {
		clocks = append(clocks, computeClock(clockInput{
			rule: r, round: round, start: c.startOf(r, round), stop: c.stopOf(r, round),
			pauses: c.Pauses, extensions: c.Extensions, extensionUnit: c.Type.MaxExtension.Unit, now: now,
		}, cal))
	}
	return clocks
}

// startOf is when a rule's clock starts in a round; zero if not yet.
func (c Case) startOf(r ClockRule, round int) time.Time {
	if round > 1 {
		return c.Reopenings[round-2]
	}
	a, assigned := c.Assignment()
	switch r.Start {
	case AtReceived:
		return c.ReceivedAt
	case AtAccepted:
		return c.AcceptedAt
	case AtAssigned:
		// A returned assignment's clock is void; the next one starts anew.
		if assigned && a.ReturnedAt.IsZero() {
			return a.AssignedAt
		}
	case AtSigned:
		if assigned {
			return a.SignedAt
		}
	}
	return time.Time{}
}

// stopOf is when a rule's clock stopped in a round; zero while it runs.
func (c Case) stopOf(r ClockRule, round int) time.Time {
	if !c.DeemedApprovedAt.IsZero() {
		return c.DeemedApprovedAt
	}
	a, answered := c.answer(round)
	switch {
	case r.Stop == AtAnswered && answered:
		return a.AnsweredAt
	case r.Stop == AtApproved && answered:
		return a.ApprovedAt
	case r.Stop == AtApproved && c.Draft != nil:
		return c.Draft.ApprovedAt
	}
	return time.Time{}
}

// VisitDeadline is the 回访 date of the last answer, if the type watches
// it and an answer has been sent.
func (c Case) VisitDeadline(cal *calendar.Calendar) (time.Time, bool) {
	a, ok := c.LastAnswer()
	if !ok || c.Type.Visit.IsZero() {
		return time.Time{}, false
	}
	return c.Type.Visit.End(a.AnsweredAt, cal), true
}

// Light is the case's 红黄绿灯: the worst of its running clocks' lights, red
// too when the current assignment is past its signing window unsigned,
// and, once answered, red when the 回访 date has passed unrated. Cases
// waiting for the office (registered, rated) and finished ones have none.
func (c Case) Light(now time.Time, cal *calendar.Calendar) Light {
	switch c.State {
	case Registered, Rated, Rejected, Closed, DeemedApproved:
		return NoLight
	case Answered:
		visit, ok := c.VisitDeadline(cal)
		switch {
		case !ok:
			return NoLight
		case !onOrBefore(now, visit):
			return Red
		}
		return Green
	}
	light := NoLight
	for _, k := range c.Clocks(now, cal) {
		light = worse(light, k.Light(now, cal, c.Type.YellowDays))
	}
	if a, ok := c.Assignment(); ok && c.State == Assigned {
		light = worse(light, Green)
		if !a.SignBy.IsZero() && !onOrBefore(now, a.SignBy) {
			light = Red
		}
	}
	return light
}

// RolesOf says what parts an actor plays on the case: the system; the
// office, if the actor acts for the case's office; the lead, its head
// and the co-handlers, by department, on the current assignment.
func (c Case) RolesOf(by Actor) []Role {
	if by.System {
		return []Role{System}
	}
	var roles []Role
	if by.Office && by.Dept != "" && by.Dept == c.OfficeDept {
		roles = append(roles, Office)
	}
	a, ok := c.Assignment()
	if !ok || by.Dept == "" {
		return roles
	}
	if by.Dept == a.LeadDept {
		roles = append(roles, Lead)
		if by.Head {
			roles = append(roles, Head)
		}
	}
	if slices.ContainsFunc(a.CoHandlers, func(h CoHandler) bool { return h.Dept == by.Dept }) {
		roles = append(roles, Co)
	}
	return roles
}

// Allowed lists the actions the type's table lets this actor take now, for
// a page to offer. Apply may still refuse one for its timing or input.
func (c Case) Allowed(by Actor) []ActionKind {
	roles := c.RolesOf(by)
	var kinds []ActionKind
	for _, tr := range c.Type.Flow {
		if slices.Contains(tr.From, c.State) && slices.ContainsFunc(tr.By, func(r Role) bool { return slices.Contains(roles, r) }) {
			kinds = append(kinds, tr.Action)
		}
	}
	return kinds
}

// label names the case in messages: 人大代表建议 建议〔2024〕1号.
func (c Case) label() (zh, en string) {
	return c.Type.NameZH + " " + c.Number, c.Type.NameEN + " " + c.Number
}

// failf is an error with the code, naming the case: each format goes on
// after the case's name in its language, with the same arguments, which
// must therefore read in both (dates, codes, numbers).
func (c Case) failf(code, zhFormat, enFormat string, args ...any) error {
	zh, en := c.label()
	return apperr.New(code, zh+fmt.Sprintf(zhFormat, args...), en+fmt.Sprintf(enFormat, args...))
}

// fail is failf without formatting.
func (c Case) fail(code, zhProblem, enProblem string) error {
	zh, en := c.label()
	return apperr.New(code, zh+zhProblem, en+enProblem)
}

// Validate checks a case as stored: every message names the case and the
// field, in Chinese and English.
func (c Case) Validate() error {
	if strings.TrimSpace(c.Number) == "" || utf8.RuneCountInString(c.Number) > maxNumber {
		return apperr.Invalidf("事项编号不能为空，最长%d字", "the case number is required, at most %d characters", maxNumber)
	}
	if err := c.Type.Validate(); err != nil {
		return err
	}
	checks := []func() error{c.validateText, c.validateCategory, c.validateDates, c.validateState}
	for _, check := range checks {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

func (c Case) validateText() error {
	texts := []struct {
		zh, en, s string
		limit     int
		required  bool
	}{
		{"标题", "title", c.Title, maxTitle, true},
		{"提出人", "submitter", c.Submitter, maxPerson, false},
		{"联系方式", "contact", c.SubmitterContact, maxPerson, false},
		{"登记人", "registrar", c.RegisteredBy, maxPerson, true},
		{"不予受理告知", "notice of non-acceptance", c.RejectionNotice, maxText, !c.RejectedAt.IsZero()},
	}
	for _, t := range texts {
		if err := c.checkText(t.zh, t.en, t.s, t.limit, t.required); err != nil {
			return err
		}
	}
	if c.PublishConsent && !c.Type.PublishAnswers {
		return c.fieldError("公开答复", "publication of the answer", "：此类事项的答复不公开", " is not offered for this type")
	}
	return plan.CheckCode(c.Type.NameZH+" "+c.Number+" 的登记机构 office", c.OfficeDept)
}

func (c Case) validateCategory() error {
	_, ok := c.Type.Category(c.Category)
	if ok || (c.Category == "" && len(c.Type.Categories) == 0) {
		return nil
	}
	var codes []string
	for _, cat := range c.Type.Categories {
		codes = append(codes, cat.Code+" "+cat.NameZH)
	}
	if len(codes) == 0 {
		return c.fieldError("类别", "category", "：此类事项不分类别", " is not used by this type")
	}
	return c.fieldError("类别", "category", fmt.Sprintf(" %q 无效，应为：%s", c.Category, strings.Join(codes, "、")),
		fmt.Sprintf(" %q is invalid: %s", c.Category, strings.Join(codes, ", ")))
}

func (c Case) validateDates() error {
	if c.ReceivedAt.IsZero() {
		return c.fieldError("登记时间", "registration time", "不能为空", " is required")
	}
	for _, a := range c.Assignments {
		if err := plan.CheckCode(c.Type.NameZH+" "+c.Number+" 的主办单位 lead department", a.LeadDept); err != nil {
			return err
		}
		if a.AssignedAt.IsZero() {
			return c.fieldError("交办时间", "assignment time", "不能为空", " is required")
		}
	}
	return nil
}

func (c Case) validateState() error {
	if !c.State.Valid() {
		return c.fieldError("状态", "state", fmt.Sprintf(" %q 无效", string(c.State)), fmt.Sprintf(" %q is invalid", string(c.State)))
	}
	if c.Version < 1 {
		return c.fieldError("版本", "version", "应从1开始", " starts at 1")
	}
	if (c.Draft != nil) != (c.State == Drafted || c.State == Approved) {
		return c.fieldError("答复稿", "draft answer", "与状态不符", " does not match the state")
	}
	if _, paused := c.OpenPause(); paused && c.State.Final() {
		return c.fieldError("暂停计时", "pause", "与状态不符", " does not match the state")
	}
	if len(c.Answers) > c.Round() || len(c.Reopenings) > c.Type.MaxRedos {
		return c.fieldError("答复或重办次数", "answers or redos", "与规则不符", " do not match the rules")
	}
	return nil
}

// checkText refuses a text that is empty when required or longer than limit.
func (c Case) checkText(zhField, enField, s string, limit int, required bool) error {
	if required && strings.TrimSpace(s) == "" {
		return c.fieldError(zhField, enField, "不能为空", " is required")
	}
	if utf8.RuneCountInString(s) > limit {
		return c.fieldError(zhField, enField, fmt.Sprintf("过长（最多%d字）", limit), fmt.Sprintf(" is too long (max %d characters)", limit))
	}
	return nil
}

// fieldError is an Invalid error naming the case and the field.
func (c Case) fieldError(zhField, enField, zhProblem, enProblem string) error {
	zh, en := c.label()
	return apperr.New(apperr.Invalid, zh+" 的"+zhField+zhProblem, en+": "+enField+enProblem)
}

// clone copies everything Apply may change, so that the case it was given
// stays as it was.
func (c Case) clone() Case {
	n := c
	n.Assignments = slices.Clone(c.Assignments)
	for i := range n.Assignments {
		n.Assignments[i].CoHandlers = slices.Clone(n.Assignments[i].CoHandlers)
	}
	n.Pauses = slices.Clone(c.Pauses)
	n.Extensions = slices.Clone(c.Extensions)
	if c.PendingExtension != nil {
		x := *c.PendingExtension
		n.PendingExtension = &x
	}
	if c.Draft != nil {
		d := *c.Draft
		d.Promises = slices.Clone(d.Promises)
		n.Draft = &d
	}
	n.Answers = slices.Clone(c.Answers)
	for i := range n.Answers {
		n.Answers[i].Clocks = slices.Clone(n.Answers[i].Clocks)
	}
	n.Reopenings = slices.Clone(c.Reopenings)
	n.Promises = slices.Clone(c.Promises)
	return n
}
