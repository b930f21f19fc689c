package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lantu/lantu/account"
	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/dataset"
	"github.com/lantu/lantu/datasets"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/internal/browsertest"
	"github.com/lantu/lantu/storage"
	"github.com/lantu/lantu/storage/storagetest"
)

// stepTimeout bounds every action in the browser.
const stepTimeout = 20 * time.Second

// browserTab is one person at one browser: a tab in a browser context of
// its own, so that each has its own cookies.
type browserTab struct {
	t    *testing.T
	ctx  context.Context
	who  string
	base string
	shot int
}

func newBrowserTab(t *testing.T, browser context.Context, who, base string) *browserTab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	// The first run opens the tab; like the browser's, it carries no
	// timeout of its own (that would close the tab with it): a watchdog
	// stands in.
	opened := make(chan error, 1)
	go func() { opened <- chromedp.Do(ctx) }()
	select {
	case err := <-opened:
		if err != nil {
			t.Fatalf("%s: open a tab: %v", who, err)
		}
	case <-time.After(stepTimeout):
		t.Fatalf("%s: the tab did not open within %s", who, stepTimeout)
	}
	return &browserTab{t: t, ctx: ctx, who: who, base: base}
}

// fail stops the test with a screenshot of what the tab shows.
func (b *browserTab) fail(what string, err error) {
	b.t.Helper()
	b.t.Fatalf("%s: %s: %v (screenshot: %s)", b.who, what, err, b.screenshot("failure"))
}

// screenshot saves the whole page as PNG in the test's directory, or in
// $LANTU_SCREENSHOT_DIR to keep it, and returns the file.
func (b *browserTab) screenshot(name string) string {
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return "none: " + err.Error()
	}
	dir := os.Getenv("LANTU_SCREENSHOT_DIR")
	if dir == "" {
		dir = b.t.TempDir()
	}
	b.shot++
	file := filepath.Join(dir, strings.NewReplacer("/", "-", " ", "-").Replace(b.t.Name())+fmt.Sprintf("-%s-%02d-%s.png", b.who, b.shot, name))
	if err := os.WriteFile(file, png, 0o600); err != nil {
		return "none: " + err.Error()
	}
	return file
}

// keep saves a screenshot of a step when $LANTU_SCREENSHOT_DIR asks for
// them, to look at the pages.
func (b *browserTab) keep(name string) {
	if os.Getenv("LANTU_SCREENSHOT_DIR") != "" {
		b.screenshot(name)
	}
}

func (b *browserTab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.fail(what, err)
	}
}

func (b *browserTab) open(path string) {
	b.t.Helper()
	b.do("open "+path, chromedp.Navigate(b.base+path), chromedp.WaitReady(chromedp.CSS("footer.site-footer")))
}

// submit clicks a button that sends a form and waits for the page that
// answers: the old page is marked, and the wait ends when a loaded page
// without the mark is there.
func (b *browserTab) submit(what string, button chromedp.CSS) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__lantuOldPage = true`)); err != nil {
		b.fail(what, err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(button)); err != nil {
		b.fail(what, err)
	}
	for {
		done, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__lantuOldPage !== true && document.readyState === "complete"`))
		if err == nil && done {
			return
		}
		if ctx.Err() != nil {
			b.fail(what+": no new page", ctx.Err())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// text is the visible text of the first element the selector finds.
func (b *browserTab) text(sel string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.fail("read "+sel, err)
	}
	return strings.Join(strings.Fields(s), " ")
}

func (b *browserTab) value(sel string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(sel)))
	if err != nil {
		b.fail("read "+sel, err)
	}
	return s
}

// disabled reports whether a form field is disabled.
func (b *browserTab) disabled(sel string) bool {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	quoted, _ := json.Marshal(sel)
	off, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector(`+string(quoted)+`).disabled`))
	if err != nil {
		b.fail("read "+sel, err)
	}
	return off
}

// wantText checks that an element shows each of the texts.
func (b *browserTab) wantText(sel string, want ...string) {
	b.t.Helper()
	got := b.text(sel)
	for _, w := range want {
		if !strings.Contains(got, w) {
			b.t.Fatalf("%s: %s shows %q, want %q (screenshot: %s)", b.who, sel, got, w, b.screenshot("want-text"))
		}
	}
}

// typeInto replaces what a field holds with what the person types.
func (b *browserTab) typeInto(sel, text string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	// SetValue cannot set "": the protocol drops an empty argument.
	quoted, _ := json.Marshal(sel)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(e => { e.value = ""; return true })(document.querySelector(`+string(quoted)+`))`)); err != nil {
		b.fail("clear "+sel, err)
	}
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(sel), text)); err != nil {
		b.fail("type into "+sel, err)
	}
}

