package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/cases"
	"github.com/lantu/lantu/casework"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/storage"
	"github.com/lantu/lantu/storage/storagetest"
)

// caseDashboardMatrixCases are the authorization matrix's entries for the
// routes of case_dashboard.go. The matrix database holds no case: every
// table is empty, whoever asks.
var caseDashboardMatrixCases = map[string]matrixCase{
	"case_dashboard": func(dept, _ string) []matrixRequest {
		return []matrixRequest{{method: "GET", path: "/cases/statistics"},
			{method: "GET", path: "/cases/statistics?type=petition&metric=return_rate&dept=" + dept}}
	},
	"case_dashboard_cases": func(dept, _ string) []matrixRequest {
		return []matrixRequest{{method: "GET", path: "/cases/statistics/cases?type=petition&metric=on_time_rate&part=den&dept=" + dept}}
	},
}

// dashboardNow is the clock of the statistics tests: late in 2024, so
// that the year 2024 is the default and counted as of now.
var dashboardNow = time.Date(2024, 12, 20, 10, 0, 0, 0, indicator.Beijing)

// dashboardServer is gujiaoServer with the clock at dashboardNow.
func dashboardServer(t *testing.T, db *storage.DB) (*httptest.Server, clockedAccounts) {
	t.Helper()
	_, _, accounts := gujiaoServer(t, db)
	srv, err := New(Config{DB: db, Accounts: accounts.Service, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: func() time.Time { return dashboardNow }})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts, accounts
}

// petitionWith is how one petition of the statistics tests goes: accepted
// on accepted, assigned to lead (none: never accepted nor assigned) and
// answered on answered.
type petitionWith struct {
	number, lead       string
	accepted, answered string
}

// moveDashboardPetitions registers the petitions and moves them through
// the service, as the bureau, the lead's officer and the lead's head.
func moveDashboardPetitions(t *testing.T, db *storage.DB, list []petitionWith) {
	t.Helper()
	ctx := context.Background()
	var now time.Time
	svc := &casework.Service{DB: db, Now: func() time.Time { return now }}
	bureau := auth.Subject{UserID: 1, Name: "xf", Role: auth.CaseOfficer, Department: "petition"}
	at := func(day, clock string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", day+" "+clock, indicator.Beijing)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	for _, p := range list {
		now = at(p.accepted, "09:00")
		c, err := svc.Register(ctx, bureau, cases.Case{Number: p.number, Type: cases.Petition(), Title: "道路积水 " + p.number})
		if err != nil {
			t.Fatal(err)
		}
		if p.lead == "" {
			continue
		}
		officer := auth.Subject{UserID: 2, Name: p.lead + "-officer", Role: auth.CaseOfficer, Department: p.lead}
		head := auth.Subject{UserID: 3, Name: p.lead + "-head", Role: auth.DeptHead, Department: p.lead}
		nextDay := at(p.accepted, "09:00").AddDate(0, 0, 1).Format(time.DateOnly)
		for _, st := range []struct {
			by   auth.Subject
			when time.Time
			a    cases.Action
		}{
			{bureau, at(p.accepted, "10:00"), cases.Action{Kind: cases.Accept}},
			{bureau, at(p.accepted, "11:00"), cases.Action{Kind: cases.Assign, LeadDept: p.lead}},
			{officer, at(nextDay, "09:00"), cases.Action{Kind: cases.Sign}},
			{officer, at(p.answered, "09:00"), cases.Action{Kind: cases.DraftAnswer, Note: "已疏通排水管道", Result: "support"}},
			{head, at(p.answered, "10:00"), cases.Action{Kind: cases.Approve, Accept: true}},
			{officer, at(p.answered, "11:00"), cases.Action{Kind: cases.SendAnswer}},
		} {
			now = st.when
			st.a.ExpectedVersion = c.Version
			if c, err = svc.Act(ctx, st.by, c.ID, st.a); err != nil {
				t.Fatalf("%s %s: %v", p.number, st.a.Kind, err)
			}
		}
	}
}

// dashboardCell is the text of one cell of the statistics table: the
// value and its terms, "66.7% 2 / 3"; "" when the row is not there.
func dashboardCell(t *testing.T, body, dept, metric string) string {
	t.Helper()
	row := regexp.MustCompile(`(?s)<tr data-dept="` + regexp.QuoteMeta(dept) + `"[^>]*>(.*?)</tr>`).FindStringSubmatch(body)
	if row == nil {
		return ""
	}
	cell := regexp.MustCompile(`(?s)<td[^>]* data-metric="` + metric + `">(.*?)</td>`).FindStringSubmatch(row[1])
	if cell == nil {
		t.Fatalf("row %q has no cell %s", dept, metric)
	}
	return strings.Join(strings.Fields(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(cell[1], " ")), " ")
}

var caseNumberLink = regexp.MustCompile(`<a href="/cases/\d+">([^<]+)</a>`)

