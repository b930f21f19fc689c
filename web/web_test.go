package web

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lantu/lantu/account"
	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/dataset"
	"github.com/lantu/lantu/datasets"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/project"
	"github.com/lantu/lantu/storage"
	"github.com/lantu/lantu/storage/storagetest"
)

// site is a running server over a database holding the Gujiao bundle.
type site struct {
	t      *testing.T
	db     *storage.DB
	server *Server
	url    string
	client *http.Client // does not follow redirects
}

func newSite(t *testing.T, db *storage.DB) *site {
	t.Helper()
	ctx := context.Background()
	b, err := dataset.Read(datasets.Gujiao())
	if err != nil {
		t.Fatal(err)
	}
	if err := dataset.Load(ctx, db, audit.Actor{Name: "test"}, b); err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{DB: db, Accounts: account.New(db), Logger: slog.New(slog.NewTextHandler(t.Output(), nil))})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &site{t: t, db: db, server: s, url: ts.URL, client: client}
}

type response struct {
	status int
	header http.Header
	body   string
}

func (s *site) get(path string, cookies ...*http.Cookie) response {
	s.t.Helper()
	req, err := http.NewRequest("GET", s.url+path, nil)
	if err != nil {
		s.t.Fatal(err)
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	res, err := s.client.Do(req)
	if err != nil {
		s.t.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		s.t.Fatalf("GET %s: %v", path, err)
	}
	return response{status: res.StatusCode, header: res.Header, body: string(b)}
}

// page fetches an HTML page, expecting 200 and well-formed markup.
func (s *site) page(path string, cookies ...*http.Cookie) string {
	s.t.Helper()
	r := s.get(path, cookies...)
	if r.status != http.StatusOK {
		s.t.Fatalf("GET %s: status %d, want 200\n%s", path, r.status, r.body)
	}
	if err := checkHTML(r.body); err != nil {
		s.t.Fatalf("GET %s: %v", path, err)
	}
	return r.body
}

func TestPages(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		s := newSite(t, db)
		t.Run("EveryRoute", s.testEveryRoute)
		t.Run("HomeListsFiveGoals", s.testHomeListsGoals)
		t.Run("ForestCover", s.testForestCover)
		t.Run("EveryValueShown", s.testEveryValueShown)
		t.Run("NotFound", s.testNotFound)
		t.Run("BadFilter", s.testBadFilter)
		t.Run("LanguageSwitch", s.testLanguageSwitch)
		t.Run("NoOpenRedirect", s.testNoOpenRedirect)
		t.Run("Static", s.testStatic)
		// Last: it adds data.
		t.Run("ChartAndSample", s.testChartAndSample)
	})
}

// paths returns, for each pattern of the route table, the paths that
// exercise it with real codes and the status expected.
func (s *site) paths() map[string][]string {
	t := s.t
	ctx := context.Background()
	plans, err := s.db.Plans(ctx)
	if err != nil {
		t.Fatal(err)
	}
	inds, err := s.db.Indicators(ctx, storage.IndicatorFilter{})
	if err != nil {
		t.Fatal(err)
	}
	projects, err := s.db.Projects(ctx, storage.ProjectFilter{})
	if err != nil {
		t.Fatal(err)
	}
	areas, err := s.db.Areas(ctx)
	if err != nil {
		t.Fatal(err)
	}
	depts, err := s.db.Departments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p := map[string][]string{
		"/{$}":               {"/"},
		"/goals/{code}":      nil,
		"/indicators":        {"/indicators"},
		"/indicators/{code}": nil,
		"/projects":          {"/projects"},
		"/projects/{code}":   nil,
		"/org":               {"/org"},
		"/lang/{lang}":       {"/lang/zh?next=/org", "/lang/en?next=/org"},
		"/static/{file...}":  nil,
		"/healthz":           {"/healthz"},
		"/statistics/cases":  {"/statistics/cases", "/statistics/cases?year=2024"},
		"/answers":           {"/answers", "/answers?year=2024"},
		"/signin":            {"/signin", "/signin?next=%2Forg"},
	}
	for _, pl := range plans {
		p["/{$}"] = append(p["/{$}"], "/?plan="+url.QueryEscape(pl.Code))
		goals, err := s.db.Goals(ctx, pl.Code)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range goals {
			p["/goals/{code}"] = append(p["/goals/{code}"], "/goals/"+url.PathEscape(g.Code))
			p["/indicators"] = append(p["/indicators"], "/indicators?goal="+url.QueryEscape(g.Code))
		}
	}
	for _, a := range areas {
		p["/indicators"] = append(p["/indicators"], "/indicators?area="+url.QueryEscape(a.Code))
	}
	for _, d := range depts {
		p["/indicators"] = append(p["/indicators"], "/indicators?dept="+url.QueryEscape(d.Code))
		p["/projects"] = append(p["/projects"], "/projects?dept="+url.QueryEscape(d.Code))
	}
	for _, st := range project.Stages {
		p["/projects"] = append(p["/projects"], "/projects?stage="+string(st))
	}
	for _, ind := range inds {
		p["/indicators/{code}"] = append(p["/indicators/{code}"], "/indicators/"+url.PathEscape(ind.Code))
	}
	for _, pr := range projects {
		p["/projects/{code}"] = append(p["/projects/{code}"], "/projects/"+url.PathEscape(pr.Code))
	}
	for name := range s.server.assets.files {
		p["/static/{file...}"] = append(p["/static/{file...}"], "/static/"+name)
	}
	return p
}

