package supervision_test

import (
	"slices"
	"testing"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/supervision"
)

// The whole path of one order, issued Thu 2024-02-08 with 5 working days
// (deadline Wed Feb 21: Feb 9 =1, Feb 18 Sun make-up =2, Feb 19 =3,
// Feb 20 =4, Feb 21 =5), extended to Wed Feb 28, its first report
// rejected, its second approved on Feb 28: closed on time.
func TestHappyPath(t *testing.T) {
	o := issued(t, "2024-02-08 09:30", 5)
	steps := []struct {
		action   Action
		by       supervision.Actor
		now      string
		from, to State
		check    func(t *testing.T, o supervision.Order, e supervision.Event)
	}{
		{Action{Kind: supervision.Sign}, lead, "2024-02-09 09:00", assigned, signed, func(t *testing.T, o supervision.Order, _ supervision.Event) {
			if !o.SignedAt.Equal(at("2024-02-09 09:00")) {
				t.Errorf("signed at %v", o.SignedAt)
			}
		}},
		{Action{Kind: supervision.Feedback, Note: "施工队伍已进场"}, lead, "2024-02-18 10:00", signed, inProgress, nil},
		{Action{Kind: supervision.Feedback, Note: "用地手续已办结"}, co, "2024-02-19 10:00", inProgress, inProgress, func(t *testing.T, _ supervision.Order, e supervision.Event) {
			if e.ByRole != supervision.Co || e.ByDept != "natres" {
				t.Errorf("co feedback event = %+v", e)
			}
		}},
		{Action{Kind: supervision.Remind, Note: "请加快进度"}, office, "2024-02-20 10:00", inProgress, inProgress, func(t *testing.T, o supervision.Order, _ supervision.Event) {
			if o.Reminders != 1 {
				t.Errorf("reminders = %d", o.Reminders)
			}
		}},
		// On the deadline date itself: still allowed.
		{Action{Kind: supervision.RequestExtension, Note: "主变压器到货推迟", NewDeadline: at("2024-02-28")}, lead, "2024-02-21 17:00", inProgress, inProgress, func(t *testing.T, o supervision.Order, e supervision.Event) {
			if o.PendingExtension == nil || date(o.PendingExtension.NewDeadline) != "2024-02-28" || date(o.Deadline) != "2024-02-21" {
				t.Errorf("pending %+v, deadline %s", o.PendingExtension, date(o.Deadline))
			}
			if date(e.OldDeadline) != "2024-02-21" || date(e.NewDeadline) != "2024-02-28" {
				t.Errorf("event deadlines %s → %s", date(e.OldDeadline), date(e.NewDeadline))
			}
		}},
		{Action{Kind: supervision.DecideExtension, Accept: true}, office, "2024-02-22 09:00", inProgress, inProgress, func(t *testing.T, o supervision.Order, e supervision.Event) {
			if o.PendingExtension != nil || date(o.Deadline) != "2024-02-28" || date(o.OriginalDeadline) != "2024-02-21" || o.Extensions != 1 || !e.Accepted {
				t.Errorf("after approval: %+v", o)
			}
			if o.Overdue(at("2024-02-22 09:00")) {
				t.Error("overdue after the extension")
			}
		}},
		{Action{Kind: supervision.Report, Note: "升压站主体已完工"}, lead, "2024-02-26 10:00", inProgress, reported, func(t *testing.T, o supervision.Order, _ supervision.Event) {
			if o.CompletionReport != "升压站主体已完工" || !o.ReportedAt.Equal(at("2024-02-26 10:00")) {
				t.Errorf("report %q at %v", o.CompletionReport, o.ReportedAt)
			}
		}},
		{Action{Kind: supervision.Review, Accept: false, Note: "缺少验收记录"}, office, "2024-02-27 10:00", reported, inProgress, func(t *testing.T, o supervision.Order, e supervision.Event) {
			if o.ReviewNote != "缺少验收记录" || !o.ReportedAt.IsZero() || e.Accepted || e.Completion != nil {
				t.Errorf("after rejection: %+v, event %+v", o, e)
			}
		}},
		{Action{Kind: supervision.Report, Note: "升压站主体已完工，附验收记录"}, lead, "2024-02-28 09:00", inProgress, reported, nil},
		{Action{Kind: supervision.Review, Accept: true, Note: "同意销号"}, office, "2024-02-28 17:00", reported, closed, func(t *testing.T, o supervision.Order, e supervision.Event) {
			c := e.Completion
			if c == nil || !c.OnTime || date(c.Deadline) != "2024-02-28" || !c.ClosedAt.Equal(at("2024-02-28 17:00")) || c.Reminders != 1 || c.Extensions != 1 {
				t.Errorf("completion = %+v", c)
			}
			if e.LeadDept != "energy" || !slices.Equal(e.CoDepts, []string{"natres"}) {
				t.Errorf("event departments %s %v", e.LeadDept, e.CoDepts)
			}
			if !o.ClosedAt.Equal(at("2024-02-28 17:00")) {
				t.Errorf("closed at %v", o.ClosedAt)
			}
		}},
	}
	for i, s := range steps {
		before := o
		next, e := step(t, o, s.action, s.by, s.now)
		if wantVersion := i + 2; next.Version != wantVersion || e.Version != wantVersion {
			t.Errorf("step %d %s: version %d (event %d), want %d", i, s.action.Kind, next.Version, e.Version, wantVersion)
		}
		if next.State != s.to || e.FromState != s.from || e.ToState != s.to || e.Kind != s.action.Kind {
			t.Errorf("step %d %s: %s → %s, event %s → %s", i, s.action.Kind, s.from, next.State, e.FromState, e.ToState)
		}
		if before.State != o.State || before.Version != o.Version {
			t.Errorf("step %d changed its input", i)
		}
		if s.check != nil {
			s.check(t, next, e)
		}
		if err := next.Validate(); err != nil {
			t.Errorf("step %d: %v", i, err)
		}
		o = next
	}
	if got := o.Light(at("2024-03-01 10:00"), cal, 2); got != supervision.NoLight {
		t.Errorf("closed order light = %q", got)
	}
}

