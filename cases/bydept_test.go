package cases_test

import (
	"reflect"
	"slices"
	"testing"

	"github.com/lantu/lantu/cases"
)

// byDeptSet is handSet, where energy leads every case ever assigned, plus
// two cases the housing bureau leads: X1 answered on time, X2 returned
// and not assigned again.
func byDeptSet(t *testing.T) []cases.Case {
	housing := cases.Actor{Name: "周科长", Dept: "housing"}
	housingHead := cases.Actor{Name: "吴局长", Dept: "housing", Head: true}

	x1 := register(t, cases.NPCSuggestion(), "", npcOffice, "2024-04-01 09:00")
	x1.Number = "X1"
	x1, _ = step(t, x1, cases.Action{Kind: cases.Assign, LeadDept: "housing"}, npcOffice, "2024-04-02 10:00")
	x1, _ = step(t, x1, cases.Action{Kind: cases.Sign}, housing, "2024-04-03 09:00")
	x1, _ = step(t, x1, cases.Action{Kind: cases.DraftAnswer, Note: "答复", Result: "A"}, housing, "2024-05-06 09:00")
	x1, _ = step(t, x1, cases.Action{Kind: cases.Approve, Accept: true}, housingHead, "2024-05-06 10:00")
	x1, _ = step(t, x1, cases.Action{Kind: cases.SendAnswer}, housing, "2024-05-06 11:00")

	x2 := register(t, cases.Petition(), "", bureau, "2024-06-03 09:00")
	x2.Number = "X2"
	x2, _ = step(t, x2, cases.Action{Kind: cases.Accept}, bureau, "2024-06-03 10:00")
	x2, _ = step(t, x2, cases.Action{Kind: cases.Assign, LeadDept: "housing"}, bureau, "2024-06-03 11:00")
	x2, _ = step(t, x2, cases.Action{Kind: cases.Return, Note: "非本单位职责"}, housing, "2024-06-04 09:00")

	return append(handSet(t), x1, x2)
}

func numbers(list []cases.Case) []string {
	var out []string
	for _, c := range list {
		out = append(out, c.Number)
	}
	return out
}

// A case counts for the lead of its last assignment: S2, returned by
// education and assigned again, for energy; X2, returned and not assigned
// again, for housing, which returned it; P1 and L1, never assigned, for
// NoLead.
func TestByLead(t *testing.T) {
	groups := cases.ByLead(byDeptSet(t))
	want := map[string][]string{
		"energy":     {"S1", "S2", "P2", "P3", "H1", "L2"},
		"housing":    {"X1", "X2"},
		cases.NoLead: {"P1", "L1"},
	}
	got := map[string][]string{}
	for dept, list := range groups {
		got[dept] = numbers(list)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ByLead = %v, want %v", got, want)
	}
}

// The rows are the departments with cases in the period (L1, of 2023,
// leaves NoLead with P1 only); each row's metrics are its own cases'; the
// total is Metrics over all, and each of its terms is the sum of the
// rows', case for case.
func TestMetricsByLead(t *testing.T) {
	set := byDeptSet(t)
	depts, total := cases.MetricsByLead(set, year2024, cal)

	var order []string
	for _, d := range depts {
		order = append(order, d.Dept)
	}
	if want := []string{"energy", "housing", cases.NoLead}; !slices.Equal(order, want) {
		t.Fatalf("rows %q, want %q", order, want)
	}
	if got := numbers(depts[2].Cases); !slices.Equal(got, []string{"P1"}) {
		t.Errorf("the unassigned row's cases: %v, want [P1]", got)
	}
	if !reflect.DeepEqual(total, cases.Metrics(set, year2024, cal)) {
		t.Error("the total differs from Metrics over every case")
	}

	// By hand: energy's 按时办结率 is handSet's 1/3 (S1 on time, S2 late,
	// P3 overdue); housing's 1/2 (X1 answered by Jul 2; X2, accepted Jun
	// 3, unanswered past Aug 2); its 退单率 1/2 (X2's one assignment of
	// two).
	for _, tt := range []struct {
		row      int
		code     string
		num, den int
	}{
		{0, "on_time_rate", 1, 3},
		{1, "on_time_rate", 1, 2},
		{1, "return_rate", 1, 2},
		{1, "solved_rate", 1, 1},
		{2, "completion_rate", 0, 0}, // P1 was not accepted
	} {
		m := metric(depts[tt.row].Metrics, tt.code)
		if m.Numerator != tt.num || m.Denominator != tt.den {
			t.Errorf("%s of %q = %d/%d, want %d/%d", tt.code, depts[tt.row].Dept, m.Numerator, m.Denominator, tt.num, tt.den)
		}
	}

	for i, tm := range total {
		var num, den int
		var numCases, denCases []string
		for _, d := range depts {
			m := d.Metrics[i]
			num, den = num+m.Numerator, den+m.Denominator
			numCases, denCases = append(numCases, m.NumeratorCases...), append(denCases, m.DenominatorCases...)
		}
		slices.Sort(numCases)
		slices.Sort(denCases)
		if num != tm.Numerator || den != tm.Denominator ||
			!slices.Equal(numCases, sorted(tm.NumeratorCases)) || !slices.Equal(denCases, sorted(tm.DenominatorCases)) {
			t.Errorf("%s: the rows add up to %d/%d %v/%v, the total is %d/%d %v/%v", tm.Code, num, den, numCases, denCases,
				tm.Numerator, tm.Denominator, tm.NumeratorCases, tm.DenominatorCases)
		}
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
