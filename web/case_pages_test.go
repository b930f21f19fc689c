package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/cases"
	"github.com/lantu/lantu/casework"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/storage"
	"github.com/lantu/lantu/storage/storagetest"
)

// caseMatrixCases are the authorization matrix's entries for the routes of
// case_pages.go. The matrix database holds no case, so a case's page is
// not found for everyone; TestPetitionersStayOffThePages checks who sees
// which case and its submitter.
var caseMatrixCases = map[string]matrixCase{
	"cases":           get("/cases?state=all"),
	"case_new":        get("/cases/new"),
	"case_register":   emptyPost("/cases"),
	"case":            get("/cases/1"),
	"case_act":        emptyPost("/cases/1/act"),
	"case_statistics": get("/statistics/cases"),
	"case_answers":    get("/answers"),
	"api_cases":       get("/api/v1/cases?state=all"),
	"api_case":        get("/api/v1/cases/1"),
}

// caseServer is gujiaoServer for the case tests.
func caseServer(t *testing.T, db *storage.DB) (*httptest.Server, clockedAccounts) {
	t.Helper()
	_, ts, accounts := gujiaoServer(t, db)
	return ts, accounts
}

var casePathPattern = regexp.MustCompile(`^/cases/(\d+)\?done=registered$`)

// The petition bureau registers a petition through the form, accepts it
// and assigns it to the housing bureau through the case page. The
// petitioner's name and phone are then on the bureau's page of the case
// and on no page any other visitor gets: no role of another department,
// not the lead department, not the public.
func TestPetitionersStayOffThePages(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		ts, accounts := caseServer(t, db)
		bureau, _ := signInAsIn(t, accounts, auth.CaseOfficer, "petition", "xf-officer")
		housing, _ := signInAsIn(t, accounts, auth.CaseOfficer, "housing", "zj-officer")
		const name, phone, title = "张三丰", "13912345678", "小区供暖不达标甲乙丙"

		// A refusal shows the form again with the message.
		if status, body := do(t, ts.URL, bureau, matrixRequest{method: "POST", path: "/cases", contentType: "application/x-www-form-urlencoded",
			body: url.Values{"type": {cases.Petition().Code}, "title": {title}, "_csrf": {bureau.csrf}}.Encode()}); status != http.StatusUnprocessableEntity || !strings.Contains(body, "flash-error") {
			t.Errorf("a case without a number: %d", status)
		}
		status, loc := postFormLocation(t, ts.URL, bureau, "/cases", url.Values{"type": {cases.Petition().Code}, "number": {"信访〔2024〕1号"},
			"title": {title}, "submitter": {name}, "contact": {phone}})
		m := casePathPattern.FindStringSubmatch(loc)
		if status != http.StatusSeeOther || m == nil {
			t.Fatalf("registering through the form: %d → %q", status, loc)
		}
		casePath := "/cases/" + m[1]
		for i, form := range []url.Values{{"kind": {"accept"}}, {"kind": {"assign"}, "lead_dept": {"housing"}}} {
			form.Set("version", []string{"1", "2"}[i])
			if status := postForm(t, ts.URL, bureau, casePath+"/act", form); status != http.StatusSeeOther {
				t.Fatalf("%s: %d", form.Get("kind"), status)
			}
		}
		// A stale form is told someone else acted first.
		if status := postForm(t, ts.URL, bureau, casePath+"/act", url.Values{"kind": {"assign"}, "lead_dept": {"housing"}, "version": {"2"}}); status != http.StatusConflict {
			t.Errorf("a stale form: %d, want 409", status)
		}

		status, body := do(t, ts.URL, bureau, matrixRequest{method: "GET", path: casePath})
		if status != http.StatusOK || !strings.Contains(body, name) || !strings.Contains(body, phone) || !strings.Contains(body, "住房") {
			t.Fatalf("the bureau's page of the case: %d, name %v, phone %v", status, strings.Contains(body, name), strings.Contains(body, phone))
		}
		// The lead department sees the case, offered its signature, without the petitioner.
		if status, body := do(t, ts.URL, housing, matrixRequest{method: "GET", path: casePath}); status != http.StatusOK || !strings.Contains(body, title) || !strings.Contains(body, `value="sign"`) {
			t.Errorf("the lead's page of the case: %d, title shown %v", status, strings.Contains(body, title))
		}

		visitors := map[string]visitorCase{"housing officer": housing, "anonymous": {}}
		for _, role := range auth.Roles {
			visitors[string(role)+" of forestry"] = signInAs(t, accounts, role)
		}
		for who, v := range visitors {
			for _, path := range []string{"/cases", "/cases?state=all", casePath} {
				status, body := do(t, ts.URL, v, matrixRequest{method: "GET", path: path})
				if strings.Contains(body, name) || strings.Contains(body, phone) {
					t.Errorf("%s's %s (%d) shows the petitioner", who, path, status)
				}
			}
		}
		// A city leader sees the case itself; a forestry officer does not.
		if status, body := do(t, ts.URL, visitors["leader of forestry"], matrixRequest{method: "GET", path: casePath}); status != http.StatusOK || !strings.Contains(body, title) {
			t.Errorf("a city leader's page of the case: %d", status)
		}
		if status, body := do(t, ts.URL, visitors["case_officer of forestry"], matrixRequest{method: "GET", path: casePath}); status != http.StatusNotFound || strings.Contains(body, title) {
			t.Errorf("another department's page of the case: %d", status)
		}
		if status := postForm(t, ts.URL, visitors["case_officer of forestry"], casePath+"/act", url.Values{"kind": {"sign"}, "version": {"3"}}); status != http.StatusNotFound {
			t.Errorf("another department acting on the case: %d, want 404", status)
		}
	})
}

