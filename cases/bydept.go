package cases

import (
	"cmp"
	"slices"

	"github.com/lantu/lantu/calendar"
)

// NoLead is the department under which ByLead files the cases never
// assigned (未交办).
const NoLead = ""

// LeadOf is the department a case counts for: the lead of its current
// (last) assignment, so that a case returned and assigned again counts
// for the department that has it now, and one returned and not yet
// assigned again for the department that returned it; NoLead for a case
// never assigned.
func LeadOf(c Case) string {
	if a, ok := c.Assignment(); ok {
		return a.LeadDept
	}
	return NoLead
}

// ByLead groups the cases by LeadOf, each group in the list's order.
func ByLead(list []Case) map[string][]Case {
	groups := map[string][]Case{}
	for _, c := range list {
		groups[LeadOf(c)] = append(groups[LeadOf(c)], c)
	}
	return groups
}

// Within reports whether the period counts the case: received in
// [From, To), before AsOf.
func (p Period) Within(c Case) bool {
	return !c.ReceivedAt.Before(p.From) && c.ReceivedAt.Before(p.To) && c.ReceivedAt.Before(p.asOf())
}

// DeptMetrics is Metrics over the cases one department leads.
type DeptMetrics struct {
	Dept    string // NoLead for the cases never assigned
	Cases   []Case // the department's cases the period counts, as they are now
	Metrics []Metric
}

// MetricsByLead computes Metrics for each department that leads any of
// the period's cases, in the order of their codes with NoLead last, and
// over all the cases (the total). Each case counts for exactly one
// department, so every term of the total is the sum of the departments'.
func MetricsByLead(list []Case, p Period, cal *calendar.Calendar) (depts []DeptMetrics, total []Metric) {
	for dept, group := range ByLead(list) {
		in := slices.DeleteFunc(slices.Clone(group), func(c Case) bool { return !p.Within(c) })
		if len(in) > 0 {
			depts = append(depts, DeptMetrics{Dept: dept, Cases: in, Metrics: Metrics(in, p, cal)})
		}
	}
	slices.SortFunc(depts, func(a, b DeptMetrics) int {
		return cmp.Or(cmp.Compare(boolRank(a.Dept == NoLead), boolRank(b.Dept == NoLead)), cmp.Compare(a.Dept, b.Dept))
	})
	return depts, Metrics(list, p, cal)
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}
