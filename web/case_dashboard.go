package web

import (
	"cmp"
	"context"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/cases"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/storage"
)

// caseDashboardRoutes are the internal statistics of the cases: every
// metric per lead department, drawn as a chart, each term down to its
// cases. The cases come from casework, so a department counts and lists
// only the cases it may see.
func (s *Server) caseDashboardRoutes() []route {
	return []route{
		{Method: "GET", Pattern: "/cases/statistics", Name: "case_dashboard", Summary: "the metrics of one case type for a year per lead department, with a total row, each with its formula and both terms linked to their cases, and a chart of one metric per department; counted over the cases the visitor may see", Permission: auth.ReadInternal, Handle: s.caseDashboard},
		{Method: "GET", Pattern: "/cases/statistics/cases", Name: "case_dashboard_cases", Summary: "the cases behind one term (numerator or denominator) of one metric of the statistics, for a department or the total, among the cases the visitor may see", Permission: auth.ReadInternal, Handle: s.caseDashboardCases},
	}
}

// noLeadParam stands in the dept parameter for the cases never assigned;
// it is no department code (a code starts with a letter or digit).
const noLeadParam = "_none"

// defaultDashboardMetric is the metric the chart draws unless asked.
const defaultDashboardMetric = "on_time_rate"

// dashboardQuery is what the statistics pages were asked for, checked.
type dashboardQuery struct {
	Type   cases.Type
	Year   int
	Part   period.Period // a quarter or month of Year; zero for the whole year
	Dept   string        // a department code, noLeadParam, or "" for every department
	Metric string        // a metric code; "" when not given
}

// values are the query's parameters, for the pages' links; empty ones
// are left out.
func (q dashboardQuery) values() url.Values {
	v := url.Values{"type": {q.Type.Code}, "year": {strconv.Itoa(q.Year)}}
	for k, s := range map[string]string{"dept": q.Dept, "metric": q.Metric, "period": q.Part.String()} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v
}

// dashboardType is one case type's tab.
type dashboardType struct {
	Code, NameZH, NameEN string
	Count                int // the visitor's cases of the type in the year
	URL                  string
}

// metricCell is one metric of a row, formatted, with the links to the
// cases behind its terms.
type metricCell struct {
	cases.Metric
	Shown          string // "75.0%", "12.5" or "—"
	NumURL, DenURL string
}

// dashboardRow is one department's row, or the total's.
type dashboardRow struct {
	Param string // the dept parameter that selects it; "" for the total
	Dept  named
	URL   string // the page focused on this department
	Cells []metricCell
}

// metricChoice is one metric the chart can draw.
type metricChoice struct {
	Code, NameZH, NameEN string
	URL                  string
}

type caseDashboardPage struct {
	Query    dashboardQuery
	Years    []int
	YearURLs map[int]string
	Parts    []partChoice // the whole year, its quarters and its months so far
	Types    []dashboardType
	CityWide bool
	Metrics  []cases.Metric // the total's, for the headers and the formulas
	Rows     []dashboardRow
	Total    dashboardRow
	Focus    *dashboardRow // the row of the dept asked for, if it has one
	Choices  []metricChoice
	Chart    *chart
	AllURL   string // the page without a department
}

// dashboard is what both pages compute: the query, the visitor's cases of
// the type and year grouped by lead department, and the period.
type dashboard struct {
	query  dashboardQuery
	years  []int // offered: this year and the four before
	types  []dashboardType
	depts  []cases.DeptMetrics // in the departments' usual order
	total  []cases.Metric
	list   []cases.Case // the visitor's cases of the type, any year
	period cases.Period
	names  names
}

