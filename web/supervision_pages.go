package web

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

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

// supervisionRoutes are the supervision office's and the departments'
// desks, the orders, the scores, the bulletins and the inbox.
func (s *Server) supervisionRoutes() []route {
	return []route{
		{Method: "GET", Pattern: "/supervision", Name: "supervision_desk", Summary: "the supervision office's desk: reports to review, requests to decide, overdue and due orders, red projects, weekly reports waiting", Permission: auth.Supervise, Handle: s.officeDesk},
		{Method: "GET", Pattern: "/desk", Name: "dept_desk", Summary: "a department's desk: the orders it leads or helps with by time left, and the weekly reports it owes this week", Permission: auth.RespondOrders, Handle: s.deptDesk},
		{Method: "GET", Pattern: "/supervision/orders", Name: "orders", Summary: "supervision orders (the visitor's department's only, unless city-wide), open or all", Permission: auth.ReadInternal, Handle: s.ordersPage},
		{Method: "GET", Pattern: "/supervision/orders/new", Name: "order_new", Summary: "the form to issue (交办) a supervision order", Permission: auth.Supervise, Handle: s.orderNew},
		{Method: "POST", Pattern: "/supervision/orders", Name: "order_issue", Summary: "issues an order: numbered, deadline counted in working days, departments notified (audited)", Permission: auth.Supervise, Handle: s.orderIssue},
		{Method: "GET", Pattern: "/supervision/orders/{id}", Name: "order", Summary: "one order: deadline and how it was computed, light, timeline of every step, the actions the visitor may take", Permission: auth.ReadInternal, Handle: s.orderPage},
		{Method: "POST", Pattern: "/supervision/orders/{id}/act", Name: "order_act", Summary: "a step on an order (sign, feedback, report, review, return, extension, remind, escalate) if the transition table allows it (audited; a stale version is a conflict)", Permission: auth.ReadInternal, Handle: s.orderAct},
		{Method: "GET", Pattern: "/supervision/scores", Name: "scores", Summary: "department scores of the year to date with the published formula and each point's event", Permission: auth.ReadInternal, Handle: s.scoresPage},
		{Method: "GET", Pattern: "/supervision/bulletins", Name: "bulletins", Summary: "the weekly bulletins (督查通报) of recent weeks", Permission: auth.ReadInternal, Handle: s.bulletinsPage},
		{Method: "GET", Pattern: "/supervision/bulletins/{week}", Name: "bulletin", Summary: "one week's bulletin: lights by department, red projects and their problems, overdue orders, the ranking", Permission: auth.ReadInternal, Handle: s.bulletinPage},
		{Method: "GET", Pattern: "/supervision/bulletins/{week}/docx", Name: "bulletin_docx", Summary: "the same bulletin as a Word document (audited download)", Permission: auth.Export, Handle: s.bulletinDocx},
		{Method: "GET", Pattern: "/supervision/rules", Name: "supervision_rules", Summary: "the rules of the lights, the ladder, the weekly report's due time and the scores, and who the mayor is", Permission: auth.Supervise, Handle: s.supervisionRulesPage},
		{Method: "POST", Pattern: "/supervision/rules", Name: "supervision_rules_save", Summary: "changes those rules after checking them (audited)", Permission: auth.Supervise, Handle: s.supervisionRulesSave},
		{Method: "GET", Pattern: "/inbox", Name: "inbox", Summary: "the visitor's notifications, newest first", Permission: auth.SignedIn, Handle: s.inboxPage},
		{Method: "POST", Pattern: "/inbox/read", Name: "inbox_read", Summary: "marks one notification, or all, read", Permission: auth.SignedIn, Handle: s.inboxRead},
	}
}

// orderRow is an order as lists show it.
type orderRow struct {
	Order    supervision.Order
	Lead     named
	Co       []named
	Light    supervision.Light
	DaysLeft int
	Deadline string // how it was computed, in the page's language
	Role     string // the visitor's department's part: lead or co
}

