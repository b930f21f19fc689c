package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/oversight"
	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/project"
	"github.com/lantu/lantu/storage"
	"github.com/lantu/lantu/supervision"
	"github.com/lantu/lantu/watch"
)

// projectWatchRoutes are the internal parts of the key projects' pages: the
// weekly reports, their review, the milestones and linked indicators, and
// the project register file (project_register.go).
// The project page itself (GET /projects/{code}) is a public route that
// shows its weekly watch to visitors whose scope covers the project's
// department; see projectPage.
func (s *Server) projectWatchRoutes() []route {
	return append([]route{
		{Method: "POST", Pattern: "/projects/{code}/reports", Name: "project_report_save",
			Summary:    "saves a project's weekly report (周报) for a week as a draft, or submits it: progress, investment this week and to date, problems, coordination asked, milestones reached; the owner department's (audited)",
			Permission: auth.WriteProjects, Handle: s.saveWeeklyReport},
		{Method: "POST", Pattern: "/projects/{code}/reports/{week}/review", Name: "project_report_review",
			Summary:    "the supervision office accepts a submitted weekly report, or returns it with a comment and the department is notified (audited)",
			Permission: auth.Supervise, Handle: s.reviewWeeklyReport},
		{Method: "POST", Pattern: "/projects/{code}/milestones", Name: "project_milestone_save",
			Summary:    "adds a milestone (节点) to a project or changes one, by its sequence number: name, planned date, actual date if reached; the owner department's, refused with the field named and the form shown again (audited)",
			Permission: auth.WriteProjects, Handle: s.saveMilestone},
		{Method: "POST", Pattern: "/projects/{code}/indicators", Name: "project_indicators_save",
			Summary:    "sets the indicators a project contributes to (指标关联), replacing the set; an unknown indicator code is refused and nothing written; the owner department's (audited)",
			Permission: auth.WriteProjects, Handle: s.saveProjectIndicators},
	}, s.projectRegisterRoutes()...)
}

// projectWeek is the ISO week of now in Beijing, where the city works.
func projectWeek(now time.Time) period.Period {
	return period.Of(period.Week, now.In(indicator.Beijing))
}

// projectWatch is the part of a project's page that only visitors whose
// scope covers its department see: investment against plan, milestones,
// lights, weekly reports and supervision orders.
type projectWatch struct {
	Week  period.Period    // this ISO week
	Year  int              // the year whose investment plan is measured: this one
	AsOf  string           // today's date in Beijing
	Light *projectLightRow // this week's light, or the latest kept

	Annual, Invested *figure
	// Expected is 序时进度 today and Done the share of the annual plan
	// done, as "42.3%"; both "" without a plan.
	Expected, Done string
	Chart          *chart

	Milestones []projectMilestoneRow
	Indicators []named            // the indicators the project contributes to (指标关联)
	Lights     []projectLightRow  // newest first
	Reports    []projectReportRow // newest first
	Orders     []projectOrderRow

	// The forms are nil unless the visitor may write the project's:
	// its weekly report, its milestones, its linked indicators.
	Form          *weeklyReportForm
	MilestoneForm *milestoneForm
	IndicatorForm *projectIndicatorsForm
	Review        bool // the visitor is the office, who accepts or returns reports

	Flash, Error string
}

// projectMilestoneRow is a milestone with how late it is: reached late, or still
// open past its planned date.
type projectMilestoneRow struct {
	Milestone project.Milestone
	DaysLate  int
	Overdue   bool // not reached, and its planned date has passed
}

// projectLightRow is a week's kept light with the reasons it was computed from,
// the ladder level it reached and who holds that level.
type projectLightRow struct {
	Week       period.Period
	Current    bool // the light is this week's
	Color      watch.Color
	Reasons    []watch.Reason
	Level      watch.Level
	Holder     string
	ComputedAt time.Time
}

// projectReportRow is a weekly report as the list shows it.
type projectReportRow struct {
	Report                   project.WeeklyReport
	Due                      time.Time
	State                    watch.ReportState // filed on time, late, or not yet
	InvestWeek, InvestToDate *figure
	Reached                  []projectReachedMilestone
	CanReview                bool   // submitted, and the visitor is the office
	ReviewComment            string // as typed, when the review was refused
}

type projectReachedMilestone struct {
	NameZH, NameEN string
	Actual         time.Time
}

// projectOrderRow is a supervision order on the project with its light.
type projectOrderRow struct {
	Order supervision.Order
	Lead  named
	Light supervision.Light
}

