package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lantu/lantu/account"
	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/project"
	"github.com/lantu/lantu/storage"
	"github.com/lantu/lantu/storage/storagetest"
	"github.com/lantu/lantu/supervision"
	"github.com/lantu/lantu/watch"
)

// projectWatchMatrixCases are the authorization matrix's entries for the
// routes of project_watch.go and project_register.go. No Gujiao project
// belongs to the matrix's departments, so each uses 中电投岔口风电
// (energy's) for both: the route's permission is what is judged, and none
// of these writes the indicator value the matrix looks for.
var projectWatchMatrixCases = mergeCases(map[string]matrixCase{
	"project_report_save":     emptyPost("/projects/cpi-chakou-wind/reports"),
	"project_report_review":   emptyPost("/projects/cpi-chakou-wind/reports/2024W20/review"),
	"project_milestone_save":  emptyPost("/projects/cpi-chakou-wind/milestones"),
	"project_indicators_save": emptyPost("/projects/cpi-chakou-wind/indicators"),
}, projectRegisterMatrixCases)

// The project the tests watch: 新建汽车客运站, transport's, under
// construction.
const (
	watchedProject = "coach-station"
	watchedDept    = "transport"
	watchedPath    = "/projects/" + watchedProject
)

// signInDept signs in a new user of the role in the department.
func signInDept(t *testing.T, accounts clockedAccounts, role auth.Role, dept string) visitorCase {
	t.Helper()
	name := "w-" + dept + "-" + string(role)
	password := "watch password for " + name
	if _, err := accounts.CreateUser(context.Background(), auth.Subject{Name: "cli:test"},
		account.NewUser{Name: name, DisplayName: name, Role: role, Department: dept, Password: password}, account.Client{}); err != nil {
		t.Fatal(err)
	}
	return signInAgain(t, accounts, role, name, password, new(string))
}

// sendForm posts a form as the visitor and returns the status and the page.
func sendForm(t *testing.T, base string, v visitorCase, path string, form url.Values) (int, string) {
	t.Helper()
	form.Set(csrfField, v.csrf)
	return do(t, base, v, matrixRequest{method: "POST", path: path, body: form.Encode(), contentType: "application/x-www-form-urlencoded"})
}

func getPage(t *testing.T, base string, v visitorCase, path string) string {
	t.Helper()
	status, body := do(t, base, v, matrixRequest{method: "GET", path: path})
	if status != http.StatusOK {
		t.Fatalf("GET %s as %s: %d", path, roleName(v.role), status)
	}
	if err := checkHTML(body); err != nil {
		t.Fatalf("GET %s as %s: %v", path, roleName(v.role), err)
	}
	return body
}

// watchDates are the dates of the test: today in Beijing and the
// milestones' planned dates, as the storage keeps dates.
type watchDates struct {
	now                time.Time
	today, ms1, ms2    time.Time
	year               int
	todayText, ms1Text string
}

func newWatchDates() watchDates {
	now := time.Now()
	y, m, d := now.In(indicator.Beijing).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return watchDates{now: now, today: today, ms1: today.AddDate(0, 0, -30), ms2: today.AddDate(0, 0, -10), year: y,
		todayText: today.Format(time.DateOnly), ms1Text: today.AddDate(0, 0, -30).Format(time.DateOnly)}
}

