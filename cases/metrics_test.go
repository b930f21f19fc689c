package cases_test

import (
	"slices"
	"testing"

	"github.com/lantu/lantu/cases"
)

var year2024 = cases.Period{From: at("2024-01-01"), To: at("2025-01-01")}

// metric finds a metric by code.
func metric(ms []cases.Metric, code string) cases.Metric {
	for _, m := range ms {
		if m.Code == code {
			return m
		}
	}
	panic("no metric " + code)
}

// handSet is eight cases whose metrics are counted by hand in
// TestMetricsByHand.
func handSet(t *testing.T) []cases.Case {
	var set []cases.Case
	number := func(c cases.Case, n string) cases.Case { c.Number = n; return c }

	// S1: assigned Fri Mar 15, signed Mon Mar 18 (window to Fri Mar 22),
	// answered Fri May 10 (deadline Jun 17), rated 满意, result A.
	s1 := number(register(t, cases.NPCSuggestion(), "", npcOffice, "2024-03-08 09:00"), "S1")
	s1, _ = step(t, s1, cases.Action{Kind: cases.Assign, LeadDept: "energy"}, npcOffice, "2024-03-15 10:00")
	s1, _ = step(t, s1, cases.Action{Kind: cases.Sign}, lead, "2024-03-18 09:00")
	s1 = answer(t, s1, "A", "2024-05-10")
	s1, _ = step(t, s1, cases.Action{Kind: cases.Rate, Rating: cases.Satisfied}, npcOffice, "2024-05-20 10:00")
	s1, _ = step(t, s1, cases.Action{Kind: cases.Close}, npcOffice, "2024-05-21 10:00")
	set = append(set, s1)

	// S2: assigned Mar 15 to education, returned Mar 18, assigned Tue Mar
	// 19 to energy (window: Mar 20, 21, 22, 25, 26), signed late Thu Mar
	// 28; deadline Mar 19 + 3 months = Wed Jun 19, answered Thu Jun 20
	// (late) with C; 不满意, reopened Jun 25, answered Jul 10 with B, rated
	// 基本满意.
	s2 := number(register(t, cases.NPCSuggestion(), "", npcOffice, "2024-03-08 09:00"), "S2")
	s2, _ = step(t, s2, cases.Action{Kind: cases.Assign, LeadDept: "education"}, npcOffice, "2024-03-15 10:00")
	s2, _ = step(t, s2, cases.Action{Kind: cases.Return, Note: "非本单位职责"}, other, "2024-03-18 10:00")
	s2, _ = step(t, s2, cases.Action{Kind: cases.Assign, LeadDept: "energy"}, npcOffice, "2024-03-19 10:00")
	s2, _ = step(t, s2, cases.Action{Kind: cases.Sign}, lead, "2024-03-28 09:00")
	s2 = answer(t, s2, "C", "2024-06-20")
	s2, _ = step(t, s2, cases.Action{Kind: cases.Rate, Rating: cases.Dissatisfied}, npcOffice, "2024-06-24 10:00")
	s2, _ = step(t, s2, cases.Action{Kind: cases.Reopen}, npcOffice, "2024-06-25 10:00")
	s2 = answer(t, s2, "B", "2024-07-10")
	s2, _ = step(t, s2, cases.Action{Kind: cases.Rate, Rating: cases.BasicallySatisfied}, npcOffice, "2024-07-15 10:00")
	set = append(set, s2)

	// P1: not accepted.
	p1 := number(register(t, cases.Petition(), "", bureau, "2024-05-06 09:00"), "P1")
	p1, _ = step(t, p1, cases.Action{Kind: cases.Reject, Note: "已进入诉讼程序"}, bureau, "2024-05-07 09:00")
	set = append(set, p1)

	// P2: accepted Wed Nov 20, deadline 2025-01-19 (Sun) → Jan 20: not due
	// at the end of 2024.
	p2 := number(register(t, cases.Petition(), "", bureau, "2024-11-20 09:00"), "P2")
	p2, _ = step(t, p2, cases.Action{Kind: cases.Accept}, bureau, "2024-11-20 10:00")
	p2, _ = step(t, p2, cases.Action{Kind: cases.Assign, LeadDept: "energy"}, bureau, "2024-11-20 11:00")
	p2, _ = step(t, p2, cases.Action{Kind: cases.Sign}, lead, "2024-11-21 09:00")
	set = append(set, p2)

	// P3: accepted Mon Sep 2, deadline Fri Nov 1, still unanswered: late.
	p3 := number(register(t, cases.Petition(), "", bureau, "2024-09-02 09:00"), "P3")
	p3, _ = step(t, p3, cases.Action{Kind: cases.Accept}, bureau, "2024-09-02 10:00")
	p3, _ = step(t, p3, cases.Action{Kind: cases.Assign, LeadDept: "energy"}, bureau, "2024-09-02 11:00")
	p3, _ = step(t, p3, cases.Action{Kind: cases.Sign}, lead, "2024-09-03 09:00")
	set = append(set, p3)

	// H1: assigned Mon Dec 30, to be signed by Tue Dec 31, never signed;
	// its clock never started.
	h1 := number(register(t, cases.Hotline(), "complaint", centre, "2024-12-30 09:00"), "H1")
	h1, _ = step(t, h1, cases.Action{Kind: cases.Assign, LeadDept: "energy"}, centre, "2024-12-30 10:00")
	set = append(set, h1)

	// L1: registered in 2023: not in the period.
	l1 := number(register(t, cases.DefaultLicence(), "", hall, "2023-12-28 09:00"), "L1")
	l1, _ = step(t, l1, cases.Action{Kind: cases.Accept}, hall, "2023-12-28 10:00")
	set = append(set, l1)

	// L2: accepted Fri Dec 20, signed that day, decided Fri 2025-01-03 and
	// served Sun Jan 5: not done at the end of 2024, not yet due either.
	l2 := number(register(t, cases.DefaultLicence(), "", hall, "2024-12-20 09:00"), "L2")
	l2, _ = step(t, l2, cases.Action{Kind: cases.Accept}, hall, "2024-12-20 10:00")
	l2, _ = step(t, l2, cases.Action{Kind: cases.Assign, LeadDept: "energy"}, hall, "2024-12-20 11:00")
	l2, _ = step(t, l2, cases.Action{Kind: cases.Sign}, lead, "2024-12-20 12:00")
	l2, _ = step(t, l2, cases.Action{Kind: cases.DraftAnswer, Note: "准予", Result: "granted"}, lead, "2025-01-02 10:00")
	l2, _ = step(t, l2, cases.Action{Kind: cases.Approve, Accept: true}, leadHead, "2025-01-03 10:00")
	l2, _ = step(t, l2, cases.Action{Kind: cases.SendAnswer}, hall, "2025-01-05 10:00")
	set = append(set, l2)
	return set
}

