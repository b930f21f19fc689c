package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/excelio"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/oversight"
	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/plan"
	"github.com/lantu/lantu/project"
	"github.com/lantu/lantu/storage"
	"github.com/lantu/lantu/supervision"
	"github.com/lantu/lantu/watch"
)

// projectWatchRoutes are the internal parts of the key projects' pages: the
// weekly reports, their review, the lights and the project register file.
// The project page itself (GET /projects/{code}) is a public route that
// shows its weekly watch to visitors whose scope covers the project's
// department; see projectPage.
func (s *Server) projectWatchRoutes() []route {
	return []route{
		{Method: "POST", Pattern: "/projects/{code}/reports", Name: "project_report_save",
			Summary:    "saves a project's weekly report (周报) for a week as a draft, or submits it: progress, investment this week and to date, problems, coordination asked, milestones reached; the owner department's (audited)",
			Permission: auth.WriteProjects, Handle: s.saveWeeklyReport},
		{Method: "POST", Pattern: "/projects/{code}/reports/{week}/review", Name: "project_report_review",
			Summary:    "the supervision office accepts a submitted weekly report, or returns it with a comment and the department is notified (audited)",
			Permission: auth.Supervise, Handle: s.reviewWeeklyReport},
		{Method: "GET", Pattern: "/projects/register.xlsx", Name: "project_register_xlsx",
			Summary:    "the project register as .xlsx: every key project's code, name, owner department, leaders, location, category, stage, investment and years, with this year's 12 monthly plan amounts for the projects in the visitor's scope (audited download)",
			Permission: auth.Export, Handle: s.projectRegisterFile},
		{Method: "POST", Pattern: "/projects/register", Name: "project_register_import",
			Summary:    "imports the project register .xlsx all or nothing: every problem named by its cell and nothing written if there is one; new and changed projects and monthly plans in one audited transaction",
			Permission: auth.Supervise, Handle: s.importProjectRegister, MaxBody: registerMaxBytes + 1<<20},
	}
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
	Lights     []projectLightRow  // newest first
	Reports    []projectReportRow // newest first
	Orders     []projectOrderRow

	Form   *weeklyReportForm // nil unless the visitor may file the project's reports
	Review bool              // the visitor is the office, who accepts or returns reports

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
	if sub.CanWriteFor(auth.WriteProjects, p.OwnerDept) {
		pw.Form = newWeeklyReportForm(pw.Week, r.URL.Query().Get("week"), reports, milestones, typed)
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
// reviewed: ?done=KEY, only these keys.
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

// The project register (项目登记表): one sheet, a project a row, that the
// office keeps in Excel and uploads back.

const (
	registerSheet    = "项目"
	registerMaxBytes = 4 << 20
)

// registerLimits bound an uploaded register: a city's key projects are a
// few hundred rows.
func registerLimits() excelio.Limits {
	return excelio.Limits{MaxFileBytes: registerMaxBytes, MaxZipEntries: 200, MaxUncompressedBytes: 40 << 20, MaxRows: 5000, MaxCols: 60}
}

// registerColumns are the register's columns before the months, A to N.
// The name columns of the department and the place are for people; an
// upload reads the codes.
var registerColumns = []struct{ key, zh string }{
	{"code", "项目编码"}, {"name", "项目名称"}, {"owner_dept", "责任部门编码"}, {"owner_dept_name", "责任部门"},
	{"leader", "责任领导"}, {"city_leader", "联系市领导"}, {"location", "地点编码"}, {"location_name", "地点"},
	{"category", "类别"}, {"stage", "阶段"}, {"planned_investment", "总投资（万元）"}, {"annual_investment", "年度计划投资（万元）"},
	{"start_year", "起始年份"}, {"end_year", "结束年份"},
}

// registerRequired are the columns an upload must have; a column left out
// leaves that field of every project as it is.
var registerRequired = []string{"code", "name", "owner_dept", "location", "stage"}

func registerHeader(year int) []string {
	var h []string
	for _, c := range registerColumns {
		h = append(h, c.zh+"\n"+c.key)
	}
	for m := 1; m <= 12; m++ {
		h = append(h, fmt.Sprintf("%d年%d月计划投资（万元）\n%d-%02d", year, m, year, m))
	}
	return h
}

func (s *Server) projectRegisterFile(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	year := s.now().In(indicator.Beijing).Year()
	list, err := s.db.Projects(ctx, storage.ProjectFilter{})
	if err != nil {
		return err
	}
	n, err := s.names(ctx)
	if err != nil {
		return err
	}
	rows := make([][]string, 0, len(list))
	for _, p := range list {
		row := []string{p.Code, p.NameZH, p.OwnerDept, n.dept(p.OwnerDept).NameZH, p.Leader, p.CityLeader, p.OrgUnitCode,
			n.unit(p.OrgUnitCode).NameZH, p.Category, p.Stage.LabelZH(), registerAmountCell(p.PlannedInvestment), registerAmountCell(p.AnnualInvestment),
			registerYearCell(p.StartYear), registerYearCell(p.EndYear)}
		months := make([]string, 12)
		// Monthly plans are internal: only for the projects of the
		// visitor's scope.
		if scopeOf(r).Covers(p.OwnerDept) {
			plans, err := s.db.MonthlyPlans(ctx, p.Code, year)
			if err != nil {
				return err
			}
			for _, m := range plans {
				months[m.Month-1] = indicator.FormatNumber(m.Amount, -1)
			}
		}
		rows = append(rows, append(row, months...))
	}
	var buf bytes.Buffer
	if err := excelio.WriteTable(&buf, registerSheet, registerHeader(year), rows); err != nil {
		return err
	}
	s.audit(r, audit.Download, "project_register", strconv.Itoa(year), map[string]any{"file": "register.xlsx", "rows": len(rows)})
	h := w.Header()
	h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="lantu-projects-%d.xlsx"`, year))
	h.Set("Cache-Control", "no-store")
	_, err = w.Write(buf.Bytes())
	return err
}

func registerAmountCell(v *float64) string {
	if v == nil {
		return ""
	}
	return indicator.FormatNumber(*v, -1)
}

func registerYearCell(y int) string {
	if y == 0 {
		return ""
	}
	return strconv.Itoa(y)
}

// projectRegisterPage is the report of an upload of the register.
type projectRegisterPage struct {
	File                            string
	Problems                        excelio.Problems
	New, Changed, Unchanged, Months int
	Codes                           []string // the projects added or changed
}

func (s *Server) importProjectRegister(w http.ResponseWriter, r *http.Request) error {
	file, header, err := r.FormFile("file")
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return err
		}
		return apperr.Invalidf("请选择要上传的项目登记表（.xlsx）", "choose the project register (.xlsx) to upload")
	}
	defer file.Close()
	ctx := r.Context()
	page := projectRegisterPage{File: header.Filename}
	changes, err := s.readRegister(r, header.Filename, file, header.Size)
	var probs excelio.Problems
	if errors.As(err, &probs) {
		page.Problems = probs
		return s.renderPrivate(w, r, http.StatusBadRequest, "project_register", page)
	}
	if err != nil {
		return err
	}
	page.New, page.Changed, page.Unchanged, page.Months, page.Codes = changes.New, changes.Changed, changes.Unchanged, len(changes.months), changes.codes
	if len(changes.projects) > 0 || len(changes.months) > 0 {
		a := subjectOf(r).Actor("导入项目登记表 (import the project register)")
		a.IP = clientOf(r).IP
		err := s.db.Write(ctx, a, func(tx *storage.Tx) error {
			for _, p := range changes.projects {
				if err := tx.PutProject(ctx, p); err != nil {
					return err
				}
			}
			for _, m := range changes.months {
				if err := tx.PutMonthlyPlan(ctx, m); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return s.renderPrivate(w, r, http.StatusOK, "project_register", page)
}

// registerChanges is what an upload changes: the projects new or changed
// and the monthly plan amounts new or changed.
type registerChanges struct {
	projects                []project.Project
	months                  []project.MonthlyPlan
	codes                   []string
	New, Changed, Unchanged int
}

// readRegister reads and checks an uploaded register against the stored
// projects; any problem, each named by its cell, refuses the whole file.
func (s *Server) readRegister(r *http.Request, name string, file io.ReaderAt, size int64) (registerChanges, error) {
	base := name[strings.LastIndexAny(name, `/\`)+1:]
	if !strings.HasSuffix(strings.ToLower(base), ".xlsx") {
		return registerChanges{}, excelio.Problems{{Where: base, ZH: "项目登记表须为 .xlsx 文件（Excel 工作簿）", EN: "the project register must be an .xlsx file (Excel workbook)"}}
	}
	lim := registerLimits()
	// excelio reads only the figures' layout, but its zip checks (size,
	// entries, what the parts expand to, compression ratios) guard any
	// workbook: only a file they pass is opened.
	if _, err := excelio.ReadStamp(file, size, lim); err != nil {
		return registerChanges{}, err
	}
	f, err := excelize.OpenReader(io.NewSectionReader(file, 0, size), excelize.Options{UnzipSizeLimit: lim.MaxUncompressedBytes, UnzipXMLSizeLimit: lim.MaxUncompressedBytes})
	if err != nil {
		return registerChanges{}, excelio.Problems{{Where: base, ZH: "文件已损坏，或不是 Excel 工作簿", EN: "the file is damaged or is not an Excel workbook"}}
	}
	defer f.Close()
	sheet := registerSheet
	if i, err := f.GetSheetIndex(sheet); err != nil || i < 0 {
		sheet = f.GetSheetName(0)
	}
	rows, err := registerRows(f, sheet, lim)
	if err != nil {
		return registerChanges{}, err
	}
	return s.registerChanges(r, sheet, rows)
}

// registerSheetRow is a row of the sheet, numbered as Excel numbers it.
type registerSheetRow struct {
	n     int
	cells []string
}

// registerRows reads the sheet's rows up to the limits, refusing a formula
// in any cell: what it shows is whatever the program that saved the file
// last computed, if anything.
func registerRows(f *excelize.File, sheet string, lim excelio.Limits) ([]registerSheetRow, error) {
	damaged := excelio.Problems{{Where: sheet, ZH: "工作表已损坏，无法读取", EN: "the sheet is damaged and cannot be read"}}
	it, err := f.Rows(sheet)
	if err != nil {
		return nil, damaged
	}
	defer it.Close()
	var rows []registerSheetRow
	for n := 1; it.Next(); n++ {
		if n > lim.MaxRows {
			return nil, excelio.Problems{{Where: sheet, ZH: fmt.Sprintf("工作表超过 %d 行", lim.MaxRows), EN: fmt.Sprintf("the sheet has more than %d rows", lim.MaxRows)}}
		}
		cells, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, damaged
		}
		if len(cells) > lim.MaxCols {
			return nil, excelio.Problems{{Where: sheet, ZH: fmt.Sprintf("工作表超过 %d 列", lim.MaxCols), EN: fmt.Sprintf("the sheet has more than %d columns", lim.MaxCols)}}
		}
		rows = append(rows, registerSheetRow{n: n, cells: cells})
	}
	if it.Error() != nil {
		return nil, damaged
	}
	var probs excelio.Problems
	for _, row := range rows {
		for c := range row.cells {
			cell, _ := excelize.CoordinatesToCellName(c+1, row.n)
			if formula, err := f.GetCellFormula(sheet, cell); err == nil && formula != "" {
				probs = append(probs, excelio.Problem{Where: sheet + "!" + cell, ZH: "单元格含公式，请粘贴为数值", EN: "the cell holds a formula; paste it as a value"})
			}
		}
	}
	if len(probs) > 0 {
		return nil, probs
	}
	return rows, nil
}

// registerReader checks the rows of an uploaded register, collecting every
// problem with its cell.
type registerReader struct {
	sheet    string
	cols     map[string]int // column index by key
	months   []registerMonthColumn
	names    names
	existing map[string]project.Project
	probs    excelio.Problems
}

// registerMonthColumn is a column of monthly plan amounts.
type registerMonthColumn struct{ col, year, month int }

var (
	registerMonthKey = regexp.MustCompile(`^(\d{4})-(\d{1,2})$`)
	registerMonthZH  = regexp.MustCompile(`^(\d{4})年(\d{1,2})月`)
)

// maxRegisterProblems keeps the list of problems readable.
const maxRegisterProblems = 100

func (rr *registerReader) where(col, row int) string {
	cell, _ := excelize.CoordinatesToCellName(col+1, row)
	return rr.sheet + "!" + cell
}

func (rr *registerReader) problem(col, row int, zh, en string) {
	rr.probs = append(rr.probs, excelio.Problem{Where: rr.where(col, row), ZH: zh, EN: en})
}

func (rr *registerReader) fail(col, row int, err error) {
	rr.problem(col, row, apperr.Message(err, zh), apperr.Message(err, en))
}

// cell is the text of the row's cell in the column key, trimmed, with the
// apostrophe that excelio.SafeCell put before a formula-like text removed;
// ok is false when the sheet has no such column.
func (rr *registerReader) cell(row registerSheetRow, key string) (text string, col int, ok bool) {
	col, ok = rr.cols[key]
	if !ok {
		return "", -1, false
	}
	if col < len(row.cells) {
		text = strings.TrimSpace(row.cells[col])
	}
	if len(text) > 1 && text[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(text[1])) {
		text = text[1:]
	}
	return text, col, true
}

// code is a code cell as offices type it: full-width letters and digits
// read as their ASCII selves.
func (rr *registerReader) code(row registerSheetRow, key string) (string, int, bool) {
	text, col, ok := rr.cell(row, key)
	return strings.TrimSpace(norm.NFKC.String(text)), col, ok
}

// header finds the columns by their headers: the Chinese name, the key, or
// both as the register writes them.
func (rr *registerReader) header(row registerSheetRow) {
	rr.cols = map[string]int{}
	seen := map[string]int{}
	for i, c := range row.cells {
		key := registerColumnKey(c)
		if key == "" {
			continue
		}
		if j, dup := seen[key]; dup {
			rr.problem(i, row.n, fmt.Sprintf("表头中「%s」列出现了两次（%s 和 %s）", strings.TrimSpace(c), rr.where(j, row.n), rr.where(i, row.n)),
				fmt.Sprintf("column %s appears twice in the header", key))
			continue
		}
		seen[key] = i
		if m := registerMonthKey.FindStringSubmatch(key); m != nil {
			year, _ := strconv.Atoi(m[1])
			month, _ := strconv.Atoi(m[2])
			if year < 2000 || year > 2100 || month < 1 || month > 12 {
				rr.problem(i, row.n, fmt.Sprintf("表头「%s」不是有效的月份", strings.TrimSpace(c)), fmt.Sprintf("header %q is not a valid month", c))
				continue
			}
			rr.months = append(rr.months, registerMonthColumn{col: i, year: year, month: month})
			continue
		}
		rr.cols[key] = i
	}
	var missingZH, missingEN []string
	for _, k := range registerRequired {
		if _, ok := rr.cols[k]; !ok {
			missingZH, missingEN = append(missingZH, registerColumnZH(k)), append(missingEN, k)
		}
	}
	if len(missingZH) > 0 {
		rr.probs = append(rr.probs, excelio.Problem{Where: fmt.Sprintf("%s!%d:%d", rr.sheet, row.n, row.n),
			ZH: "表头缺少必填列：" + strings.Join(missingZH, "、"), EN: "the header lacks required columns: " + strings.Join(missingEN, ", ")})
	}
}

func registerColumnKey(cell string) string {
	s := strings.TrimSpace(norm.NFKC.String(cell))
	if s == "" {
		return ""
	}
	for _, f := range append([]string{s}, strings.Fields(s)...) {
		for _, c := range registerColumns {
			if strings.EqualFold(f, c.key) || f == norm.NFKC.String(c.zh) {
				return c.key
			}
		}
		if registerMonthKey.MatchString(f) {
			return f
		}
		if m := registerMonthZH.FindStringSubmatch(f); m != nil {
			return m[1] + "-" + m[2]
		}
	}
	return ""
}

func registerColumnZH(key string) string {
	for _, c := range registerColumns {
		if c.key == key {
			return c.zh
		}
	}
	return key
}

// row reads a project from a row: the stored project with the row's
// columns applied, or a new one placed at position next. ok is false when
// the row has a problem.
func (rr *registerReader) row(row registerSheetRow, next int) (project.Project, []project.MonthlyPlan, bool) {
	before := len(rr.probs)
	code, codeCol, _ := rr.code(row, "code")
	if err := plan.CheckCode("项目编码 project code", code); err != nil {
		rr.fail(codeCol, row.n, err)
		return project.Project{}, nil, false
	}
	p, found := rr.existing[code]
	if !found {
		p = project.Project{Code: code, Position: next}
	}
	if name, col, ok := rr.cell(row, "name"); ok {
		if err := plan.CheckName("项目 "+code, name); err != nil {
			rr.fail(col, row.n, err)
		}
		p.NameZH = name
	}
	if dept, col, ok := rr.code(row, "owner_dept"); ok {
		if _, known := rr.names.depts[dept]; !known {
			rr.problem(col, row.n, fmt.Sprintf("责任部门编码「%s」不存在", dept), fmt.Sprintf("there is no department %q", dept))
		}
		p.OwnerDept = dept
	}
	if place, col, ok := rr.code(row, "location"); ok {
		if _, known := rr.names.units[place]; !known {
			rr.problem(col, row.n, fmt.Sprintf("地点编码「%s」不存在", place), fmt.Sprintf("there is no place %q", place))
		}
		p.OrgUnitCode = place
	}
	for key, field := range map[string]*string{"leader": &p.Leader, "city_leader": &p.CityLeader, "category": &p.Category} {
		if text, _, ok := rr.cell(row, key); ok {
			*field = text
		}
	}
	if text, col, ok := rr.cell(row, "stage"); ok {
		st, known := parseProjectStage(text)
		if !known {
			rr.problem(col, row.n, fmt.Sprintf("阶段「%s」无效：应为%s", text, projectStageLabels(project.Stage.LabelZH, "、")),
				fmt.Sprintf("stage %q is not valid: %s", text, projectStageLabels(project.Stage.LabelEN, ", ")))
		}
		p.Stage = st
	}
	if v, ok := rr.amount(row, "planned_investment", "总投资", "planned investment"); ok {
		p.PlannedInvestment = v
	}
	if v, ok := rr.amount(row, "annual_investment", "年度计划投资", "annual investment"); ok {
		p.AnnualInvestment = v
	}
	if y, ok := rr.year(row, "start_year", "起始年份", "start year"); ok {
		p.StartYear = y
	}
	if y, ok := rr.year(row, "end_year", "结束年份", "end year"); ok {
		p.EndYear = y
		if p.StartYear != 0 && y != 0 && y < p.StartYear {
			rr.problem(rr.cols["end_year"], row.n, fmt.Sprintf("结束年份 %d 早于起始年份 %d", y, p.StartYear), fmt.Sprintf("end year %d is before start year %d", y, p.StartYear))
		}
	}
	var months []project.MonthlyPlan
	for _, mc := range rr.months {
		text := ""
		if mc.col < len(row.cells) {
			text = strings.TrimSpace(row.cells[mc.col])
		}
		if text == "" {
			continue // a month left blank keeps what is stored
		}
		x, ok := parseNumber(text)
		switch {
		case !ok:
			rr.problem(mc.col, row.n, fmt.Sprintf("%d年%d月计划投资「%s」不是有效数字", mc.year, mc.month, text), fmt.Sprintf("the plan for %d-%02d, %q, is not a number", mc.year, mc.month, text))
		case x < 0:
			rr.problem(mc.col, row.n, fmt.Sprintf("%d年%d月计划投资 %s 万元不能为负数", mc.year, mc.month, text), fmt.Sprintf("the plan for %d-%02d cannot be negative (%s)", mc.year, mc.month, text))
		default:
			months = append(months, project.MonthlyPlan{ProjectCode: code, Year: mc.year, Month: mc.month, Amount: x})
		}
	}
	if len(rr.probs) == before {
		if err := p.Validate(); err != nil {
			rr.fail(codeCol, row.n, err)
		}
	}
	return p, months, len(rr.probs) == before
}

// amount reads an investment in 万元; ok is false when the column is
// absent or the cell is refused. An empty cell is no figure.
func (rr *registerReader) amount(row registerSheetRow, key, zhName, enName string) (*float64, bool) {
	text, col, ok := rr.cell(row, key)
	if !ok {
		return nil, false
	}
	if text == "" {
		return nil, true
	}
	x, good := parseNumber(text)
	switch {
	case !good:
		rr.problem(col, row.n, fmt.Sprintf("%s「%s」不是有效数字", zhName, text), fmt.Sprintf("the %s %q is not a number", enName, text))
		return nil, false
	case x < 0:
		rr.problem(col, row.n, fmt.Sprintf("%s %s 万元不能为负数", zhName, text), fmt.Sprintf("the %s cannot be negative (%s)", enName, text))
		return nil, false
	}
	return &x, true
}

// year reads a year; an empty cell is 0, not known.
func (rr *registerReader) year(row registerSheetRow, key, zhName, enName string) (int, bool) {
	text, col, ok := rr.cell(row, key)
	if !ok {
		return 0, false
	}
	if text == "" {
		return 0, true
	}
	x, good := parseNumber(text)
	if !good || x != math.Trunc(x) || x < 1900 || x > 2100 {
		rr.problem(col, row.n, fmt.Sprintf("%s「%s」不是有效年份", zhName, text), fmt.Sprintf("the %s %q is not a year", enName, text))
		return 0, false
	}
	return int(x), true
}

// parseProjectStage reads a stage by its Chinese label, its code or its English
// label.
func parseProjectStage(text string) (project.Stage, bool) {
	for _, st := range project.Stages {
		if text == st.LabelZH() || strings.EqualFold(text, string(st)) || strings.EqualFold(text, st.LabelEN()) {
			return st, true
		}
	}
	return "", false
}

func projectStageLabels(label func(project.Stage) string, sep string) string {
	var out []string
	for _, st := range project.Stages {
		out = append(out, label(st))
	}
	return strings.Join(out, sep)
}

// sameProject reports whether two projects hold the same figures and text.
func sameProject(a, b project.Project) bool {
	same := func(x, y *float64) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	if !same(a.PlannedInvestment, b.PlannedInvestment) || !same(a.AnnualInvestment, b.AnnualInvestment) {
		return false
	}
	a.PlannedInvestment, a.AnnualInvestment, b.PlannedInvestment, b.AnnualInvestment = nil, nil, nil, nil
	return a == b
}

// registerChanges checks every row and compares it with what is stored.
func (s *Server) registerChanges(r *http.Request, sheet string, rows []registerSheetRow) (registerChanges, error) {
	ctx := r.Context()
	var ch registerChanges
	first := slices.IndexFunc(rows, func(row registerSheetRow) bool { return !registerBlankRow(row.cells) })
	if first < 0 {
		return ch, excelio.Problems{{Where: sheet, ZH: fmt.Sprintf("工作表「%s」是空的", sheet), EN: fmt.Sprintf("sheet %s is empty", sheet)}}
	}
	n, err := s.names(ctx)
	if err != nil {
		return ch, err
	}
	list, err := s.db.Projects(ctx, storage.ProjectFilter{})
	if err != nil {
		return ch, err
	}
	rr := &registerReader{sheet: sheet, names: n, existing: map[string]project.Project{}}
	next := 1
	for _, p := range list {
		rr.existing[p.Code] = p
		next = max(next, p.Position+1)
	}
	rr.header(rows[first])
	if len(rr.probs) > 0 {
		return ch, rr.probs
	}
	seen := map[string]string{}
	stored := map[string]map[int]float64{} // "code year" → month → amount
	data := 0
	for _, row := range rows[first+1:] {
		if registerBlankRow(row.cells) {
			continue
		}
		data++
		p, months, ok := rr.row(row, next)
		if len(rr.probs) > maxRegisterProblems {
			break
		}
		if !ok {
			continue
		}
		if at, dup := seen[p.Code]; dup {
			rr.problem(rr.cols["code"], row.n, fmt.Sprintf("项目编码 %s 与 %s 重复", p.Code, at), fmt.Sprintf("project %s is already in %s", p.Code, at))
			continue
		}
		seen[p.Code] = rr.where(rr.cols["code"], row.n)
		old, found := rr.existing[p.Code]
		switch {
		case !found:
			ch.New++
			next++
		case sameProject(old, p):
			ch.Unchanged++
		default:
			ch.Changed++
		}
		if !found || !sameProject(old, p) {
			ch.projects = append(ch.projects, p)
			ch.codes = append(ch.codes, p.Code)
		}
		for _, m := range months {
			key := fmt.Sprintf("%s %d", m.ProjectCode, m.Year)
			if _, ok := stored[key]; !ok {
				stored[key] = map[int]float64{}
				plans, err := s.db.MonthlyPlans(ctx, m.ProjectCode, m.Year)
				if err != nil {
					return ch, err
				}
				for _, sp := range plans {
					stored[key][sp.Month] = sp.Amount
				}
			}
			if amount, ok := stored[key][m.Month]; !ok || amount != m.Amount {
				ch.months = append(ch.months, m)
			}
		}
	}
	if data == 0 {
		rr.probs = append(rr.probs, excelio.Problem{Where: sheet, ZH: "表头下面没有数据行", EN: "there are no data rows below the header"})
	}
	if len(rr.probs) > maxRegisterProblems {
		rr.probs = append(rr.probs[:maxRegisterProblems], excelio.Problem{ZH: "问题过多，其余未列出", EN: "too many problems; the rest are not listed"})
	}
	if len(rr.probs) > 0 {
		return registerChanges{}, rr.probs
	}
	return ch, nil
}

func registerBlankRow(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