// Closed after the deadline date: not on time, for the lead and the
// co-handlers alike.
func TestCompletionLate(t *testing.T) {
	o := issued(t, "2024-02-08 09:30", 5) // deadline Feb 21
	o, _ = step(t, o, Action{Kind: supervision.Sign}, lead, "2024-02-09 09:00")
	o, _ = step(t, o, Action{Kind: supervision.Report, Note: "已完成"}, lead, "2024-02-21 18:00")
	o, e := step(t, o, Action{Kind: supervision.Review, Accept: true}, office, "2024-02-22 09:00")
	if e.Completion == nil || e.Completion.OnTime {
		t.Errorf("completion = %+v, want late", e.Completion)
	}
	if o.State != closed {
		t.Errorf("state = %s", o.State)
	}
}

func TestReviewRejectionNeedsReason(t *testing.T) {
	o := issued(t, "2024-02-08 09:30", 5)
	o, _ = step(t, o, Action{Kind: supervision.Sign}, lead, "2024-02-09 09:00")
	o, _ = step(t, o, Action{Kind: supervision.Report, Note: "已完成"}, lead, "2024-02-19 09:00")
	_, _, err := supervision.Apply(o, Action{Kind: supervision.Review, Accept: false, Note: "  ", ExpectedVersion: o.Version}, office, at("2024-02-19 10:00"), cal)
	refused(t, err, apperr.Invalid, "理由")
}

func TestNotesRequired(t *testing.T) {
	o := issued(t, "2024-02-08 09:30", 5)
	for _, kind := range []supervision.ActionKind{supervision.RequestReturn} {
		_, _, err := supervision.Apply(o, Action{Kind: kind, ExpectedVersion: o.Version}, lead, at("2024-02-09 09:00"), cal)
		refused(t, err, apperr.Invalid, kind.LabelZH(), "说明")
	}
	o, _ = step(t, o, Action{Kind: supervision.Sign}, lead, "2024-02-09 09:00")
	for _, kind := range []supervision.ActionKind{supervision.Feedback, supervision.Report, supervision.RequestExtension} {
		_, _, err := supervision.Apply(o, Action{Kind: kind, NewDeadline: at("2024-02-28"), ExpectedVersion: o.Version}, lead, at("2024-02-09 10:00"), cal)
		refused(t, err, apperr.Invalid, kind.LabelZH(), "说明")
	}
}