// listedCases are the case numbers a drill-down page links, sorted.
func listedCases(body string) []string {
	var out []string
	for _, m := range caseNumberLink.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	slices.Sort(out)
	return out
}

// The housing bureau answers two petitions of 2024 on time and one late,
// the transport bureau one on time; one petition is never assigned and one
// of 2023 is answered late. The statistics of 2024 count 按时办结率 2/3 for
// housing, 1/1 for transport and 3/4 in all, chart them, and list the
// cases behind each term; a housing officer gets housing's figures and
// cases only, and is told so.
func TestCaseDashboardCountsByLeadDepartment(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		ts, accounts := dashboardServer(t, db)
		moveDashboardPetitions(t, db, []petitionWith{
			{"信访〔2024〕101号", "housing", "2024-03-04", "2024-03-20"},
			{"信访〔2024〕102号", "housing", "2024-03-04", "2024-04-15"},
			{"信访〔2024〕103号", "housing", "2024-03-04", "2024-06-03"}, // deadline May 6
			{"信访〔2024〕104号", "transport", "2024-03-04", "2024-03-25"},
			{"信访〔2024〕105号", "", "2024-03-04", ""},
			{"信访〔2023〕9号", "housing", "2023-05-04", "2023-09-01"}, // late, but of 2023
		})
		leader := signInAs(t, accounts, auth.Leader)
		housing, _ := signInAsIn(t, accounts, auth.CaseOfficer, "housing", "zj-stats")

		// The city's view: 2024 and petitions are the defaults.
		status, body := do(t, ts.URL, leader, matrixRequest{method: "GET", path: "/cases/statistics"})
		if status != http.StatusOK {
			t.Fatalf("the statistics: %d\n%s", status, body)
		}
		for _, tt := range []struct{ dept, metric, want string }{
			{"housing", "on_time_rate", "66.7% 2 / 3"},
			{"transport", "on_time_rate", "100.0% 1 / 1"},
			{noLeadParam, "on_time_rate", "— 0 / 0"}, // its clock never started
			{"", "on_time_rate", "75.0% 3 / 4"},
			{noLeadParam, "completion_rate", "0.0% 0 / 1"},
			{"", "completion_rate", "80.0% 4 / 5"},
		} {
			if got := dashboardCell(t, body, tt.dept, tt.metric); got != tt.want {
				t.Errorf("%s of %q: %q, want %q", tt.metric, tt.dept, got, tt.want)
			}
		}
		if strings.Contains(body, "信访〔2023〕9号") || !strings.Contains(body, "按时办结率") || !strings.Contains(body, "首次答复未超过期限的件数") {
			t.Error("the page lists a case, or lacks a metric's name or formula")
		}
		if strings.Contains(body, "按本部门可见事项统计") {
			t.Error("the city's view says it is a department's")
		}

		// The chart draws 按时办结率 by department, in the table's order.
		m := regexp.MustCompile(`(?s)<script type="application/json" id="case-dashboard-chart">(.*?)</script>`).FindStringSubmatch(body)
		if m == nil {
			t.Fatal("no chart data")
		}
		var c chart
		if err := json.Unmarshal([]byte(m[1]), &c); err != nil {
			t.Fatalf("the chart data: %v\n%s", err, m[1])
		}
		values := map[string]*float64{}
		for i, p := range c.Periods {
			values[p] = c.Series[0].Data[i]
		}
		if len(c.Series) != 1 || len(c.Periods) != 3 || c.Unit != "%" ||
			values["古交市住房和城乡建设管理局"] == nil || *values["古交市住房和城乡建设管理局"] != 66.7 ||
			values["古交市交通运输局"] == nil || *values["古交市交通运输局"] != 100 || values["未交办"] != nil {
			t.Errorf("the chart: %s", m[1])
		}

		// Each term lists its cases.
		drill := func(v visitorCase, query string) (int, []string) {
			status, body := do(t, ts.URL, v, matrixRequest{method: "GET", path: "/cases/statistics/cases?type=petition&year=2024&" + query})
			return status, listedCases(body)
		}
		for _, tt := range []struct {
			query string
			want  []string
		}{
			{"dept=housing&metric=on_time_rate&part=num", []string{"信访〔2024〕101号", "信访〔2024〕102号"}},
			{"dept=housing&metric=on_time_rate&part=den", []string{"信访〔2024〕101号", "信访〔2024〕102号", "信访〔2024〕103号"}},
			{"metric=on_time_rate&part=num", []string{"信访〔2024〕101号", "信访〔2024〕102号", "信访〔2024〕104号"}},
			{"dept=_none&metric=completion_rate&part=den", []string{"信访〔2024〕105号"}},
		} {
			if status, got := drill(leader, tt.query); status != http.StatusOK || !slices.Equal(got, tt.want) {
				t.Errorf("%s: %d %v, want %v", tt.query, status, got, tt.want)
			}
		}
		// The drill-down's link in the table is the one followed above.
		if !strings.Contains(body, `href="/cases/statistics/cases?dept=housing&amp;metric=on_time_rate&amp;part=num&amp;type=petition&amp;year=2024"`) {
			t.Error("the table does not link housing's numerator to its cases")
		}

		// The housing officer's view: its own cases only.
		status, body = do(t, ts.URL, housing, matrixRequest{method: "GET", path: "/cases/statistics?type=petition&year=2024"})
		if status != http.StatusOK || !strings.Contains(body, "按本部门可见事项统计") {
			t.Fatalf("the housing officer's statistics: %d, told it is its own view: %v", status, strings.Contains(body, "按本部门可见事项统计"))
		}
		for _, tt := range []struct{ dept, want string }{{"housing", "66.7% 2 / 3"}, {"", "66.7% 2 / 3"}, {"transport", ""}, {noLeadParam, ""}} {
			if got := dashboardCell(t, body, tt.dept, "on_time_rate"); got != tt.want {
				t.Errorf("the housing officer's %q row: %q, want %q", tt.dept, got, tt.want)
			}
		}
		if strings.Contains(body, "古交市交通运输局") {
			t.Error("the housing officer's statistics name the transport bureau")
		}
		if _, got := drill(housing, "dept=transport&metric=on_time_rate&part=den"); len(got) != 0 {
			t.Errorf("the housing officer lists transport's cases: %v", got)
		}
		if _, got := drill(housing, "metric=completion_rate&part=den"); !slices.Equal(got, []string{"信访〔2024〕101号", "信访〔2024〕102号", "信访〔2024〕103号"}) {
			t.Errorf("the housing officer's total lists %v", got)
		}
	})
}