// publicPages are the routes this test renders: every public GET that is
// not the API or a download. The authorization matrix test covers every
// route for every role.
func publicPages(routes []route) []route {
	var out []route
	for _, rt := range routes {
		if rt.Method == http.MethodGet && rt.Permission == auth.Public && !strings.HasPrefix(rt.Pattern, "/api/") && !strings.HasSuffix(rt.Pattern, ".csv") {
			out = append(out, rt)
		}
	}
	return out
}

func (s *site) testEveryRoute(t *testing.T) {
	s.t = t
	paths := s.paths()
	pages := publicPages(s.server.routes)
	if len(paths) != len(pages) {
		t.Errorf("test covers %d patterns, route table has %d public pages: keep them in step", len(paths), len(pages))
	}
	for _, rt := range pages {
		list, ok := paths[rt.Pattern]
		if !ok || len(list) == 0 {
			t.Errorf("route %s %s has no test path", rt.Method, rt.Pattern)
			continue
		}
		for _, path := range list {
			switch rt.Name {
			case "lang":
				r := s.get(path)
				if r.status != http.StatusSeeOther || r.header.Get("Location") != "/org" {
					t.Errorf("GET %s: %d to %q, want 303 to /org", path, r.status, r.header.Get("Location"))
				}
			case "static":
				if r := s.get(path); r.status != http.StatusOK || len(r.body) == 0 {
					t.Errorf("GET %s: status %d, %d bytes", path, r.status, len(r.body))
				}
			case "healthz":
				if r := s.get(path); r.status != http.StatusOK || r.body != "ok" {
					t.Errorf("GET %s: %d %q, want 200 ok", path, r.status, r.body)
				}
			default:
				for _, lang := range []string{zh, en} {
					body := s.page(withQuery(path, "lang="+lang))
					want := map[string]string{zh: `<html lang="zh-CN">`, en: `<html lang="en">`}[lang]
					if !strings.Contains(body, want) {
						t.Errorf("GET %s in %s: no %s", path, lang, want)
					}
				}
			}
		}
	}
}

func withQuery(path, q string) string {
	if strings.Contains(path, "?") {
		return path + "&" + q
	}
	return path + "?" + q
}

func (s *site) testHomeListsGoals(t *testing.T) {
	s.t = t
	zhPage := s.page("/")
	for _, name := range []string{"富强古交", "绿色古交", "宜居古交", "平安古交", "法治古交", "十四五规划", "2021", "2025", "2020"} {
		if !strings.Contains(zhPage, name) {
			t.Errorf("/ does not show %s", name)
		}
	}
	goals, err := s.db.Goals(context.Background(), "14th-fyp")
	if err != nil {
		t.Fatal(err)
	}
	if len(goals) != 5 {
		t.Fatalf("Gujiao has %d goals, want 5", len(goals))
	}
	enPage := s.page("/?lang=en")
	for _, g := range goals {
		if !strings.Contains(zhPage, `href="/goals/`+g.Code+`"`) {
			t.Errorf("/ does not link goal %s", g.Code)
		}
		if !strings.Contains(enPage, html.EscapeString(g.NameEN)) {
			t.Errorf("/?lang=en does not show %q", g.NameEN)
		}
	}
}