func (s *Server) projectWatch(r *http.Request, p project.Project, n names, typed *weeklyReportForm) (*projectWatch, error) {
	ctx, sub := r.Context(), subjectOf(r)
	cfg, err := s.oversight.Config(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	today := now.In(indicator.Beijing)
	pw := &projectWatch{Week: projectWeek(now), Year: today.Year(), AsOf: today.Format(time.DateOnly), Review: sub.Can(auth.Supervise)}
	reports, err := s.db.WeeklyReports(ctx, p.Code)
	if err != nil {
		return nil, err
	}
	milestones, err := s.db.Milestones(ctx, p.Code)
	if err != nil {
		return nil, err
	}
	plans, err := s.db.MonthlyPlans(ctx, p.Code, pw.Year)
	if err != nil {
		return nil, err
	}
	lights, err := s.db.Lights(ctx, p.Code)
	if err != nil {
		return nil, err
	}
	orders, err := s.db.Orders(ctx, storage.OrderFilter{SubjectKind: supervision.OnProject, SubjectCode: p.Code})
	if err != nil {
		return nil, err
	}
	linked, err := s.db.ProjectIndicators(ctx, p.Code)
	if err != nil {
		return nil, err
	}
	writer := sub.CanWriteFor(auth.WriteProjects, p.OwnerDept)
	var all indicatorChoices
	if writer || len(linked) > 0 {
		if all, err = s.indicatorChoices(ctx); err != nil {
			return nil, err
		}
	}
	pw.Indicators = all.linked(linked)
	pw.measureInvestment(languageOf(r), p, plans, reports, now)
	pw.Milestones = projectMilestoneRows(milestones, today)
	holders := watch.Holders{LeaderInCharge: p.Leader, DeptHead: n.depts[p.OwnerDept].Head, CityLeader: p.CityLeader, Mayor: cfg.Mayor}
	if pw.Lights, err = projectLightRows(lights, holders); err != nil {
		return nil, err
	}
	for i := range pw.Lights {
		pw.Lights[i].Current = pw.Lights[i].Week == pw.Week
		if pw.Light == nil && pw.Lights[i].Week.Compare(pw.Week) <= 0 {
			pw.Light = &pw.Lights[i]
		}
	}
	pw.Reports = projectReportRows(reports, milestones, cfg, now, pw.Review)
	for _, o := range orders {
		pw.Orders = append(pw.Orders, projectOrderRow{Order: o, Lead: n.dept(o.LeadDept), Light: o.Light(now, cfg.Calendar, oversight.OrderYellowDays)})
	}
	if writer {
		pw.Form = newWeeklyReportForm(pw.Week, r.URL.Query().Get("week"), reports, milestones, typed)
		pw.MilestoneForm = newMilestoneForm(milestones, r.URL.Query().Get("milestone"))
		pw.IndicatorForm = newProjectIndicatorsForm(all, linked)
	}
	return pw, nil
}

// measureInvestment measures the year's investment plan as the lights do: the
// monthly plan when there is one, else the annual figure spread evenly;
// done is the investment to date of the latest report filed this year.
func (pw *projectWatch) measureInvestment(lang string, p project.Project, plans []project.MonthlyPlan, reports []project.WeeklyReport, now time.Time) {
	plan := watch.InvestmentPlan{Year: pw.Year}
	for _, m := range plans {
		plan.Monthly[m.Month-1] = m.Amount
		plan.Annual += m.Amount
	}
	if len(plans) == 0 && p.AnnualInvestment != nil {
		plan.Annual = *p.AnnualInvestment
	}
	var filed []project.WeeklyReport
	for _, r := range reports {
		if !r.SubmittedAt.IsZero() && r.Week.Start().Year() == pw.Year {
			filed = append(filed, r)
		}
	}
	if len(filed) > 0 {
		done := filed[len(filed)-1].InvestToDate
		pw.Invested = investment(&done, false)
		if plan.Annual > 0 {
			pw.Done = percent(100 * done / plan.Annual)
		}
	}
	if plan.Annual > 0 {
		pw.Annual = investment(&plan.Annual, p.Sample)
		pw.Expected = percent(watch.ExpectedProgress(plan, now))
	}
	pw.Chart = projectInvestmentChart(lang, plan, filed)
}

// projectInvestmentChart draws the plan's cumulative amount at the end of each
// week of the year (a dashed line) against the investment to date that
// the weekly reports filed (bars); nil when there is neither.
func projectInvestmentChart(lang string, plan watch.InvestmentPlan, filed []project.WeeklyReport) *chart {
	var weeks []period.Period
	w := period.Of(period.Week, time.Date(plan.Year, time.January, 1, 0, 0, 0, 0, time.UTC))
	if w.Start().Year() < plan.Year {
		w = w.Next()
	}
	for ; w.Start().Year() == plan.Year; w = w.Next() {
		weeks = append(weeks, w)
	}
	c := &chart{Kind: "bar", Unit: pick(lang, "万元", "10,000 yuan"), Decimals: 2}
	done := chartSeries{Name: pick(lang, "累计完成投资（周报）", "Invested to date (weekly reports)"), Data: make([]*float64, len(weeks))}
	for _, r := range filed {
		if i := slices.Index(weeks, r.Week); i >= 0 {
			x := r.InvestToDate
			done.Data[i] = &x
		}
	}
	if len(filed) > 0 {
		c.Series = append(c.Series, done)
	}
	if plan.Annual > 0 {
		planned := chartSeries{Name: pick(lang, "计划累计投资（序时进度）", "Planned to date (序时进度)"), Target: true, Data: make([]*float64, len(weeks))}
		for i, w := range weeks {
			x := math.Round(plan.Annual*watch.ExpectedProgress(plan, w.End().AddDate(0, 0, -1))) / 100
			planned.Data[i] = &x
		}
		c.Series = append(c.Series, planned)
	}
	if len(c.Series) == 0 {
		return nil
	}
	for _, w := range weeks {
		c.Periods = append(c.Periods, pick(lang, fmt.Sprintf("第%d周", w.N), fmt.Sprintf("W%02d", w.N)))
	}
	return c
}

func projectMilestoneRows(ms []project.Milestone, now time.Time) []projectMilestoneRow {
	y, m, d := now.Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC) // milestones' dates are UTC midnights
	days := func(from, to time.Time) int { return max(0, int(to.Sub(from)/(24*time.Hour))) }
	rows := make([]projectMilestoneRow, 0, len(ms))
	for _, m := range ms {
		row := projectMilestoneRow{Milestone: m}
		switch {
		case m.Reached():
			row.DaysLate = days(m.Planned, m.Actual)
		case today.After(m.Planned):
			row.DaysLate, row.Overdue = days(m.Planned, today), true
		}
		rows = append(rows, row)
	}
	return rows
}

