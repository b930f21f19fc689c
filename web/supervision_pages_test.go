package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/lantu/lantu/account"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/oversight"
	"github.com/lantu/lantu/storage"
	"github.com/lantu/lantu/storage/storagetest"
	"github.com/lantu/lantu/supervision"
)

// supervisionMatrixCases are the authorization matrix's entries for the
// routes of supervision_pages.go. The matrix database holds no order, so
// an order's page is not found for everyone; TestOrdersStayInTheirDepartments
// checks who sees which order.
var supervisionMatrixCases = map[string]matrixCase{
	"supervision_desk":       get("/supervision"),
	"dept_desk":              get("/desk"),
	"orders":                 get("/supervision/orders?state=all"),
	"order_new":              get("/supervision/orders/new"),
	"order_issue":            emptyPost("/supervision/orders"),
	"order":                  get("/supervision/orders/1"),
	"order_act":              emptyPost("/supervision/orders/1/act"),
	"scores":                 get("/supervision/scores"),
	"bulletins":              get("/supervision/bulletins"),
	"bulletin":               get("/supervision/bulletins/2024W20"),
	"bulletin_docx":          get("/supervision/bulletins/2024W20/docx"),
	"supervision_rules":      get("/supervision/rules"),
	"supervision_rules_save": emptyPost("/supervision/rules"),
	"inbox":                  get("/inbox"),
	"inbox_read":             emptyPost("/inbox/read"),
}

// signInAsIn signs in a new user of role in dept.
func signInAsIn(t *testing.T, accounts clockedAccounts, role auth.Role, dept, name string) (visitorCase, auth.Subject) {
	t.Helper()
	password := "supervision password for " + name
	id, err := accounts.CreateUser(context.Background(), auth.Subject{Name: "cli:test"},
		account.NewUser{Name: name, DisplayName: name, Role: role, Department: dept, Password: password}, account.Client{})
	if err != nil {
		t.Fatal(err)
	}
	return signInAgain(t, accounts, role, name, password, new(string)), auth.Subject{UserID: id, Name: name, Role: role, Department: dept}
}

var orderPathPattern = regexp.MustCompile(`^/supervision/orders/(\d+)\?done=issued$`)

// The office issues an order through the form; the lead department signs
// it on the order's page and finds it on its desk and in its inbox; a
// department with no part in it sees nothing of it anywhere; a stale form
// is told someone else acted first.
func TestOrdersStayInTheirDepartments(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		_, ts, accounts := gujiaoServer(t, db)
		office, _ := signInAsIn(t, accounts, auth.Supervisor, "", "du-office")
		lead, _ := signInAsIn(t, accounts, auth.Reporter, "transport", "jt-lead")
		other, _ := signInAsIn(t, accounts, auth.Reporter, "forestry", "ly-other")
		leader := signInAs(t, accounts, auth.Leader)

		const marker = "客运站督办事项甲乙丙"
		form := url.Values{"subject_kind": {"project"}, "subject_code": {"coach-station"}, "title": {marker},
			"requirement": {"倒排工期"}, "level": {"key"}, "lead": {"transport"}, "co": {"housing"}, "days": {"5"}, "return_days": {"2"}}
		status, loc := postFormLocation(t, ts.URL, office, "/supervision/orders", form)
		m := orderPathPattern.FindStringSubmatch(loc)
		if status != http.StatusSeeOther || m == nil {
			t.Fatalf("issuing through the form: %d → %q", status, loc)
		}
		orderPath := "/supervision/orders/" + m[1]

		// The lead sees it on its desk, in its inbox and on its page, and signs it.
		for _, path := range []string{"/desk", "/inbox", orderPath, "/supervision/orders"} {
			if status, body := do(t, ts.URL, lead, matrixRequest{method: "GET", path: path}); status != http.StatusOK || !strings.Contains(body, marker) {
				t.Errorf("the lead's %s: %d, marker shown %v", path, status, strings.Contains(body, marker))
			}
		}
		if status := postForm(t, ts.URL, lead, orderPath+"/act", url.Values{"kind": {"sign"}, "version": {"1"}}); status != http.StatusSeeOther {
			t.Fatalf("signing: %d", status)
		}
		// The same form sent again is stale.
		if status, body := do(t, ts.URL, lead, matrixRequest{method: "POST", path: orderPath + "/act", contentType: "application/x-www-form-urlencoded",
			body: url.Values{"kind": {"feedback"}, "version": {"1"}, "note": {"x"}, "_csrf": {lead.csrf}}.Encode()}); status != http.StatusConflict || !strings.Contains(body, "已被他人处理，请刷新后重试") {
			t.Errorf("a stale form: %d", status)
		}
		// Another department sees nothing of it.
		for _, path := range []string{"/desk", "/inbox", "/supervision/orders?state=all"} {
			if _, body := do(t, ts.URL, other, matrixRequest{method: "GET", path: path}); strings.Contains(body, marker) {
				t.Errorf("another department's %s shows the order", path)
			}
		}
		if status, body := do(t, ts.URL, other, matrixRequest{method: "GET", path: orderPath}); status != http.StatusNotFound || strings.Contains(body, marker) {
			t.Errorf("another department's view of the order: %d", status)
		}
		if status := postForm(t, ts.URL, other, orderPath+"/act", url.Values{"kind": {"feedback"}, "version": {"2"}, "note": {"x"}}); status != http.StatusNotFound {
			t.Errorf("another department acting on the order: %d", status)
		}
		// A city leader reads it; the timeline shows the signing.
		if status, body := do(t, ts.URL, leader, matrixRequest{method: "GET", path: orderPath}); status != http.StatusOK || !strings.Contains(body, "签收") {
			t.Errorf("a city leader's view: %d", status)
		}
		// The office's desk lists nothing to decide yet; its orders list has it.
		if _, body := do(t, ts.URL, office, matrixRequest{method: "GET", path: "/supervision/orders"}); !strings.Contains(body, marker) {
			t.Error("the office's list lacks the order")
		}
	})
}

