package cases

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/plan"
)

// Type is a kind of case and its rules, as data: the defaults in
// defaults.go are values a city may copy and change (a province's own
// return window, a licence's promised days). A case keeps a copy of its
// type as registered, so that changing the rules later does not move the
// deadlines of cases already running.
type Type struct {
	Code   string // e.g. npc_suggestion
	NameZH string
	NameEN string
	Basis  string // the legal basis, in Chinese, shown with the clocks

	// Clocks are the answer clocks of a type without categories; the
	// first is the one on-time metrics count. A type with Categories takes
	// the clocks of the case's category instead.
	Clocks     []ClockRule
	Categories []Category

	ReturnWindow Limit // after each assignment: sign or return within it
	CoOpinion    Limit // after each assignment: each co-handler's sub-deadline; zero if co-handlers are not used
	MaxExtension Limit // total extension per round; zero N: no extension
	// Redo is the clock of every round after a 重办, from the reopening
	// date; zero: the first round's clocks again, from that date.
	Redo     Limit
	MaxRedos int
	Visit    Limit // 回访/评价 after the answer; zero if not watched

	Results    []Result    // the answer's result classes; empty if not classified
	PauseKinds []PauseKind // what may pause the clocks

	// FollowUpOf is the code of the type whose answered cases this type
	// follows up (复查 of a petition, 复核 of a 复查), asked within
	// RequestWindow of the answer.
	FollowUpOf    string
	RequestWindow Limit

	YellowDays int // yellow when this many working days or fewer remain

	// PersonalSubmitter says the submitter's name and contact are personal
	// data that must not leave the registering office (a petitioner's, kept
	// by the petition bureau); a deputy's or an applicant's are not.
	PersonalSubmitter bool `json:",omitzero"`

	// PublishAnswers says an answer may be published on the public portal
	// — only a case's whose submitter agreed (Case.PublishConsent), and
	// never with the submitter's name or contact.
	PublishAnswers bool `json:",omitzero"`

	// Flow is the transition table: one row per action the type uses.
	// Anything not in it is refused.
	Flow []Transition
}

// Category is a sub-kind with its own clocks, such as a 12345 request's
// 咨询 or 投诉.
type Category struct {
	Code   string
	NameZH string
	NameEN string
	Clocks []ClockRule
}

// Result is a class an answer is given, such as a suggestion's A 已解决.
// Solved marks the class that counts as 办成 (A-class share).
type Result struct {
	Code   string
	NameZH string
	NameEN string
	Solved bool
}

// Transition is one row of a type's table: the states an action is
// allowed in, the roles that may take it, and where it leads: To (or Stay)
// when done or approved, ToIfRefused when a decision (Approve,
// DecideExtension) says no.
type Transition struct {
	Action      ActionKind
	From        []State
	By          []Role
	To          State
	ToIfRefused State
}

// transition finds the row of the action.
func (t Type) transition(kind ActionKind) (Transition, bool) {
	for _, tr := range t.Flow {
		if tr.Action == kind {
			return tr, true
		}
	}
	return Transition{}, false
}

// Uses reports whether the type's table has the action.
func (t Type) Uses(kind ActionKind) bool {
	_, ok := t.transition(kind)
	return ok
}

// Category finds a category by code.
func (t Type) Category(code string) (Category, bool) {
	for _, c := range t.Categories {
		if c.Code == code {
			return c, true
		}
	}
	return Category{}, false
}

// Result finds a result class by code.
func (t Type) Result(code string) (Result, bool) {
	for _, r := range t.Results {
		if r.Code == code {
			return r, true
		}
	}
	return Result{}, false
}

// Validate checks a type's rules: every message names the type.
func (t Type) Validate() error {
	if err := plan.CheckCode("事项类型 case type", t.Code); err != nil {
		return err
	}
	if err := plan.CheckName("事项类型 "+t.Code, t.NameZH); err != nil {
		return err
	}
	for _, check := range []func() error{t.validateClocks, t.validateLimits, t.validateLists, t.validateFlow} {
		if err := check(); err != nil {
			return apperr.Invalidf("事项类型 %s 的规则有误：%v", "case type %s has a faulty rule: %v", t.Code, err)
		}
	}
	return nil
}