// forestCover finds the forest-cover indicator by its Chinese name, so the
// test does not depend on the code the dataset gives it.
func (s *site) forestCover(t *testing.T) indicator.Indicator {
	inds, err := s.db.Indicators(context.Background(), storage.IndicatorFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, ind := range inds {
		if ind.Current().NameZH == "森林覆盖率" {
			return ind
		}
	}
	t.Fatal("no indicator named 森林覆盖率 in the Gujiao bundle")
	return indicator.Indicator{}
}

func (s *site) testForestCover(t *testing.T) {
	s.t = t
	ind := s.forestCover(t)
	body := s.page("/indicators/" + ind.Code)
	if !regexp.MustCompile(`<span class="num">18\.77</span><span class="unit tight">%</span>`).MatchString(body) {
		t.Errorf("forest cover page does not show 18.77 %%")
	}
	for _, want := range []string{"2020年", "森林覆盖率达到18.77%", "<blockquote", "约束性", "古交市林业局"} {
		if !strings.Contains(body, want) {
			t.Errorf("forest cover page does not show %q", want)
		}
	}
	en := s.page("/indicators/" + ind.Code + "?lang=en")
	for _, want := range []string{"Forest cover", "18.77", "binding", "森林覆盖率达到18.77%"} {
		if !strings.Contains(en, want) {
			t.Errorf("forest cover page in English does not show %q", want)
		}
	}
}

// testEveryValueShown checks that every value in the database is on its
// indicator's page with its number, its unit, its qualifier and its quote,
// in both languages.
func (s *site) testEveryValueShown(t *testing.T) {
	s.t = t
	ctx := context.Background()
	values, err := s.db.Values(ctx, storage.ValueFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(values) < 40 {
		t.Fatalf("only %d values in the Gujiao bundle; expected about forty", len(values))
	}
	pages := map[string]string{}
	for _, v := range values {
		ind, err := s.db.Indicator(ctx, v.IndicatorCode)
		if err != nil {
			t.Fatal(err)
		}
		d := definitionFor(ind, v.Period)
		for _, lang := range []string{zh, en} {
			path := "/indicators/" + url.PathEscape(v.IndicatorCode) + "?lang=" + lang
			body, ok := pages[path]
			if !ok {
				body = s.page(path)
				pages[path] = body
			}
			num := indicator.FormatNumber(v.Number, d.Decimals)
			unit := pick(lang, d.UnitZH, d.UnitEN)
			figure := `<span class="num">` + regexp.QuoteMeta(num) + `</span>` + regexp.QuoteMeta(newFigure(d, v.Number, v.Qualifier, v.Sample).AfterNumber(lang)) +
				`<span class="unit[^"]*">` + regexp.QuoteMeta(html.EscapeString(unit)) + `</span>`
			if !regexp.MustCompile(figure).MatchString(body) {
				t.Errorf("%s: value %s/%s/%s: no figure %s %s", path, v.IndicatorCode, v.OrgUnitCode, v.Period, num, unit)
			}
			if q := v.Qualifier; q != indicator.Exact {
				word := map[string]string{zh: q.SuffixZH(), en: q.PrefixEN()}[lang]
				if !strings.Contains(body, word) {
					t.Errorf("%s: value %s/%s/%s: qualifier %q not shown", path, v.IndicatorCode, v.OrgUnitCode, v.Period, word)
				}
			}
			if v.Quote != "" && !quoted(body, v.Quote) {
				t.Errorf("%s: value %s/%s/%s: quote %q not in a blockquote", path, v.IndicatorCode, v.OrgUnitCode, v.Period, v.Quote)
			}
			if v.Source != "" {
				src, err := s.db.Source(ctx, v.Source)
				if err == nil && !strings.Contains(html.UnescapeString(body), pick(lang, src.TitleZH, src.TitleEN)) {
					t.Errorf("%s: source title of %s not shown", path, v.Source)
				}
			}
		}
	}
}

var blockquotePattern = regexp.MustCompile(`(?s)<blockquote[^>]*>(.*?)</blockquote>`)
var tagPattern = regexp.MustCompile(`<[^>]*>`)

// quoted reports whether text is inside one of the page's blockquotes.
func quoted(body, text string) bool {
	for _, m := range blockquotePattern.FindAllStringSubmatch(body, -1) {
		if strings.Contains(html.UnescapeString(tagPattern.ReplaceAllString(m[1], "")), text) {
			return true
		}
	}
	return false
}

func (s *site) testNotFound(t *testing.T) {
	s.t = t
	for _, path := range []string{"/goals/no-such-goal", "/indicators/no-such-indicator", "/projects/no-such-project", "/no/such/page", "/?plan=no-such-plan", "/static/no-such.css"} {
		for _, lang := range []string{zh, en} {
			r := s.get(withQuery(path, "lang="+lang))
			if r.status != http.StatusNotFound {
				t.Errorf("GET %s: status %d, want 404", path, r.status)
				continue
			}
			if err := checkHTML(r.body); err != nil {
				t.Errorf("GET %s: error page: %v", path, err)
			}
			id := r.header.Get("X-Request-Id")
			if id == "" || !strings.Contains(r.body, id) {
				t.Errorf("GET %s: error page does not show the request id %q", path, id)
			}
			label := map[string]string{zh: "请求编号", en: "Request id"}[lang]
			if !strings.Contains(r.body, label) {
				t.Errorf("GET %s: error page not in %s", path, lang)
			}
			for _, leak := range []string{"storage:", "SELECT", "goroutine", "sql"} {
				if strings.Contains(r.body, leak) {
					t.Errorf("GET %s: error page shows %q", path, leak)
				}
			}
		}
	}
}

func (s *site) testBadFilter(t *testing.T) {
	s.t = t
	for _, path := range []string{"/indicators?dept=nope", "/indicators?goal=nope", "/indicators?area=nope", "/projects?stage=nope", "/projects?dept=nope", "/lang/fr"} {
		if r := s.get(path); r.status != http.StatusBadRequest {
			t.Errorf("GET %s: status %d, want 400", path, r.status)
		}
	}
}

func (s *site) testLanguageSwitch(t *testing.T) {
	s.t = t
	zhPage := s.page("/org")
	if !strings.Contains(zhPage, "<h1>组织机构</h1>") || !strings.Contains(zhPage, `href="/lang/en?next=%2Forg"`) {
		t.Errorf("/org in Chinese: heading or switch missing")
	}
	// The switch sets a cookie and comes back; the page is then English.
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Jar: jar}
	res, err := c.Get(s.url + "/lang/en?next=" + url.QueryEscape("/org"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.Request.URL.Path != "/org" || !strings.Contains(string(b), "<h1>Organisation</h1>") {
		t.Errorf("after /lang/en: at %s, English heading missing", res.Request.URL.Path)
	}
	if !strings.Contains(string(b), `href="/lang/zh?next=%2Forg"`) {
		t.Errorf("English page has no switch back to Chinese")
	}
	// Every page keeps the language: the cookie, not the link, carries it.
	res, err = c.Get(s.url + "/projects")
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(b), "<h1>Key projects</h1>") {
		t.Errorf("/projects after switching: not in English")
	}
	// ?lang= overrides the cookie for one request.
	body := s.page("/projects?lang=zh", &http.Cookie{Name: "lang", Value: "en"})
	if !strings.Contains(body, "<h1>重点项目</h1>") {
		t.Errorf("?lang=zh did not override the cookie")
	}

	r := s.get("/lang/en?next=/org")
	var cookie *http.Cookie
	for _, ck := range (&http.Response{Header: r.header}).Cookies() {
		if ck.Name == "lang" {
			cookie = ck
		}
	}
	if cookie == nil || cookie.Value != "en" || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Path != "/" {
		t.Errorf("lang cookie = %+v, want en, HttpOnly, SameSite=Lax, Path=/", cookie)
	}
}

func (s *site) testNoOpenRedirect(t *testing.T) {
	s.t = t
	for next, want := range map[string]string{
		"/org":                      "/org",
		"/indicators?dept=forestry": "/indicators?dept=forestry",
		"":                          "/",
		"//evil.example/":           "/",
		"https://evil.example/":     "/",
		"/\\evil.example":           "/",
		"/\t/evil.example":          "/",
		"evil.example":              "/",
		"javascript:alert(1)":       "/",
		"/%2F/evil.example":         "/%2F/evil.example",
		"///evil.example":           "/",
		"http:/evil.example":        "/",
		"/org\r\nSet-Cookie: x=1":   "/",
	} {
		r := s.get("/lang/en?next=" + url.QueryEscape(next))
		if r.status != http.StatusSeeOther {
			t.Errorf("next=%q: status %d, want 303", next, r.status)
			continue
		}
		if got := r.header.Get("Location"); got != want {
			t.Errorf("next=%q: Location %q, want %q", next, got, want)
		}
	}
}

func (s *site) testStatic(t *testing.T) {
	s.t = t
	r := s.get("/static/lantu.css")
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/css") {
		t.Errorf("lantu.css: %d %s", r.status, r.header.Get("Content-Type"))
	}
	if cc := r.header.Get("Cache-Control"); !strings.Contains(cc, "max-age=31536000") {
		t.Errorf("lantu.css Cache-Control %q, want a year", cc)
	}
	for _, path := range []string{"/static/", "/static/vendor/", "/static/vendor"} {
		if r := s.get(path); r.status != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404 (no directory listings)", path, r.status)
		}
	}
	page := s.page("/")
	if !regexp.MustCompile(`href="/static/lantu\.css\?v=[0-9a-f]{12}"`).MatchString(page) {
		t.Errorf("pages do not link the versioned stylesheet")
	}
}