func (s *Server) orderRows(r *http.Request, list []supervision.Order, cfg oversight.Config) ([]orderRow, error) {
	n, err := s.names(r.Context())
	if err != nil {
		return nil, err
	}
	now, lang, sub := s.now(), languageOf(r), subjectOf(r)
	rows := make([]orderRow, 0, len(list))
	for _, o := range list {
		zh, en := o.DeadlineExplained()
		row := orderRow{Order: o, Lead: n.dept(o.LeadDept), Light: o.Light(now, cfg.Calendar, oversight.OrderYellowDays), DaysLeft: o.WorkingDaysLeft(now, cfg.Calendar),
			Deadline: pick(lang, zh, en)}
		for _, d := range o.CoDepts {
			row.Co = append(row.Co, n.dept(d))
		}
		switch {
		case sub.Department == o.LeadDept:
			row.Role = pick(lang, "牵头", "lead")
		case slices.Contains(o.CoDepts, sub.Department):
			row.Role = pick(lang, "协办", "co-handler")
		}
		rows = append(rows, row)
	}
	slices.SortStableFunc(rows, func(a, b orderRow) int { return a.DaysLeft - b.DaysLeft })
	return rows, nil
}

// visibleOrders is what the visitor may see: everything for city-wide
// roles, else the orders its department leads or helps with.
func visibleOrders(sub auth.Subject, f storage.OrderFilter) (storage.OrderFilter, bool) {
	if sub.Scope().All() {
		return f, true
	}
	if sub.Department == "" {
		return f, false
	}
	f.Dept = sub.Department
	return f, true
}

type officeDeskPage struct {
	Reported, Requests, Overdue, DueSoon []orderRow
	Red                                  []redRow
	Reports                              []reportRow
	Failed                               []storage.Delivery // not sent yet: retrying or given up
	Week                                 period.Period
}

type redRow struct {
	Project project.Project
	Owner   named
	Ladder  watch.Level
}

type reportRow struct {
	Report  project.WeeklyReport
	Project project.Project
	Owner   named
}

func (s *Server) officeDesk(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	cfg, err := s.oversight.Config(ctx)
	if err != nil {
		return err
	}
	open, err := s.db.Orders(ctx, storage.OrderFilter{OpenOnly: true})
	if err != nil {
		return err
	}
	rows, err := s.orderRows(r, open, cfg)
	if err != nil {
		return err
	}
	now := s.now()
	page := officeDeskPage{Week: period.Of(period.Week, now.In(indicator.Beijing))}
	for _, row := range rows {
		o := row.Order
		switch {
		case o.State == supervision.Reported:
			page.Reported = append(page.Reported, row)
		case o.State == supervision.ReturnRequested || o.PendingExtension != nil:
			page.Requests = append(page.Requests, row)
		case row.Light == supervision.Red:
			page.Overdue = append(page.Overdue, row)
		case row.Light == supervision.Yellow:
			page.DueSoon = append(page.DueSoon, row)
		}
	}
	n, err := s.names(ctx)
	if err != nil {
		return err
	}
	projects, err := s.db.Projects(ctx, storage.ProjectFilter{})
	if err != nil {
		return err
	}
	byCode := map[string]project.Project{}
	for _, p := range projects {
		byCode[p.Code] = p
	}
	lights, err := s.db.LightsOfWeek(ctx, page.Week)
	if err != nil {
		return err
	}
	for _, l := range lights {
		if watch.Color(l.Color) == watch.Red {
			p := byCode[l.ProjectCode]
			page.Red = append(page.Red, redRow{Project: p, Owner: n.dept(p.OwnerDept), Ladder: watch.Level(l.Ladder)})
		}
	}
	for _, wk := range []period.Period{page.Week.Prev(), page.Week} {
		reports, err := s.db.WeeklyReportsOfWeek(ctx, wk)
		if err != nil {
			return err
		}
		for _, rep := range reports {
			if rep.Status == project.ReportSubmitted {
				p := byCode[rep.ProjectCode]
				page.Reports = append(page.Reports, reportRow{Report: rep, Project: p, Owner: n.dept(p.OwnerDept)})
			}
		}
	}
	failed, err := s.db.FailedDeliveries(ctx, 100)
	if err != nil {
		return err
	}
	for _, d := range failed {
		if d.SentAt.IsZero() {
			page.Failed = append(page.Failed, d)
		}
	}
	return s.renderPrivate(w, r, http.StatusOK, "supervision_desk", page)
}

