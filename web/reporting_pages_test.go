package web

import (
	"context"
	"errors"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lantu/lantu/account"
	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/rules"
	"github.com/lantu/lantu/storage"
	"github.com/lantu/lantu/storage/storagetest"
)

// reportingMatrixCases are the authorization matrix's entries for the
// reporting pages. The matrix set-up opens 2021 as round 1 and 2023 as
// round 2; the form of round 2 shows 2022 as last period, where the
// matrix's markers are. The one write puts 7 into round 2, which the
// matrix looks for in the database.
var reportingMatrixCases = map[string]matrixCase{
	"reporting":            get("/reporting"),
	"reporting_round_open": emptyPost("/reporting/rounds"),
	"reporting_round": func(string, string) []matrixRequest {
		return []matrixRequest{{method: "GET", path: "/reporting/rounds/1"}, {method: "GET", path: "/reporting/rounds/2"}}
	},
	"reporting_review": emptyPost("/reporting/rounds/1/review"),
	"reporting_form": func(dept, _ string) []matrixRequest {
		return []matrixRequest{
			{method: "GET", path: "/reporting/rounds/1/departments/" + dept},
			{method: "GET", path: "/reporting/rounds/2/departments/" + dept},
		}
	},
	"reporting_save": func(dept, ind string) []matrixRequest {
		return []matrixRequest{{method: "POST", path: "/reporting/rounds/2/departments/" + dept, writes: true,
			body: url.Values{"value_" + ind: {"7"}}.Encode(), contentType: "application/x-www-form-urlencoded"}}
	},
}

// The rules the reporting tests set: an impossible forest cover is an
// error; afforestation that moves by more than half against last year
// (3.36 万亩 in 2020) is a warning.
var (
	forestRangeRule = rules.Rule{Code: "forest-range", Expression: `v("forest-cover") >= 0 && v("forest-cover") <= 100`, Severity: rules.SeverityError,
		MessageZH: "森林覆盖率 应在 0–100 之间，填写的是 {forest-cover}", MessageEN: "forest cover must be within 0–100, not {forest-cover}", Active: true}
	afforestationRule = rules.Rule{Code: "afforestation-jump", Expression: `abs(v("afforestation") / prev("afforestation") - 1) <= 0.5`, Severity: rules.SeverityWarning,
		MessageZH: "营造林面积 {afforestation} 万亩，比上期 {prev:afforestation} 万亩变化超过 50%", MessageEN: "afforestation changed by more than 50% against last year", Active: true}
)

func putReportingRules(t *testing.T, db *storage.DB) {
	t.Helper()
	ctx := context.Background()
	err := db.Write(ctx, audit.Actor{Name: "test"}, func(tx *storage.Tx) error {
		return errors.Join(tx.PutValidationRule(ctx, forestRangeRule), tx.PutValidationRule(ctx, afforestationRule))
	})
	if err != nil {
		t.Fatal(err)
	}
}

// forestryIndicators are the indicators forestry owns in the Gujiao data
// (indicators.csv), all yearly.
var forestryIndicators = []string{"afforestation", "forest-cover", "hazelnut-area-added", "sea-buckthorn-area"}

var (
	valueFieldPattern = regexp.MustCompile(`name="value_([a-z0-9-]+)"`)
	roundPathPattern  = regexp.MustCompile(`^/reporting/rounds/(\d+)\?done=round_opened`)
	tagsPattern       = regexp.MustCompile(`<[^>]*>`)
	spacePattern      = regexp.MustCompile(`\s+`)
	cellPattern       = regexp.MustCompile(`(?s)<t[dh][^>]*>(.*?)</t[dh]>`)
)

// textOf is the text of some markup, spaces collapsed.
func textOf(markup string) string {
	return strings.TrimSpace(spacePattern.ReplaceAllString(html.UnescapeString(tagsPattern.ReplaceAllString(markup, " ")), " "))
}