func projectLightRows(lights []storage.Light, holders watch.Holders) ([]projectLightRow, error) {
	rows := make([]projectLightRow, 0, len(lights))
	for i := len(lights) - 1; i >= 0; i-- {
		l := lights[i]
		row := projectLightRow{Week: l.Week, Color: watch.Color(l.Color), Level: watch.Level(l.Ladder), ComputedAt: l.ComputedAt}
		if len(l.Reasons) > 0 {
			if err := json.Unmarshal(l.Reasons, &row.Reasons); err != nil {
				return nil, fmt.Errorf("web: reasons of the light of %s for %s: %w", l.ProjectCode, l.Week.String(), err)
			}
		}
		row.Holder = holders.Holder(row.Level)
		rows = append(rows, row)
	}
	return rows, nil
}

func projectReportRows(reports []project.WeeklyReport, ms []project.Milestone, cfg oversight.Config, now time.Time, office bool) []projectReportRow {
	byseq := map[int]project.Milestone{}
	for _, m := range ms {
		byseq[m.Seq] = m
	}
	rows := make([]projectReportRow, 0, len(reports))
	for i := len(reports) - 1; i >= 0; i-- {
		r := reports[i]
		due := watch.WeeklyDue(r.Week, cfg.Rules.Due, cfg.Calendar)
		row := projectReportRow{Report: r, Due: due, State: watch.ReportStateAt(due, r.SubmittedAt, now),
			InvestWeek: investment(&r.InvestWeek, r.Sample), InvestToDate: investment(&r.InvestToDate, r.Sample),
			CanReview: office && r.Status == project.ReportSubmitted}
		for _, u := range r.MilestonesReached {
			m := byseq[u.Seq]
			row.Reached = append(row.Reached, projectReachedMilestone{NameZH: m.NameZH, NameEN: m.NameEN, Actual: u.Actual})
		}
		rows = append(rows, row)
	}
	return rows
}

// projectFlash is the confirmation after a weekly report was saved or
// reviewed, or the milestones or linked indicators changed: ?done=KEY,
// only these keys.
func projectFlash(r *http.Request) string {
	lang := languageOf(r)
	switch r.URL.Query().Get("done") {
	case "saved":
		return pick(lang, "周报草稿已保存。", "The weekly report was saved as a draft.")
	case "submitted":
		return pick(lang, "周报已报送督查室。", "The weekly report was submitted to the supervision office.")
	case "accepted":
		return pick(lang, "周报已审阅通过。", "The weekly report was accepted.")
	case "returned":
		return pick(lang, "周报已退回，责任部门已收到通知。", "The weekly report was returned; the department has been notified.")
	case "milestone":
		return pick(lang, "节点已保存。", "The milestone was saved.")
	case "indicators":
		return pick(lang, "关联指标已保存。", "The linked indicators were saved.")
	}
	return ""
}