// Unknown types, years, departments, metrics and parts are refused with
// 400, not shown as an empty page.
func TestCaseDashboardRefusesBadQueries(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		ts, accounts := dashboardServer(t, db)
		leader := signInAs(t, accounts, auth.Leader)
		for _, path := range []string{
			"/cases/statistics?type=nope",
			"/cases/statistics?year=abc",
			"/cases/statistics?year=2025",
			"/cases/statistics?dept=no-such-dept",
			"/cases/statistics?metric=bogus",
			"/cases/statistics/cases?type=petition&part=num",
			"/cases/statistics/cases?type=petition&metric=on_time_rate&part=all",
		} {
			if status, _ := do(t, ts.URL, leader, matrixRequest{method: "GET", path: path}); status != http.StatusBadRequest {
				t.Errorf("%s: %d, want 400", path, status)
			}
		}
		if status, _ := do(t, ts.URL, visitorCase{}, matrixRequest{method: "GET", path: "/cases/statistics"}); status == http.StatusOK {
			t.Error("the public gets the internal statistics")
		}
	})
}

// A quarter or a month counts the cases registered in it as they stood at
// its end: of housing's two petitions, the one of March was answered on
// time, the one of July late (accepted 2024-07-01, 60 days: deadline
// 2024-08-30, answered 2024-10-15), which by the end of Q3 was overdue.
func TestCaseDashboardByQuarterAndMonth(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		ts, accounts := dashboardServer(t, db)
		moveDashboardPetitions(t, db, []petitionWith{
			{"信访〔2024〕201号", "housing", "2024-03-04", "2024-03-20"},
			{"信访〔2024〕202号", "housing", "2024-07-01", "2024-10-15"},
		})
		leader := signInAs(t, accounts, auth.Leader)
		for _, tt := range []struct{ query, want string }{
			{"", "50.0% 1 / 2"},
			{"&period=2024Q1", "100.0% 1 / 1"},
			{"&period=2024Q3", "0.0% 0 / 1"},
			// As July ended, the July case was neither answered nor past its
			// deadline (Aug 30): nothing to count yet.
			{"&period=2024-07", "— 0 / 0"},
			{"&period=2024-05", ""}, // no case: no housing row
		} {
			status, body := do(t, ts.URL, leader, matrixRequest{method: "GET", path: "/cases/statistics?type=petition&year=2024" + tt.query})
			if status != http.StatusOK {
				t.Fatalf("%s: %d", tt.query, status)
			}
			if got := dashboardCell(t, body, "housing", "on_time_rate"); got != tt.want {
				t.Errorf("%s: housing's 按时办结率 %q, want %q", tt.query, got, tt.want)
			}
		}
		status, body := do(t, ts.URL, leader, matrixRequest{method: "GET", path: "/cases/statistics/cases?type=petition&year=2024&period=2024Q3&dept=housing&metric=on_time_rate&part=den"})
		if got := listedCases(body); status != http.StatusOK || !slices.Equal(got, []string{"信访〔2024〕202号"}) {
			t.Errorf("the cases of Q3: %d %v", status, got)
		}
		for _, bad := range []string{"2025Q1", "2024W03", "2024", "spring"} {
			if status, _ := do(t, ts.URL, leader, matrixRequest{method: "GET", path: "/cases/statistics?type=petition&year=2024&period=" + bad}); status != http.StatusBadRequest {
				t.Errorf("period %s: %d, want 400", bad, status)
			}
		}
	})
}