// formRowMarkup is the markup of the form's rows of an indicator.
func formRowMarkup(t *testing.T, body, code string) string {
	t.Helper()
	i := strings.Index(body, `id="row-`+code+`"`)
	if i < 0 {
		t.Fatalf("the form has no row for %s", code)
	}
	j := strings.Index(body[i:], "</tbody>")
	return body[i : i+j]
}

// tableRow is the text of each cell of the first table row holding want.
func tableRow(t *testing.T, body, want string) []string {
	t.Helper()
	i := strings.Index(body, want)
	if i < 0 {
		t.Fatalf("no row with %q", want)
	}
	start := strings.LastIndex(body[:i], "<tr")
	end := strings.Index(body[i:], "</tr>")
	var cells []string
	for _, m := range cellPattern.FindAllStringSubmatch(body[start:i+end], -1) {
		cells = append(cells, textOf(m[1]))
	}
	return cells
}

func storedValue(t *testing.T, db *storage.DB, ind string) (indicator.Value, bool) {
	t.Helper()
	v, err := db.Value(context.Background(), auth.SystemScope(), ind, "gujiao", period.MustParse("2021"))
	if apperr.Code(err) == apperr.NotFound {
		return v, false
	}
	if err != nil {
		t.Fatal(err)
	}
	return v, true
}

func wantStored(t *testing.T, db *storage.DB, ind string, number float64, status indicator.Status) indicator.Value {
	t.Helper()
	v, ok := storedValue(t, db, ind)
	if !ok || v.Number != number || v.Status != status {
		t.Fatalf("%s 2021 = %v (%v %s), want %v %s", ind, ok, v.Number, v.Status, number, status)
	}
	return v
}

// deptReporter signs in a reporter of another department than forestry.
func (s *authSite) deptReporter(t *testing.T, dept string) *browser {
	t.Helper()
	s.users++
	name := "r" + strings.ReplaceAll(dept, "-", "") + string(rune('a'+s.users))
	if _, err := s.accounts.CreateUser(context.Background(), auth.Subject{Name: "cli:test"},
		account.NewUser{Name: name, DisplayName: "测试" + dept, Role: auth.Reporter, Department: dept, Password: testPassword}, account.Client{}); err != nil {
		t.Fatal(err)
	}
	b := s.browser(t)
	wantStatus(t, "sign in "+name, b.signIn(name, testPassword), http.StatusSeeOther, "/")
	return b
}

// formPost is what the form sends: each field as typed, and the button.
func formPost(fields map[string]string, submit bool) url.Values {
	f := url.Values{"submit": {"0"}}
	if submit {
		f.Set("submit", "1")
	}
	for k, v := range fields {
		f.Set(k, v)
	}
	return f
}