// seedWatch gives the watched project a plan of 100 万元 a month this year
// and two milestones: the first due 30 days ago, the second 10 days ago.
func seedWatch(t *testing.T, db *storage.DB, d watchDates) {
	t.Helper()
	ctx := context.Background()
	err := db.Write(ctx, audit.Actor{Name: "test"}, func(tx *storage.Tx) error {
		for m := 1; m <= 12; m++ {
			if err := tx.PutMonthlyPlan(ctx, project.MonthlyPlan{ProjectCode: watchedProject, Year: d.year, Month: m, Amount: 100}); err != nil {
				return err
			}
		}
		for _, m := range []project.Milestone{
			{ProjectCode: watchedProject, Seq: 1, NameZH: "主体结构封顶", NameEN: "Structure topped out", Planned: d.ms1},
			{ProjectCode: watchedProject, Seq: 2, NameZH: "幕墙安装完成", NameEN: "Curtain wall installed", Planned: d.ms2},
		} {
			if err := tx.PutMilestone(ctx, m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func storedReport(t *testing.T, db *storage.DB, d watchDates) (project.WeeklyReport, bool) {
	t.Helper()
	r, found, err := db.WeeklyReport(context.Background(), watchedProject, projectWeek(d.now))
	if err != nil {
		t.Fatal(err)
	}
	return r, found
}

// TestProjectWeeklyReports goes through the second workflow on the
// project's page: transport files its weekly report through the form, a
// refused one comes back as typed, a stale one is told the version; the
// office returns it with a comment and accepts it again; another
// department and the public never see any of it.
func TestProjectWeeklyReports(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		srv, ts, accounts := gujiaoServer(t, db)
		ctx := context.Background()
		d := newWatchDates()
		week := projectWeek(d.now).String()
		seedWatch(t, db, d)
		transport := signInDept(t, accounts, auth.Reporter, watchedDept)
		forestry := signInAs(t, accounts, auth.Reporter)
		office := signInAs(t, accounts, auth.Supervisor)

		page := getPage(t, ts.URL, transport, watchedPath)
		plan := watch.InvestmentPlan{Year: d.year, Annual: 1200, Monthly: [12]float64{100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100}}
		for _, want := range []string{`id="watch"`, `name="progress"`, `id="investment-chart"`, "主体结构封顶", "幕墙安装完成",
			percent(watch.ExpectedProgress(plan, d.now)), "10 天，仍未完成"} {
			if !strings.Contains(page, want) {
				t.Errorf("the department's page lacks %q", want)
			}
		}

		// A refused report comes back as typed, with the reason; nothing
		// is stored.
		form := url.Values{"week": {week}, "version": {"0"}, "progress": {"主体结构封顶，幕墙进场"}, "invest_week": {"900"}, "invest_to_date": {"860"},
			"problems": {"征地拆迁滞后"}, "coordination": {string(project.AskCityLeader)}, "coordination_text": {"请联系市领导协调征地"},
			"ms_1": {d.todayText}, "action": {"submit"}}
		status, page := sendForm(t, ts.URL, transport, watchedPath+"/reports", form)
		if status != http.StatusBadRequest || !strings.Contains(textOf(page), "大于累计完成投资") {
			t.Fatalf("investment this week above the total: %d %s", status, problemsOf(page))
		}
		for _, typed := range []string{`value="900"`, "征地拆迁滞后", "请联系市领导协调征地", `value="` + d.todayText + `"`} {
			if !strings.Contains(page, typed) {
				t.Errorf("the refused form lost %q", typed)
			}
		}
		if _, found := storedReport(t, db, d); found {
			t.Fatal("a refused report was stored")
		}

		// Filed through the form, it is stored and listed.
		form.Set("invest_week", "120")
		form.Set("progress", "主体结构封顶，幕墙进场 <script>window.__xss=1</script>")
		if status, page := sendForm(t, ts.URL, transport, watchedPath+"/reports", form); status != http.StatusSeeOther {
			t.Fatalf("submit: %d %s", status, problemsOf(page))
		}
		r, found := storedReport(t, db, d)
		if !found || r.Status != project.ReportSubmitted || r.InvestToDate != 860 || r.Coordination != project.AskCityLeader || r.SubmittedBy != "w-transport-reporter" {
			t.Fatalf("stored %+v", r)
		}
		ms, err := db.Milestones(ctx, watchedProject)
		if err != nil {
			t.Fatal(err)
		}
		if !ms[0].Actual.Equal(d.today) || ms[1].Reached() {
			t.Errorf("milestones after the report: %+v", ms)
		}
		page = getPage(t, ts.URL, transport, watchedPath+"?done=submitted")
		text := textOf(page)
		for _, want := range []string{"周报已报送督查室", "已报送", "征地拆迁滞后", "860", "请联系市领导协调征地", "提请联系市领导协调", "30 天"} {
			if !strings.Contains(text, want) {
				t.Errorf("after filing, the page lacks %q", want)
			}
		}
		if strings.Contains(page, "<script>window.__xss") {
			t.Error("the report's text reached the page as markup")
		}

		// A form read before someone else saved is refused with the
		// version, keeping what was typed.
		form.Set("progress", "另一份填写")
		status, page = sendForm(t, ts.URL, transport, watchedPath+"/reports", form)
		if status != http.StatusConflict || !strings.Contains(textOf(page), "现存第 1 版，您编辑的是第 0 版") ||
			!strings.Contains(page, `name="version" value="1"`) || !strings.Contains(page, "另一份填写") {
			t.Fatalf("stale form: %d %s", status, problemsOf(page))
		}

		// Another department, and the public, see the public page only.
		for _, v := range []visitorCase{forestry, {}} {
			page := getPage(t, ts.URL, v, watchedPath)
			for _, secret := range []string{`id="watch"`, "征地拆迁滞后", "860", "幕墙进场", "主体结构封顶", `name="progress"`, "序时进度", "investment-chart"} {
				if strings.Contains(page, secret) {
					t.Errorf("%s sees %q on another department's project", roleName(v.role), secret)
				}
			}
		}
		if status, _ := sendForm(t, ts.URL, forestry, watchedPath+"/reports", form); status != http.StatusForbidden {
			t.Errorf("another department filed a report: %d", status)
		}
		if status, _ := sendForm(t, ts.URL, transport, watchedPath+"/reports/"+week+"/review", url.Values{"version": {"1"}, "decision": {"accept"}}); status != http.StatusForbidden {
			t.Errorf("the department reviewed its own report: %d", status)
		}

		// The office returns it: a comment is required.
		review := watchedPath + "/reports/" + week + "/review"
		status, page = sendForm(t, ts.URL, office, review, url.Values{"version": {"1"}, "decision": {"return"}, "comment": {"  "}})
		if status != http.StatusBadRequest || !strings.Contains(textOf(page), "退回周报须写明原因") {
			t.Fatalf("return without a comment: %d %s", status, problemsOf(page))
		}
		if status, page := sendForm(t, ts.URL, office, review, url.Values{"version": {"1"}, "decision": {"return"}, "comment": {"累计投资与月报不符，请核实"}}); status != http.StatusSeeOther {
			t.Fatalf("return: %d %s", status, problemsOf(page))
		}
		if r, _ := storedReport(t, db, d); r.Status != project.ReportReturned || r.ReviewComment != "累计投资与月报不符，请核实" {
			t.Fatalf("after return: %+v", r)
		}
		if text := textOf(getPage(t, ts.URL, transport, watchedPath)); !strings.Contains(text, "督查室退回意见： 累计投资与月报不符，请核实") {
			t.Error("the department does not see why its report was returned")
		}

		// Corrected and submitted again, then accepted: locked.
		form.Set("version", "2")
		form.Set("invest_to_date", "820")
		if status, page := sendForm(t, ts.URL, transport, watchedPath+"/reports", form); status != http.StatusSeeOther {
			t.Fatalf("submit again: %d %s", status, problemsOf(page))
		}
		if status, page := sendForm(t, ts.URL, office, review, url.Values{"version": {"3"}, "decision": {"accept"}}); status != http.StatusSeeOther {
			t.Fatalf("accept: %d %s", status, problemsOf(page))
		}
		if r, _ := storedReport(t, db, d); r.Status != project.ReportAccepted || r.InvestToDate != 820 || r.ReviewedBy != "m-supervisor" {
			t.Fatalf("after accept: %+v", r)
		}
		if !strings.Contains(getPage(t, ts.URL, transport, watchedPath), "此周报已审阅通过，不能再修改") {
			t.Error("an accepted report's form is still open")
		}
		form.Set("version", "4")
		if status, _ := sendForm(t, ts.URL, transport, watchedPath+"/reports", form); status != http.StatusConflict {
			t.Errorf("an accepted report was changed: %d", status)
		}

		// The lights of the week, and an order on the project.
		if _, err := srv.oversight.ComputeLights(ctx, projectWeek(d.now), d.now); err != nil {
			t.Fatal(err)
		}
		officeSub := auth.Subject{UserID: -1, Name: "test-office", Role: auth.Supervisor}
		order, err := srv.oversight.IssueOrder(ctx, officeSub, supervision.Order{Subject: supervision.Subject{Kind: supervision.OnProject, Code: watchedProject},
			Title: "新建汽车客运站幕墙节点逾期", Requirement: "十个工作日内完成幕墙安装并报送进度", Level: supervision.General, LeadDept: watchedDept, DeadlineDays: 10})
		if err != nil {
			t.Fatal(err)
		}
		lights, err := db.Lights(ctx, watchedProject)
		if err != nil || len(lights) != 1 {
			t.Fatalf("lights: %v %v", lights, err)
		}
		color := watch.Color(lights[0].Color)
		page = getPage(t, ts.URL, transport, watchedPath)
		text = textOf(page)
		for _, want := range []string{color.LabelZH(), "序时进度", "幕墙安装完成", order.Number, "新建汽车客运站幕墙节点逾期", "已交办"} {
			if !strings.Contains(text, want) {
				t.Errorf("the watch lacks %q", want)
			}
		}
		if !strings.Contains(page, `href="/supervision/orders/`) {
			t.Error("the order does not link to its page")
		}
		if !strings.Contains(getPage(t, ts.URL, office, watchedPath), `id="report"`) {
			t.Error("the office, a city-wide writer, does not get the form the service would take")
		}
	})
}

// TestProjectListLights: the list shows this week's light to those whose
// scope covers the project, filters by it, and shows the public nothing.
func TestProjectListLights(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		srv, ts, accounts := gujiaoServer(t, db)
		ctx := context.Background()
		d := newWatchDates()
		seedWatch(t, db, d)
		transport := signInDept(t, accounts, auth.Reporter, watchedDept)
		forestry := signInAs(t, accounts, auth.Reporter)

		public := getPage(t, ts.URL, visitorCase{}, "/projects")
		if _, err := srv.oversight.ComputeLights(ctx, projectWeek(d.now), d.now); err != nil {
			t.Fatal(err)
		}
		if got := getPage(t, ts.URL, visitorCase{}, "/projects"); got != public {
			t.Error("the public list changed when the lights were computed")
		}
		if got := getPage(t, ts.URL, visitorCase{}, "/projects?light=red"); strings.Contains(got, "light-") || strings.Count(got, `href="/projects/`) != strings.Count(public, `href="/projects/`) {
			t.Error("the public list answers a light filter")
		}
		lights, err := db.Lights(ctx, watchedProject)
		if err != nil || len(lights) != 1 {
			t.Fatalf("lights: %v %v", lights, err)
		}
		color := watch.Color(lights[0].Color)

		page := getPage(t, ts.URL, transport, "/projects")
		if row := rowMarkup(t, page, watchedPath); !strings.Contains(row, "light-"+string(color)) {
			t.Errorf("transport does not see its project's light %s: %s", color, row)
		}
		if row := rowMarkup(t, page, "/projects/cpi-chakou-wind"); strings.Contains(row, "light-") {
			t.Errorf("transport sees energy's light: %s", row)
		}
		if row := rowMarkup(t, getPage(t, ts.URL, forestry, "/projects"), watchedPath); strings.Contains(row, "light-") {
			t.Errorf("forestry sees transport's light: %s", row)
		}
		if got := getPage(t, ts.URL, transport, "/projects?light="+string(color)); !strings.Contains(got, `href="`+watchedPath+`"`) || strings.Contains(got, `href="/projects/cpi-chakou-wind"`) {
			t.Errorf("the %s filter does not list exactly transport's %s projects", color, color)
		}
		other := watch.Red
		if color == watch.Red {
			other = watch.Green
		}
		if got := getPage(t, ts.URL, transport, "/projects?light="+string(other)); strings.Contains(got, `href="`+watchedPath+`"`) {
			t.Errorf("the %s filter lists a %s project", other, color)
		}
		if status, _ := do(t, ts.URL, transport, matrixRequest{method: "GET", path: "/projects?light=blue"}); status != http.StatusBadRequest {
			t.Errorf("light=blue: %d", status)
		}
	})
}

// rowMarkup is the markup of the table row linking to href.
func rowMarkup(t *testing.T, page, href string) string {
	t.Helper()
	i := strings.Index(page, `href="`+href+`"`)
	if i < 0 {
		t.Fatalf("no row links to %s", href)
	}
	start := strings.LastIndex(page[:i], "<tr")
	end := strings.Index(page[i:], "</tr>")
	return page[start : i+end]
}

// milestoneFormOf is the milestone form as a browser sends it.
func milestoneFormOf(seq, name, planned, actual string) url.Values {
	return url.Values{"seq": {seq}, "name_zh": {name}, "planned": {planned}, "actual": {actual}}
}

func storedMilestones(t *testing.T, db *storage.DB) []project.Milestone {
	t.Helper()
	ms, err := db.Milestones(context.Background(), watchedProject)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// TestProjectMilestones: transport adds milestones on its project's page
// and sees how late each is; a milestone without a planned date is refused
// naming 计划日期, kept as typed, and nothing written; another milestone's
// number is not overwritten unless that one was opened to change; another
// department is refused and writes nothing; the public sees no form.
func TestProjectMilestones(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		_, ts, accounts := gujiaoServer(t, db)
		ctx := context.Background()
		d := newWatchDates()
		seedWatch(t, db, d)
		transport := signInDept(t, accounts, auth.Reporter, watchedDept)
		forestry := signInAs(t, accounts, auth.Reporter)
		path := watchedPath + "/milestones"
		day := func(n int) string { return d.today.AddDate(0, 0, n).Format(time.DateOnly) }

		page := getPage(t, ts.URL, transport, watchedPath)
		if !strings.Contains(page, `id="milestone-form"`) || !strings.Contains(page, `name="seq" value="3"`) {
			t.Fatal("transport gets no milestone form numbered after its two milestones")
		}

		// Added: one still open 12 days after its date, one reached 15
		// days late.
		for _, f := range []url.Values{milestoneFormOf("3", "竣工验收", day(-12), ""), milestoneFormOf("4", "设备安装完成", day(-20), day(-5))} {
			if status, page := sendForm(t, ts.URL, transport, path, f); status != http.StatusSeeOther {
				t.Fatalf("add milestone %s: %d %s", f.Get("seq"), status, problemsOf(page))
			}
		}
		ms := storedMilestones(t, db)
		if len(ms) != 4 || ms[2].NameZH != "竣工验收" || !ms[2].Planned.Equal(d.today.AddDate(0, 0, -12)) || ms[2].Reached() ||
			!ms[3].Actual.Equal(d.today.AddDate(0, 0, -5)) {
			t.Fatalf("stored milestones: %+v", ms)
		}
		page = getPage(t, ts.URL, transport, watchedPath+"?done=milestone")
		if !strings.Contains(textOf(page), "节点已保存") {
			t.Error("no confirmation after saving a milestone")
		}
		for seq, want := range map[string]string{"3": "12 天，仍未完成", "4": "15 天"} {
			row := textOf(rowMarkup(t, page, watchedPath+"?milestone="+seq+"#milestone-form"))
			if !strings.Contains(row, want) || (seq == "4" && strings.Contains(row, "仍未完成")) {
				t.Errorf("milestone %s's row %q lacks %q", seq, row, want)
			}
		}
		entries, err := db.AuditEntries(ctx, storage.AuditFilter{ObjectType: "milestone", ObjectID: watchedProject + "/3"})
		if err != nil || len(entries) != 1 || entries[0].Actor != "w-transport-reporter" || !strings.Contains(entries[0].Reason, "修改项目节点") {
			t.Errorf("the milestone is not in the audit trail with its author and reason: %+v %v", entries, err)
		}

		// Refusals show the form again as typed, naming the field, and
		// write nothing.
		before := storedMilestones(t, db)
		for _, c := range []struct {
			form        url.Values
			field, want string
		}{
			{milestoneFormOf("5", "试运行", "", ""), "planned", "计划日期：请填写"},
			{milestoneFormOf("5", "试运行", "2025-13-40", ""), "planned", "计划日期：「2025-13-40」不是有效日期"},
			{milestoneFormOf("5", "", day(10), ""), "name_zh", "节点名称：请填写"},
			{milestoneFormOf("5", "试运行", day(10), day(1)), "actual", "实际完成日期：" + day(1) + " 晚于今天"},
			{milestoneFormOf("0", "试运行", day(10), ""), "seq", "序号：「0」无效"},
			{milestoneFormOf("1", "试运行", day(10), ""), "seq", "序号：第 1 个节点已是「主体结构封顶」"},
		} {
			status, page := sendForm(t, ts.URL, transport, path, c.form)
			if status != http.StatusBadRequest || !strings.Contains(textOf(page), c.want) {
				t.Errorf("%v: %d, want 400 saying %q: %s", c.form, status, c.want, problemsOf(page))
				continue
			}
			if name := c.form.Get("name_zh"); name != "" && !strings.Contains(page, `value="`+name+`"`) {
				t.Errorf("%v: the refused form lost the name", c.form)
			}
			if tag := inputTag(page, c.field); !strings.Contains(tag, `aria-invalid="true"`) {
				t.Errorf("%v: the field %s is not marked: %s", c.form, c.field, tag)
			}
		}
		if after := storedMilestones(t, db); !sameMilestones(before, after) {
			t.Errorf("a refused milestone was written: %+v", after)
		}

		// Opened to change, milestone 1 takes a new name and its date
		// reached.
		if page := getPage(t, ts.URL, transport, watchedPath+"?milestone=1"); !strings.Contains(page, `name="editing" value="1"`) || !strings.Contains(page, `value="主体结构封顶"`) {
			t.Error("?milestone=1 does not open milestone 1 to change")
		}
		change := milestoneFormOf("1", "主体结构封顶（含地下室）", d.ms1Text, day(-2))
		change.Set("editing", "1")
		if status, page := sendForm(t, ts.URL, transport, path, change); status != http.StatusSeeOther {
			t.Fatalf("change milestone 1: %d %s", status, problemsOf(page))
		}
		if ms := storedMilestones(t, db); len(ms) != 4 || ms[0].NameZH != "主体结构封顶（含地下室）" || !ms[0].Actual.Equal(d.today.AddDate(0, 0, -2)) {
			t.Errorf("milestone 1 after the change: %+v", ms[0])
		}

		// Another department: refused, nothing written; it and the
		// public see neither the milestones nor the form.
		before = storedMilestones(t, db)
		if status, _ := sendForm(t, ts.URL, forestry, path, milestoneFormOf("6", "林业插入的节点", day(5), "")); status != http.StatusForbidden {
			t.Errorf("another department added a milestone: %d", status)
		}
		if after := storedMilestones(t, db); !sameMilestones(before, after) {
			t.Errorf("another department's milestone was written: %+v", after)
		}
		for _, v := range []visitorCase{forestry, {}} {
			if page := getPage(t, ts.URL, v, watchedPath); strings.Contains(page, "milestone-form") || strings.Contains(page, "竣工验收") {
				t.Errorf("%s sees transport's milestones", roleName(v.role))
			}
		}
	})
}