// signIn signs in through the sign-in page, as a person does, and checks
// that no second factor is asked for.
func (b *browserTab) signIn(name, password, next string) {
	b.t.Helper()
	b.open("/signin?next=" + next)
	b.typeInto("#signin-name", name)
	b.typeInto("#signin-password", password)
	b.submit("sign in", `form[action="/signin"] button[type="submit"]`)
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		b.fail("location", err)
	}
	if loc != b.base+next {
		b.fail("sign in", fmt.Errorf("landed on %s, want %s", loc, b.base+next))
	}
}

// TestReportingInBrowser is workflow 1 in a real Chromium, on SQLite and
// PostgreSQL: the planning office opens 2021; a forestry reporter signs in,
// fills in two figures, is told to explain a warning, explains it and
// submits; the planning office returns one with a comment; the reporter
// sees the comment, corrects and resubmits; the office approves and
// publishes both; the public sees the corrected figure.
func TestReportingInBrowser(t *testing.T) {
	browser := browsertest.New(t)
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		b, err := dataset.Read(datasets.Gujiao())
		if err != nil {
			t.Fatal(err)
		}
		if err := dataset.Load(ctx, db, audit.Actor{Name: "test"}, b); err != nil {
			t.Fatal(err)
		}
		putReportingRules(t, db)
		accounts := account.New(db)
		// Reporting happens on Monday 10 January 2022, before the due date.
		reportingDay := time.Date(2022, 1, 10, 9, 0, 0, 0, indicator.Beijing)
		srv, err := New(Config{DB: db, Accounts: accounts, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
			Now: func() time.Time { return reportingDay }})
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(srv.Handler())
		t.Cleanup(ts.Close)

		const password = "林业局的口令 forest 2021"
		users := []struct {
			name, display, dept string
			role                auth.Role
		}{
			{"linye", "林业局填报员", "forestry", auth.Reporter},
			{"fagai", "发改局审核员", "", auth.Planner},
		}
		for _, u := range users {
			if _, err := accounts.CreateUser(ctx, auth.Subject{Name: "cli:test"}, account.NewUser{Name: u.name, DisplayName: u.display,
				Role: u.role, Department: u.dept, Password: password}, account.Client{}); err != nil {
				t.Fatal(err)
			}
			// Neither role needs a second factor under the default policy;
			// if that changes, this test must enrol one.
			res, err := accounts.SignIn(ctx, u.name, password, account.Client{IP: "127.0.0.1"})
			if err != nil {
				t.Fatal(err)
			}
			if res.NeedEnrolment || res.NeedCode {
				t.Fatalf("%s (%s) needs a second factor: this test signs in with the password alone", u.name, u.role)
			}
			if err := accounts.SignOut(ctx, res.Session, res.User, account.Client{}); err != nil {
				t.Fatal(err)
			}
		}

		// The planning office opens 2021 through its page.
		office := newBrowserTab(t, browser, "planner", ts.URL)
		office.signIn("fagai", password, "/reporting")
		office.keep("home")
		office.typeInto("#round-period", "2021")
		office.do("due date", chromedp.SetValue(chromedp.CSS("#round-due"), "2022-01-14"))
		office.do("note", chromedp.SetValue(chromedp.CSS("#round-note"), "请于1月14日前报送"))
		office.submit("open 2021", `#open-round button[type="submit"]`)
		office.wantText(".flash-ok", "已开放填报，共 47 项指标")
		office.wantText("h1", "2021年")
		round := strings.TrimPrefix(locationOf(office), ts.URL)
		round = round[:strings.Index(round, "?")]

		// The forestry reporter signs in, opens the form and fills in two
		// figures: afforestation 8 万亩 against 3.36 in 2020 is a warning.
		reporter := newBrowserTab(t, browser, "reporter", ts.URL)
		reporter.signIn("linye", password, "/reporting")
		reporter.keep("home")
		reporter.wantText("#my-rounds", "2021年", "2022-01-14")
		reporter.submit("open the form", `#my-rounds a[href$="/departments/forestry"]`)
		reporter.wantText("h1", "古交市林业局", "2021年")
		reporter.wantText("#row-forest-cover", "森林覆盖率", "18.77", "未填")
		reporter.typeInto("#value-forest-cover", "19.1")
		reporter.typeInto("#value-afforestation", "8")
		reporter.keep("filled")
		reporter.submit("submit", `button[name="submit"][value="1"]`)
		reporter.keep("warning")
		reporter.wantText(".problems", "未保存任何数据", "报送前请填写说明")
		reporter.wantText("#row-afforestation .row-problem", "营造林面积 8 万亩，比上期 3.36 万亩变化超过 50%", "报送前请填写说明")
		reporter.wantText("#row-afforestation .change", "+138.1%")
		if v := reporter.value("#value-forest-cover"); v != "19.1" {
			t.Fatalf("the refused form lost forest cover: %q", v)
		}
		reporter.do("explain", chromedp.SetValue(chromedp.CSS("#explanation-afforestation"), "实施太行山国土绿化工程，新增造林任务"))
		reporter.submit("submit with explanation", `button[name="submit"][value="1"]`)
		reporter.wantText(".flash-ok", "已报送 2 项数据")
		reporter.wantText("#row-forest-cover", "报送")
		reporter.wantText("#row-afforestation", "报送")

		// The planning office returns forest cover with a comment.
		office.open(round)
		office.wantText("#completeness", "古交市林业局", "50.0%")
		office.wantText("#queue", "森林覆盖率", "营造林面积", "实施太行山国土绿化工程，新增造林任务")
		office.keep("queue")
		office.do("tick forest cover", chromedp.Click(chromedp.CSS(`#queue input[value="forest-cover/gujiao/2021"]`)))
		office.do("comment", chromedp.SetValue(chromedp.CSS("#review-comment"), "与林业普查数不符，请核实"))
		office.submit("return", `button[name="action"][value="return"]`)
		office.wantText(".flash-ok", "已退回 1 项数据")

		// The reporter sees the comment, corrects the figure and submits.
		reporter.open(round + "/departments/forestry")
		reporter.wantText("#row-forest-cover .review-comment", "与林业普查数不符，请核实")
		reporter.wantText("#row-forest-cover", "退回")
		reporter.keep("returned")
		reporter.typeInto("#value-forest-cover", "19.05")
		reporter.submit("resubmit", `button[name="submit"][value="1"]`)
		reporter.wantText(".flash-ok", "已报送 1 项数据")
		reporter.wantText("#row-forest-cover", "报送")

		// The planning office approves both and publishes them.
		office.open(round)
		office.do("tick both",
			chromedp.Click(chromedp.CSS(`#queue input[value="forest-cover/gujiao/2021"]`)),
			chromedp.Click(chromedp.CSS(`#queue input[value="afforestation/gujiao/2021"]`)))
		office.submit("approve", `button[name="action"][value="approve"]`)
		office.wantText(".flash-ok", "已审核通过 2 项数据")
		office.wantText("#approved", "19.05", "营造林面积")
		office.keep("approved")
		office.do("tick both to publish",
			chromedp.Click(chromedp.CSS(`#approved input[value="forest-cover/gujiao/2021"]`)),
			chromedp.Click(chromedp.CSS(`#approved input[value="afforestation/gujiao/2021"]`)))
		office.submit("publish", `button[name="action"][value="publish"]`)
		office.wantText(".flash-ok", "已公开 2 项数据")
		office.keep("published")
		office.wantText("#completeness", "古交市林业局")

		reporter.open(round + "/departments/forestry")
		reporter.wantText("#row-forest-cover", "公开")
		if !reporter.disabled("#value-forest-cover") {
			t.Error("a published figure can still be typed over")
		}

		// The public, with no cookie at all, sees 19.05 for 2021.
		public := newBrowserTab(t, browser, "public", ts.URL)
		public.open("/indicators/forest-cover")
		public.wantText("table.values tbody", "2021年", "19.05", "公开")
		if strings.Contains(public.text("main"), "19.1") {
			t.Error("the public page shows the returned figure 19.1")
		}
		public.keep("public")
	})
}

func locationOf(b *browserTab) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		b.fail("location", err)
	}
	return loc
}
