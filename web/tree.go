package web

import (
	"cmp"
	"context"
	"github.com/lantu/lantu/auth"
	"slices"

	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/plan"
	"github.com/lantu/lantu/storage"
)

// latestValues returns, per indicator, the value to show as its latest: the
// one for the latest period, the city's before a town's.
func latestValues(values []indicator.Value, root string) map[string]indicator.Value {
	latest := map[string]indicator.Value{}
	for _, v := range values {
		cur, ok := latest[v.IndicatorCode]
		if !ok || newerValue(v, cur, root) {
			latest[v.IndicatorCode] = v
		}
	}
	return latest
}

func newerValue(a, b indicator.Value, root string) bool {
	if c := a.Period.End().Compare(b.Period.End()); c != 0 {
		return c > 0
	}
	if (a.OrgUnitCode == root) != (b.OrgUnitCode == root) {
		return a.OrgUnitCode == root
	}
	return a.Period.Kind < b.Period.Kind
}

// indicatorRow is an indicator as a line of a table, with its latest value.
type indicatorRow struct {
	Code    string
	NameZH  string
	NameEN  string
	Nature  indicator.Nature
	Owner   named
	Area    named
	Goal    named
	Latest  *latestFigure
	Formula bool
}

type latestFigure struct {
	Figure figure
	Period period.Period
	Place  named
	Status indicator.Status
	IsRoot bool
}

func indicatorRows(inds []indicator.Indicator, latest map[string]indicator.Value, n names, tree planTree) []indicatorRow {
	rows := make([]indicatorRow, 0, len(inds))
	for _, ind := range inds {
		d := ind.Current()
		row := indicatorRow{Code: ind.Code, NameZH: d.NameZH, NameEN: d.NameEN, Nature: d.Nature, Owner: n.dept(ind.OwnerDept), Formula: d.Formula != ""}
		if a, ok := tree.areaByKey[ind.AreaCode]; ok {
			row.Area = named{Code: a.Code, NameZH: a.NameZH, NameEN: a.NameEN}
			if g, ok := tree.goalByKey[a.GoalCode]; ok {
				row.Goal = named{Code: g.Code, NameZH: g.NameZH, NameEN: g.NameEN}
			}
		}
		if v, ok := latest[ind.Code]; ok {
			// The figure is shown with the definition in force for its
			// period: a unit may have changed since.
			def, found := ind.At(v.Period.Start())
			if !found {
				def = ind.Definitions[0]
			}
			row.Latest = &latestFigure{Figure: newFigure(def, v.Number, v.Qualifier, v.Sample), Period: v.Period,
				Place: n.unit(v.OrgUnitCode), Status: v.Status, IsRoot: v.OrgUnitCode == n.root}
		}
		rows = append(rows, row)
	}
	return rows
}

// planTree is a plan's goals and areas in order, with the lookups pages
// need to place an indicator.
type planTree struct {
	goals     []plan.Goal
	areas     []plan.Area // ordered by goal, then position
	goalByKey map[string]plan.Goal
	areaByKey map[string]plan.Area
}

// planTree loads every goal of every plan (newest plan first) and every
// area.
func (s *Server) planTree(ctx context.Context) (planTree, error) {
	t := planTree{goalByKey: map[string]plan.Goal{}, areaByKey: map[string]plan.Area{}}
	plans, err := s.db.Plans(ctx)
	if err != nil {
		return t, err
	}
	goalOrder := map[string]int{}
	for _, p := range plans {
		goals, err := s.db.Goals(ctx, p.Code)
		if err != nil {
			return t, err
		}
		for _, g := range goals {
			goalOrder[g.Code] = len(t.goals)
			t.goals = append(t.goals, g)
			t.goalByKey[g.Code] = g
		}
	}
	areas, err := s.db.Areas(ctx)
	if err != nil {
		return t, err
	}
	slices.SortStableFunc(areas, func(a, b plan.Area) int {
		return cmp.Or(cmp.Compare(goalOrder[a.GoalCode], goalOrder[b.GoalCode]), cmp.Compare(a.Position, b.Position))
	})
	t.areas = areas
	for _, a := range areas {
		t.areaByKey[a.Code] = a
	}
	return t, nil
}

// areasOf returns the areas under a goal, in order.
func (t planTree) areasOf(goal string) []plan.Area {
	var out []plan.Area
	for _, a := range t.areas {
		if a.GoalCode == goal {
			out = append(out, a)
		}
	}
	return out
}

// sortByArea orders indicators as the plan reads: by goal, area, position.
func (t planTree) sortByArea(inds []indicator.Indicator) {
	areaOrder := map[string]int{}
	for i, a := range t.areas {
		areaOrder[a.Code] = i
	}
	slices.SortStableFunc(inds, func(a, b indicator.Indicator) int {
		return cmp.Or(cmp.Compare(areaOrder[a.AreaCode], areaOrder[b.AreaCode]), cmp.Compare(a.Position, b.Position), cmp.Compare(a.Code, b.Code))
	})
}

// indicatorsWithLatest loads the indicators matching f in plan order, every
// value the scope may see, and the latest value of each indicator for the city: what every
// page that lists indicators needs.
func (s *Server) indicatorsWithLatest(ctx context.Context, scope auth.Scope, f storage.IndicatorFilter, tree planTree, n names) ([]indicator.Indicator, []indicator.Value, map[string]indicator.Value, error) {
	inds, err := s.db.Indicators(ctx, f)
	if err != nil {
		return nil, nil, nil, err
	}
	tree.sortByArea(inds)
	values, err := s.db.Values(ctx, storage.ValueFilter{Scope: scope})
	if err != nil {
		return nil, nil, nil, err
	}
	return inds, values, latestValues(values, n.root), nil
}

// byArea groups indicators by their area, keeping their order.
func byArea(inds []indicator.Indicator) map[string][]indicator.Indicator {
	out := map[string][]indicator.Indicator{}
	for _, ind := range inds {
		out[ind.AreaCode] = append(out[ind.AreaCode], ind)
	}
	return out
}
