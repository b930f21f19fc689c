package web

import (
	"net/http"

	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/plan"
	"github.com/lantu/lantu/storage"
)

type homePage struct {
	Plan       *plan.Plan // nil when there is no plan yet
	OtherPlans []plan.Plan
	City       named
	Goals      []goalBlock
	Counts     homeCounts
}

type homeCounts struct {
	Goals, Areas, Indicators, Values, Projects int
}

// goalBlock is a goal with its areas, each with its indicators.
type goalBlock struct {
	Goal       plan.Goal
	Areas      []areaBlock
	Indicators int
}

type areaBlock struct {
	Area       plan.Area
	Indicators []indicatorRow
}

// home shows the newest plan, or the one named by ?plan=, at a glance.
func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	plans, err := s.db.Plans(ctx)
	if err != nil {
		return err
	}
	var page homePage
	if len(plans) == 0 {
		return s.render(w, r, "home", page)
	}
	chosen := plans[0]
	if code := r.URL.Query().Get("plan"); code != "" {
		if chosen, err = s.db.Plan(ctx, code); err != nil {
			return err
		}
	}
	page.Plan = &chosen
	for _, p := range plans {
		if p.Code != chosen.Code {
			page.OtherPlans = append(page.OtherPlans, p)
		}
	}

	n, err := s.names(ctx)
	if err != nil {
		return err
	}
	page.City = n.unit(n.root)
	tree, err := s.planTree(ctx)
	if err != nil {
		return err
	}
	inds, values, latest, err := s.indicatorsWithLatest(ctx, scopeOf(r), storage.IndicatorFilter{}, tree, n)
	if err != nil {
		return err
	}
	projects, err := s.db.Projects(ctx, storage.ProjectFilter{})
	if err != nil {
		return err
	}
	goals, err := s.db.Goals(ctx, chosen.Code)
	if err != nil {
		return err
	}

	page.Goals = goalBlocks(goals, tree, inds, latest, n)
	inPlan := map[string]bool{}
	for _, g := range page.Goals {
		page.Counts.Areas += len(g.Areas)
		page.Counts.Indicators += g.Indicators
		for _, a := range g.Areas {
			for _, row := range a.Indicators {
				inPlan[row.Code] = true
			}
		}
	}
	for _, v := range values {
		if inPlan[v.IndicatorCode] {
			page.Counts.Values++
		}
	}
	page.Counts.Goals = len(goals)
	page.Counts.Projects = len(projects)
	return s.render(w, r, "home", page)
}

// goalBlocks arranges indicators under the given goals and their areas.
func goalBlocks(goals []plan.Goal, tree planTree, inds []indicator.Indicator, latest map[string]indicator.Value, n names) []goalBlock {
	indsByArea := byArea(inds)
	var blocks []goalBlock
	for _, g := range goals {
		b := goalBlock{Goal: g}
		for _, a := range tree.areasOf(g.Code) {
			rows := indicatorRows(indsByArea[a.Code], latest, n, tree)
			b.Areas = append(b.Areas, areaBlock{Area: a, Indicators: rows})
			b.Indicators += len(rows)
		}
		blocks = append(blocks, b)
	}
	return blocks
}