// TestReportingPages goes through the first workflow with real HTTP: the
// planning office opens 2021, forestry fills in its form, the planning
// office reviews it, on SQLite and PostgreSQL.
func TestReportingPages(t *testing.T) {
	// Monday 10 January 2022, 09:00 in Gujiao: before the due date.
	clock := &testClock{t: time.Date(2022, 1, 10, 9, 0, 0, 0, indicator.Beijing)}
	storagetest.Each(t, clock.now, func(t *testing.T, db *storage.DB) {
		s := newAuthSite(t, db, clock)
		putReportingRules(t, db)
		planner, _, _ := s.signedIn(t, auth.Planner)
		forestry, _, _ := s.signedIn(t, auth.Reporter)
		hr := s.deptReporter(t, "hr-social")
		viewer, _, _ := s.signedIn(t, auth.Viewer)

		// The menu offers 填报 to those who report or review.
		for who, b := range map[string]*browser{"planner": planner, "reporter": forestry} {
			if !strings.Contains(b.page("/"), `href="/reporting"`) {
				t.Errorf("%s: no 填报 in the menu", who)
			}
		}
		if strings.Contains(viewer.page("/"), `href="/reporting"`) {
			t.Error("a viewer is offered 填报")
		}

		// 1. The planning office opens 2021: a holiday is refused with
		// the next working day; the form keeps what was typed.
		home := planner.page("/reporting")
		if !strings.Contains(home, `action="/reporting/rounds"`) || !strings.Contains(home, "尚未开放任何填报期") {
			t.Fatalf("the planner's reporting page has no form to open a round:\n%s", home)
		}
		a := planner.post("/reporting/rounds", url.Values{"period": {"2021"}, "due_date": {"2022-01-01"}, "note": {"请按时报送"}})
		wantStatus(t, "open 2021 due on New Year's Day", a, http.StatusBadRequest, "")
		if msg := flash(a.body, "error"); !strings.Contains(msg, "不是工作日") || !strings.Contains(msg, "2022-01-04") {
			t.Errorf("holiday refusal %q, want one naming the next working day 2022-01-04", msg)
		}
		if !strings.Contains(a.body, `value="2022-01-01"`) || !strings.Contains(a.body, `value="请按时报送"`) {
			t.Error("the refused form lost what was typed")
		}
		a = planner.post("/reporting/rounds", url.Values{"period": {"2021"}, "due_date": {"2022-01-14"}, "note": {"请按时报送"}})
		wantStatus(t, "open 2021", a, http.StatusSeeOther, "")
		m := roundPathPattern.FindStringSubmatch(a.location())
		if m == nil {
			t.Fatalf("open 2021 went to %q", a.location())
		}
		round := "/reporting/rounds/" + m[1]
		form := round + "/departments/forestry"
		if page := planner.page(a.location()); flash(page, "ok") != "已开放填报，共 47 项指标。" {
			t.Errorf("after opening: flash %q", flash(page, "ok"))
		}
		a = planner.post("/reporting/rounds", url.Values{"period": {"2021"}, "due_date": {"2022-01-14"}})
		wantStatus(t, "open 2021 twice", a, http.StatusConflict, "")

		// 2. Forestry sees its round and its form: exactly its indicators.
		mine := forestry.page("/reporting")
		if !strings.Contains(mine, `href="`+form+`"`) {
			t.Fatalf("forestry's reporting page does not link its form:\n%s", mine)
		}
		if got := tableRow(t, mine, "2022-01-14"); !slices.Equal(got[2:8], []string{"4", "4", "0", "0", "0", "0"}) {
			t.Errorf("forestry's round row %q, want 4 indicators, 4 not entered", got)
		}
		body := forestry.page(form)
		var codes []string
		for _, m := range valueFieldPattern.FindAllStringSubmatch(body, -1) {
			codes = append(codes, m[1])
		}
		slices.Sort(codes)
		if !slices.Equal(codes, forestryIndicators) {
			t.Errorf("forestry's form lists %q, want %q", codes, forestryIndicators)
		}
		if row := textOf(formRowMarkup(t, body, "forest-cover")); !strings.Contains(row, "森林覆盖率") || !strings.Contains(row, "18.77 % 2020年") || !strings.Contains(row, "未填") {
			t.Errorf("forest-cover row %q: want its name, 2020's 18.77%% and 未填", row)
		}
		for _, link := range []string{`href="` + form + `/template.xlsx"`, `action="` + form + `/upload"`, `enctype="multipart/form-data"`, `name="dry_run"`} {
			if !strings.Contains(body, link) {
				t.Errorf("the form has no %s", link)
			}
		}

		// 3. Refusals keep what was typed and name the row.
		a = forestry.post(form, formPost(map[string]string{"value_forest-cover": "187.7", "value_afforestation": "8"}, false))
		wantStatus(t, "forest cover 187.7", a, http.StatusBadRequest, "")
		row := formRowMarkup(t, a.body, "forest-cover")
		if !strings.Contains(row, "森林覆盖率 应在 0–100 之间，填写的是 187.7") || !strings.Contains(row, `value="187.7"`) {
			t.Errorf("187.7 refused without its message and value on its row:\n%s", row)
		}
		if !strings.Contains(a.body, "未保存任何数据") || !strings.Contains(formRowMarkup(t, a.body, "afforestation"), `value="8"`) {
			t.Error("the refusal does not say nothing was saved, or lost the other figure")
		}
		if err := checkHTML(a.body); err != nil {
			t.Errorf("refused form: %v", err)
		}
		if _, ok := storedValue(t, db, "afforestation"); ok {
			t.Fatal("a refused save wrote afforestation")
		}
		a = forestry.post(form, formPost(map[string]string{"value_forest-cover": "abc"}, false))
		wantStatus(t, "forest cover abc", a, http.StatusBadRequest, "")
		if !strings.Contains(formRowMarkup(t, a.body, "forest-cover"), "「森林覆盖率」应为数字，填写的是 abc") {
			t.Error("a word instead of a number is not named on its row")
		}

		// 4. A draft with a warning is saved, and the warning shown on its
		// row at once; the implied change is computed from what is shown.
		a = forestry.post(form, formPost(map[string]string{"value_forest-cover": "19.1", "value_afforestation": "8", "note_forest-cover": "森林资源二类调查"}, false))
		wantStatus(t, "draft with a warning", a, http.StatusOK, "")
		if row := textOf(formRowMarkup(t, a.body, "afforestation")); !strings.Contains(row, "营造林面积 8 万亩，比上期 3.36 万亩变化超过 50%") || !strings.Contains(row, "+138.1%") {
			t.Errorf("afforestation row after the draft %q: want the warning and +138.1%%", row)
		}
		if row := textOf(formRowMarkup(t, a.body, "forest-cover")); !strings.Contains(row, "+1.8%") || !strings.Contains(row, "填报") {
			t.Errorf("forest-cover row after the draft %q: want +1.8%% and 填报", row)
		}
		wantStored(t, db, "forest-cover", 19.1, indicator.Draft)
		wantStored(t, db, "afforestation", 8, indicator.Draft)

		// 5. Submitting needs the warning explained.
		a = forestry.post(form, formPost(map[string]string{"value_forest-cover": "19.1", "value_afforestation": "8", "note_forest-cover": "森林资源二类调查"}, true))
		wantStatus(t, "submit without explanation", a, http.StatusBadRequest, "")
		if row := textOf(formRowMarkup(t, a.body, "afforestation")); !strings.Contains(row, "报送前请填写说明") {
			t.Errorf("afforestation row %q: want the request for an explanation", row)
		}
		wantStored(t, db, "forest-cover", 19.1, indicator.Draft)
		a = forestry.post(form, formPost(map[string]string{"value_forest-cover": "19.1", "value_afforestation": "8", "note_forest-cover": "森林资源二类调查",
			"explanation_afforestation": "实施太行山国土绿化工程，新增造林任务"}, true))
		wantStatus(t, "submit with explanation", a, http.StatusSeeOther, form+"?done=report_submitted&n=2")
		if page := forestry.page(a.location()); flash(page, "ok") != "已报送 2 项数据，等待规划部门审核。" {
			t.Errorf("after submitting: flash %q", flash(page, "ok"))
		}
		submittedAt := wantStored(t, db, "afforestation", 8, indicator.Submitted).SubmittedAt
		if v := wantStored(t, db, "forest-cover", 19.1, indicator.Submitted); v.Note != "森林资源二类调查" {
			t.Errorf("forest-cover note %q", v.Note)
		}

		// 6. Another department's reporter may neither open nor write
		// forestry's form.
		if a := hr.get(form); a.status != http.StatusForbidden {
			t.Errorf("hr-social opens forestry's form: %d", a.status)
		}
		hr.page(round + "/departments/hr-social")
		if a := hr.post(form, formPost(map[string]string{"value_forest-cover": "1"}, true)); a.status != http.StatusForbidden {
			t.Errorf("hr-social writes forestry's form: %d", a.status)
		}
		wantStored(t, db, "forest-cover", 19.1, indicator.Submitted)
		if a := forestry.get(round); a.status != http.StatusForbidden {
			t.Errorf("a reporter opens the review: %d", a.status)
		}

		// 7. Completeness, counted by hand: forestry owns 4 of the 47
		// indicators and reported 2, both on time; hr-social owns 2 and
		// reported none; in all 2 of 47 (4.3%).
		review := planner.page(round)
		if got := tableRow(t, review, ">古交市林业局</a>"); !slices.Equal(got, []string{"古交市林业局", "4", "2", "2", "0", "50.0%", "50.0%"}) {
			t.Errorf("forestry completeness %q", got)
		}
		if got := tableRow(t, review, ">古交市人力资源和社会保障局</a>"); !slices.Equal(got[1:], []string{"2", "0", "0", "0", "0.0%", "0.0%"}) {
			t.Errorf("hr-social completeness %q", got)
		}
		if got := tableRow(t, review, "全部部门"); !slices.Equal(got, []string{"全部部门", "47", "2", "2", "0", "4.3%", "4.3%"}) {
			t.Errorf("completeness in all %q", got)
		}
		if got := tableRow(t, planner.page("/reporting"), "2022-01-14"); !slices.Equal(got[3:7], []string{"47", "4.3% 2/47", "4.3% 2/47", "0"}) {
			t.Errorf("the round in the list %q", got)
		}
		if !strings.Contains(review, `value="forest-cover/gujiao/2021"`) || !strings.Contains(review, "实施太行山国土绿化工程，新增造林任务") {
			t.Error("the review queue lacks forest-cover or afforestation's explanation")
		}

		// 8. The planning office returns forest cover with a comment.
		a = planner.post(round+"/review", url.Values{"action": {"return"}, "key": {"forest-cover/gujiao/2021"}})
		wantStatus(t, "return without comment", a, http.StatusBadRequest, "")
		if !strings.Contains(flash(a.body, "error"), "退回需要填写原因") || !strings.Contains(a.body, `value="forest-cover/gujiao/2021" checked`) {
			t.Errorf("return without a comment: %q, or the selection was lost", flash(a.body, "error"))
		}
		a = planner.post(round+"/review", url.Values{"action": {"return"}, "key": {"forest-cover/gujiao/2021"}, "comment": {"与林业普查数不符，请核实"}})
		wantStatus(t, "return", a, http.StatusSeeOther, round+"?done=review_return&n=1#queue")
		wantStored(t, db, "forest-cover", 19.1, indicator.Draft)
		body = forestry.page(form)
		if row := textOf(formRowMarkup(t, body, "forest-cover")); !strings.Contains(row, "与林业普查数不符，请核实") || !strings.Contains(row, "退回") {
			t.Errorf("forestry does not see the return: %q", row)
		}

		// 9. Forestry corrects it and submits again; afforestation, shown
		// unchanged, is not sent again and keeps its submission time.
		clock.advance(10 * time.Minute)
		a = forestry.post(form, formPost(map[string]string{"value_forest-cover": "19.05", "value_afforestation": "8", "note_forest-cover": "森林资源二类调查",
			"explanation_afforestation": "实施太行山国土绿化工程，新增造林任务"}, true))
		wantStatus(t, "resubmit", a, http.StatusSeeOther, form+"?done=report_submitted&n=1")
		if v := wantStored(t, db, "forest-cover", 19.05, indicator.Submitted); v.ReviewComment != "" {
			t.Errorf("the comment stays after resubmission: %q", v.ReviewComment)
		}
		if v := wantStored(t, db, "afforestation", 8, indicator.Submitted); !v.SubmittedAt.Equal(submittedAt) {
			t.Errorf("afforestation was submitted again: %v, first %v", v.SubmittedAt, submittedAt)
		}

		// 10. Approve both; reopen one with a reason; it comes back; publish.
		both := url.Values{"key": {"forest-cover/gujiao/2021", "afforestation/gujiao/2021"}}
		post := func(action, comment string, keys url.Values, n string) {
			t.Helper()
			f := url.Values{"action": {action}, "comment": {comment}, "key": keys["key"]}
			wantStatus(t, action, planner.post(round+"/review", f), http.StatusSeeOther, round+"?done=review_"+action+"&n="+n+"#queue")
		}
		post("approve", "", both, "2")
		wantStored(t, db, "forest-cover", 19.05, indicator.Approved)
		if row := textOf(formRowMarkup(t, forestry.page(form), "forest-cover")); !strings.Contains(row, "审核通过") {
			t.Errorf("forestry's row after approval: %q", row)
		}
		if !strings.Contains(formRowMarkup(t, forestry.page(form), "forest-cover"), "disabled") {
			t.Error("an approved figure can still be typed over")
		}
		review = planner.page(round)
		if !strings.Contains(review, `id="reopen-`) || !strings.Contains(review, `form="publish-form"`) {
			t.Error("approved figures offer no reopen or publish")
		}
		post("reopen", "面积口径需与林草局年报一致", url.Values{"key": {"afforestation/gujiao/2021"}}, "1")
		if v := wantStored(t, db, "afforestation", 8, indicator.Draft); v.ReviewComment != "面积口径需与林草局年报一致" {
			t.Errorf("reopened comment %q", v.ReviewComment)
		}
		a = forestry.post(form, formPost(map[string]string{"value_afforestation": "8",
			"explanation_afforestation": "实施太行山国土绿化工程，新增造林任务；口径已核对"}, true))
		wantStatus(t, "submit the reopened figure", a, http.StatusSeeOther, form+"?done=report_submitted&n=1")
		post("approve", "", url.Values{"key": {"afforestation/gujiao/2021"}}, "1")
		post("publish", "", both, "2")
		wantStored(t, db, "forest-cover", 19.05, indicator.Published)
		wantStored(t, db, "afforestation", 8, indicator.Published)
		if got := tableRow(t, planner.page(round), ">古交市林业局</a>"); !slices.Equal(got, []string{"古交市林业局", "4", "2", "2", "2", "50.0%", "50.0%"}) {
			t.Errorf("forestry completeness at the end %q", got)
		}

		// Every reporting page renders in both languages.
		for _, p := range []struct {
			b    *browser
			path string
		}{{planner, "/reporting"}, {planner, round}, {planner, form}, {forestry, "/reporting"}, {forestry, form}, {viewer, "/reporting"}} {
			for _, lang := range languages {
				p.b.page(withQuery(p.path, "lang="+lang))
			}
		}
	})
}

