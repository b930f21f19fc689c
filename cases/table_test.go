package cases_test

import (
	"slices"
	"testing"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/cases"
)

// row is one line of a type's table as the product describes it: the
// states the action is allowed in, the roles allowed, where it leads when
// done or approved ("" for no change).
type row struct {
	from []cases.State
	by   []cases.Role
	to   cases.State
}

const (
	registered = cases.Registered
	accepted   = cases.Accepted
	assigned   = cases.Assigned
	returned   = cases.Returned
	handling   = cases.Handling
	drafted    = cases.Drafted
	approved   = cases.Approved
	answered   = cases.Answered
	rated      = cases.Rated
	closed     = cases.Closed
)

var (
	office = []cases.Role{cases.Office}
	leadR  = []cases.Role{cases.Lead}
	headR  = []cases.Role{cases.Head}
	coR    = []cases.Role{cases.Co}
)

func states(s ...cases.State) []cases.State { return s }

// The tables, written out again here so that a change to the package's
// defaults fails a test. Suggestions and proposals share one.
var suggestionSpec = map[cases.ActionKind]row{
	cases.Assign:           {states(registered, returned), office, assigned},
	cases.Sign:             {states(assigned), leadR, handling},
	cases.Return:           {states(assigned), leadR, returned},
	cases.Opinion:          {states(assigned, handling), coR, ""},
	cases.RequestExtension: {states(handling), leadR, ""},
	cases.DecideExtension:  {states(handling, drafted, approved), office, ""},
	cases.DraftAnswer:      {states(handling), leadR, drafted},
	cases.Approve:          {states(drafted), headR, approved},
	cases.SendAnswer:       {states(approved), leadR, answered},
	cases.Rate:             {states(answered), office, rated},
	cases.Reopen:           {states(rated), office, handling},
	cases.Close:            {states(rated), office, closed},
	cases.KeepPromise:      {states(answered, rated, closed), leadR, ""},
	cases.Consent:          {states(registered, assigned, returned, handling, drafted, approved, answered, rated, closed), office, ""},
}

var petitionSpec = map[cases.ActionKind]row{
	cases.Accept:           {states(registered), office, accepted},
	cases.Reject:           {states(registered), office, cases.Rejected},
	cases.Assign:           {states(accepted, returned), office, assigned},
	cases.Sign:             {states(assigned), leadR, handling},
	cases.Return:           {states(assigned), leadR, returned},
	cases.Opinion:          {states(assigned, handling), coR, ""},
	cases.RequestExtension: {states(handling), leadR, ""},
	cases.DecideExtension:  {states(handling, drafted, approved), headR, ""},
	cases.DraftAnswer:      {states(handling), leadR, drafted},
	cases.Approve:          {states(drafted), headR, approved},
	cases.SendAnswer:       {states(approved), leadR, answered},
	cases.Rate:             {states(answered), office, rated},
	cases.Close:            {states(answered, rated), office, closed},
	cases.KeepPromise:      {states(answered, rated, closed), leadR, ""},
}

var reviewSpec = map[cases.ActionKind]row{
	cases.Reject:      {states(registered), office, cases.Rejected},
	cases.Assign:      {states(registered, returned), office, assigned},
	cases.Sign:        {states(assigned), leadR, handling},
	cases.Return:      {states(assigned), leadR, returned},
	cases.DraftAnswer: {states(handling), leadR, drafted},
	cases.Approve:     {states(drafted), headR, approved},
	cases.SendAnswer:  {states(approved), leadR, answered},
	cases.Close:       {states(answered), office, closed},
	cases.KeepPromise: {states(answered, closed), leadR, ""},
}

var hotlineSpec = map[cases.ActionKind]row{
	cases.Assign:           {states(registered, returned), office, assigned},
	cases.Sign:             {states(assigned), leadR, handling},
	cases.Return:           {states(assigned), leadR, returned},
	cases.Opinion:          {states(assigned, handling), coR, ""},
	cases.RequestExtension: {states(handling), leadR, ""},
	cases.DecideExtension:  {states(handling, drafted, approved), office, ""},
	cases.DraftAnswer:      {states(handling), leadR, drafted},
	cases.Approve:          {states(drafted), headR, approved},
	cases.SendAnswer:       {states(approved), leadR, answered},
	cases.Rate:             {states(answered), office, rated},
	cases.Reopen:           {states(rated), office, handling},
	cases.Close:            {states(rated), office, closed},
	cases.KeepPromise:      {states(answered, rated, closed), leadR, ""},
}