// answer drafts, approves and sends an answer with the result on day.
func answer(t *testing.T, c cases.Case, result, day string) cases.Case {
	t.Helper()
	c, _ = step(t, c, cases.Action{Kind: cases.DraftAnswer, Note: "答复", Result: result}, lead, day+" 09:00")
	c, _ = step(t, c, cases.Action{Kind: cases.Approve, Accept: true}, leadHead, day+" 10:00")
	c, _ = step(t, c, cases.Action{Kind: cases.SendAnswer}, lead, day+" 11:00")
	return c
}

// The numbers below are counted by hand from handSet's comments. The
// population is S1, S2, P1, P2, P3, H1, L2 (L1 was registered in 2023).
func TestMetricsByHand(t *testing.T) {
	set := handSet(t)
	ms := cases.Metrics(set, year2024, cal)
	tests := []struct {
		code     string
		num, den int
		numCases []string
		denCases []string
	}{
		// Assignments: S1 on time; S2's first returned (left out), its
		// second late; P2, P3, L2 on time; H1 unsigned past Dec 31.
		{"signed_on_time_rate", 4, 6, []string{"S1", "P2", "P3", "L2"}, []string{"S1", "S2", "P2", "P3", "H1", "L2"}},
		// Seven assignments, one returned.
		{"return_rate", 1, 7, []string{"S2"}, []string{"S1", "S2", "S2", "P2", "P3", "H1", "L2"}},
		// S1 on time, S2 late (Jun 20 > Jun 19), P3 unanswered past Nov 1;
		// P2 and L2 not yet due, H1 not started, P1 not accepted.
		{"on_time_rate", 1, 3, []string{"S1"}, []string{"S1", "S2", "P3"}},
		// Six accepted (or not refused); S1 and S2 answered in their
		// current round; L2's answer came in 2025.
		{"completion_rate", 2, 6, []string{"S1", "S2"}, []string{"S1", "S2", "P2", "P3", "H1", "L2"}},
		{"rating_rate", 2, 2, []string{"S1", "S2"}, []string{"S1", "S2"}},
		{"satisfied_rate", 1, 2, []string{"S1"}, []string{"S1", "S2"}},
		{"basically_satisfied_rate", 1, 2, []string{"S2"}, []string{"S1", "S2"}},
		// Latest answers: S1 A (solved), S2 B.
		{"solved_rate", 1, 2, []string{"S1"}, []string{"S1", "S2"}},
		{"redo_rate", 1, 2, []string{"S2"}, []string{"S1", "S2"}},
		// S1: Mar 15 → May 10: Mar 18–22 (5), 25–29 (10), Apr 1–3 (13), Sun
		// Apr 7 make-up (14), 8–12 (19), 15–19 (24), 22–26 (29), Sun Apr 28
		// make-up (30), 29–30 (32), May 6–10 (37) = 37. S2: Mar 19 → Jun 20:
		// Mar 20–22 (3), 25–29 (8), Apr 1–3 (11), Apr 7 (12), 8–12 (17),
		// 15–19 (22), 22–26 (27), Apr 28 (28), 29–30 (30), May 6–10 (35),
		// Sat May 11 make-up (36), 13–17 (41), 20–24 (46), 27–31 (51), Jun
		// 3–7 (56), 11–14 (60), 17–20 (64) = 64. Mean (37 + 64) / 2.
		{"average_working_days", 101, 2, []string{"S1", "S2"}, []string{"S1", "S2"}},
	}
	for _, tt := range tests {
		m := metric(ms, tt.code)
		if m.Numerator != tt.num || m.Denominator != tt.den || !slices.Equal(m.NumeratorCases, tt.numCases) || !slices.Equal(m.DenominatorCases, tt.denCases) {
			t.Errorf("%s = %d/%d %v/%v, want %d/%d %v/%v", tt.code, m.Numerator, m.Denominator, m.NumeratorCases, m.DenominatorCases,
				tt.num, tt.den, tt.numCases, tt.denCases)
		}
		if m.FormulaZH == "" || m.FormulaEN == "" || m.NameZH == "" || m.NameEN == "" {
			t.Errorf("%s has no formula or name", tt.code)
		}
	}
	if v := metric(ms, "average_working_days").Value(); v != 50.5 {
		t.Errorf("average = %v", v)
	}
	if m := metric(ms, "on_time_rate"); !m.Percent || m.Value() != 1.0/3 {
		t.Errorf("on-time value = %v", m.Value())
	}

	// Counted later, at the end of February 2025, L2's decision of Jan 3
	// is in: completed, and on time (20 working days from Dec 20 end in
	// January 2025, after Jan 3), with Dec 20 → Jan 3: Dec 23–27 (5),
	// 30–31 (7), Jan 2–3 (9; Jan 1 off) = 9 working days.
	later := cases.Period{From: year2024.From, To: year2024.To, AsOf: at("2025-03-01")}
	ms = cases.Metrics(set, later, cal)
	if m := metric(ms, "completion_rate"); m.Numerator != 3 || m.Denominator != 6 {
		t.Errorf("completion later = %d/%d", m.Numerator, m.Denominator)
	}
	// P2 (due Jan 20) is now late too.
	if m := metric(ms, "on_time_rate"); m.Numerator != 2 || m.Denominator != 5 || !slices.Equal(m.DenominatorCases, []string{"S1", "S2", "P2", "P3", "L2"}) {
		t.Errorf("on time later = %d/%d %v", m.Numerator, m.Denominator, m.DenominatorCases)
	}
	if m := metric(ms, "average_working_days"); m.Numerator != 110 || m.Denominator != 3 {
		t.Errorf("average later = %d/%d", m.Numerator, m.Denominator)
	}

	// As of the end of Jan 3 2025, L2 is decided but not yet served: its
	// clocks stopped at the decision, so it is not counted late.
	jan4 := cases.Period{From: year2024.From, To: year2024.To, AsOf: at("2025-01-04")}
	if m := metric(cases.Metrics(set, jan4, cal), "on_time_rate"); slices.Contains(m.DenominatorCases, "L2") {
		t.Errorf("a decided licence counted as due: %v", m.DenominatorCases)
	}
}