// loadDashboard reads the query and computes the figures over the cases
// the visitor may see.
func (s *Server) loadDashboard(r *http.Request) (dashboard, error) {
	ctx := r.Context()
	q := r.URL.Query()
	var d dashboard
	var err error
	now := s.now().In(indicator.Beijing)
	if d.query.Year, d.years, err = yearParam(r, now); err != nil {
		return d, err
	}
	d.period = yearPeriod(d.query.Year, now)
	if p := q.Get("period"); p != "" {
		if d.query.Part, d.period, err = partPeriod(p, d.query.Year, now); err != nil {
			return d, err
		}
	}
	all, err := s.caseService().Cases(ctx, subjectOf(r), storage.CaseFilter{})
	if err != nil {
		return d, err
	}
	inForce, err := s.caseService().Types(ctx)
	if err != nil {
		return d, err
	}
	if err := d.chooseType(q.Get("type"), dashboardTypes(inForce, all), all); err != nil {
		return d, err
	}
	if m := q.Get("metric"); m != "" {
		if !slices.ContainsFunc(cases.Metrics(nil, d.period, nil), func(x cases.Metric) bool { return x.Code == m }) {
			return d, apperr.Invalidf("指标 %q 无效", "metric %q is invalid", m)
		}
		d.query.Metric = m
	}
	cal, err := s.db.Calendar(ctx)
	if err != nil {
		return d, err
	}
	d.depts, d.total = cases.MetricsByLead(d.list, d.period, cal)
	if d.names, err = s.names(ctx); err != nil {
		return d, err
	}
	if err := s.sortDepts(ctx, d.depts); err != nil {
		return d, err
	}
	if dept := q.Get("dept"); dept != "" {
		_, known := d.names.depts[dept]
		leads := slices.ContainsFunc(d.depts, func(dm cases.DeptMetrics) bool { return deptParam(dm.Dept) == dept })
		if !known && !leads && dept != noLeadParam {
			return d, apperr.Invalidf("部门 %q 无效", "department %q is invalid", dept)
		}
		d.query.Dept = dept
	}
	return d, nil
}

// partChoice is a link to the year or one of its quarters or months.
type partChoice struct {
	Label   string
	URL     string
	Current bool
}

// partChoices are the year and those of its quarters and months that have
// begun.
func (d dashboard) partChoices(now time.Time, lang string) []partChoice {
	link := func(p period.Period) string {
		q := d.query
		q.Part = p
		return "/cases/statistics?" + q.values().Encode()
	}
	choices := []partChoice{{Label: pick(lang, "全年", "Whole year"), URL: link(period.Period{}), Current: d.query.Part.IsZero()}}
	for _, k := range []period.Kind{period.Quarter, period.Month} {
		last := 4
		if k == period.Month {
			last = 12
		}
		for n := 1; n <= last; n++ {
			p := period.Period{Kind: k, Year: d.query.Year, N: n}
			if _, _, err := partPeriod(p.String(), d.query.Year, now); err != nil {
				break // not begun
			}
			label := pick(lang, strconv.Itoa(n)+"月", time.Month(n).String()[:3])
			if k == period.Quarter {
				label = pick(lang, []string{"一季度", "二季度", "三季度", "四季度"}[n-1], "Q"+strconv.Itoa(n))
			}
			choices = append(choices, partChoice{Label: label, URL: link(p), Current: d.query.Part == p})
		}
	}
	return choices
}

// partPeriod is a quarter (2024Q3) or month (2024-07) of the year, as
// its cases stood at its end or, while it runs, now.
func partPeriod(s string, year int, now time.Time) (period.Period, cases.Period, error) {
	p, err := period.Parse(s)
	if err != nil || (p.Kind != period.Quarter && p.Kind != period.Month) || p.Year != year {
		return period.Period{}, cases.Period{}, apperr.Invalidf("统计期间 %q 无效，应为 %d 年的季度（%dQ3）或月份（%d-07）", "invalid period %q: a quarter (%dQ3) or month (%d-07) of %d",
			s, year, year, year)
	}
	beijing := func(t time.Time) time.Time {
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, indicator.Beijing)
	}
	cp := cases.Period{From: beijing(p.Start()), To: beijing(p.End())}
	if !now.After(cp.From) {
		return period.Period{}, cases.Period{}, apperr.Invalidf("统计期间 %s 尚未开始", "the period %s has not begun", s)
	}
	if now.Before(cp.To) {
		cp.AsOf = now
	}
	return p, cp, nil
}