// weeklyReportForm is the weekly report being written: as stored, or as the
// visitor typed it when it is shown again with an error.
type weeklyReportForm struct {
	Week  period.Period
	Weeks []reportWeekChoice // the weeks whose report can be opened, newest first
	// Version is the version the form carries: the one the visitor read (0
	// for a new report), so that of two people saving at once one is told.
	// Stored is the version in the database now; Read, after a conflict,
	// the one the visitor had read.
	Version, Stored, Read int
	Status                project.ReportStatus // of the stored report; "" when there is none
	Locked                bool                 // accepted: it can no longer change
	ReturnComment         string               // why the office returned it
	LastToDate            string               // investment to date last filed this year, a hint for a new report

	Progress, InvestWeek, InvestToDate, Problems, CoordinationText string
	Coordination                                                   project.CoordinationLevel
	Levels                                                         []project.CoordinationLevel
	Milestones                                                     []weeklyReportMilestone

	Error    string
	Conflict bool // someone else saved the report since the visitor read it

	dates map[int]string // milestone dates as typed, by sequence
}

// reportWeekChoice is a week the form can be opened for.
type reportWeekChoice struct {
	Week     period.Period
	Selected bool
}

// weeklyReportMilestone is a milestone the report may say was reached: one not
// reached yet, or reached by this very report.
type weeklyReportMilestone struct {
	Seq            int
	NameZH, NameEN string
	Planned        time.Time
	Date           string // YYYY-MM-DD, "" when not reached
}

var projectCoordinationLevels = []project.CoordinationLevel{project.NoCoordination, project.AskDepartment, project.AskCityLeader, project.AskMayor}

// maxWeeklyReportText bounds each text of a weekly report.
const maxWeeklyReportText = 4000

// newWeeklyReportForm opens the report of the week asked for (?week=, this week
// by default; never a week to come), filled from what is stored, then from
// what the visitor typed if it is shown again.
func newWeeklyReportForm(current period.Period, asked string, reports []project.WeeklyReport, ms []project.Milestone, typed *weeklyReportForm) *weeklyReportForm {
	week := current
	if w, err := period.Parse(asked); err == nil && w.Kind == period.Week && w.Compare(current) <= 0 {
		week = w
	}
	if typed != nil && typed.Week.Kind == period.Week {
		week = typed.Week
	}
	f := &weeklyReportForm{Week: week, Levels: projectCoordinationLevels}
	weeks := []period.Period{current, current.Prev(), week}
	reached := map[int]time.Time{}
	for _, r := range reports {
		if r.Status != project.ReportAccepted {
			weeks = append(weeks, r.Week)
		}
		if !r.SubmittedAt.IsZero() && r.Week.Start().Year() == week.Start().Year() && r.Week.Compare(week) < 0 {
			f.LastToDate = indicator.FormatNumber(r.InvestToDate, -1)
		}
		if r.Week != week {
			continue
		}
		f.Version, f.Stored, f.Status, f.Locked = r.Version, r.Version, r.Status, r.Status == project.ReportAccepted
		if r.Status == project.ReportReturned {
			f.ReturnComment = r.ReviewComment
		}
		f.Progress, f.Problems, f.CoordinationText, f.Coordination = r.ProgressZH, r.ProblemsZH, r.CoordinationZH, r.Coordination
		f.InvestWeek, f.InvestToDate = indicator.FormatNumber(r.InvestWeek, -1), indicator.FormatNumber(r.InvestToDate, -1)
		for _, u := range r.MilestonesReached {
			reached[u.Seq] = u.Actual
		}
	}
	slices.SortFunc(weeks, func(a, b period.Period) int { return b.Compare(a) })
	for _, w := range slices.Compact(weeks) {
		f.Weeks = append(f.Weeks, reportWeekChoice{Week: w, Selected: w == week})
	}
	for _, m := range ms {
		actual, inReport := reached[m.Seq]
		if m.Reached() && !inReport {
			continue
		}
		fm := weeklyReportMilestone{Seq: m.Seq, NameZH: m.NameZH, NameEN: m.NameEN, Planned: m.Planned}
		if inReport {
			fm.Date = actual.Format(time.DateOnly)
		}
		f.Milestones = append(f.Milestones, fm)
	}
	if typed != nil {
		f.Version, f.Coordination = typed.Version, typed.Coordination
		f.Progress, f.InvestWeek, f.InvestToDate, f.Problems, f.CoordinationText = typed.Progress, typed.InvestWeek, typed.InvestToDate, typed.Problems, typed.CoordinationText
		for i := range f.Milestones {
			f.Milestones[i].Date = typed.dates[f.Milestones[i].Seq]
		}
	}
	return f
}