type deptDeskPage struct {
	Dept    named
	Orders  []orderRow
	Reports []owedReport
	Week    period.Period
	Cases   caseDesk
}

// owedReport is a weekly report a department owes or has filed this week.
type owedReport struct {
	Project project.Project
	Due     time.Time
	Report  *project.WeeklyReport // nil when not started
	State   watch.ReportState
}

func (s *Server) deptDesk(w http.ResponseWriter, r *http.Request) error {
	ctx, sub := r.Context(), subjectOf(r)
	if sub.Department == "" {
		return apperr.New(apperr.NotFound, "您不属于任何部门，没有部门待办", "you belong to no department, so there is no department desk")
	}
	cfg, err := s.oversight.Config(ctx)
	if err != nil {
		return err
	}
	n, err := s.names(ctx)
	if err != nil {
		return err
	}
	now := s.now()
	page := deptDeskPage{Dept: n.dept(sub.Department), Week: period.Of(period.Week, now.In(indicator.Beijing))}
	open, err := s.db.Orders(ctx, storage.OrderFilter{Dept: sub.Department, OpenOnly: true})
	if err != nil {
		return err
	}
	if page.Orders, err = s.orderRows(r, open, cfg); err != nil {
		return err
	}
	projects, err := s.db.Projects(ctx, storage.ProjectFilter{OwnerDept: sub.Department})
	if err != nil {
		return err
	}
	for _, p := range projects {
		if p.Stage == project.Completed || p.Stage == project.Operating {
			continue
		}
		due := watch.WeeklyDue(page.Week, cfg.Rules.Due, cfg.Calendar)
		owed := owedReport{Project: p, Due: due}
		rep, found, err := s.db.WeeklyReport(ctx, p.Code, page.Week)
		if err != nil {
			return err
		}
		if found {
			owed.Report = &rep
		}
		owed.State = watch.ReportStateAt(due, rep.SubmittedAt, now)
		page.Reports = append(page.Reports, owed)
	}
	if page.Cases, err = s.caseDesk(r, sub); err != nil {
		return err
	}
	return s.renderPrivate(w, r, http.StatusOK, "dept_desk", page)
}

type ordersPage struct {
	All  bool
	Rows []orderRow
}

func (s *Server) ordersPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	page := ordersPage{All: r.URL.Query().Get("state") == "all"}
	f, ok := visibleOrders(subjectOf(r), storage.OrderFilter{OpenOnly: !page.All})
	if ok {
		list, err := s.db.Orders(ctx, f)
		if err != nil {
			return err
		}
		cfg, err := s.oversight.Config(ctx)
		if err != nil {
			return err
		}
		if page.Rows, err = s.orderRows(r, list, cfg); err != nil {
			return err
		}
	}
	return s.renderPrivate(w, r, http.StatusOK, "orders", page)
}

// orderForm is an order being drafted, as typed.
type orderForm struct {
	SubjectKind, SubjectCode, Title, Requirement, Level, Lead string
	Co                                                        []string
	Days, ReturnDays                                          string
}

// HasCo reports whether the form names dept as a co-handler.
func (f orderForm) HasCo(dept string) bool { return slices.Contains(f.Co, dept) }

type orderNewPage struct {
	Form     orderForm
	Error    string
	Depts    []named
	Projects []project.Project
	Levels   []supervision.Level
	Kinds    []supervision.SubjectKind
}

func (s *Server) orderNewData(r *http.Request, f orderForm) (orderNewPage, error) {
	ctx := r.Context()
	page := orderNewPage{Form: f, Levels: supervision.Levels,
		Kinds: []supervision.SubjectKind{supervision.OnProject, supervision.OnTask, supervision.OnIndicator, supervision.OnCase}}
	depts, err := s.db.Departments(ctx)
	if err != nil {
		return page, err
	}
	for _, d := range depts {
		page.Depts = append(page.Depts, named{Code: d.Code, NameZH: d.NameZH, NameEN: d.NameEN})
	}
	page.Projects, err = s.db.Projects(ctx, storage.ProjectFilter{})
	return page, err
}