// chooseType counts each type's cases in the period for its tab, and
// picks the type asked for or, when none is, the first with cases in the
// period (else the first) and keeps its cases.
func (d *dashboard) chooseType(code string, types []cases.Type, all []cases.Case) error {
	for _, t := range types {
		dt := dashboardType{Code: t.Code, NameZH: t.NameZH, NameEN: t.NameEN}
		for _, c := range all {
			if c.Type.Code == t.Code && d.period.Within(c) {
				dt.Count++
			}
		}
		d.types = append(d.types, dt)
	}
	if code == "" {
		code = types[0].Code
		if i := slices.IndexFunc(d.types, func(t dashboardType) bool { return t.Count > 0 }); i >= 0 {
			code = d.types[i].Code
		}
	}
	i := slices.IndexFunc(types, func(t cases.Type) bool { return t.Code == code })
	if i < 0 {
		return apperr.Invalidf("事项类型 %q 无效", "case type %q is invalid", code)
	}
	d.query.Type = types[i]
	for _, c := range all {
		if c.Type.Code == code {
			d.list = append(d.list, c)
		}
	}
	return nil
}

// sortDepts puts the departments' rows in the departments' usual order,
// any code no longer known after them and the cases never assigned last.
func (s *Server) sortDepts(ctx context.Context, depts []cases.DeptMetrics) error {
	all, err := s.db.Departments(ctx)
	if err != nil {
		return err
	}
	order := map[string]int{}
	for i, dep := range all {
		order[dep.Code] = i
	}
	rank := func(code string) int {
		if i, ok := order[code]; ok {
			return i
		}
		if code == cases.NoLead {
			return len(order) + 1
		}
		return len(order)
	}
	slices.SortStableFunc(depts, func(a, b cases.DeptMetrics) int { return rank(a.Dept) - rank(b.Dept) })
	return nil
}

// dashboardTypes are the types in force, then any other type among the
// cases, as registered.
func dashboardTypes(inForce []cases.Type, list []cases.Case) []cases.Type {
	types := slices.Clone(inForce)
	for _, c := range list {
		if !slices.ContainsFunc(types, func(t cases.Type) bool { return t.Code == c.Type.Code }) {
			types = append(types, c.Type)
		}
	}
	return types
}

// deptParam is the dept parameter of a department's row.
func deptParam(dept string) string {
	if dept == cases.NoLead {
		return noLeadParam
	}
	return dept
}

// leadName is a row's department as the page names it.
func (d dashboard) leadName(dept string) named {
	if dept == cases.NoLead {
		return named{NameZH: "未交办", NameEN: "never assigned"}
	}
	return d.names.dept(dept)
}

// row is one row of the table: its cells with their drill-down links.
func (d dashboard) row(param string, dept named, metrics []cases.Metric) dashboardRow {
	row := dashboardRow{Param: param, Dept: dept}
	q := d.query
	q.Dept = param
	row.URL = "/cases/statistics?" + q.values().Encode()
	for _, m := range metrics {
		q.Metric = m.Code
		link := q.values()
		link.Set("part", "num")
		num := "/cases/statistics/cases?" + link.Encode()
		link.Set("part", "den")
		den := "/cases/statistics/cases?" + link.Encode()
		row.Cells = append(row.Cells, metricCell{Metric: m, Shown: m.Format(), NumURL: num, DenURL: den})
	}
	return row
}

// chartValue is a metric's value as the chart draws it (a rate in
// percent, one decimal), nil without a denominator.
func chartValue(m cases.Metric) *float64 {
	if !m.Defined() {
		return nil
	}
	v := m.Value()
	if m.Percent {
		v *= 100
	}
	v = math.Round(v*10) / 10
	return &v
}

func (s *Server) caseDashboard(w http.ResponseWriter, r *http.Request) error {
	d, err := s.loadDashboard(r)
	if err != nil {
		return err
	}
	lang := languageOf(r)
	page := caseDashboardPage{Query: d.query, Years: d.years, YearURLs: map[int]string{}, Types: d.types,
		CityWide: subjectOf(r).Scope().All(), Metrics: d.total}
	page.Query.Metric = cmp.Or(d.query.Metric, defaultDashboardMetric)
	for _, y := range d.years {
		q := d.query
		q.Year, q.Part = y, period.Period{}
		page.YearURLs[y] = "/cases/statistics?" + q.values().Encode()
	}
	page.Parts = d.partChoices(s.now().In(indicator.Beijing), lang)
	for i := range page.Types {
		q := d.query
		q.Type = cases.Type{Code: page.Types[i].Code}
		page.Types[i].URL = "/cases/statistics?" + q.values().Encode()
	}
	all := d.query
	all.Dept = ""
	page.AllURL = "/cases/statistics?" + all.values().Encode()
	for _, m := range d.total {
		q := d.query
		q.Metric = m.Code
		page.Choices = append(page.Choices, metricChoice{Code: m.Code, NameZH: m.NameZH, NameEN: m.NameEN,
			URL: "/cases/statistics?" + q.values().Encode()})
	}

	for _, dm := range d.depts {
		page.Rows = append(page.Rows, d.row(deptParam(dm.Dept), d.leadName(dm.Dept), dm.Metrics))
	}
	page.Total = d.row("", named{NameZH: "合计", NameEN: "Total"}, d.total)
	if i := slices.IndexFunc(page.Rows, func(r dashboardRow) bool { return r.Param == d.query.Dept }); i >= 0 {
		page.Focus = &page.Rows[i]
	}
	page.Chart = dashboardChart(lang, page.Query.Metric, d.depts, page.Rows)
	return s.renderPrivate(w, r, http.StatusOK, "case_dashboard", page)
}

