package web

import (
	"net/http"

	"github.com/lantu/lantu/plan"
	"github.com/lantu/lantu/storage"
)

type goalPage struct {
	Goal       plan.Goal
	Plan       plan.Plan
	Areas      []goalArea
	Indicators int
	Tasks      int
}

// goalArea is an area of the goal with its indicators and its tasks.
type goalArea struct {
	Area       plan.Area
	Indicators []indicatorRow
	Tasks      []taskRow
}

type taskRow struct {
	Task   plan.Task
	Owner  named
	Source named
}

// goal shows one goal: its areas, their indicators with latest values and
// the tasks under them. Projects are not linked to areas yet, so they are
// not listed here.
func (s *Server) goal(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	g, err := s.db.Goal(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	page := goalPage{Goal: g}
	if page.Plan, err = s.db.Plan(ctx, g.PlanCode); err != nil {
		return err
	}
	n, err := s.names(ctx)
	if err != nil {
		return err
	}
	tree, err := s.planTree(ctx)
	if err != nil {
		return err
	}
	inds, _, latest, err := s.indicatorsWithLatest(ctx, scopeOf(r), storage.IndicatorFilter{}, tree, n)
	if err != nil {
		return err
	}
	tasks, err := s.db.Tasks(ctx)
	if err != nil {
		return err
	}
	indsByArea := byArea(inds)
	tasksByArea := map[string][]taskRow{}
	for _, t := range tasks {
		tasksByArea[t.AreaCode] = append(tasksByArea[t.AreaCode], taskRow{Task: t, Owner: n.dept(t.OwnerDept), Source: n.source(t.Source)})
	}
	for _, a := range tree.areasOf(g.Code) {
		ga := goalArea{Area: a, Indicators: indicatorRows(indsByArea[a.Code], latest, n, tree), Tasks: tasksByArea[a.Code]}
		page.Indicators += len(ga.Indicators)
		page.Tasks += len(ga.Tasks)
		page.Areas = append(page.Areas, ga)
	}
	return s.render(w, r, "goal", page)
}