func (t Type) validateClocks() error {
	if len(t.Categories) == 0 {
		return validateClockRules("clocks", t.Clocks)
	}
	if len(t.Clocks) > 0 {
		return fmt.Errorf("clocks: set per category, not on the type")
	}
	seen := map[string]bool{}
	for _, c := range t.Categories {
		if !plan.ValidCode(c.Code) || seen[c.Code] || strings.TrimSpace(c.NameZH) == "" {
			return fmt.Errorf("category %q: code missing, repeated or unnamed", c.Code)
		}
		seen[c.Code] = true
		if err := validateClockRules("category "+c.Code, c.Clocks); err != nil {
			return err
		}
	}
	return nil
}

func validateClockRules(field string, rules []ClockRule) error {
	if len(rules) == 0 {
		return fmt.Errorf("%s: at least one clock", field)
	}
	kinds := map[ClockKind]bool{}
	for i, r := range rules {
		if r.Kind.LabelZH() == "" || kinds[r.Kind] {
			return fmt.Errorf("%s: clock %d kind %q missing or repeated", field, i, string(r.Kind))
		}
		kinds[r.Kind] = true
		if !slices.Contains([]Milestone{AtReceived, AtAccepted, AtAssigned, AtSigned}, r.Start) {
			return fmt.Errorf("%s: clock %d starts at %q", field, i, string(r.Start))
		}
		if r.Stop != AtApproved && r.Stop != AtAnswered {
			return fmt.Errorf("%s: clock %d stops at %q", field, i, string(r.Stop))
		}
		if err := r.Limit.validate(fmt.Sprintf("%s: clock %d", field, i)); err != nil {
			return err
		}
	}
	if rules[0].Kind == Promised {
		return fmt.Errorf("%s: the first clock cannot be the promised one", field)
	}
	return nil
}

// validateLimits checks the limits, and that an extension counts in the
// unit of every clock it lengthens.
func (t Type) validateLimits() error {
	optional := map[string]Limit{"return window": t.ReturnWindow, "co-handlers' opinion": t.CoOpinion,
		"extension": t.MaxExtension, "redo": t.Redo, "visit": t.Visit, "request window": t.RequestWindow}
	for name, l := range optional {
		if l.IsZero() && l.N == 0 {
			continue
		}
		if err := l.validate(name); err != nil {
			return err
		}
	}
	if t.MaxRedos < 0 || t.MaxRedos > 5 || t.YellowDays < 0 || t.YellowDays > 30 {
		return fmt.Errorf("redos %d or yellow days %d out of range", t.MaxRedos, t.YellowDays)
	}
	if t.MaxExtension.N == 0 {
		return nil
	}
	for _, r := range t.allClockRules() {
		// A same-day limit is never extended, whatever its unit.
		if r.Kind != Promised && r.Limit.N > 0 && r.Limit.Unit != t.MaxExtension.Unit {
			return fmt.Errorf("extension in %s cannot lengthen a clock in %s", t.MaxExtension.Unit, r.Limit.Unit)
		}
	}
	return nil
}

func (t Type) allClockRules() []ClockRule {
	rules := slices.Clone(t.Clocks)
	for _, c := range t.Categories {
		rules = append(rules, c.Clocks...)
	}
	if !t.Redo.IsZero() {
		rules = append(rules, ClockRule{Kind: Prescribed, Limit: t.Redo})
	}
	return rules
}

func (t Type) validateLists() error {
	seen := map[string]bool{}
	for _, r := range t.Results {
		if !plan.ValidCode(r.Code) || seen[r.Code] || strings.TrimSpace(r.NameZH) == "" {
			return fmt.Errorf("result %q: code missing, repeated or unnamed", r.Code)
		}
		seen[r.Code] = true
	}
	for _, k := range t.PauseKinds {
		if k.LabelZH() == "" {
			return fmt.Errorf("pause kind %q", string(k))
		}
	}
	if (t.FollowUpOf == "") != t.RequestWindow.IsZero() {
		return fmt.Errorf("follow-up: FollowUpOf and RequestWindow go together")
	}
	return nil
}