// TestReportingFlashes checks the confirmations the reporting pages look
// up by computed key.
func TestReportingFlashes(t *testing.T) {
	messages, err := loadCatalog(embedded)
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range languages {
		for _, key := range reportingFlashes {
			if _, err := messages.text(lang, "flash."+key); err != nil {
				t.Errorf("%s: %v", lang, err)
			}
		}
	}
}

func TestParseNumber(t *testing.T) {
	for in, want := range map[string]float64{"19.05": 19.05, " 3,610 ": 3610, "１９．０５": 19.05, "-2.5": -2.5, ".5": 0.5, "8": 8, "1e+21": 1e21} {
		if got, ok := parseNumber(in); !ok || got != want {
			t.Errorf("parseNumber(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"abc", "", "NaN", "Inf", "1e400", "0x10", "1_000", "19.05%", "--1"} {
		if got, ok := parseNumber(in); ok {
			t.Errorf("parseNumber(%q) = %v, want a refusal", in, got)
		}
	}
}

func TestFormRowChange(t *testing.T) {
	last := figure{Number: "18.77"}
	for _, tc := range []struct {
		last  *figure
		value string
		want  string
	}{
		{&last, "19.1", "+1.8%"},
		{&last, "18.77", "0.0%"},
		{&figure{Number: "3.36"}, "1.2", "-64.3%"},
		{&figure{Number: "0"}, "5", ""},
		{nil, "5", ""},
		{&last, "abc", ""},
	} {
		if got := (formRow{Last: tc.last, Value: tc.value}).Change(); got != tc.want {
			t.Errorf("change to %q = %q, want %q", tc.value, got, tc.want)
		}
	}
}