// With nothing to count, no metric has a value: not 0%, not 100%.
func TestMetricsZeroDenominators(t *testing.T) {
	for _, set := range [][]cases.Case{nil, handSet(t)[6:7]} { // none, or only L1 of 2023
		for _, m := range cases.Metrics(set, year2024, cal) {
			if m.Defined() || m.Value() != 0 || m.Numerator != 0 || m.Denominator != 0 || len(m.DenominatorCases) != 0 {
				t.Errorf("%s over nothing = %d/%d, defined %v", m.Code, m.Numerator, m.Denominator, m.Defined())
			}
		}
	}
	// A petition that is only rejected gives nothing to divide either.
	p1 := handSet(t)[2]
	for _, m := range cases.Metrics([]cases.Case{p1}, year2024, cal) {
		if m.Defined() {
			t.Errorf("%s over a rejected petition is defined: %d/%d", m.Code, m.Numerator, m.Denominator)
		}
	}
}

func TestMetricFormat(t *testing.T) {
	for _, tt := range []struct {
		m    cases.Metric
		want string
	}{
		{cases.Metric{Percent: true, Numerator: 3, Denominator: 4}, "75.0%"},
		{cases.Metric{Percent: true, Numerator: 2, Denominator: 3}, "66.7%"},
		{cases.Metric{Percent: true}, "—"},
		{cases.Metric{Numerator: 25, Denominator: 2}, "12.5"},
	} {
		if got := tt.m.Format(); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.m, got, tt.want)
		}
	}
}