// dashboardChart is the chart of one metric, a bar per department's row;
// nil without any.
func dashboardChart(lang, metric string, depts []cases.DeptMetrics, rows []dashboardRow) *chart {
	if len(rows) == 0 {
		return nil
	}
	at := slices.IndexFunc(depts[0].Metrics, func(m cases.Metric) bool { return m.Code == metric })
	first := depts[0].Metrics[at]
	c := &chart{Kind: "categories", Decimals: 1, Unit: "%", Series: []chartSeries{{Name: pick(lang, first.NameZH, first.NameEN)}}}
	if !first.Percent {
		c.Unit = pick(lang, "工作日", "working days")
	}
	for i, dm := range depts {
		c.Periods = append(c.Periods, pick(lang, rows[i].Dept.NameZH, rows[i].Dept.NameEN))
		c.Series[0].Data = append(c.Series[0].Data, chartValue(dm.Metrics[at]))
	}
	return c
}

type caseDashboardCasesPage struct {
	Query    dashboardQuery
	Dept     named // or 合计
	Numer    bool  // the numerator, else the denominator
	Metric   metricCell
	Items    int // the term's count: a case may count more than once
	Rows     []caseRow
	CityWide bool
	BackURL  string
}

func (s *Server) caseDashboardCases(w http.ResponseWriter, r *http.Request) error {
	d, err := s.loadDashboard(r)
	if err != nil {
		return err
	}
	if d.query.Metric == "" {
		return apperr.New(apperr.Invalid, "请指定指标（metric）", "the metric is required")
	}
	part := r.URL.Query().Get("part")
	if part != "num" && part != "den" {
		return apperr.Invalidf("分项 %q 无效：应为 num（分子）或 den（分母）", "part %q is invalid: num (numerator) or den (denominator)", part)
	}
	page := caseDashboardCasesPage{Query: d.query, Numer: part == "num", CityWide: subjectOf(r).Scope().All()}
	back := d.query
	back.Dept = ""
	page.BackURL = "/cases/statistics?" + back.values().Encode()

	metrics := d.total
	page.Dept = named{NameZH: "合计", NameEN: "Total"}
	if d.query.Dept != "" {
		lead := d.query.Dept
		if lead == noLeadParam {
			lead = cases.NoLead
		}
		page.Dept = d.leadName(lead)
		// A department without a row has no cases: every term is 0.
		metrics = cases.Metrics(nil, d.period, nil)
		if i := slices.IndexFunc(d.depts, func(dm cases.DeptMetrics) bool { return dm.Dept == lead }); i >= 0 {
			metrics = d.depts[i].Metrics
		}
	}
	m := metrics[slices.IndexFunc(metrics, func(m cases.Metric) bool { return m.Code == d.query.Metric })]
	page.Metric = d.row(d.query.Dept, page.Dept, []cases.Metric{m}).Cells[0]
	numbers := m.DenominatorCases
	if page.Numer {
		numbers = m.NumeratorCases
	}
	page.Items = len(numbers)
	var list []cases.Case
	for _, c := range d.list {
		if slices.Contains(numbers, c.Number) {
			list = append(list, c)
		}
	}
	cal, err := s.db.Calendar(r.Context())
	if err != nil {
		return err
	}
	if page.Rows, err = s.caseRows(r, list, cal); err != nil {
		return err
	}
	return s.renderPrivate(w, r, http.StatusOK, "case_dashboard_cases", page)
}