// The public statistics count the year's cases by type and show no case
// and no person.
func TestCaseStatisticsArePublicAndAnonymous(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		ts, _ := caseServer(t, db)
		svc := casework.New(db)
		bureau := auth.Subject{UserID: 1, Name: "xf", Role: auth.CaseOfficer, Department: "petition"}
		var first cases.Case
		for i, title := range []string{"小区供暖不达标", "道路积水"} {
			c, err := svc.Register(context.Background(), bureau, cases.Case{Number: "信访〔统计〕" + strconv.Itoa(i+1) + "号", Type: cases.Petition(),
				Title: title, Submitter: "张三丰", SubmitterContact: "13912345678"})
			if err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				first = c
			}
		}
		// The first is signed at once: 及时签收率 1 / 1 = 100.0%.
		housing := auth.Subject{UserID: 2, Name: "zj", Role: auth.CaseOfficer, Department: "housing"}
		for _, st := range []struct {
			by auth.Subject
			a  cases.Action
		}{{bureau, cases.Action{Kind: cases.Accept}}, {bureau, cases.Action{Kind: cases.Assign, LeadDept: "housing"}}, {housing, cases.Action{Kind: cases.Sign}}} {
			st.a.ExpectedVersion = first.Version
			var err error
			if first, err = svc.Act(context.Background(), st.by, first.ID, st.a); err != nil {
				t.Fatal(err)
			}
		}
		status, body := do(t, ts.URL, visitorCase{}, matrixRequest{method: "GET", path: "/statistics/cases"})
		if status != http.StatusOK || !strings.Contains(body, "信访事项 · 登记 2") {
			t.Fatalf("public statistics: %d\n%s", status, body)
		}
		if !regexp.MustCompile(`及时签收率</td>\s*<td class="r">100\.0%</td>\s*<td class="r nowrap">1 / 1</td>`).MatchString(body) {
			t.Errorf("the rate signed on time is not 100.0%% (1 / 1):\n%s", body)
		}
		for _, secret := range []string{"张三丰", "13912345678", "小区供暖不达标", "信访〔统计〕1号"} {
			if strings.Contains(body, secret) {
				t.Errorf("the public statistics show %q", secret)
			}
		}
		if status, _ := do(t, ts.URL, visitorCase{}, matrixRequest{method: "GET", path: "/statistics/cases?year=abc"}); status != http.StatusBadRequest {
			t.Errorf("a bad year: %d", status)
		}
		// The city's own types name the figures.
		local := cases.DefaultTypes()
		for i := range local {
			if local[i].Code == "petition" {
				local[i].NameZH = "来信来访事项"
			}
		}
		if err := svc.SaveTypes(context.Background(), audit.Actor{Name: "cli:test", Reason: "本市名称"}, local); err != nil {
			t.Fatal(err)
		}
		if _, body := do(t, ts.URL, visitorCase{}, matrixRequest{method: "GET", path: "/statistics/cases"}); !strings.Contains(body, "来信来访事项 · 登记 2") {
			t.Errorf("the public statistics do not use the city's types:\n%s", body)
		}
	})
}