func licenceSpec(deemed bool) map[cases.ActionKind]row {
	open := states(accepted, assigned, returned, handling)
	spec := map[cases.ActionKind]row{
		cases.Accept:           {states(registered), office, accepted},
		cases.Reject:           {states(registered), office, cases.Rejected},
		cases.Assign:           {states(accepted, returned), office, assigned},
		cases.Sign:             {states(assigned), leadR, handling},
		cases.Return:           {states(assigned), leadR, returned},
		cases.Opinion:          {states(assigned, handling), coR, ""},
		cases.PauseClock:       {open, office, ""},
		cases.ResumeClock:      {open, office, ""},
		cases.RequestExtension: {states(handling), leadR, ""},
		cases.DecideExtension:  {states(handling, drafted), headR, ""},
		cases.DraftAnswer:      {states(handling), leadR, drafted},
		cases.Approve:          {states(drafted), headR, approved},
		cases.SendAnswer:       {states(approved), office, answered},
		cases.Close:            {states(answered), office, closed},
		cases.KeepPromise:      {states(answered, closed), leadR, ""},
	}
	if deemed {
		spec[cases.Lapse] = row{states(accepted, assigned, returned, handling, drafted), []cases.Role{cases.System}, cases.DeemedApproved}
	}
	return spec
}

type typeCase struct {
	typ      cases.Type
	category string
	office   cases.Actor
	spec     map[cases.ActionKind]row
}

func typeCases() []typeCase {
	return []typeCase{
		{cases.NPCSuggestion(), "", npcOffice, suggestionSpec},
		{cases.CPPCCProposal(), "", npcOffice, suggestionSpec},
		{cases.Petition(), "", bureau, petitionSpec},
		{cases.PetitionReview(), "", bureau, reviewSpec},
		{cases.PetitionRecheck(), "", bureau, reviewSpec},
		{cases.Hotline(), "complaint", centre, hotlineSpec},
		{cases.DefaultLicence(), "", hall, licenceSpec(false)},
		{cases.Licence("renewal", "行政许可延续", "licence renewal", 20, 0, true), "", hall, licenceSpec(true)},
	}
}

// inState is a case of the type forced into state s with the facts the
// action needs: accepted, assigned and signed on Fri 2024-03-01 with a
// co-handler whose opinion is in (unless it is to be sent), a draft in drafted and approved, an
// answer rated 不满意 and a promise once answered, a pending extension to
// decide, a running pause to resume.
func inState(t *testing.T, tc typeCase, s cases.State, kind cases.ActionKind) cases.Case {
	t.Helper()
	c := register(t, tc.typ, tc.category, tc.office, "2024-03-01 09:00")
	c.State, c.Version = s, 5
	c.AcceptedAt = at("2024-03-01 10:00")
	co := []cases.CoHandler{{Dept: "natres", Deadline: at("2024-03-15"), Opinion: "同意", OpinionBy: co1.Name, OpinionAt: at("2024-03-02 10:00")}}
	if kind == cases.Opinion {
		co[0].Opinion, co[0].OpinionBy, co[0].OpinionAt = "", "", time.Time{}
	}
	if tc.typ.CoOpinion.IsZero() {
		co = nil
	}
	if kind == cases.Lapse { // accepted long enough ago to have lapsed
		c.AcceptedAt = at("2024-01-02 10:00")
	}
	c.Assignments = []cases.Assignment{{LeadDept: "energy", CoHandlers: co, AssignedAt: at("2024-03-01 11:00"), SignBy: at("2024-03-08"), SignedAt: at("2024-03-01 12:00")}}
	result := ""
	if len(tc.typ.Results) > 0 {
		result = tc.typ.Results[0].Code
	}
	switch s {
	case drafted:
		c.Draft = &cases.Draft{Text: "答复", Result: result, DraftedAt: at("2024-03-02 09:00")}
	case approved:
		c.Draft = &cases.Draft{Text: "答复", Result: result, DraftedAt: at("2024-03-02 09:00"), ApprovedAt: at("2024-03-02 10:00")}
	case answered, rated, closed:
		c.Answers = []cases.Answer{{Round: 1, Text: "答复", Result: result, AnsweredAt: at("2024-03-02 11:00")}}
		c.Promises = []cases.Promise{{Text: "年底前完成", Due: at("2024-12-31"), Round: 1}}
		if s != answered {
			c.Answers[0].Rating = cases.Dissatisfied
		}
	}
	if kind == cases.DecideExtension {
		c.PendingExtension = &cases.Extension{Round: 1, N: 1, Reason: "复杂", RequestedAt: at("2024-03-02 09:00")}
	}
	if kind == cases.ResumeClock {
		c.Pauses = []cases.Pause{{Round: 1, Kind: cases.Correction, Reason: "补正", Start: at("2024-03-02 09:00")}}
	}
	return c
}