func TestReturn(t *testing.T) {
	for _, from := range []State{assigned, signed} {
		ask := func(t *testing.T) supervision.Order {
			o := issued(t, "2024-02-08 09:30", 5)
			if from == signed {
				o, _ = step(t, o, Action{Kind: supervision.Sign}, lead, "2024-02-09 09:00")
			}
			o, _ = step(t, o, Action{Kind: supervision.RequestReturn, Note: "属于自然资源局职责"}, lead, "2024-02-09 10:00")
			return o
		}
		t.Run("Refused/"+string(from), func(t *testing.T) {
			o, e := step(t, ask(t), Action{Kind: supervision.DecideReturn, Accept: false, Note: "仍由能源局牵头"}, office, "2024-02-18 09:00")
			if o.State != from || e.ToState != from || o.PendingReturn != nil || e.Accepted {
				t.Errorf("after refusal: state %s, pending %+v", o.State, o.PendingReturn)
			}
		})
		t.Run("Accepted/"+string(from), func(t *testing.T) {
			o, e := step(t, ask(t), Action{Kind: supervision.DecideReturn, Accept: true}, office, "2024-02-18 09:00")
			if o.State != returned || o.PendingReturn != nil || !e.Accepted || !o.ReturnedAt.Equal(at("2024-02-18 09:00")) || e.Completion != nil {
				t.Errorf("after acceptance: %+v", o)
			}
			if o.Light(at("2024-02-19 09:00"), cal, 2) != supervision.NoLight || o.Overdue(at("2024-03-01 09:00")) {
				t.Error("a returned order still has a clock")
			}
			if err := o.Validate(); err != nil {
				t.Error(err)
			}
		})
	}
}

// The deadline is Wed 2024-02-21 (see TestIssueDeadline); an extension may
// be asked until that date ends in Beijing.
func TestExtension(t *testing.T) {
	signedOrder := func(t *testing.T) supervision.Order {
		o := issued(t, "2024-02-08 09:30", 5)
		o, _ = step(t, o, Action{Kind: supervision.Sign}, lead, "2024-02-09 09:00")
		return o
	}
	cases := []struct {
		name        string
		now         string
		newDeadline string
		code        string
		words       []string
	}{
		{"OKOnDeadlineDate", "2024-02-21 23:59", "2024-02-28", "", nil},
		{"OKDayBefore", "2024-02-20 09:00", "2024-02-22", "", nil},
		{"ErrDayAfterDeadline", "2024-02-22 00:00", "2024-02-28", apperr.Conflict, []string{"2024-02-21", "已过"}},
		{"ErrNotLater", "2024-02-20 09:00", "2024-02-21", apperr.Invalid, []string{"2024-02-21", "应晚于"}},
		{"ErrEarlier", "2024-02-20 09:00", "2024-02-19", apperr.Invalid, []string{"应晚于"}},
		{"ErrNoDate", "2024-02-20 09:00", "", apperr.Invalid, []string{"日期"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := signedOrder(t)
			a := Action{Kind: supervision.RequestExtension, Note: "设备到货推迟", ExpectedVersion: o.Version}
			if c.newDeadline != "" {
				a.NewDeadline = at(c.newDeadline)
			}
			next, _, err := supervision.Apply(o, a, lead, at(c.now), cal)
			if c.code != "" {
				refused(t, err, c.code, c.words...)
				return
			}
			if err != nil || next.PendingExtension == nil || date(next.PendingExtension.NewDeadline) != c.newDeadline {
				t.Fatalf("pending %+v, %v", next.PendingExtension, err)
			}
		})
	}
	// 2024-02-21 16:30 UTC is already Feb 22 in Beijing.
	t.Run("ErrAfterDeadlineInBeijing", func(t *testing.T) {
		o := signedOrder(t)
		_, _, err := supervision.Apply(o, Action{Kind: supervision.RequestExtension, Note: "推迟", NewDeadline: at("2024-02-28"), ExpectedVersion: o.Version},
			lead, at("2024-02-22 00:30").UTC(), cal)
		refused(t, err, apperr.Conflict, "已过")
	})
	t.Run("ErrOnePending", func(t *testing.T) {
		o, _ := step(t, signedOrder(t), Action{Kind: supervision.RequestExtension, Note: "推迟", NewDeadline: at("2024-02-28")}, lead, "2024-02-19 09:00")
		_, _, err := supervision.Apply(o, Action{Kind: supervision.RequestExtension, Note: "再推迟", NewDeadline: at("2024-03-05"), ExpectedVersion: o.Version}, lead, at("2024-02-19 10:00"), cal)
		refused(t, err, apperr.Conflict, "待审批", "2024-02-28")
	})
	t.Run("Refused", func(t *testing.T) {
		o, _ := step(t, signedOrder(t), Action{Kind: supervision.RequestExtension, Note: "推迟", NewDeadline: at("2024-02-28")}, lead, "2024-02-19 09:00")
		o, e := step(t, o, Action{Kind: supervision.DecideExtension, Accept: false, Note: "理由不充分"}, office, "2024-02-19 10:00")
		if o.PendingExtension != nil || date(o.Deadline) != "2024-02-21" || o.Extensions != 0 || e.Accepted || date(e.NewDeadline) != "2024-02-28" {
			t.Errorf("after refusal: %+v, event %+v", o, e)
		}
		// Refused, the lead may ask again, still before the deadline.
		step(t, o, Action{Kind: supervision.RequestExtension, Note: "补充说明后再申请", NewDeadline: at("2024-02-26")}, lead, "2024-02-20 09:00")
	})
	t.Run("ErrNothingToDecide", func(t *testing.T) {
		o := signedOrder(t)
		_, _, err := supervision.Apply(o, Action{Kind: supervision.DecideExtension, Accept: true, ExpectedVersion: o.Version}, office, at("2024-02-19 10:00"), cal)
		refused(t, err, apperr.Conflict, "没有待审批的延期申请")
	})
}