func (s *Server) orderNew(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := orderForm{SubjectKind: string(supervision.OnProject), SubjectCode: q.Get("project"), Level: supervision.General.String(), Days: "10", ReturnDays: "2"}
	page, err := s.orderNewData(r, f)
	if err != nil {
		return err
	}
	return s.renderPrivate(w, r, http.StatusOK, "order_new", page)
}

func (s *Server) orderIssue(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.New(apperr.Invalid, "表单无法读取", "the form could not be read")
	}
	f := orderForm{SubjectKind: r.PostFormValue("subject_kind"), SubjectCode: strings.TrimSpace(r.PostFormValue("subject_code")),
		Title: strings.TrimSpace(r.PostFormValue("title")), Requirement: strings.TrimSpace(r.PostFormValue("requirement")),
		Level: r.PostFormValue("level"), Lead: r.PostFormValue("lead"), Co: r.PostForm["co"],
		Days: strings.TrimSpace(r.PostFormValue("days")), ReturnDays: strings.TrimSpace(r.PostFormValue("return_days"))}
	o, err := func() (supervision.Order, error) {
		draft := supervision.Order{Subject: supervision.Subject{Kind: supervision.SubjectKind(f.SubjectKind), Code: f.SubjectCode},
			Title: f.Title, Requirement: f.Requirement, LeadDept: f.Lead}
		for _, c := range f.Co {
			if c != "" && c != f.Lead {
				draft.CoDepts = append(draft.CoDepts, c)
			}
		}
		if err := draft.Level.UnmarshalText([]byte(f.Level)); err != nil {
			return draft, err
		}
		var err error
		if draft.DeadlineDays, err = strconv.Atoi(f.Days); err != nil {
			return draft, apperr.Invalidf("办理期限应为工作日天数，填写的是 %q", "the deadline must be a number of working days, not %q", f.Days)
		}
		if f.ReturnDays != "" {
			if draft.ReturnWindowDays, err = strconv.Atoi(f.ReturnDays); err != nil {
				return draft, apperr.Invalidf("退办期限应为工作日天数，填写的是 %q", "the return window must be a number of working days, not %q", f.ReturnDays)
			}
		}
		return s.oversight.IssueOrder(r.Context(), subjectOf(r), draft)
	}()
	if err != nil {
		if !userError(err) {
			return err
		}
		page, perr := s.orderNewData(r, f)
		if perr != nil {
			return perr
		}
		page.Error = apperr.Message(err, languageOf(r))
		return s.renderPrivate(w, r, http.StatusUnprocessableEntity, "order_new", page)
	}
	http.Redirect(w, r, "/supervision/orders/"+strconv.FormatInt(o.ID, 10)+"?done=issued", http.StatusSeeOther)
	return nil
}

type orderPage struct {
	orderRow
	Events  []eventRow
	Actions []supervision.ActionKind
	Done    string
	Error   string
	Return  string // the last date a return may be asked
}

type eventRow struct {
	Event supervision.Event
	Dept  named
}

// order reads an order the visitor may see; one it may not is not found,
// so that its existence does not leak either.
func (s *Server) order(r *http.Request) (supervision.Order, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return supervision.Order{}, apperr.NotFoundf("督办单 %s 不存在", "supervision order %s not found", r.PathValue("id"))
	}
	o, err := s.db.Order(r.Context(), id)
	if err != nil {
		return o, err
	}
	sub := subjectOf(r)
	if !sub.Scope().All() && (sub.Department == "" || (o.LeadDept != sub.Department && !slices.Contains(o.CoDepts, sub.Department))) {
		return supervision.Order{}, apperr.NotFoundf("督办单 %d 不存在", "supervision order %d not found", id)
	}
	return o, nil
}