func actorFor(tc typeCase, r cases.Role) cases.Actor {
	return map[cases.Role]cases.Actor{cases.Office: tc.office, cases.Lead: lead, cases.Head: leadHead, cases.Co: co1, cases.System: system}[r]
}

// Every (type, state, action): the table's pairs are taken by every role
// it names and lead where it says; every other pair is refused naming the case, the state and the
// action; roles the table does not name are forbidden.
func TestTransitionTables(t *testing.T) {
	now := "2024-03-04 10:00" // within the return window, before every deadline
	for _, tc := range typeCases() {
		if got := tableOf(tc.typ); !sameTable(got, tc.spec) {
			t.Errorf("%s: the table differs from the spec:\n got %v\nwant %v", tc.typ.Code, got, tc.spec)
		}
		for _, kind := range cases.ActionKinds[1:] {
			want, used := tc.spec[kind]
			for _, s := range cases.States {
				name := tc.typ.Code + "/" + string(kind) + "/" + string(s)
				t.Run(name, func(t *testing.T) {
					c := inState(t, tc, s, kind)
					a := cases.Action{Kind: kind, Note: "说明", LeadDept: "transport", Result: c.Type.Results[0].Code,
						Rating: cases.Satisfied, Days: 1, Pause: cases.Correction, Accept: true, ExpectedVersion: c.Version}
					if !used || !slices.Contains(want.from, s) {
						by := tc.office
						if used {
							by = actorFor(tc, want.by[0])
						}
						_, _, err := cases.Apply(c, a, by, at(now), cal)
						zh := tc.typ.NameZH + " " + c.Number
						if used {
							refused(t, err, apperr.Conflict, zh+" 当前为「"+s.LabelZH()+"」，不能「"+kind.LabelZH()+"」")
						} else {
							refused(t, err, apperr.Conflict, zh+" 不设「"+kind.LabelZH()+"」这一步")
						}
						return
					}
					for _, r := range want.by {
						next, e, err := cases.Apply(c, a, actorFor(tc, r), at(now), cal)
						if err != nil {
							t.Errorf("%s: %v", r, err)
							continue
						}
						to := want.to
						if to == "" {
							to = s
						}
						if next.State != to || e.ToState != to || e.ByRole != r {
							t.Errorf("%s: → %s (event %s by %s), want %s", r, next.State, e.ToState, e.ByRole, to)
						}
					}
					for _, r := range cases.Roles {
						by := actorFor(tc, r)
						if slices.ContainsFunc(c.RolesOf(by), func(has cases.Role) bool { return slices.Contains(want.by, has) }) {
							continue
						}
						_, _, err := cases.Apply(c, a, by, at(now), cal)
						if len(c.RolesOf(by)) == 0 { // a co-handler where there are none
							refused(t, err, apperr.Forbidden, "不是"+tc.typ.NameZH)
							continue
						}
						refused(t, err, apperr.Forbidden, "「"+kind.LabelZH()+"」只能由")
					}
				})
			}
		}
	}
}

// tableOf reads a type's Flow into the spec's shape.
func tableOf(typ cases.Type) map[cases.ActionKind]row {
	got := map[cases.ActionKind]row{}
	for _, tr := range typ.Flow {
		to := tr.To
		if to == cases.Stay {
			to = ""
		}
		got[tr.Action] = row{tr.From, tr.By, to}
	}
	return got
}

func sameTable(a, b map[cases.ActionKind]row) bool {
	if len(a) != len(b) {
		return false
	}
	for k, x := range a {
		y, ok := b[k]
		if !ok || x.to != y.to || !sameSet(x.from, y.from) || !sameSet(x.by, y.by) {
			return false
		}
	}
	return true
}