// validateFlow checks the table: known actions once each, known states
// and roles, decisions' refusals only on decisions, and the rows that the
// rest of the type needs.
func (t Type) validateFlow() error {
	seen := map[ActionKind]bool{}
	for _, tr := range t.Flow {
		if tr.Action.LabelZH() == "" || tr.Action == Registration || seen[tr.Action] {
			return fmt.Errorf("flow: action %q unknown, Registration, or repeated", string(tr.Action))
		}
		seen[tr.Action] = true
		if len(tr.From) == 0 || len(tr.By) == 0 {
			return fmt.Errorf("flow %s: no state or no role", tr.Action)
		}
		for _, s := range tr.From {
			if !s.Valid() {
				return fmt.Errorf("flow %s: state %q", tr.Action, string(s))
			}
		}
		for _, r := range tr.By {
			if r.LabelZH() == "" {
				return fmt.Errorf("flow %s: role %q", tr.Action, string(r))
			}
		}
		if tr.To != Stay && !tr.To.Valid() {
			return fmt.Errorf("flow %s: target %q", tr.Action, string(tr.To))
		}
		if tr.Action.decision() != (tr.ToIfRefused != "") || (tr.ToIfRefused != "" && tr.ToIfRefused != Stay && !tr.ToIfRefused.Valid()) {
			return fmt.Errorf("flow %s: refusal target %q", tr.Action, string(tr.ToIfRefused))
		}
	}
	needs := map[ActionKind]bool{Assign: true, Sign: true, DraftAnswer: true, Approve: true, SendAnswer: true, Close: true,
		Return: !t.ReturnWindow.IsZero(), Opinion: !t.CoOpinion.IsZero(), Reopen: t.MaxRedos > 0,
		PauseClock: len(t.PauseKinds) > 0, ResumeClock: len(t.PauseKinds) > 0, RequestExtension: t.MaxExtension.N > 0, DecideExtension: t.MaxExtension.N > 0}
	for kind, needed := range needs {
		if needed && !seen[kind] {
			return fmt.Errorf("flow: the rules need %s", kind)
		}
	}
	return nil
}

// ValidateTypes checks a set of types a city puts in force: each type's
// rules, codes used once, and every follow-up type following a type of the
// set.
func ValidateTypes(types []Type) error {
	if len(types) == 0 {
		return apperr.New(apperr.Invalid, "至少需要一种事项类型", "at least one case type is needed")
	}
	codes := map[string]bool{}
	for _, t := range types {
		if err := t.Validate(); err != nil {
			return err
		}
		if codes[t.Code] {
			return apperr.Invalidf("事项类型 %s 重复", "case type %s is listed twice", t.Code)
		}
		codes[t.Code] = true
	}
	for _, t := range types {
		if t.FollowUpOf != "" && !codes[t.FollowUpOf] {
			return apperr.Invalidf("事项类型 %s 跟进的类型 %s 不存在", "case type %s follows up %s, which is not among the types", t.Code, t.FollowUpOf)
		}
	}
	return nil
}

// DecodeTypes reads a set of types from JSON (a list of types as
// DefaultTypes marshals them), refusing unknown fields so that a misspelt
// rule is not silently left at zero, and checks them with ValidateTypes.
func DecodeTypes(data []byte) ([]Type, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var types []Type
	if err := dec.Decode(&types); err != nil {
		return nil, apperr.Invalidf("事项类型文件无法读取：%v", "the case types file cannot be read: %v", err)
	}
	if dec.More() {
		return nil, apperr.New(apperr.Invalid, "事项类型文件在列表之后还有内容", "the case types file has more after the list")
	}
	return types, ValidateTypes(types)
}
