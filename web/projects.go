package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/plan"
	"github.com/lantu/lantu/project"
	"github.com/lantu/lantu/storage"
	"github.com/lantu/lantu/watch"
)

type projectsPage struct {
	Stage, Dept string // the filters as given
	Filtered    bool
	Stages      []stageCount
	Depts       []plan.Department
	Rows        []projectRow
	Investment  bool // whether any project states its planned investment

	// Lights is set for visitors who read internal data: the list then
	// has a light column, filled for the projects their scope covers, and
	// the ?light= filter.
	Lights      bool
	Light       string // the light filter as given
	LightCounts []projectLightCount
	Week        period.Period // this ISO week
	// Register: the visitor may download (Export) or import (Supervise)
	// the project register.
	CanExport, CanImport bool
}

type stageCount struct {
	Stage project.Stage
	Count int
}

// projectLightCount is how many of the listed projects show a colour.
type projectLightCount struct {
	Color watch.Color
	Count int
}

// projectLightFilters are the colours the list can be narrowed to.
var projectLightFilters = []watch.Color{watch.Red, watch.Yellow, watch.Green}

// Columns is how many columns the list has.
func (p projectsPage) Columns() int {
	n := 6
	if p.Investment {
		n++
	}
	if p.Lights {
		n++
	}
	return n
}

// Link is the list's URL with the stage and light filters given and the
// department filter kept.
func (p projectsPage) Link(stage, light string) string {
	var q []string
	if stage != "" {
		q = append(q, "stage="+url.QueryEscape(stage))
	}
	if p.Dept != "" {
		q = append(q, "dept="+url.QueryEscape(p.Dept))
	}
	if light != "" {
		q = append(q, "light="+url.QueryEscape(light))
	}
	if len(q) == 0 {
		return "/projects"
	}
	return "/projects?" + strings.Join(q, "&")
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
	Watched bool               // the visitor's scope covers the project: its light is shown
	Light   *projectShownLight // nil unless watched and a light was kept
}

// projectShownLight is the light a project shows: this week's, or the latest kept
// when this week's has not been computed yet.
type projectShownLight struct {
	Color   watch.Color
	Week    period.Period
	Current bool // the light is this week's
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

// projects lists the key projects, narrowed by ?stage= and ?dept=, and for
// visitors who read internal data by ?light=.
func (s *Server) projects(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	sub := subjectOf(r)
	q := r.URL.Query()
	page := projectsPage{Stage: q.Get("stage"), Dept: q.Get("dept"), Lights: sub.Can(auth.ReadInternal),
		CanExport: sub.Can(auth.Export), CanImport: sub.Can(auth.Supervise)}
	if page.Lights {
		// The public never sees a light, nor a list narrowed by one.
		page.Light = q.Get("light")
		page.Week = projectWeek(s.now())
	}
	page.Filtered = page.Stage != "" || page.Dept != "" || page.Light != ""
	if page.Stage != "" && project.Stage(page.Stage).LabelZH() == "" {
		return apperr.Invalidf("筛选条件中的阶段 %q 无效", "the stage %q in the filter is not valid", page.Stage)
	}
	if page.Light != "" && !validProjectLight(page.Light) {
		return apperr.Invalidf("筛选条件中的灯色 %q 无效：应为 red、yellow 或 green", "the light %q in the filter is not valid: red, yellow or green", page.Light)
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
	colors := map[watch.Color]int{}
	for _, p := range list {
		counts[p.Stage]++
		if page.Stage != "" && p.Stage != project.Stage(page.Stage) {
			continue
		}
		row := newProjectRow(p, n)
		if row.Watched = page.Lights && scopeOf(r).Covers(p.OwnerDept); row.Watched {
			if row.Light, err = s.projectLightOf(ctx, p.Code, page.Week); err != nil {
				return err
			}
		}
		if row.Light != nil {
			colors[row.Light.Color]++
		}
		if page.Light != "" && (row.Light == nil || string(row.Light.Color) != page.Light) {
			continue
		}
		page.Rows = append(page.Rows, row)
		page.Investment = page.Investment || p.PlannedInvestment != nil
	}
	for _, st := range project.Stages {
		page.Stages = append(page.Stages, stageCount{Stage: st, Count: counts[st]})
	}
	for _, c := range projectLightFilters {
		page.LightCounts = append(page.LightCounts, projectLightCount{Color: c, Count: colors[c]})
	}
	if page.Depts, err = s.db.Departments(ctx); err != nil {
		return err
	}
	if page.Lights {
		return s.renderPrivate(w, r, http.StatusOK, "projects", page)
	}
	return s.render(w, r, "projects", page)
}

func validProjectLight(light string) bool {
	for _, c := range projectLightFilters {
		if string(c) == light {
			return true
		}
	}
	return false
}

// projectLightOf is a project's light for week, or the latest kept before it;
// nil when none was ever computed.
func (s *Server) projectLightOf(ctx context.Context, code string, week period.Period) (*projectShownLight, error) {
	lights, err := s.db.Lights(ctx, code)
	if err != nil {
		return nil, err
	}
	var shown *projectShownLight
	for _, l := range lights { // oldest first
		if l.Week.Compare(week) > 0 {
			break
		}
		shown = &projectShownLight{Color: watch.Color(l.Color), Week: l.Week, Current: l.Week == week}
	}
	return shown, nil
}

// projectPage is one project; Watch holds what only visitors whose scope
// covers the project's department see.
type projectPage struct {
	projectRow
	Watch *projectWatch
}

// project shows one key project with every field, and to visitors whose
// scope covers its department its weekly watch.
func (s *Server) project(w http.ResponseWriter, r *http.Request) error {
	page, err := s.projectPage(r, nil)
	if err != nil {
		return err
	}
	if page.Watch == nil {
		return s.render(w, r, "project", page)
	}
	page.Watch.Flash = projectFlash(r)
	return s.renderPrivate(w, r, http.StatusOK, "project", page)
}

// projectPage gathers a project's page; typed is the weekly report form as
// the visitor sent it, when it is shown again with an error.
func (s *Server) projectPage(r *http.Request, typed *weeklyReportForm) (projectPage, error) {
	ctx := r.Context()
	p, err := s.db.Project(ctx, r.PathValue("code"))
	if err != nil {
		return projectPage{}, err
	}
	n, err := s.names(ctx)
	if err != nil {
		return projectPage{}, err
	}
	page := projectPage{projectRow: newProjectRow(p, n)}
	if scopeOf(r).Covers(p.OwnerDept) {
		if page.Watch, err = s.projectWatch(r, p, n, typed); err != nil {
			return projectPage{}, err
		}
	}
	return page, nil
}