// testChartAndSample adds a second year of forest cover, marked as sample
// data, and checks the chart and the badge.
func (s *site) testChartAndSample(t *testing.T) {
	s.t = t
	ctx := context.Background()
	ind := s.forestCover(t)
	// Published, so that the public page shows it.
	v := indicator.Value{IndicatorCode: ind.Code, OrgUnitCode: "gujiao", Period: period.MustParse("2021"), Number: 19.05,
		Status: indicator.Published, EnteredBy: "test", EnteredAt: time.Date(2022, 1, 10, 2, 0, 0, 0, time.UTC), Sample: true,
		ApprovedBy: "planner", ApprovedAt: time.Date(2022, 1, 11, 2, 0, 0, 0, time.UTC), PublishedAt: time.Date(2022, 1, 12, 2, 0, 0, 0, time.UTC)}
	if err := s.db.Write(ctx, audit.Actor{Name: "test"}, func(tx *storage.Tx) error { return tx.PutValue(ctx, v) }); err != nil {
		t.Fatal(err)
	}
	body := s.page("/indicators/" + ind.Code)
	m := regexp.MustCompile(`<script type="application/json" id="indicator-chart">(.*?)</script>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no chart data on a page with two periods")
	}
	var c chart
	if err := json.Unmarshal([]byte(m[1]), &c); err != nil {
		t.Fatalf("chart data: %v\n%s", err, m[1])
	}
	if !slices.Equal(c.Periods, []string{"2020年", "2021年"}) || len(c.Series) != 1 || c.Unit != "%" || c.Kind != "line" {
		t.Errorf("chart = %+v", c)
	} else if d := c.Series[0].Data; *d[0] != 18.77 || *d[1] != 19.05 {
		t.Errorf("chart series = %v", d)
	}
	for _, want := range []string{`data-chart="indicator-chart"`, "/static/vendor/echarts.min.js?v=", "/static/chart.js?v=", "示例数据", "2022-01-10 10:00"} {
		if !strings.Contains(body, want) {
			t.Errorf("indicator page with chart: no %q", want)
		}
	}
	if home := s.page("/"); !strings.Contains(home, "示例数据") {
		t.Errorf("home shows the sample value as latest without its badge")
	}
	if en := s.page("/indicators/" + ind.Code + "?lang=en"); !strings.Contains(en, "sample data") {
		t.Errorf("English page: no sample data badge")
	}
}

// voidElements have no end tag in HTML.
var voidElements = map[string]bool{"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true,
	"img": true, "input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true}

// checkHTML reports unbalanced tags, and markup a strict
// Content-Security-Policy would block: inline scripts, event handler
// attributes and style attributes.
func checkHTML(body string) error {
	if !strings.HasPrefix(body, "<!doctype html>") {
		return errors.New("no <!doctype html>")
	}
	d := xml.NewDecoder(strings.NewReader(body))
	d.Strict = false
	d.Entity = xml.HTMLEntity
	var stack []string
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("markup: %w", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(tok.Name.Local)
			attrs := map[string]string{}
			for _, a := range tok.Attr {
				attrs[strings.ToLower(a.Name.Local)] = a.Value
				if strings.HasPrefix(strings.ToLower(a.Name.Local), "on") || strings.ToLower(a.Name.Local) == "style" {
					return fmt.Errorf("<%s> has attribute %s, which a strict CSP blocks", name, a.Name.Local)
				}
			}
			if name == "script" && attrs["src"] == "" && attrs["type"] != "application/json" {
				return errors.New("inline <script>")
			}
			if !voidElements[name] {
				stack = append(stack, name)
			}
		case xml.EndElement:
			name := strings.ToLower(tok.Name.Local)
			if len(stack) == 0 || stack[len(stack)-1] != name {
				return fmt.Errorf("</%s> does not close %v", name, stack)
			}
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) > 0 {
		return fmt.Errorf("unclosed elements %v", stack)
	}
	return nil
}

// TestServerError checks that a failure inside a handler reaches the user
// as a short page with a request id, and the log with the whole error.
func TestServerError(t *testing.T) {
	db := storagetest.OpenSQLite(t, nil)
	var log strings.Builder
	s, err := New(Config{DB: db, Accounts: account.New(db), Logger: slog.New(slog.NewTextHandler(&log, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	res, err := http.Get(ts.URL + "/org")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	body := string(b)
	id := res.Header.Get("X-Request-Id")
	if res.StatusCode != http.StatusInternalServerError || !strings.Contains(body, "内部错误") || !strings.Contains(body, id) {
		t.Errorf("status %d, body %s", res.StatusCode, body)
	}
	if strings.Contains(body, "closed") || strings.Contains(body, "storage") {
		t.Errorf("error page leaks the error: %s", body)
	}
	if !strings.Contains(log.String(), "request_id="+id) || !strings.Contains(log.String(), "closed") {
		t.Errorf("log does not hold the request id and the error: %s", log.String())
	}
}

func TestEmptyDatabase(t *testing.T) {
	db := storagetest.OpenSQLite(t, nil)
	s, err := New(Config{DB: db, Accounts: account.New(db), Logger: slog.New(slog.NewTextHandler(t.Output(), nil))})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	for _, path := range []string{"/", "/indicators", "/projects", "/org"} {
		res, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s on an empty database: %d", path, res.StatusCode)
		}
		if err := checkHTML(string(b)); err != nil {
			t.Errorf("GET %s on an empty database: %v", path, err)
		}
	}
}

// TestDocsListEveryRoute keeps docs/pages.md in step with the route table.
func TestDocsListEveryRoute(t *testing.T) {
	b, err := os.ReadFile("../docs/pages.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	s := &Server{}
	for _, rt := range s.routeTable() {
		path := strings.TrimSuffix(rt.Pattern, "{$}")
		if want := "`" + rt.Method + " " + path + "`"; !strings.Contains(doc, want) {
			t.Errorf("docs/pages.md does not describe %s", want)
		}
	}
}

func TestLocalPath(t *testing.T) {
	for in, want := range map[string]string{
		"/":                  "/",
		"/goals/green":       "/goals/green",
		"/a?b=c#d":           "/a?b=c#d",
		"//x.example":        "/",
		"/\\x.example":       "/",
		"x.example":          "/",
		"https://x.example/": "/",
		"/a\nb":              "/",
	} {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}