func (s *Server) orderPageData(r *http.Request, o supervision.Order) (orderPage, error) {
	ctx := r.Context()
	cfg, err := s.oversight.Config(ctx)
	if err != nil {
		return orderPage{}, err
	}
	rows, err := s.orderRows(r, []supervision.Order{o}, cfg)
	if err != nil {
		return orderPage{}, err
	}
	page := orderPage{orderRow: rows[0], Return: o.ReturnWindowEnd(cfg.Calendar).Format(time.DateOnly)}
	sub := subjectOf(r)
	if sub.Can(auth.Supervise) || sub.Can(auth.RespondOrders) {
		page.Actions = o.Allowed(supervision.Actor{Name: sub.Name, Dept: sub.Department, Office: sub.Can(auth.Supervise)})
		page.Actions = slices.DeleteFunc(page.Actions, func(k supervision.ActionKind) bool { return k == supervision.Assign })
	}
	events, err := s.db.OrderEvents(ctx, o.ID)
	if err != nil {
		return page, err
	}
	n, err := s.names(ctx)
	if err != nil {
		return page, err
	}
	for i := len(events) - 1; i >= 0; i-- {
		page.Events = append(page.Events, eventRow{Event: events[i], Dept: n.dept(events[i].ByDept)})
	}
	return page, nil
}

func (s *Server) orderPage(w http.ResponseWriter, r *http.Request) error {
	o, err := s.order(r)
	if err != nil {
		return err
	}
	page, err := s.orderPageData(r, o)
	if err != nil {
		return err
	}
	if done := r.URL.Query().Get("done"); done != "" {
		page.Done = pick(languageOf(r), "已办理。", "Done.")
		if done == "issued" {
			page.Done = pick(languageOf(r), "督办单已交办，相关单位已收到通知。", "The order was issued; the departments were notified.")
		}
	}
	return s.renderPrivate(w, r, http.StatusOK, "order", page)
}

func (s *Server) orderAct(w http.ResponseWriter, r *http.Request) error {
	o, err := s.order(r)
	if err != nil {
		return err
	}
	a := supervision.Action{Kind: supervision.ActionKind(r.PostFormValue("kind")), Note: strings.TrimSpace(r.PostFormValue("note")),
		Accept: r.PostFormValue("accept") == "1"}
	err = func() error {
		if a.ExpectedVersion, err = strconv.Atoi(r.PostFormValue("version")); err != nil {
			return apperr.New(apperr.Invalid, "表单缺少版本号，请刷新后重试", "the form has no version; reload and try again")
		}
		if d := strings.TrimSpace(r.PostFormValue("new_deadline")); d != "" {
			if a.NewDeadline, err = time.ParseInLocation(time.DateOnly, d, indicator.Beijing); err != nil {
				return apperr.Invalidf("延期日期 %q 应为 2024-06-21 这样的日期", "the new date %q must be a date such as 2024-06-21", d)
			}
		}
		_, err := s.oversight.Act(r.Context(), subjectOf(r), o.ID, a)
		return err
	}()
	if err != nil {
		if !userError(err) {
			return err
		}
		page, perr := s.orderPageData(r, o)
		if perr != nil {
			return perr
		}
		page.Error = apperr.Message(err, languageOf(r))
		status := http.StatusUnprocessableEntity
		if apperr.Code(err) == apperr.Conflict {
			status = http.StatusConflict
		}
		return s.renderPrivate(w, r, status, "order", page)
	}
	http.Redirect(w, r, "/supervision/orders/"+strconv.FormatInt(o.ID, 10)+"?done="+string(a.Kind), http.StatusSeeOther)
	return nil
}

type scoresPage struct {
	Year      int
	Ranking   []oversight.RankedDept
	FormulaZH string
	FormulaEN string
}

func (s *Server) scoresPage(w http.ResponseWriter, r *http.Request) error {
	now := s.now().In(indicator.Beijing)
	b, err := s.oversight.Bulletin(r.Context(), period.Of(period.Week, now), now)
	if err != nil {
		return err
	}
	return s.renderPrivate(w, r, http.StatusOK, "scores", scoresPage{Year: b.Week.Start().Year(), Ranking: b.Ranking, FormulaZH: b.FormulaZH, FormulaEN: b.FormulaEN})
}

type bulletinsPage struct {
	Weeks []period.Period
}

func (s *Server) bulletinsPage(w http.ResponseWriter, r *http.Request) error {
	week := period.Of(period.Week, s.now().In(indicator.Beijing))
	var page bulletinsPage
	for range 12 {
		page.Weeks = append(page.Weeks, week)
		week = week.Prev()
	}
	return s.renderPrivate(w, r, http.StatusOK, "bulletins", page)
}