// An answer to a suggestion is on the public page only once answered and
// only while the deputy agrees; the deputy's name never is.
func TestPublishedAnswersNeedConsent(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		ts, accounts := caseServer(t, db)
		office, officeSub := signInAsIn(t, accounts, auth.CaseOfficer, "npc-office", "rd-officer")
		ctx := context.Background()
		svc := casework.New(db)
		housing := auth.Subject{UserID: 90, Name: "zj", Role: auth.CaseOfficer, Department: "housing"}
		head := auth.Subject{UserID: 91, Name: "局长", Role: auth.DeptHead, Department: "housing"}
		suggestion := func(n int, title string, consent, answer bool) cases.Case {
			c, err := svc.Register(ctx, officeSub, cases.Case{Number: "建议〔公开〕" + strconv.Itoa(n) + "号", Type: cases.NPCSuggestion(),
				Title: title, Submitter: "王代表" + strconv.Itoa(n), PublishConsent: consent})
			if err != nil {
				t.Fatal(err)
			}
			steps := []struct {
				by auth.Subject
				a  cases.Action
			}{{officeSub, cases.Action{Kind: cases.Assign, LeadDept: "housing"}}}
			if answer {
				steps = append(steps, []struct {
					by auth.Subject
					a  cases.Action
				}{
					{housing, cases.Action{Kind: cases.Sign}},
					{housing, cases.Action{Kind: cases.DraftAnswer, Note: "答复正文" + title, Result: "A"}},
					{head, cases.Action{Kind: cases.Approve, Accept: true}},
					{housing, cases.Action{Kind: cases.SendAnswer}},
				}...)
			}
			for _, st := range steps {
				st.a.ExpectedVersion = c.Version
				if c, err = svc.Act(ctx, st.by, c.ID, st.a); err != nil {
					t.Fatalf("%s: %v", st.a.Kind, err)
				}
			}
			return c
		}
		agreed := suggestion(1, "加快老旧小区改造", true, true)
		suggestion(2, "增设公交线路", false, true)
		suggestion(3, "建设口袋公园", true, false)

		page := func() string {
			status, body := do(t, ts.URL, visitorCase{}, matrixRequest{method: "GET", path: "/answers"})
			if status != http.StatusOK {
				t.Fatalf("/answers: %d", status)
			}
			return body
		}
		body := page()
		for _, want := range []string{"建议〔公开〕1号", "加快老旧小区改造", "答复正文加快老旧小区改造", "A 已解决", "古交市住房和城乡建设管理局"} {
			if !strings.Contains(body, want) {
				t.Errorf("the published answer lacks %q", want)
			}
		}
		for _, secret := range []string{"王代表", "建议〔公开〕2号", "增设公交线路", "建议〔公开〕3号"} {
			if strings.Contains(body, secret) {
				t.Errorf("the public answers show %q", secret)
			}
		}
		// The office records that the deputy withdrew consent: the answer
		// goes.
		path := "/cases/" + strconv.FormatInt(agreed.ID, 10) + "/act"
		if status := postForm(t, ts.URL, office, path, url.Values{"kind": {"consent"}, "accept": {"0"}, "version": {strconv.Itoa(agreed.Version)}}); status != http.StatusSeeOther {
			t.Fatalf("withdrawing consent: %d", status)
		}
		if strings.Contains(page(), "加快老旧小区改造") {
			t.Error("the answer is still public after the consent was withdrawn")
		}
	})
}

