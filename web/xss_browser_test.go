package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/dataset"
	"github.com/lantu/lantu/internal/browsertest"
	"github.com/lantu/lantu/storage"
	"github.com/lantu/lantu/storage/storagetest"
)

// xssCorpus holds payloads for every context a stored string can land in:
// element text, attribute values (quoted and not), URLs, script and style
// blocks. Each one, if it ran, would set window.__xss or open a dialog.
var xssCorpus = []string{
	`<script>window.__xss=1</script>`,
	`"><img src=x onerror="window.__xss=2">`,
	`'><svg onload=window.__xss=3>`,
	`javascript:window.__xss=4`,
	`</script><script>window.__xss=5</script>`,
	`<iframe src="javascript:window.parent.__xss=6"></iframe>`,
	`" autofocus onfocus="window.__xss=7`,
	`<a href="javascript:alert(8)">点我</a>`,
	`{{.}}<style>body{background:url("javascript:alert(9)")}</style>`,
	`</textarea><body onload=alert(10)>`,
}

// payload picks a corpus entry for a field, so that every field gets a
// different kind of attack across the fields of one object.
func payload(i int, field string) string {
	return field + " " + xssCorpus[i%len(xssCorpus)]
}

// postForm sends a form as the visitor, as a browser would.
func postForm(t *testing.T, base string, v visitorCase, path string, form url.Values) int {
	t.Helper()
	if v.cookie != nil {
		form.Set(csrfField, v.csrf)
	}
	req, err := http.NewRequest("POST", base+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if v.cookie != nil {
		req.AddCookie(v.cookie)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// storeHostileData writes the corpus into every kind of name, text and URL
// the pages show: as a hostile dataset import would (goals, areas,
// indicators, projects, places, departments, sources), through the API as a
// reporter (value notes, sources, quotes, reasons), and through the forms:
// a user's display name (administration), an API token's name (account)
// and a sign-in name (which the audit trail shows).
func storeHostileData(t *testing.T, db *storage.DB, base string, reporter, admin visitorCase) {
	t.Helper()
	ctx := context.Background()
	b, err := dataset.Export(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	next := func(field string) string { n++; return payload(n, field) }
	for i := range b.Goals {
		b.Goals[i].NameZH, b.Goals[i].NameEN, b.Goals[i].DescriptionZH = next("目标"), next("goal"), next("说明")
	}
	for i := range b.Areas {
		b.Areas[i].NameZH, b.Areas[i].NameEN = next("领域"), next("area")
	}
	for i := range b.Indicators {
		for j := range b.Indicators[i].Definitions {
			d := &b.Indicators[i].Definitions[j]
			d.NameZH, d.NameEN, d.UnitZH, d.DefinitionZH = next("指标"), next("indicator"), next("单位"), next("定义")
		}
	}
	for i := range b.Projects {
		p := &b.Projects[i]
		p.NameZH, p.StageNoteZH, p.Quote, p.Leader, p.Category = next("项目"), next("进展"), next("原文"), next("领导"), next("类别")
	}
	for i := range b.OrgUnits {
		b.OrgUnits[i].NameZH = next("地点")
	}
	for i := range b.Departments {
		b.Departments[i].NameZH = next("部门")
	}
	for i := range b.Sources {
		b.Sources[i].TitleZH, b.Sources[i].URL = next("来源"), "javascript:window.__xss=11"
	}
	for i := range b.Tasks {
		b.Tasks[i].NameZH, b.Tasks[i].Quote = next("任务"), next("原文")
	}
	for i := range b.Values {
		b.Values[i].Quote, b.Values[i].Note = next("引文"), next("备注")
	}
	if err := dataset.Load(ctx, db, audit.Actor{Name: "hostile import"}, b); err != nil {
		t.Fatal(err)
	}
	for i, ind := range []string{ownIndicator, "afforestation"} {
		body := fmt.Sprintf(`{"indicator":%q,"org_unit":"gujiao","period":"2021","number":%d,"status":"draft","note":%q,"source":%q,"quote":%q}`,
			ind, 10+i, payload(i, "note"), payload(i+3, "source"), payload(i+5, "quote"))
		status, answer := do(t, base, reporter, matrixRequest{method: "PUT", path: "/api/v1/values", body: body})
		if status != http.StatusOK {
			t.Fatalf("PUT value through the API: %d %s", status, answer)
		}
	}
	forms := []struct {
		who  visitorCase
		path string
		form url.Values
		want int
	}{
		{admin, "/admin/users", url.Values{"name": {"xss.user"}, "display_name": {xssCorpus[1]}, "role": {"viewer"},
			"department": {ownDept}, "password": {"hostile but long enough"}, "confirm_password": {"hostile but long enough"}}, http.StatusSeeOther},
		{reporter, "/account/tokens", url.Values{"name": {xssCorpus[2]}, "permission": {string(auth.ReadInternal)}, "days": {"30"}}, http.StatusOK},
		{visitorCase{}, "/signin", url.Values{"name": {xssCorpus[0]}, "password": {"whatever it is"}}, http.StatusUnauthorized},
	}
	for _, f := range forms {
		if got := postForm(t, base, f.who, f.path, f.form); got != f.want {
			t.Fatalf("POST %s as %s: %d, want %d", f.path, roleName(f.who.role), got, f.want)
		}
	}
}

// TestStoredXSSNeverRuns stores the corpus through the import and the API,
// then opens every page in a real Chromium as the public and as a signed-in
// user, and checks that nothing ran, no hostile element or javascript: link
// exists, and the payloads are shown as text.
func TestStoredXSSNeverRuns(t *testing.T) {
	browser := browsertest.New(t)
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		srv, ts, accounts := gujiaoServer(t, db)
		reporter := signInAs(t, accounts, auth.Reporter)
		admin := signInAs(t, accounts, auth.Admin)
		planner := signInAs(t, accounts, auth.Planner)
		storeHostileData(t, db, ts.URL, reporter, admin)

		var paths []string
		for _, rt := range srv.routes {
			mc := matrixCases[rt.Name]
			if rt.Method != http.MethodGet || mc == nil || rt.Name == "static" || rt.Name == "lang" || strings.HasSuffix(rt.Pattern, ".csv") || strings.HasSuffix(rt.Pattern, ".xlsx") || strings.HasSuffix(rt.Pattern, "/docx") {
				continue
			}
			for _, req := range mc(ownDept, ownIndicator) {
				paths = append(paths, req.path)
			}
		}
		sawPayloadAsText := false
		for _, v := range []visitorCase{{}, reporter, planner, admin} {
			tab, cancel := chromedp.NewContext(browser)
			var dialogs []string
			var mu sync.Mutex
			if err := chromedp.Listen(tab, func(ev any) {
				if d, ok := ev.(*page.EventJavascriptDialogOpening); ok {
					mu.Lock()
					dialogs = append(dialogs, d.Message)
					mu.Unlock()
				}
			}); err != nil {
				t.Fatal(err)
			}
			if v.cookie != nil {
				if _, err := chromedp.Call(tab, network.SetCookie, network.SetCookieParams{Name: v.cookie.Name, Value: v.cookie.Value, URL: ts.URL}); err != nil {
					t.Fatal(err)
				}
			}
			for _, p := range paths {
				for _, lang := range []string{"zh", "en"} {
					url := ts.URL + withQuery(p, "lang="+lang)
					res := inspect(t, tab, url)
					if res.Ran || res.Hostile > 0 || res.BadScripts > 0 || res.JSLinks > 0 {
						t.Errorf("%s as %s: ran=%v hostile elements=%d inline scripts=%d javascript: links=%d",
							url, roleName(v.role), res.Ran, res.Hostile, res.BadScripts, res.JSLinks)
					}
					if res.ShowsPayload {
						sawPayloadAsText = true
					}
				}
			}
			mu.Lock()
			if len(dialogs) > 0 {
				t.Errorf("as %s: dialogs opened: %q", roleName(v.role), dialogs)
			}
			mu.Unlock()
			cancel()
		}
		if !sawPayloadAsText {
			t.Error("no page showed a payload as text: the hostile data did not reach the pages, so the test proved nothing")
		}
	})
}

type inspection struct {
	Ran          bool `json:"ran"`
	Hostile      int  `json:"hostile"`
	BadScripts   int  `json:"badScripts"`
	JSLinks      int  `json:"jsLinks"`
	ShowsPayload bool `json:"showsPayload"`
}

// inspect loads url, lets any script that might run do so, and reports.
func inspect(t *testing.T, tab context.Context, url string) inspection {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.Sleep(50*time.Millisecond)); err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	res, err := chromedp.Run(ctx, chromedp.Evaluate[inspection](`({
		ran: window.__xss !== undefined || (window.parent && window.parent.__xss !== undefined),
		hostile: document.querySelectorAll('img[src="x"], svg[onload], [onerror], [onload], [onfocus], iframe, object, embed, body style').length,
		badScripts: Array.from(document.scripts).filter(s => !s.src && s.type !== 'application/json').length,
		jsLinks: Array.from(document.querySelectorAll('a[href], form[action], iframe[src]')).filter(e => /^\s*javascript:/i.test(e.getAttribute('href') || e.getAttribute('action') || e.getAttribute('src') || '')).length,
		showsPayload: document.body.innerText.includes('window.__xss=')
	})`))
	if err != nil {
		t.Fatalf("inspect %s: %v", url, err)
	}
	return res
}