func sameMilestones(a, b []project.Milestone) bool {
	return slices.EqualFunc(a, b, func(x, y project.Milestone) bool {
		return x.Seq == y.Seq && x.NameZH == y.NameZH && x.NameEN == y.NameEN && x.Planned.Equal(y.Planned) && x.Actual.Equal(y.Actual)
	})
}

// inputTag is the markup of the form control named name.
func inputTag(page, name string) string {
	i := strings.Index(page, `name="`+name+`"`)
	if i < 0 {
		return ""
	}
	start := strings.LastIndex(page[:i], "<")
	return page[start : i+strings.Index(page[i:], ">")+1]
}

// TestProjectLinkedIndicators: transport links its project to indicators,
// chosen or typed; the links show to everyone who sees the watch section;
// an unknown code is refused naming it and nothing written; another
// department is refused.
func TestProjectLinkedIndicators(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		_, ts, accounts := gujiaoServer(t, db)
		ctx := context.Background()
		transport := signInDept(t, accounts, auth.Reporter, watchedDept)
		forestry := signInAs(t, accounts, auth.Reporter)
		leader := signInAs(t, accounts, auth.Leader)
		path := watchedPath + "/indicators"
		linked := func() []string {
			codes, err := db.ProjectIndicators(ctx, watchedProject)
			if err != nil {
				t.Fatal(err)
			}
			return codes
		}

		page := getPage(t, ts.URL, transport, watchedPath)
		if !strings.Contains(page, `id="ind-select"`) || !strings.Contains(page, `<option value="village-bus-service-rate">`) {
			t.Fatal("transport gets no choice of indicators")
		}

		if status, page := sendForm(t, ts.URL, transport, path, url.Values{"indicator": {"village-bus-service-rate"}}); status != http.StatusSeeOther {
			t.Fatalf("link: %d %s", status, problemsOf(page))
		}
		if got := linked(); len(got) != 1 || got[0] != "village-bus-service-rate" {
			t.Fatalf("linked after saving: %q", got)
		}
		for _, v := range []visitorCase{transport, leader} {
			page := getPage(t, ts.URL, v, watchedPath+"?done=indicators")
			if !strings.Contains(page, `<a href="/indicators/village-bus-service-rate">建制村通客车率</a>`) {
				t.Errorf("%s does not see the linked indicator as a link with its name", roleName(v.role))
			}
		}
		if page := getPage(t, ts.URL, leader, watchedPath); strings.Contains(page, `id="ind-select"`) || strings.Contains(page, `id="milestone-form"`) {
			t.Error("the leader, who reads but does not write projects, gets the forms")
		}
		entries, err := db.AuditEntries(ctx, storage.AuditFilter{ObjectType: "project_indicators", ObjectID: watchedProject})
		if err != nil || len(entries) != 1 || entries[0].Actor != "w-transport-reporter" || !strings.Contains(entries[0].Reason, "关联指标") {
			t.Errorf("the links are not in the audit trail: %+v %v", entries, err)
		}

		// An unknown code refuses the whole set, naming it.
		status, page := sendForm(t, ts.URL, transport, path, url.Values{"indicator": {"coal-capacity-cut", "no-such-indicator"}})
		if status != http.StatusBadRequest || !strings.Contains(textOf(page), "关联指标：指标「no-such-indicator」不存在") {
			t.Fatalf("unknown indicator: %d %s", status, problemsOf(page))
		}
		if !strings.Contains(page, `<option value="coal-capacity-cut" selected>`) {
			t.Error("the refused form lost the indicator chosen")
		}
		if got := linked(); len(got) != 1 || got[0] != "village-bus-service-rate" {
			t.Errorf("a refused set was written: %q", got)
		}

		// Codes typed, separated by spaces or commas, replace the set.
		if status, page := sendForm(t, ts.URL, transport, path, url.Values{"indicator": {" coal-capacity-cut，village-bus-service-rate  coal-capacity-cut "}}); status != http.StatusSeeOther {
			t.Fatalf("typed codes: %d %s", status, problemsOf(page))
		}
		if got := linked(); strings.Join(got, " ") != "coal-capacity-cut village-bus-service-rate" {
			t.Errorf("linked after typed codes: %q", got)
		}

		// Another department: refused; the public sees nothing.
		if status, _ := sendForm(t, ts.URL, forestry, path, url.Values{}); status != http.StatusForbidden {
			t.Errorf("another department changed the links: %d", status)
		}
		if got := linked(); len(got) != 2 {
			t.Errorf("another department's request changed the links: %q", got)
		}
		for _, v := range []visitorCase{forestry, {}} {
			if page := getPage(t, ts.URL, v, watchedPath); strings.Contains(page, "/indicators/village-bus-service-rate") || strings.Contains(page, "指标关联") {
				t.Errorf("%s sees transport's linked indicators", roleName(v.role))
			}
		}

		// None chosen clears the set.
		if status, _ := sendForm(t, ts.URL, transport, path, url.Values{}); status != http.StatusSeeOther || len(linked()) != 0 {
			t.Errorf("clearing the links: %d %q", status, linked())
		}
	})
}
