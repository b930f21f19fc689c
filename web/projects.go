package web

import (
	"net/http"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/plan"
	"github.com/lantu/lantu/project"
	"github.com/lantu/lantu/storage"
)

type projectsPage struct {
	Stage, Dept string // the filters as given
	Filtered    bool
	Stages      []stageCount
	Depts       []plan.Department
	Rows        []projectRow
	Investment  bool // whether any project states its planned investment
}

type stageCount struct {
	Stage project.Stage
	Count int
}

// projectRow is a project with the names of its owner and place.
type projectRow struct {
	Project project.Project
	Owner   named
	Place   named
	Source  named
	Planned *figure // 万元; nil when not known
	Annual  *figure
	Step    int // 1-based position of the stage in 前期 → 投产
	Stages  []project.Stage
}

// investment shows an amount in 万元, the unit of every project figure.
func investment(v *float64, sample bool) *figure {
	if v == nil {
		return nil
	}
	return &figure{Number: indicator.FormatNumber(*v, -1), UnitZH: "万元", UnitEN: "10,000 yuan", Sample: sample}
}

func newProjectRow(p project.Project, n names) projectRow {
	row := projectRow{Project: p, Owner: n.dept(p.OwnerDept), Place: n.unit(p.OrgUnitCode), Source: n.source(p.Source),
		Planned: investment(p.PlannedInvestment, p.Sample), Annual: investment(p.AnnualInvestment, p.Sample), Stages: project.Stages}
	for i, st := range project.Stages {
		if st == p.Stage {
			row.Step = i + 1
		}
	}
	return row
}

// projects lists the key projects, narrowed by ?stage= and ?dept=.
func (s *Server) projects(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	page := projectsPage{Stage: q.Get("stage"), Dept: q.Get("dept")}
	page.Filtered = page.Stage != "" || page.Dept != ""
	if page.Stage != "" && project.Stage(page.Stage).LabelZH() == "" {
		return apperr.Invalidf("筛选条件中的阶段 %q 无效", "the stage %q in the filter is not valid", page.Stage)
	}
	n, err := s.names(ctx)
	if err != nil {
		return err
	}
	if _, ok := n.depts[page.Dept]; page.Dept != "" && !ok {
		return apperr.Invalidf("筛选条件中的部门 %q 不存在", "the department %q in the filter does not exist", page.Dept)
	}
	// The stage counts answer "how many at each stage" for the chosen
	// department, whichever stage is selected.
	list, err := s.db.Projects(ctx, storage.ProjectFilter{OwnerDept: page.Dept})
	if err != nil {
		return err
	}
	counts := map[project.Stage]int{}
	for _, p := range list {
		counts[p.Stage]++
		if page.Stage == "" || p.Stage == project.Stage(page.Stage) {
			page.Rows = append(page.Rows, newProjectRow(p, n))
			page.Investment = page.Investment || p.PlannedInvestment != nil
		}
	}
	for _, st := range project.Stages {
		page.Stages = append(page.Stages, stageCount{Stage: st, Count: counts[st]})
	}
	if page.Depts, err = s.db.Departments(ctx); err != nil {
		return err
	}
	return s.render(w, r, "projects", page)
}

// project shows one key project with every field.
func (s *Server) project(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, err := s.db.Project(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	n, err := s.names(ctx)
	if err != nil {
		return err
	}
	return s.render(w, r, "project", newProjectRow(p, n))
}