// A department's desk lists the cases waiting for it, with the steps it
// may take, and the promises it made and has not kept; a co-handler sees
// its own step, another department nothing.
func TestDepartmentDeskShowsCases(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		ts, accounts := caseServer(t, db)
		ctx := context.Background()
		then := time.Date(2024, 3, 8, 10, 0, 0, 0, indicator.Beijing)
		svc := &casework.Service{DB: db, Now: func() time.Time { return then }}
		office := auth.Subject{UserID: 90, Name: "rd", Role: auth.CaseOfficer, Department: "npc-office"}
		housing := auth.Subject{UserID: 91, Name: "zj", Role: auth.CaseOfficer, Department: "housing"}
		head := auth.Subject{UserID: 92, Name: "局长", Role: auth.DeptHead, Department: "housing"}
		type step struct {
			by auth.Subject
			a  cases.Action
		}
		open := func(number string, steps ...step) {
			c, err := svc.Register(ctx, office, cases.Case{Number: number, Type: cases.NPCSuggestion(), Title: "事项" + number})
			if err != nil {
				t.Fatal(err)
			}
			for _, st := range steps {
				st.a.ExpectedVersion = c.Version
				if c, err = svc.Act(ctx, st.by, c.ID, st.a); err != nil {
					t.Fatalf("%s %s: %v", number, st.a.Kind, err)
				}
			}
		}
		open("建议〔台账〕1号", step{office, cases.Action{Kind: cases.Assign, LeadDept: "housing", CoDepts: []string{"transport"}}})
		open("建议〔台账〕2号",
			step{office, cases.Action{Kind: cases.Assign, LeadDept: "housing"}},
			step{housing, cases.Action{Kind: cases.Sign}},
			step{housing, cases.Action{Kind: cases.DraftAnswer, Note: "列入计划", Result: "B",
				Promises: []cases.Promise{{Text: "六月底前完成管网改造", Due: time.Date(2024, 6, 30, 0, 0, 0, 0, indicator.Beijing)}}}},
			step{head, cases.Action{Kind: cases.Approve, Accept: true}},
			step{housing, cases.Action{Kind: cases.SendAnswer}})

		desk := func(role auth.Role, dept, name string) string {
			v, _ := signInAsIn(t, accounts, role, dept, name)
			status, body := do(t, ts.URL, v, matrixRequest{method: "GET", path: "/desk"})
			if status != http.StatusOK {
				t.Fatalf("%s's desk: %d", name, status)
			}
			return body
		}
		lead := desk(auth.Reporter, "housing", "zj-desk")
		for _, want := range []string{"建议〔台账〕1号", "签收", "六月底前完成管网改造", "2024-06-30", "逾期未兑现"} {
			if !strings.Contains(lead, want) {
				t.Errorf("the lead's desk lacks %q", want)
			}
		}
		if strings.Contains(lead, ">建议〔台账〕2号</a><br>") {
			t.Error("the answered case is among the cases waiting for the lead")
		}
		co := desk(auth.CaseOfficer, "transport", "jt-desk")
		if !strings.Contains(co, "建议〔台账〕1号") || !strings.Contains(co, "报送协办意见") || strings.Contains(co, "六月底前完成管网改造") {
			t.Errorf("the co-handler's desk:\n%s", co)
		}
		if other := desk(auth.Reporter, "forestry", "ly-desk"); strings.Contains(other, "建议〔台账〕") {
			t.Error("another department's desk shows the cases")
		}
	})
}
