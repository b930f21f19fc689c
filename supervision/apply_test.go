package supervision_test

import (
	"slices"
	"testing"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/supervision"
)

type (
	State  = supervision.State
	Action = supervision.Action
)

const (
	assigned        = supervision.Assigned
	signed          = supervision.Signed
	inProgress      = supervision.InProgress
	reported        = supervision.Reported
	closed          = supervision.Closed
	returnRequested = supervision.ReturnRequested
	returned        = supervision.Returned
)

// spec is the transition table as the product describes it, written out
// again here so that a change to the package's table fails a test: for
// each action, the states it is allowed in, the actors allowed, and where
// it leads when accepted ("" for no change).
var spec = map[supervision.ActionKind]struct {
	from []State
	by   []supervision.Actor
	to   State
}{
	supervision.Assign:           {nil, []supervision.Actor{office}, ""},
	supervision.Sign:             {[]State{assigned}, []supervision.Actor{lead}, signed},
	supervision.Feedback:         {[]State{signed, inProgress}, []supervision.Actor{lead, co}, inProgress},
	supervision.Report:           {[]State{signed, inProgress}, []supervision.Actor{lead}, reported},
	supervision.Review:           {[]State{reported}, []supervision.Actor{office}, closed},
	supervision.RequestReturn:    {[]State{assigned, signed}, []supervision.Actor{lead}, returnRequested},
	supervision.DecideReturn:     {[]State{returnRequested}, []supervision.Actor{office}, returned},
	supervision.RequestExtension: {[]State{signed, inProgress}, []supervision.Actor{lead}, ""},
	supervision.DecideExtension:  {[]State{signed, inProgress, reported}, []supervision.Actor{office}, ""},
	supervision.Remind:           {[]State{assigned, signed, inProgress, reported, returnRequested}, []supervision.Actor{office}, ""},
	// The system escalates too, but only overdue orders: TestEscalation.
	supervision.Escalate: {[]State{assigned, signed, inProgress, reported, returnRequested}, []supervision.Actor{office}, ""},
}

// inState is an order issued Thu 2024-02-08 with 5 working days (deadline
// Wed Feb 21, return window to Sun Feb 18) put in state s, with what that
// state and the action need: a pending return in return_requested, a
// pending extension to decide, a report filed.
func inState(t *testing.T, s State, kind supervision.ActionKind) supervision.Order {
	o := issued(t, "2024-02-08 09:30", 5)
	o.State, o.Version = s, 7
	if s == returnRequested {
		o.PendingReturn = &supervision.ReturnRequest{Reason: "不属于本单位职责", By: lead.Name, At: at("2024-02-09 09:00"), From: signed}
	}
	if s == reported {
		o.ReportedAt = at("2024-02-09 08:00")
	}
	if kind == supervision.DecideExtension {
		o.PendingExtension = &supervision.ExtensionRequest{NewDeadline: at("2024-02-28"), Reason: "设备到货推迟", By: lead.Name, At: at("2024-02-09 08:00")}
	}
	if err := o.Validate(); err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	return o
}

// Every (state, action) pair: those in the table are taken, by every actor
// the table names; all others are refused with a Conflict naming the
// order, the state and the action.
func TestTransitionTable(t *testing.T) {
	now := at("2024-02-09 10:00") // within the return window, before the deadline
	for _, kind := range supervision.ActionKinds {
		want, ok := spec[kind]
		if !ok {
			t.Fatalf("action %s is missing from the test's spec", kind)
		}
		for _, s := range supervision.States {
			for _, by := range want.by {
				t.Run(string(kind)+"/"+string(s)+"/"+by.Name, func(t *testing.T) {
					o := inState(t, s, kind)
					a := Action{Kind: kind, Note: "说明", NewDeadline: at("2024-02-28"), Accept: true, ExpectedVersion: o.Version}
					next, e, err := supervision.Apply(o, a, by, now, cal)
					if !slices.Contains(want.from, s) {
						refused(t, err, apperr.Conflict, "督办单 督办〔2024〕12号 当前为「"+s.LabelZH()+"」，不能「"+kind.LabelZH()+"」")
						if next.State != o.State || next.Version != o.Version {
							t.Errorf("refused action changed the order: %s v%d", next.State, next.Version)
						}
						return
					}
					if err != nil {
						t.Fatal(err)
					}
					to := want.to
					if to == "" {
						to = s
					}
					if next.State != to || e.FromState != s || e.ToState != to {
						t.Errorf("state %s → %s (event %s → %s), want %s", s, next.State, e.FromState, e.ToState, to)
					}
					if next.Version != o.Version+1 || e.Version != next.Version {
						t.Errorf("version %d → %d (event %d)", o.Version, next.Version, e.Version)
					}
					if e.Kind != kind || e.ByName != by.Name || e.ByDept != by.Dept || !e.At.Equal(now) {
						t.Errorf("event = %+v", e)
					}
				})
			}
		}
	}
}