func sameSet[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// A refused approval goes back to handling; a refused extension stays.
func TestRefusalTargets(t *testing.T) {
	for _, typ := range cases.DefaultTypes() {
		for _, tr := range typ.Flow {
			switch tr.Action {
			case cases.Approve:
				if tr.ToIfRefused != cases.Handling {
					t.Errorf("%s: a refused approval leads to %s", typ.Code, tr.ToIfRefused)
				}
			case cases.DecideExtension:
				if tr.ToIfRefused != cases.Stay {
					t.Errorf("%s: a refused extension leads to %s", typ.Code, tr.ToIfRefused)
				}
			default:
				if tr.ToIfRefused != "" {
					t.Errorf("%s: %s has a refusal target", typ.Code, tr.Action)
				}
			}
		}
	}
}

func TestAllowed(t *testing.T) {
	tc := typeCases()[0]
	tests := []struct {
		state cases.State
		by    cases.Actor
		want  []cases.ActionKind
	}{
		{assigned, lead, []cases.ActionKind{cases.Sign, cases.Return}},
		{assigned, co1, []cases.ActionKind{cases.Opinion}},
		{handling, leadHead, []cases.ActionKind{cases.RequestExtension, cases.DraftAnswer}},
		{drafted, leadHead, []cases.ActionKind{cases.Approve}},
		{drafted, npcOffice, []cases.ActionKind{cases.DecideExtension, cases.Consent}},
		{rated, npcOffice, []cases.ActionKind{cases.Reopen, cases.Close, cases.Consent}},
		{closed, lead, []cases.ActionKind{cases.KeepPromise}},
		{handling, other, nil},
		{handling, otherOff, nil},
	}
	for _, tt := range tests {
		c := inState(t, tc, tt.state, "")
		if got := c.Allowed(tt.by); !slices.Equal(got, tt.want) {
			t.Errorf("%s by %s: %v, want %v", tt.state, tt.by.Name, got, tt.want)
		}
	}
}

func TestDefaultTypesValid(t *testing.T) {
	codes := map[string]bool{}
	for _, typ := range cases.DefaultTypes() {
		if err := typ.Validate(); err != nil {
			t.Errorf("%s: %v", typ.Code, err)
		}
		if codes[typ.Code] || typ.Basis == "" || typ.NameEN == "" {
			t.Errorf("%s: repeated or undocumented", typ.Code)
		}
		codes[typ.Code] = true
		if typ.FollowUpOf != "" && !codes[typ.FollowUpOf] {
			t.Errorf("%s follows up %s, which is not before it", typ.Code, typ.FollowUpOf)
		}
	}
	if !cases.Licence("x", "许可", "licence", 20, 0, true).Uses(cases.Lapse) || cases.DefaultLicence().Uses(cases.Lapse) {
		t.Error("deemed approval is not where the type says so")
	}
}

// Faulty rules are refused, naming the type.
func TestTypeValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*cases.Type)
		words  string
	}{
		{"NoClock", func(t *cases.Type) { t.Clocks = nil }, "at least one clock"},
		{"BadUnit", func(t *cases.Type) { t.Clocks[0].Limit.Unit = "weeks" }, "weeks"},
		{"TooLong", func(t *cases.Type) { t.Clocks[0].Limit.N = 25 }, "outside 0 to 24"},
		{"PromisedFirst", func(t *cases.Type) { t.Clocks[0].Kind = cases.Promised }, "first clock"},
		{"BadStart", func(t *cases.Type) { t.Clocks[0].Start = cases.AtAnswered }, "starts at"},
		{"ExtensionUnit", func(t *cases.Type) { t.MaxExtension.Unit = cases.WorkingDays }, "cannot lengthen"},
		{"RepeatedAction", func(t *cases.Type) { t.Flow = append(t.Flow, t.Flow[0]) }, "repeated"},
		{"MissingReturn", func(t *cases.Type) { t.Flow = slices.DeleteFunc(t.Flow, isAction(cases.Return)) }, "need return"},
		{"BadState", func(t *cases.Type) { t.Flow[0].From = []cases.State{"limbo"} }, "limbo"},
		{"RefusalOnSign", func(t *cases.Type) { t.Flow[1].ToIfRefused = cases.Returned }, "refusal target"},
		{"RepeatedResult", func(t *cases.Type) { t.Results = append(t.Results, t.Results[0]) }, "result"},
		{"BadCode", func(t *cases.Type) { t.Code = "人大" }, "编码"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			typ := cases.NPCSuggestion()
			typ.Clocks = slices.Clone(typ.Clocks)
			typ.Flow = slices.Clone(typ.Flow)
			tt.change(&typ)
			refused(t, typ.Validate(), apperr.Invalid, tt.words)
		})
	}
}

func isAction(k cases.ActionKind) func(cases.Transition) bool {
	return func(tr cases.Transition) bool { return tr.Action == k }
}
