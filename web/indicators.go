package web

import (
	"net/http"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/plan"
	"github.com/lantu/lantu/storage"
)

type indicatorsPage struct {
	Goal, Area, Dept string // the filters as given
	Filtered         bool
	Goals            []plan.Goal
	AreaGroups       []areaGroup
	Depts            []plan.Department
	Rows             []indicatorRow
}

// areaGroup is a goal's areas, for the <optgroup> of the area filter.
type areaGroup struct {
	Goal  plan.Goal
	Areas []plan.Area
}

// indicators lists every indicator with its latest value, narrowed by
// ?goal=, ?area= and ?dept= (department code).
func (s *Server) indicators(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	page := indicatorsPage{Goal: q.Get("goal"), Area: q.Get("area"), Dept: q.Get("dept")}
	page.Filtered = page.Goal != "" || page.Area != "" || page.Dept != ""
	n, err := s.names(ctx)
	if err != nil {
		return err
	}
	tree, err := s.planTree(ctx)
	if err != nil {
		return err
	}
	if _, ok := tree.goalByKey[page.Goal]; page.Goal != "" && !ok {
		return apperr.Invalidf("筛选条件中的目标 %q 不存在", "the goal %q in the filter does not exist", page.Goal)
	}
	if _, ok := tree.areaByKey[page.Area]; page.Area != "" && !ok {
		return apperr.Invalidf("筛选条件中的领域 %q 不存在", "the area %q in the filter does not exist", page.Area)
	}
	if _, ok := n.depts[page.Dept]; page.Dept != "" && !ok {
		return apperr.Invalidf("筛选条件中的部门 %q 不存在", "the department %q in the filter does not exist", page.Dept)
	}

	inds, _, latest, err := s.indicatorsWithLatest(ctx, scopeOf(r), storage.IndicatorFilter{AreaCode: page.Area, OwnerDept: page.Dept}, tree, n)
	if err != nil {
		return err
	}
	if page.Goal != "" {
		var kept []indicator.Indicator
		for _, ind := range inds {
			if tree.areaByKey[ind.AreaCode].GoalCode == page.Goal {
				kept = append(kept, ind)
			}
		}
		inds = kept
	}
	page.Rows = indicatorRows(inds, latest, n, tree)

	page.Goals = tree.goals
	for _, g := range tree.goals {
		page.AreaGroups = append(page.AreaGroups, areaGroup{Goal: g, Areas: tree.areasOf(g.Code)})
	}
	if page.Depts, err = s.db.Departments(ctx); err != nil {
		return err
	}
	return s.render(w, r, "indicators", page)
}