// typedWeeklyReport is the weekly report form as posted.
func typedWeeklyReport(r *http.Request) (weeklyReportForm, error) {
	f := weeklyReportForm{Progress: strings.TrimSpace(r.PostFormValue("progress")), InvestWeek: strings.TrimSpace(r.PostFormValue("invest_week")),
		InvestToDate: strings.TrimSpace(r.PostFormValue("invest_to_date")), Problems: strings.TrimSpace(r.PostFormValue("problems")),
		CoordinationText: strings.TrimSpace(r.PostFormValue("coordination_text")),
		Coordination:     project.CoordinationLevel(r.PostFormValue("coordination")), dates: map[int]string{}}
	var err error
	if f.Week, err = period.Parse(r.PostFormValue("week")); err != nil || f.Week.Kind != period.Week {
		f.Week = period.Period{}
		return f, apperr.Invalidf("请选择周报所属的周", "choose the week of the report")
	}
	if f.Version, err = strconv.Atoi(r.PostFormValue("version")); err != nil || f.Version < 0 {
		return f, apperr.Invalidf("表单缺少版本号，请刷新页面后重试", "the form lacks its version; reload the page and try again")
	}
	for key, vals := range r.PostForm {
		if seq, ok := strings.CutPrefix(key, "ms_"); ok && len(vals) > 0 {
			if n, err := strconv.Atoi(seq); err == nil {
				f.dates[n] = strings.TrimSpace(vals[0])
			}
		}
	}
	return f, nil
}

// report turns the form into a weekly report of the project, refusing
// what the service cannot judge: numbers that are not numbers, texts too
// long, milestones reached in the future.
func (f weeklyReportForm) report(code string, ms []project.Milestone, now time.Time) (project.WeeklyReport, error) {
	r := project.WeeklyReport{ProjectCode: code, Week: f.Week, Version: f.Version, ProgressZH: f.Progress, ProblemsZH: f.Problems,
		CoordinationZH: f.CoordinationText, Coordination: f.Coordination}
	for _, t := range []struct{ zh, en, text string }{
		{"进展情况", "progress", f.Progress}, {"存在问题", "problems", f.Problems}, {"协调事项", "coordination asked", f.CoordinationText}} {
		if utf8.RuneCountInString(t.text) > maxWeeklyReportText {
			return r, apperr.Invalidf("%s不能超过 %d 字", "%s may not be longer than %d characters", t.zh, maxWeeklyReportText)
		}
	}
	amounts := []struct {
		zh, en, text string
		to           *float64
	}{{"本周完成投资", "investment this week", f.InvestWeek, &r.InvestWeek}, {"累计完成投资", "investment to date", f.InvestToDate, &r.InvestToDate}}
	for _, a := range amounts {
		if a.text == "" {
			continue
		}
		x, ok := parseNumber(a.text)
		if !ok {
			return r, apperr.Invalidf("%s「%s」不是有效数字", "%s %q is not a number", a.zh, a.text)
		}
		*a.to = x
	}
	today := now.In(indicator.Beijing).Format(time.DateOnly)
	for _, m := range ms {
		d := f.dates[m.Seq]
		if d == "" {
			continue
		}
		at, err := time.Parse(time.DateOnly, d)
		if err != nil {
			return r, apperr.Invalidf("节点「%s」的到达日期「%s」无效，应为 YYYY-MM-DD", "the date %[2]q of milestone %[1]s is not a date (YYYY-MM-DD)", m.NameZH, d)
		}
		if d > today {
			return r, apperr.Invalidf("节点「%s」的到达日期 %s 晚于今天", "milestone %s cannot be reached on %s, after today", m.NameZH, d)
		}
		r.MilestonesReached = append(r.MilestonesReached, project.MilestoneUpdate{Seq: m.Seq, Actual: at})
	}
	return r, nil
}