// bulletinOf assembles the bulletin of the week in the path: for a past
// week as things stood at its end, for this week as they stand now.
func (s *Server) bulletinOf(r *http.Request) (oversight.Bulletin, error) {
	week, err := period.Parse(r.PathValue("week"))
	if err != nil || week.Kind != period.Week {
		return oversight.Bulletin{}, apperr.NotFoundf("通报 %s 不存在：期别应为 ISO 周，如 2024W18", "no bulletin %s: the period must be an ISO week such as 2024W18", r.PathValue("week"))
	}
	asOf := s.now()
	if end := week.End(); end.Before(asOf) {
		asOf = time.Date(end.Year(), end.Month(), end.Day(), 0, 0, 0, 0, indicator.Beijing).Add(-time.Second)
	}
	return s.oversight.Bulletin(r.Context(), week, asOf)
}

func (s *Server) bulletinPage(w http.ResponseWriter, r *http.Request) error {
	b, err := s.bulletinOf(r)
	if err != nil {
		return err
	}
	return s.renderPrivate(w, r, http.StatusOK, "bulletin", b)
}

func (s *Server) bulletinDocx(w http.ResponseWriter, r *http.Request) error {
	b, err := s.bulletinOf(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := oversight.WriteBulletin(&buf, b, bulletinIssuer); err != nil {
		return err
	}
	s.audit(r, audit.Download, "bulletin", b.Week.String(), map[string]any{"file": "bulletin.docx"})
	h := w.Header()
	h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="bulletin-%s.docx"`, b.Week.String()))
	h.Set("Cache-Control", "no-store")
	_, err = w.Write(buf.Bytes())
	return err
}

// bulletinIssuer signs the bulletin.
const bulletinIssuer = "督查室"

type inboxPage struct {
	Items  []storage.Notification
	Unread int
}

func (s *Server) inboxPage(w http.ResponseWriter, r *http.Request) error {
	sub := subjectOf(r)
	items, err := s.db.Inbox(r.Context(), sub.UserID, false, 200)
	if err != nil {
		return err
	}
	page := inboxPage{Items: items}
	for _, n := range items {
		if n.ReadAt.IsZero() {
			page.Unread++
		}
	}
	return s.renderPrivate(w, r, http.StatusOK, "inbox", page)
}

func (s *Server) inboxRead(w http.ResponseWriter, r *http.Request) error {
	var id int64
	if v := r.PostFormValue("id"); v != "" {
		var err error
		if id, err = strconv.ParseInt(v, 10, 64); err != nil || id <= 0 {
			return apperr.Invalidf("通知编号 %q 无效", "invalid notification %q", v)
		}
	}
	if err := s.db.MarkRead(r.Context(), subjectOf(r).UserID, id, s.now()); err != nil {
		return err
	}
	next := "/inbox"
	if link := r.PostFormValue("next"); strings.HasPrefix(link, "/") && !strings.HasPrefix(link, "//") {
		next = link
	}
	http.Redirect(w, r, next, http.StatusSeeOther) // #nosec G710 -- a local path only
	return nil
}

// rulesForm is the supervision rules as typed.
type rulesForm struct {
	YellowBehind, RedBehind, MilestoneDays, ReportWindow, RedMissing, LadderWeeks string
	DueWeekday, DueHour, Mayor                                                    string
	Base, LeadOnTime, CoOnTime, LeadOverdue, CoOverdue, ReportLate, ReportMissing string
}

type supervisionRulesPage struct {
	Form      rulesForm
	FormulaZH string
	FormulaEN string
	Error     string
	Done      bool
}

func formOfRules(c oversight.Config) rulesForm {
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	r, sr := c.Rules, c.ScoreRules
	return rulesForm{YellowBehind: f(r.YellowBehind), RedBehind: f(r.RedBehind), MilestoneDays: strconv.Itoa(r.MilestoneDays),
		ReportWindow: strconv.Itoa(r.ReportWindow), RedMissing: strconv.Itoa(r.RedMissing), LadderWeeks: strconv.Itoa(r.LadderWeeks),
		DueWeekday: strconv.Itoa(int(r.Due.Weekday)), DueHour: strconv.Itoa(r.Due.Hour), Mayor: c.Mayor,
		Base: f(sr.Base), LeadOnTime: f(sr.LeadOrderOnTime), CoOnTime: f(sr.CoOrderOnTime), LeadOverdue: f(sr.LeadOrderOverdue),
		CoOverdue: f(sr.CoOrderOverdue), ReportLate: f(sr.WeeklyReportLate), ReportMissing: f(sr.WeeklyReportMissing)}
}

func (s *Server) supervisionRulesPage(w http.ResponseWriter, r *http.Request) error {
	c, err := s.oversight.Config(r.Context())
	if err != nil {
		return err
	}
	return s.renderPrivate(w, r, http.StatusOK, "supervision_rules", supervisionRulesPage{Form: formOfRules(c),
		FormulaZH: c.ScoreRules.FormulaZH(), FormulaEN: c.ScoreRules.FormulaEN(), Done: r.URL.Query().Get("done") == "saved"})
}

func (s *Server) supervisionRulesSave(w http.ResponseWriter, r *http.Request) error {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	f := rulesForm{YellowBehind: v("yellow_behind"), RedBehind: v("red_behind"), MilestoneDays: v("milestone_days"), ReportWindow: v("report_window"),
		RedMissing: v("red_missing"), LadderWeeks: v("ladder_weeks"), DueWeekday: v("due_weekday"), DueHour: v("due_hour"), Mayor: v("mayor"),
		Base: v("base"), LeadOnTime: v("lead_on_time"), CoOnTime: v("co_on_time"), LeadOverdue: v("lead_overdue"), CoOverdue: v("co_overdue"),
		ReportLate: v("report_late"), ReportMissing: v("report_missing")}
	err := func() error {
		c, err := s.oversight.Config(r.Context())
		if err != nil {
			return err
		}
		var p numberParser
		rules := c.Rules
		rules.YellowBehind, rules.RedBehind = p.float("黄灯落后点数 yellow points", f.YellowBehind), p.float("红灯落后点数 red points", f.RedBehind)
		rules.MilestoneDays, rules.ReportWindow = p.int("节点逾期天数 milestone days", f.MilestoneDays), p.int("周报统计周数 report window", f.ReportWindow)
		rules.RedMissing, rules.LadderWeeks = p.int("红灯缺报次数 missing reports for red", f.RedMissing), p.int("每级红灯周数 red weeks per level", f.LadderWeeks)
		rules.Due = watch.DueRule{Weekday: time.Weekday(p.int("报送星期 due weekday", f.DueWeekday)), Hour: p.int("报送时刻 due hour", f.DueHour)}
		sr := watch.ScoreRules{Base: p.float("基础分 base", f.Base), LeadOrderOnTime: p.float("主办按期 lead on time", f.LeadOnTime),
			CoOrderOnTime: p.float("协办按期 co on time", f.CoOnTime), LeadOrderOverdue: p.float("主办逾期 lead overdue", f.LeadOverdue),
			CoOrderOverdue: p.float("协办逾期 co overdue", f.CoOverdue), WeeklyReportLate: p.float("周报迟报 report late", f.ReportLate),
			WeeklyReportMissing: p.float("周报未报 report missing", f.ReportMissing)}
		if p.err != nil {
			return p.err
		}
		return s.oversight.SaveRules(r.Context(), subjectOf(r), rules, sr, f.Mayor)
	}()
	if err != nil {
		if !userError(err) {
			return err
		}
		return s.renderPrivate(w, r, http.StatusUnprocessableEntity, "supervision_rules", supervisionRulesPage{Form: f, Error: apperr.Message(err, languageOf(r))})
	}
	http.Redirect(w, r, "/supervision/rules?done=saved", http.StatusSeeOther)
	return nil
}

// numberParser reads the numbers of a form, keeping the first mistake.
type numberParser struct{ err error }

func (p *numberParser) float(field, s string) float64 {
	x, err := strconv.ParseFloat(s, 64)
	if err != nil && p.err == nil {
		p.err = apperr.Invalidf("%s 应为数字，填写的是 %q", "%s must be a number, not %q", field, s)
	}
	return x
}

func (p *numberParser) int(field, s string) int {
	x, err := strconv.Atoi(s)
	if err != nil && p.err == nil {
		p.err = apperr.Invalidf("%s 应为整数，填写的是 %q", "%s must be a whole number, not %q", field, s)
	}
	return x
}
