package web

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lantu/lantu/apperr"
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