// saveWeeklyReport saves or submits the report; a refusal shows the page
// again with the form as typed and the reason.
func (s *Server) saveWeeklyReport(w http.ResponseWriter, r *http.Request) error {
	ctx, sub := r.Context(), subjectOf(r)
	p, err := s.db.Project(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	if !sub.CanWriteFor(auth.WriteProjects, p.OwnerDept) {
		return apperr.New(apperr.Forbidden, "只有项目的责任部门可以填报周报", "only the project's department may file its weekly report")
	}
	ms, err := s.db.Milestones(ctx, p.Code)
	if err != nil {
		return err
	}
	typed, err := typedWeeklyReport(r)
	submit := r.PostFormValue("action") == "submit"
	var saved project.WeeklyReport
	if err == nil {
		saved, err = typed.report(p.Code, ms, s.now())
	}
	if err == nil {
		saved, err = s.oversight.SaveReport(ctx, sub, saved, submit)
	}
	if userError(err) {
		return s.refusedWeeklyReport(w, r, typed, err)
	}
	if err != nil {
		return err
	}
	done := "saved"
	if submit {
		done = "submitted"
	}
	target := "/projects/" + url.PathEscape(p.Code) + "?week=" + saved.Week.String() + "&done=" + done + "#report"
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}

// refusedWeeklyReport shows the project page again with the form as typed and
// why it was refused; after a conflict it says which version is stored, and
// the form then carries that version, so that saving again overwrites it
// knowingly.
func (s *Server) refusedWeeklyReport(w http.ResponseWriter, r *http.Request, typed weeklyReportForm, cause error) error {
	page, err := s.projectPage(r, &typed)
	if err != nil {
		return err
	}
	if page.Watch == nil || page.Watch.Form == nil {
		return cause
	}
	f := page.Watch.Form
	f.Error = apperr.Message(cause, languageOf(r))
	if apperr.Code(cause) == apperr.Conflict && !f.Locked && f.Stored != typed.Version {
		f.Conflict, f.Read, f.Version = true, typed.Version, f.Stored
	}
	return s.renderPrivate(w, r, statusOf(cause), "project", page)
}

// reviewWeeklyReport accepts or returns a submitted report for the office.
func (s *Server) reviewWeeklyReport(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, err := s.db.Project(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	week, err := period.Parse(r.PathValue("week"))
	if err != nil || week.Kind != period.Week {
		return apperr.NotFoundf("周报不存在", "weekly report not found")
	}
	comment := r.PostFormValue("comment")
	decision := r.PostFormValue("decision")
	version, verr := strconv.Atoi(r.PostFormValue("version"))
	switch {
	case verr != nil:
		err = apperr.Invalidf("表单缺少版本号，请刷新页面后重试", "the form lacks its version; reload the page and try again")
	case decision != "accept" && decision != "return":
		err = apperr.Invalidf("请选择通过或退回", "choose to accept or to return the report")
	default:
		_, err = s.oversight.ReviewReport(ctx, subjectOf(r), p.Code, week, version, decision == "accept", comment)
	}
	if userError(err) {
		page, perr := s.projectPage(r, nil)
		if perr != nil {
			return perr
		}
		if page.Watch == nil {
			return err
		}
		page.Watch.Error = apperr.Message(err, languageOf(r))
		for i := range page.Watch.Reports {
			if page.Watch.Reports[i].Report.Week == week {
				page.Watch.Reports[i].ReviewComment = comment
			}
		}
		return s.renderPrivate(w, r, statusOf(err), "project", page)
	}
	if err != nil {
		return err
	}
	done := "accepted"
	if decision == "return" {
		done = "returned"
	}
	http.Redirect(w, r, "/projects/"+url.PathEscape(p.Code)+"?done="+done+"#reports", http.StatusSeeOther)
	return nil
}

// Milestones (节点) and linked indicators (指标关联): the department keeps
// them on the project's page, where the weekly reports then mark
// milestones reached and the lights count them.

// milestoneForm is a milestone being added or changed: as stored, or as the
// visitor typed it when it is shown again with an error.
type milestoneForm struct {
	// Editing is the sequence of the milestone the form changes, 0 when it
	// adds one: typing the sequence of another milestone is refused rather
	// than overwriting that one unseen.
	Editing                              int
	Seq, NameZH, NameEN, Planned, Actual string

	Error string
	Field string // the input the error is about: seq, name_zh, name_en, planned or actual
}

const (
	maxMilestoneSeq  = 999
	maxMilestoneName = 200
)

// newMilestoneForm opens the milestone asked for (?milestone=SEQ) to change
// it, else a new one numbered after the last.
func newMilestoneForm(ms []project.Milestone, asked string) *milestoneForm {
	next := 1
	for _, m := range ms {
		next = max(next, m.Seq+1)
	}
	seq, err := strconv.Atoi(asked)
	i := slices.IndexFunc(ms, func(m project.Milestone) bool { return m.Seq == seq })
	if err != nil || i < 0 {
		return &milestoneForm{Seq: strconv.Itoa(next)}
	}
	m := ms[i]
	f := &milestoneForm{Editing: m.Seq, Seq: strconv.Itoa(m.Seq), NameZH: m.NameZH, NameEN: m.NameEN, Planned: m.Planned.Format(time.DateOnly)}
	if m.Reached() {
		f.Actual = m.Actual.Format(time.DateOnly)
	}
	return f
}

// typedMilestone is the milestone form as posted.
func typedMilestone(r *http.Request) milestoneForm {
	f := milestoneForm{Seq: strings.TrimSpace(norm.NFKC.String(r.PostFormValue("seq"))), NameZH: strings.TrimSpace(r.PostFormValue("name_zh")),
		NameEN: strings.TrimSpace(r.PostFormValue("name_en")), Planned: strings.TrimSpace(r.PostFormValue("planned")),
		Actual: strings.TrimSpace(r.PostFormValue("actual"))}
	if n, err := strconv.Atoi(r.PostFormValue("editing")); err == nil && n > 0 {
		f.Editing = n
	}
	return f
}

// milestone turns the form into a milestone of the project, naming the
// field of the first mistake, Chinese first, and marking it for the form.
func (f *milestoneForm) milestone(code string, ms []project.Milestone, now time.Time) (project.Milestone, error) {
	m := project.Milestone{ProjectCode: code, NameZH: f.NameZH, NameEN: f.NameEN}
	refuse := func(field, zhFormat, enFormat string, args ...any) (project.Milestone, error) {
		f.Field = field
		return m, apperr.Invalidf(zhFormat, enFormat, args...)
	}
	seq, err := strconv.Atoi(f.Seq)
	if err != nil || seq < 1 || seq > maxMilestoneSeq {
		return refuse("seq", "序号：「%s」无效，应为 1 至 %d 的整数", "sequence: %q is not a whole number from 1 to %d", f.Seq, maxMilestoneSeq)
	}
	m.Seq = seq
	if i := slices.IndexFunc(ms, func(m project.Milestone) bool { return m.Seq == seq }); i >= 0 {
		if seq != f.Editing {
			return refuse("seq", "序号：第 %d 个节点已是「%s」；要修改它，请点该节点旁的「修改」", "sequence: milestone %d is %s already; to change it, use its Change link", seq, ms[i].NameZH)
		}
		m.Sample = ms[i].Sample
	}
	switch {
	case f.NameZH == "":
		return refuse("name_zh", "节点名称：请填写", "milestone name: required")
	case utf8.RuneCountInString(f.NameZH) > maxMilestoneName:
		return refuse("name_zh", "节点名称：不能超过 %d 字", "milestone name: at most %d characters", maxMilestoneName)
	case utf8.RuneCountInString(f.NameEN) > maxMilestoneName:
		return refuse("name_en", "英文名称：不能超过 %d 字", "English name: at most %d characters", maxMilestoneName)
	case f.Planned == "":
		return refuse("planned", "计划日期：请填写（YYYY-MM-DD）", "planned date: required (YYYY-MM-DD)")
	}
	var ok bool
	if m.Planned, ok = milestoneDate(f.Planned); !ok {
		return refuse("planned", "计划日期：「%s」不是有效日期，应为 YYYY-MM-DD", "planned date: %q is not a date (YYYY-MM-DD)", f.Planned)
	}
	if f.Actual == "" {
		return m, nil
	}
	if m.Actual, ok = milestoneDate(f.Actual); !ok {
		return refuse("actual", "实际完成日期：「%s」不是有效日期，应为 YYYY-MM-DD", "date reached: %q is not a date (YYYY-MM-DD)", f.Actual)
	}
	if today := now.In(indicator.Beijing).Format(time.DateOnly); f.Actual > today {
		return refuse("actual", "实际完成日期：%s 晚于今天", "date reached: %s is after today", f.Actual)
	}
	return m, nil
}

// milestoneDate reads a date as the storage keeps it, a UTC midnight,
// within years a schedule can mean: a mistyped year would otherwise
// count centuries late.
func milestoneDate(text string) (time.Time, bool) {
	d, err := time.Parse(time.DateOnly, text)
	return d, err == nil && d.Year() >= 1990 && d.Year() <= 2100
}

// saveMilestone adds or changes a milestone; a refusal shows the page again
// with the form as typed and the field named.
func (s *Server) saveMilestone(w http.ResponseWriter, r *http.Request) error {
	ctx, sub := r.Context(), subjectOf(r)
	p, err := s.db.Project(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	if !sub.CanWriteFor(auth.WriteProjects, p.OwnerDept) {
		return apperr.New(apperr.Forbidden, "只有项目的责任部门可以修改节点", "only the project's department may change its milestones")
	}
	ms, err := s.db.Milestones(ctx, p.Code)
	if err != nil {
		return err
	}
	typed := typedMilestone(r)
	m, err := typed.milestone(p.Code, ms, s.now())
	if err == nil {
		err = s.db.Write(ctx, projectActor(r, "修改项目节点 (change a project's milestone)"), func(tx *storage.Tx) error {
			return tx.PutMilestone(ctx, m)
		})
	}
	if userError(err) {
		typed.Error = apperr.Message(err, languageOf(r))
		return s.refusedProjectForm(w, r, err, func(pw *projectWatch) { pw.MilestoneForm = &typed })
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/projects/"+url.PathEscape(p.Code)+"?done=milestone#milestones", http.StatusSeeOther)
	return nil
}

// projectIndicatorsForm chooses the indicators a project contributes to:
// every indicator under its area, the linked ones (or those sent) selected.
type projectIndicatorsForm struct {
	Groups []indicatorGroup
	Error  string
}

type indicatorGroup struct {
	Area    named
	Choices []indicatorChoice
}

type indicatorChoice struct {
	named
	Selected bool
}

func newProjectIndicatorsForm(all indicatorChoices, selected []string) *projectIndicatorsForm {
	f := &projectIndicatorsForm{}
	for _, area := range all.areas {
		g := indicatorGroup{Area: area}
		for _, ind := range all.byArea[area.Code] {
			g.Choices = append(g.Choices, indicatorChoice{named: ind, Selected: slices.Contains(selected, ind.Code)})
		}
		if len(g.Choices) > 0 {
			f.Groups = append(f.Groups, g)
		}
	}
	return f
}

// indicatorChoices are every indicator with its current name, by area in
// the areas' order.
type indicatorChoices struct {
	areas  []named
	byArea map[string][]named
	byCode map[string]named
}

func (s *Server) indicatorChoices(ctx context.Context) (indicatorChoices, error) {
	c := indicatorChoices{byArea: map[string][]named{}, byCode: map[string]named{}}
	areas, err := s.db.Areas(ctx)
	if err != nil {
		return c, err
	}
	list, err := s.db.Indicators(ctx, storage.IndicatorFilter{})
	if err != nil {
		return c, err
	}
	for _, a := range areas {
		c.areas = append(c.areas, named{Code: a.Code, NameZH: a.NameZH, NameEN: a.NameEN})
	}
	for _, ind := range list {
		d := ind.Current()
		n := named{Code: ind.Code, NameZH: d.NameZH, NameEN: d.NameEN}
		c.byArea[ind.AreaCode] = append(c.byArea[ind.AreaCode], n)
		c.byCode[ind.Code] = n
	}
	return c, nil
}

// linked names the codes, in their order.
func (c indicatorChoices) linked(codes []string) []named {
	out := make([]named, 0, len(codes))
	for _, code := range codes {
		n, ok := c.byCode[code]
		if !ok {
			n = named{Code: code, NameZH: code}
		}
		out = append(out, n)
	}
	return out
}

// typedIndicatorCodes are the indicators sent: each value of "indicator"
// may hold several codes separated by spaces or commas, so that they can
// be typed as well as chosen.
func typedIndicatorCodes(r *http.Request) ([]string, error) {
	if err := r.ParseForm(); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, err
		}
		return nil, apperr.Invalidf("关联指标：表单无法读取，请刷新页面后重试", "linked indicators: the form could not be read; reload the page and try again")
	}
	var codes []string
	for _, v := range r.PostForm["indicator"] {
		codes = append(codes, strings.FieldsFunc(norm.NFKC.String(v), func(c rune) bool { return unicode.IsSpace(c) || c == ',' || c == '、' })...)
	}
	slices.Sort(codes)
	return slices.Compact(codes), nil
}

// saveProjectIndicators replaces the project's linked indicators; an
// unknown code refuses the whole set, naming it.
func (s *Server) saveProjectIndicators(w http.ResponseWriter, r *http.Request) error {
	ctx, sub := r.Context(), subjectOf(r)
	p, err := s.db.Project(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	if !sub.CanWriteFor(auth.WriteProjects, p.OwnerDept) {
		return apperr.New(apperr.Forbidden, "只有项目的责任部门可以修改关联指标", "only the project's department may change its linked indicators")
	}
	codes, err := typedIndicatorCodes(r)
	if err != nil {
		return err
	}
	all, err := s.indicatorChoices(ctx)
	if err != nil {
		return err
	}
	var unknown []string
	for _, code := range codes {
		if _, known := all.byCode[code]; !known {
			unknown = append(unknown, shortened(code, 40))
		}
	}
	if n := len(unknown); n > 0 {
		zhMore, enMore := "", ""
		if n > 5 { // what was sent may be anything: name a few
			unknown, zhMore, enMore = unknown[:5], fmt.Sprintf("等 %d 个", n), fmt.Sprintf(" and %d more", n-5)
		}
		err = apperr.New(apperr.Invalid, "关联指标：指标「"+strings.Join(unknown, "」「")+"」"+zhMore+"不存在",
			"linked indicators: there is no indicator "+strings.Join(unknown, ", ")+enMore)
	} else {
		err = s.db.Write(ctx, projectActor(r, "设置项目关联指标 (set a project's linked indicators)"), func(tx *storage.Tx) error {
			return tx.SetProjectIndicators(ctx, p.Code, codes)
		})
	}
	if userError(err) {
		return s.refusedProjectForm(w, r, err, func(pw *projectWatch) {
			pw.IndicatorForm = newProjectIndicatorsForm(all, codes)
			pw.IndicatorForm.Error = apperr.Message(err, languageOf(r))
		})
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/projects/"+url.PathEscape(p.Code)+"?done=indicators#indicators", http.StatusSeeOther)
	return nil
}

// shortened cuts text to n characters, marking the cut.
func shortened(text string, n int) string {
	if utf8.RuneCountInString(text) <= n {
		return text
	}
	return string([]rune(text)[:n]) + "…"
}

// refusedProjectForm shows the project page again with why a form was
// refused; show puts the form back as it was sent.
func (s *Server) refusedProjectForm(w http.ResponseWriter, r *http.Request, cause error, show func(*projectWatch)) error {
	page, err := s.projectPage(r, nil)
	if err != nil {
		return err
	}
	if page.Watch == nil {
		return cause
	}
	show(page.Watch)
	return s.renderPrivate(w, r, statusOf(cause), "project", page)
}

// projectActor names the visitor in the audit trail, with why and from
// where.
func projectActor(r *http.Request, reason string) audit.Actor {
	a := subjectOf(r).Actor(reason)
	a.IP = clientOf(r).IP
	return a
}