func TestEscalation(t *testing.T) {
	t.Run("StopsAtMayor", func(t *testing.T) {
		o := issued(t, "2024-02-08 09:30", 5)
		for _, want := range []supervision.Level{supervision.Key, supervision.Mayor} {
			var e supervision.Event
			old := o.Level
			o, e = step(t, o, Action{Kind: supervision.Escalate, Note: "进度严重滞后"}, office, "2024-02-09 09:00")
			if o.Level != want || e.OldLevel != old || e.NewLevel != want {
				t.Errorf("level %s → %s (event %s → %s), want %s", old, o.Level, e.OldLevel, e.NewLevel, want)
			}
		}
		if o.Escalations != 2 {
			t.Errorf("escalations = %d", o.Escalations)
		}
		_, _, err := supervision.Apply(o, Action{Kind: supervision.Escalate, ExpectedVersion: o.Version}, office, at("2024-02-09 10:00"), cal)
		refused(t, err, apperr.Conflict, "已是市长督办")
		if o.DueForEscalation(at("2024-03-01 09:00")) {
			t.Error("a mayor's order is due for escalation")
		}
		_, _, err = supervision.Apply(o, Action{Kind: supervision.Escalate, ExpectedVersion: o.Version}, system, at("2024-03-01 09:00"), cal)
		refused(t, err, apperr.Conflict, "已是市长督办")
	})
	t.Run("AutomaticWhenOverdue", func(t *testing.T) {
		o := issued(t, "2024-02-08 09:30", 5) // deadline Feb 21
		o, _ = step(t, o, Action{Kind: supervision.Sign}, lead, "2024-02-09 09:00")
		escalate := Action{Kind: supervision.Escalate, ExpectedVersion: o.Version}
		if o.DueForEscalation(at("2024-02-21 23:59")) {
			t.Error("due on the deadline date")
		}
		_, _, err := supervision.Apply(o, escalate, system, at("2024-02-21 23:59"), cal)
		refused(t, err, apperr.Conflict, "未到自动升级")
		if !o.DueForEscalation(at("2024-02-22 00:00")) {
			t.Error("not due the day after the deadline")
		}
		o, e := step(t, o, escalate, system, "2024-02-22 00:05")
		if o.Level != supervision.Key || e.ByRole != supervision.System {
			t.Errorf("level %s, event %+v", o.Level, e)
		}
		// Once per missed deadline.
		if o.DueForEscalation(at("2024-02-26 09:00")) {
			t.Error("due again for the same deadline")
		}
	})
	t.Run("NotWhileOfficeDecides", func(t *testing.T) {
		o := inState(t, reported, "")
		o.ReportedAt = at("2024-02-22 09:00") // late: overdue, but the report is in
		if !o.Overdue(at("2024-02-23 09:00")) || o.DueForEscalation(at("2024-02-23 09:00")) {
			t.Error("a late report waiting for review: want overdue, not due for escalation")
		}
	})
}