// postFormLocation posts a form and returns the status and the redirect.
func postFormLocation(t *testing.T, base string, v visitorCase, path string, form url.Values) (int, string) {
	t.Helper()
	form.Set(csrfField, v.csrf)
	req, err := http.NewRequest("POST", base+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(v.cookie)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode, res.Header.Get("Location")
}

// The bulletin page and its Word document say the same: the ranking on the
// page is the ranking the service computed, in order.
func TestBulletinPage(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		_, ts, accounts := gujiaoServer(t, db)
		office, sub := signInAsIn(t, accounts, auth.Supervisor, "", "du-office")
		svc := oversight.New(db)
		if _, err := svc.IssueOrder(context.Background(), sub, supervision.Order{Subject: supervision.Subject{Kind: supervision.OnProject, Code: "coach-station"},
			Title: "t", Requirement: "r", Level: supervision.General, LeadDept: "transport", CoDepts: []string{"housing"}, DeadlineDays: 5}); err != nil {
			t.Fatal(err)
		}
		status, body := do(t, ts.URL, office, matrixRequest{method: "GET", path: "/supervision/bulletins/2024W20"})
		if status != http.StatusOK {
			t.Fatalf("bulletin page: %d", status)
		}
		i := strings.Index(body, `id="ranking"`)
		if i < 0 {
			t.Fatal("no ranking on the page")
		}
		rows := cellPattern.FindAllStringSubmatch(body[i:], -1)
		var cells []string
		for _, r := range rows {
			cells = append(cells, strings.TrimSpace(tagsPattern.ReplaceAllString(r[1], "")))
		}
		text := strings.Join(cells, "|")
		// Two departments take part in the order and score the base.
		for _, want := range []string{"1|交通局|80.0", "1|住建局|80.0"} {
			if !strings.Contains(text, want) {
				t.Errorf("ranking cells %q lack %q", text, want)
			}
		}
		status, doc := do(t, ts.URL, office, matrixRequest{method: "GET", path: "/supervision/bulletins/2024W20/docx"})
		if status != http.StatusOK || !strings.HasPrefix(doc, "PK") {
			t.Errorf("bulletin .docx: %d", status)
		}
	})
}

// The office changes the rules through the form; a threshold out of order
// is refused with the form shown again and nothing saved.
func TestSupervisionRulesForm(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		_, ts, accounts := gujiaoServer(t, db)
		office, _ := signInAsIn(t, accounts, auth.Supervisor, "", "du-office")
		form := url.Values{"yellow_behind": {"5"}, "red_behind": {"20"}, "milestone_days": {"10"}, "report_window": {"4"}, "red_missing": {"2"},
			"ladder_weeks": {"3"}, "due_weekday": {"4"}, "due_hour": {"12"}, "mayor": {"市长刘某"}, "base": {"100"}, "lead_on_time": {"2"},
			"co_on_time": {"1"}, "lead_overdue": {"-5"}, "co_overdue": {"-2.5"}, "report_late": {"-0.5"}, "report_missing": {"-1"}}
		if status := postForm(t, ts.URL, office, "/supervision/rules", form); status != http.StatusSeeOther {
			t.Fatalf("saving the rules: %d", status)
		}
		c, err := oversight.New(db).Config(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if c.Rules.YellowBehind != 5 || c.Rules.LadderWeeks != 3 || c.Rules.Due.Hour != 12 || c.Mayor != "市长刘某" || c.ScoreRules.Base != 100 || c.ScoreRules.WeeklyReportMissing != -1 {
			t.Errorf("saved config %+v %+v %q", c.Rules, c.ScoreRules, c.Mayor)
		}
		form.Set("red_behind", "3") // below yellow
		form.Set(csrfField, office.csrf)
		status, body := do(t, ts.URL, office, matrixRequest{method: "POST", path: "/supervision/rules", body: form.Encode(), contentType: "application/x-www-form-urlencoded"})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "flash-error") {
			t.Errorf("rules out of order: %d", status)
		}
		if c2, _ := oversight.New(db).Config(context.Background()); c2.Rules.RedBehind != 20 {
			t.Errorf("a refused form changed the rules: %v", c2.Rules.RedBehind)
		}
	})
}