func TestAllowed(t *testing.T) {
	cases := []struct {
		state State
		by    supervision.Actor
		want  []supervision.ActionKind
	}{
		{assigned, lead, []supervision.ActionKind{supervision.Sign, supervision.RequestReturn}},
		{assigned, co, nil},
		{inProgress, co, []supervision.ActionKind{supervision.Feedback}},
		{inProgress, lead, []supervision.ActionKind{supervision.Feedback, supervision.Report, supervision.RequestExtension}},
		{reported, office, []supervision.ActionKind{supervision.Review, supervision.DecideExtension, supervision.Remind, supervision.Escalate}},
		{closed, office, nil},
		{signed, other, nil},
	}
	for _, c := range cases {
		o := inState(t, c.state, "")
		if got := o.Allowed(c.by); !slices.Equal(got, c.want) {
			t.Errorf("%s by %s: %v, want %v", c.state, c.by.Name, got, c.want)
		}
	}
}

func TestWrongActor(t *testing.T) {
	cases := []struct {
		name  string
		state State
		kind  supervision.ActionKind
		by    supervision.Actor
		words []string
	}{
		{"CoSigns", assigned, supervision.Sign, co, []string{"签收", "牵头单位", "协办单位"}},
		{"CoReports", inProgress, supervision.Report, co, []string{"报送办结报告", "牵头单位"}},
		{"CoAsksReturn", assigned, supervision.RequestReturn, co, []string{"申请退办"}},
		{"CoAsksExtension", inProgress, supervision.RequestExtension, co, []string{"申请延期"}},
		{"LeadReviews", reported, supervision.Review, lead, []string{"审核办结报告", "督查室"}},
		{"LeadEscalates", inProgress, supervision.Escalate, lead, []string{"升级督办", "督查室或系统"}},
		{"LeadReminds", inProgress, supervision.Remind, lead, []string{"催办"}},
		{"OfficeSigns", assigned, supervision.Sign, office, []string{"签收", "牵头单位"}},
		{"OfficeGivesFeedback", inProgress, supervision.Feedback, office, []string{"反馈进展"}},
		{"SystemReminds", inProgress, supervision.Remind, system, []string{"催办", "系统"}},
		{"OtherDeptSigns", assigned, supervision.Sign, other, []string{"钱主任", "education", "不是督办单 督办〔2024〕12号 的承办单位"}},
		{"OtherDeptFeedback", inProgress, supervision.Feedback, other, []string{"不是督办单"}},
		{"NoDept", inProgress, supervision.Feedback, supervision.Actor{Name: "无部门"}, []string{"不是督办单"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := inState(t, c.state, c.kind)
			_, _, err := supervision.Apply(o, Action{Kind: c.kind, Note: "说明", ExpectedVersion: o.Version}, c.by, at("2024-02-09 10:00"), cal)
			refused(t, err, apperr.Forbidden, c.words...)
		})
	}
	t.Run("ErrNoName", func(t *testing.T) {
		o := inState(t, assigned, "")
		_, _, err := supervision.Apply(o, Action{Kind: supervision.Sign, ExpectedVersion: o.Version}, supervision.Actor{Dept: "energy"}, at("2024-02-09 10:00"), cal)
		refused(t, err, apperr.Invalid, "操作人")
	})
	t.Run("ErrUnknownAction", func(t *testing.T) {
		o := inState(t, assigned, "")
		_, _, err := supervision.Apply(o, Action{Kind: "sign_everything", ExpectedVersion: o.Version}, lead, at("2024-02-09 10:00"), cal)
		refused(t, err, apperr.Invalid, "sign_everything")
	})
}

// Two users load version 2; the first one's action wins, the second is
// refused however right it would otherwise be.
func TestConcurrentVersionConflict(t *testing.T) {
	o := issued(t, "2024-02-08 09:30", 5)
	o, _ = step(t, o, Action{Kind: supervision.Sign}, lead, "2024-02-09 09:00")
	seen := o // both the lead and the office load version 2
	first, _, err := supervision.Apply(seen, Action{Kind: supervision.Feedback, Note: "已进场施工", ExpectedVersion: seen.Version}, lead, at("2024-02-09 10:00"), cal)
	if err != nil || first.Version != 3 {
		t.Fatalf("first: v%d, %v", first.Version, err)
	}
	for _, stale := range []int{seen.Version, 0, first.Version + 1} {
		_, _, err = supervision.Apply(first, Action{Kind: supervision.Remind, ExpectedVersion: stale}, office, at("2024-02-09 10:01"), cal)
		refused(t, err, apperr.Conflict)
		if got := apperr.Message(err, "zh"); got != "督办单已被他人处理，请刷新后重试" {
			t.Errorf("zh = %q", got)
		}
		if got := apperr.Message(err, "en"); got != "the order was changed by someone else; reload and try again" {
			t.Errorf("en = %q", got)
		}
	}
}
