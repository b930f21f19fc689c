package web

import (
	"context"
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/lantu/lantu/account"
	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/dataset"
	"github.com/lantu/lantu/datasets"
	"github.com/lantu/lantu/storage"
	"github.com/lantu/lantu/storage/storagetest"
)

// accountMatrixCases are the authorization matrix's entries for the
// sign-in, account and administration routes. Every request is one the
// policy must decide but that changes nothing the matrix relies on: forms
// are posted empty, ids do not exist.
var accountMatrixCases = map[string]matrixCase{
	"signin":            get("/signin"),
	"signin_submit":     emptyPost("/signin"),
	"signin_2fa":        get("/signin/2fa"),
	"signin_2fa_submit": emptyPost("/signin/2fa"),
	// Signing out, here or everywhere, ends the session it is sent with,
	// so the matrix sends these with a fresh session of the visitor.
	"signout":                  freshPost("/signout"),
	"account_sessions_end_all": freshPost("/account/sessions/end-all"),
	"account":                  get("/account"),
	"account_password":         emptyPost("/account/password"),
	"account_2fa":              get("/account/2fa"),
	"account_2fa_confirm":      emptyPost("/account/2fa"),
	"account_recovery_codes":   emptyPost("/account/recovery-codes"),
	"account_token_create":     emptyPost("/account/tokens"),
	"account_token_revoke":     emptyPost("/account/tokens/999999/revoke"),
	"account_session_end":      emptyPost("/account/sessions/999999/end"),
	"admin_users":              get("/admin/users"),
	"admin_user_new":           get("/admin/users/new"),
	"admin_user_create":        emptyPost("/admin/users"),
	"admin_user":               get("/admin/users/1"),
	"admin_user_update":        emptyPost("/admin/users/1"),
	"admin_user_password":      emptyPost("/admin/users/1/password"),
	"admin_mfa_policy":         emptyPost("/admin/mfa-policy"),
	"audit":                    get("/admin/audit"),
}

func emptyPost(path string) matrixCase {
	return func(string, string) []matrixRequest { return []matrixRequest{{method: "POST", path: path}} }
}

func freshPost(path string) matrixCase {
	return func(string, string) []matrixRequest {
		return []matrixRequest{{method: "POST", path: path, freshSession: true}}
	}
}

// testClock is the one clock of the service, the database and the server,
// moved by the test.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// authSite is a server over a database holding the Gujiao bundle, with an
// injected clock.
type authSite struct {
	t        *testing.T
	db       *storage.DB
	accounts *account.Service
	url      string
	clock    *testClock
	users    int // for unique names
}

func newAuthSite(t *testing.T, db *storage.DB, clock *testClock) *authSite {
	t.Helper()
	ctx := context.Background()
	b, err := dataset.Read(datasets.Gujiao())
	if err != nil {
		t.Fatal(err)
	}
	if err := dataset.Load(ctx, db, audit.Actor{Name: "test"}, b); err != nil {
		t.Fatal(err)
	}
	accounts := account.New(db)
	accounts.Now = clock.now
	s, err := New(Config{DB: db, Accounts: accounts, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: clock.now})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return &authSite{t: t, db: db, accounts: accounts, url: ts.URL, clock: clock}
}

const testPassword = "a long enough pass phrase"

// user creates a user of the role in the forestry department (or the city,
// for city-wide roles) and returns its name and id.
func (s *authSite) user(role auth.Role, displayName string) (string, int64) {
	s.t.Helper()
	s.users++
	name := fmt.Sprintf("u%d-%s", s.users, strings.ReplaceAll(string(role), "_", "-"))
	dept := "forestry"
	if role.CityWide() {
		dept = ""
	}
	id, err := s.accounts.CreateUser(context.Background(), auth.Subject{Name: "cli:test"},
		account.NewUser{Name: name, DisplayName: displayName, Role: role, Department: dept, Password: testPassword}, account.Client{})
	if err != nil {
		s.t.Fatal(err)
	}
	return name, id
}

// browser keeps cookies and the last CSRF token it saw, like a browser
// with a form open.
type browser struct {
	site    *authSite
	t       *testing.T
	cookies map[string]string
	csrf    string
	secret  string // the TOTP secret, once enrolled through the pages
	client  *http.Client
}

func (s *authSite) browser(t *testing.T) *browser {
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &browser{site: s, t: t, cookies: map[string]string{}, client: client}
}

type answer struct {
	status int
	header http.Header
	body   string
}

func (a answer) location() string { return a.header.Get("Location") }

var csrfPattern = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func (b *browser) do(req *http.Request) answer {
	b.t.Helper()
	for name, value := range b.cookies {
		req.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	res, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	for _, c := range res.Cookies() {
		if c.MaxAge < 0 || c.Value == "" {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c.Value
		}
	}
	if m := csrfPattern.FindStringSubmatch(string(body)); m != nil {
		b.csrf = html.UnescapeString(m[1])
	}
	return answer{status: res.StatusCode, header: res.Header, body: string(body)}
}

func (b *browser) get(path string) answer {
	b.t.Helper()
	req, err := http.NewRequest("GET", b.site.url+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.do(req)
}

// page gets a page that must answer 200 with well-formed, labelled markup.
func (b *browser) page(path string) string {
	b.t.Helper()
	a := b.get(path)
	if a.status != http.StatusOK {
		b.t.Fatalf("GET %s: %d, want 200 (Location %q)", path, a.status, a.location())
	}
	if err := checkHTML(a.body); err != nil {
		b.t.Fatalf("GET %s: %v", path, err)
	}
	if err := checkLabels(a.body); err != nil {
		b.t.Fatalf("GET %s: %v", path, err)
	}
	return a.body
}

// post sends a form from this site with the browser's CSRF token.
func (b *browser) post(path string, form url.Values) answer {
	b.t.Helper()
	f := url.Values{}
	maps.Copy(f, form)
	if b.csrf != "" && !f.Has(csrfField) {
		f.Set(csrfField, b.csrf)
	}
	return b.postRaw(path, f, map[string]string{"Origin": b.site.url, "Sec-Fetch-Site": "same-origin"})
}

func (b *browser) postRaw(path string, form url.Values, headers map[string]string) answer {
	b.t.Helper()
	req, err := http.NewRequest("POST", b.site.url+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	return b.do(req)
}

func (b *browser) session() string { return b.cookies["lantu_session"] }

func (b *browser) signIn(name, password string) answer {
	b.t.Helper()
	b.page("/signin")
	return b.post("/signin", url.Values{"name": {name}, "password": {password}})
}

// code is the authenticator's code half a minute later than the last one,
// so that it is never a code already used.
func (b *browser) code() string {
	b.t.Helper()
	b.site.clock.advance(30 * time.Second)
	return totpCode(b.t, b.secret, b.site.clock.now())
}

func totpCode(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var (
	secretPattern   = regexp.MustCompile(`name="secret" value="([A-Z2-7]+)"`)
	codeListPattern = regexp.MustCompile(`<li><code>([^<]+)</code></li>`)
)

// enrol sets up the second factor through the pages and returns the
// recovery codes shown.
func (b *browser) enrol() []string {
	b.t.Helper()
	body := b.page("/account/2fa")
	m := secretPattern.FindStringSubmatch(body)
	if m == nil {
		b.t.Fatalf("enrolment page has no secret field:\n%s", body)
	}
	b.secret = m[1]
	a := b.post("/account/2fa", url.Values{"secret": {b.secret}, "code": {b.code()}})
	if a.status != http.StatusOK {
		b.t.Fatalf("POST /account/2fa: %d\n%s", a.status, a.body)
	}
	return recoveryCodes(a.body)
}

func recoveryCodes(body string) []string {
	var codes []string
	for _, m := range codeListPattern.FindAllStringSubmatch(body, -1) {
		codes = append(codes, m[1])
	}
	return codes
}

// signedIn is a browser signed in as a new user of the role, past the
// second factor where the role needs one.
func (s *authSite) signedIn(t *testing.T, role auth.Role) (*browser, string, int64) {
	t.Helper()
	name, id := s.user(role, "测试"+role.LabelZH())
	b := s.browser(t)
	a := b.signIn(name, testPassword)
	switch {
	case a.status != http.StatusSeeOther:
		t.Fatalf("sign in as %s: %d\n%s", role, a.status, a.body)
	case a.location() == "/account/2fa":
		b.enrol()
	case a.location() != "/":
		t.Fatalf("sign in as %s: sent to %s", role, a.location())
	}
	return b, name, id
}

// flash is the text of the page's first message of the kind.
func flash(body, kind string) string {
	m := regexp.MustCompile(`<p class="flash flash-` + kind + `"[^>]*>([^<]*)</p>`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

func wantStatus(t *testing.T, what string, a answer, status int, location string) {
	t.Helper()
	if a.status != status || (location != "" && a.location() != location) {
		t.Fatalf("%s: %d to %q, want %d to %q\n%s", what, a.status, a.location(), status, location, a.body)
	}
}

func TestAccountPages(t *testing.T) {
	clock := &testClock{t: time.Date(2024, 10, 8, 1, 0, 0, 0, time.UTC)}
	storagetest.Each(t, clock.now, func(t *testing.T, db *storage.DB) {
		s := newAuthSite(t, db, clock)
		for _, tc := range []struct {
			name string
			test func(*testing.T, *authSite)
		}{
			{"SignInShowsName", testSignInShowsName},
			{"ErrWrongPassword", testWrongPassword},
			{"NextIsLocal", testNextIsLocal},
			{"AdminMustEnrol", testAdminMustEnrol},
			{"ErrCrossSite", testCrossSiteRefused},
			{"ErrNoCSRF", testNoCSRFRefused},
			{"ErrReplayAfterSignOut", testReplayAfterSignOut},
			{"ErrIdle", testIdleTimeout},
			{"SignOutEverywhere", testSignOutEverywhere},
			{"Tokens", testTokens},
			{"ChangePassword", testChangePassword},
			{"AdminManagesUsers", testAdminManagesUsers},
			{"ErrForbidden", testForbiddenAudited},
			{"AuditTrail", testAuditTrail},
			{"ErrThrottled", testThrottled},
			{"EveryPage", testEveryAccountPage},
		} {
			s.t = t
			t.Run(tc.name, func(t *testing.T) { s.t = t; tc.test(t, s) })
		}
	})
}

func testSignInShowsName(t *testing.T, s *authSite) {
	name, _ := s.user(auth.Reporter, "李四")
	b := s.browser(t)
	home := b.page("/")
	if !strings.Contains(home, `href="/signin"`) || strings.Contains(home, `action="/signout"`) {
		t.Errorf("anonymous header: no sign-in link, or a sign-out form")
	}
	form := b.page("/signin")
	for _, want := range []string{`autocomplete="username"`, `autocomplete="current-password"`} {
		if !strings.Contains(form, want) {
			t.Errorf("sign-in form has no %s", want)
		}
	}
	wantStatus(t, "sign in", b.signIn(name, testPassword), http.StatusSeeOther, "/")
	body := b.page("/account")
	for _, want := range []string{"李四", "部门填报员", "古交市林业局", `href="/account"`, `action="/signout"`, name} {
		if !strings.Contains(body, want) {
			t.Errorf("/account does not show %q", want)
		}
	}
	if strings.Contains(body, `href="/admin/users"`) || strings.Contains(body, `href="/admin/audit"`) {
		t.Errorf("a reporter's header shows the administration menu")
	}
	if en := b.page("/account?lang=en"); !strings.Contains(en, "department reporter") || !strings.Contains(en, "Gujiao Forestry Bureau") {
		t.Errorf("/account in English: no role or department in English")
	}
	if a := b.get("/account"); a.header.Get("Cache-Control") != "no-store" {
		t.Errorf("/account Cache-Control %q, want no-store", a.header.Get("Cache-Control"))
	}
}

func testWrongPassword(t *testing.T, s *authSite) {
	name, _ := s.user(auth.Viewer, "王五")
	b := s.browser(t)
	wrong := b.signIn(name, "not the password at all")
	wantStatus(t, "wrong password", wrong, http.StatusUnauthorized, "")
	unknown := b.signIn("nobody-here", testPassword)
	wantStatus(t, "unknown user", unknown, http.StatusUnauthorized, "")
	if m1, m2 := flash(wrong.body, "error"), flash(unknown.body, "error"); m1 != "用户名或密码错误" || m1 != m2 {
		t.Errorf("messages %q and %q, want one and the same", m1, m2)
	}
	if !strings.Contains(wrong.body, `value="`+name+`"`) || strings.Contains(wrong.body, "not the password at all") {
		t.Errorf("the form after a failure must keep the name and never the password")
	}
	if err := checkHTML(wrong.body); err != nil {
		t.Error(err)
	}
	if b.session() != "" {
		t.Errorf("a failed sign-in set a session cookie")
	}
}

func testNextIsLocal(t *testing.T, s *authSite) {
	name, _ := s.user(auth.Viewer, "赵一")
	b := s.browser(t)
	wantStatus(t, "anonymous /account", b.get("/account"), http.StatusSeeOther, "/signin?next=%2Faccount")
	if body := b.page("/signin?next=%2Faccount"); !strings.Contains(body, `name="next" value="/account"`) {
		t.Errorf("sign-in form does not carry next")
	}
	a := b.post("/signin", url.Values{"name": {name}, "password": {testPassword}, "next": {"/account"}})
	wantStatus(t, "sign in with next", a, http.StatusSeeOther, "/account")
	b.page("/account")
	wantStatus(t, "sign out", b.post("/signout", nil), http.StatusSeeOther, "/")
	a = b.post("/signin", url.Values{"name": {name}, "password": {testPassword}, "next": {"//evil.example/"}})
	wantStatus(t, "sign in with a foreign next", a, http.StatusSeeOther, "/")
}

func testAdminMustEnrol(t *testing.T, s *authSite) {
	name, _ := s.user(auth.Admin, "管理员甲")
	b := s.browser(t)
	wantStatus(t, "admin signs in", b.signIn(name, testPassword), http.StatusSeeOther, "/account/2fa")
	// Half signed in, the admin can reach nothing but the enrolment.
	wantStatus(t, "GET /admin/users before enrolment", b.get("/admin/users"), http.StatusSeeOther, "/signin/2fa")
	wantStatus(t, "GET /signin/2fa owing enrolment", b.get("/signin/2fa"), http.StatusSeeOther, "/account/2fa")
	wantStatus(t, "GET /account before enrolment", b.get("/account"), http.StatusSeeOther, "/signin/2fa")
	wantStatus(t, "GET /admin/audit before enrolment", b.get("/admin/audit"), http.StatusSeeOther, "/signin/2fa")
	body := b.page("/account/2fa")
	if strings.Contains(body, `href="/admin/users"`) {
		t.Errorf("half signed in, the header offers the administration menu")
	}
	wantStatus(t, "POST /admin/users before enrolment", b.post("/admin/users", url.Values{"name": {"sneaky"}}), http.StatusUnauthorized, "")
	for _, want := range []string{`src="data:image/png;base64,`, `autocomplete="one-time-code"`, `name="secret"`} {
		if !strings.Contains(body, want) {
			t.Errorf("enrolment page has no %s", want)
		}
	}
	b.secret = secretPattern.FindStringSubmatch(body)[1]
	wrong := b.post("/account/2fa", url.Values{"secret": {b.secret}, "code": {"12345"}})
	wantStatus(t, "enrol with a malformed code", wrong, http.StatusBadRequest, "")
	if !strings.Contains(wrong.body, `value="`+b.secret+`"`) || flash(wrong.body, "error") == "" {
		t.Errorf("after a wrong code the page must keep the secret and say why")
	}
	wantStatus(t, "still half signed in", b.get("/admin/users"), http.StatusSeeOther, "/signin/2fa")

	before := b.session()
	a := b.post("/account/2fa", url.Values{"secret": {b.secret}, "code": {b.code()}})
	wantStatus(t, "enrol", a, http.StatusOK, "")
	codes := recoveryCodes(a.body)
	if len(codes) != 10 || a.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("recovery codes: %d shown, Cache-Control %q; want 10, no-store", len(codes), a.header.Get("Cache-Control"))
	}
	if b.session() == before || b.session() == "" {
		t.Errorf("enrolment did not give the session a new token")
	}
	admin := b.page("/admin/users")
	for _, want := range []string{`href="/admin/users"`, `href="/admin/audit"`, name} {
		if !strings.Contains(admin, want) {
			t.Errorf("/admin/users after enrolment: no %s", want)
		}
	}
	account := b.page("/account")
	for _, c := range codes {
		if strings.Contains(account, c) {
			t.Errorf("recovery code %s shown again on /account", c)
		}
	}
	if !strings.Contains(account, "剩余恢复码 10 个") {
		t.Errorf("/account does not count the recovery codes")
	}
	// The token seen before the second factor is worthless.
	old := s.browser(t)
	old.cookies["lantu_session"] = before
	wantStatus(t, "the pre-enrolment token", old.get("/account"), http.StatusSeeOther, "/signin?next=%2Faccount")

	// Next time: a code, or a recovery code once.
	wantStatus(t, "sign out", b.post("/signout", nil), http.StatusSeeOther, "/")
	wantStatus(t, "sign in again", b.signIn(name, testPassword), http.StatusSeeOther, "/signin/2fa")
	b.page("/signin/2fa")
	wantStatus(t, "wrong code", b.post("/signin/2fa", url.Values{"code": {"000000"}}), http.StatusUnauthorized, "")
	wantStatus(t, "recovery code", b.post("/signin/2fa", url.Values{"code": {codes[0]}}), http.StatusSeeOther, "/")
	b.page("/admin/users")
	b.post("/signout", nil)
	b.signIn(name, testPassword)
	b.page("/signin/2fa")
	wantStatus(t, "the same recovery code again", b.post("/signin/2fa", url.Values{"code": {codes[0]}}), http.StatusUnauthorized, "")
	wantStatus(t, "a TOTP code", b.post("/signin/2fa", url.Values{"code": {b.code()}}), http.StatusSeeOther, "/")

	a = b.post("/account/recovery-codes", nil)
	wantStatus(t, "new recovery codes", a, http.StatusOK, "")
	fresh := recoveryCodes(a.body)
	if len(fresh) != 10 || slices.Contains(fresh, codes[1]) || a.header.Get("Cache-Control") != "no-store" {
		t.Errorf("new recovery codes: %v (Cache-Control %q)", fresh, a.header.Get("Cache-Control"))
	}
	// Enrolled, the enrolment page is closed: a password alone must never
	// replace a second factor.
	wantStatus(t, "enrolment page once enrolled", b.get("/account/2fa"), http.StatusSeeOther, "/account")
}

// passwordChangedAt reads when the user's password last changed.
func (s *authSite) passwordChangedAt(id int64) time.Time {
	s.t.Helper()
	u, err := s.db.User(context.Background(), id)
	if err != nil {
		s.t.Fatal(err)
	}
	return u.PasswordChangedAt
}

func changePasswordForm(current, next string) url.Values {
	return url.Values{"current_password": {current}, "new_password": {next}, "confirm_password": {next}}
}

func testCrossSiteRefused(t *testing.T, s *authSite) {
	b, _, id := s.signedIn(t, auth.Reporter)
	b.page("/account")
	before := s.passwordChangedAt(id)
	s.clock.advance(time.Minute)
	form := changePasswordForm(testPassword, "another long pass phrase")
	form.Set(csrfField, b.csrf)
	a := b.postRaw("/account/password", form, map[string]string{"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"})
	wantStatus(t, "cross-site POST", a, http.StatusForbidden, "")
	if !s.passwordChangedAt(id).Equal(before) {
		t.Errorf("a cross-site POST changed the password")
	}
	b.page("/account") // the session lives on
	if !s.audited(audit.Refused, func(e audit.Entry) bool { return strings.Contains(string(e.After), `"forgery"`) }) {
		t.Errorf("the forged request is not in the audit trail")
	}
}

func testNoCSRFRefused(t *testing.T, s *authSite) {
	b, _, id := s.signedIn(t, auth.Reporter)
	b.page("/account")
	before := s.passwordChangedAt(id)
	s.clock.advance(time.Minute)
	same := map[string]string{"Origin": s.url, "Sec-Fetch-Site": "same-origin"}
	wantStatus(t, "POST without _csrf", b.postRaw("/account/password", changePasswordForm(testPassword, "another long pass phrase"), same), http.StatusForbidden, "")
	bad := changePasswordForm(testPassword, "another long pass phrase")
	bad.Set(csrfField, "not-the-token")
	wantStatus(t, "POST with a wrong _csrf", b.postRaw("/account/password", bad, same), http.StatusForbidden, "")
	if !s.passwordChangedAt(id).Equal(before) {
		t.Errorf("a POST without the CSRF token changed the password")
	}
}

func testReplayAfterSignOut(t *testing.T, s *authSite) {
	b, _, _ := s.signedIn(t, auth.Viewer)
	b.page("/account")
	token := b.session()
	wantStatus(t, "sign out", b.post("/signout", nil), http.StatusSeeOther, "/")
	if b.session() != "" {
		t.Errorf("sign-out did not clear the cookie")
	}
	replay := s.browser(t)
	replay.cookies["lantu_session"] = token
	wantStatus(t, "replayed cookie", replay.get("/account"), http.StatusSeeOther, "/signin?next=%2Faccount")
}

func testIdleTimeout(t *testing.T, s *authSite) {
	b, _, _ := s.signedIn(t, auth.Viewer)
	b.page("/account")
	s.clock.advance(29 * time.Minute)
	b.page("/account") // still alive, and the idle clock starts again
	s.clock.advance(auth.IdleTimeout + time.Minute)
	wantStatus(t, "after 31 idle minutes", b.get("/account"), http.StatusSeeOther, "/signin?next=%2Faccount")
}

var sessionEndPattern = regexp.MustCompile(`action="/account/sessions/(\d+)/end"`)

func testSignOutEverywhere(t *testing.T, s *authSite) {
	first, name, _ := s.signedIn(t, auth.Reporter)
	second := s.browser(t)
	wantStatus(t, "second sign-in", second.signIn(name, testPassword), http.StatusSeeOther, "/")
	body := first.page("/account")
	ends := sessionEndPattern.FindAllStringSubmatch(body, -1)
	if len(ends) != 1 || strings.Count(body, `<span class="badge badge-on">当前会话</span>`) != 1 || !strings.Contains(body, "127.0.0.1") {
		t.Fatalf("/account lists %d other sessions and %d marked 当前会话, want one of each, with the address", len(ends), strings.Count(body, `<span class="badge badge-on">当前会话</span>`))
	}
	wantStatus(t, "end the other session", first.post("/account/sessions/"+ends[0][1]+"/end", nil), http.StatusSeeOther, "/account?done=session_ended#sessions")
	if flash(first.page("/account?done=session_ended"), "ok") != "会话已结束。" {
		t.Errorf("no confirmation after ending a session")
	}
	wantStatus(t, "the ended session", second.get("/account"), http.StatusSeeOther, "/signin?next=%2Faccount")

	second.signIn(name, testPassword)
	second.page("/account")
	first.page("/account")
	wantStatus(t, "sign out everywhere", first.post("/account/sessions/end-all", nil), http.StatusSeeOther, "/signin?done=signed_out_everywhere")
	for i, b := range []*browser{first, second} {
		wantStatus(t, fmt.Sprintf("browser %d after sign out everywhere", i+1), b.get("/account"), http.StatusSeeOther, "/signin?next=%2Faccount")
	}
	if flash(first.page("/signin?done=signed_out_everywhere"), "ok") == "" {
		t.Errorf("no confirmation on the sign-in page")
	}
	// Only known confirmations are shown: a link cannot make a page talk.
	if body := first.page("/signin?done=%3Cb%3Ehacked"); flash(body, "ok") != "" || strings.Contains(body, "<b>hacked") || strings.Contains(body, "&lt;b&gt;hacked") {
		t.Errorf("an unknown ?done= was shown")
	}
}

var (
	apiTokenPattern    = regexp.MustCompile(`lantu_[a-z2-7]{52}`)
	tokenRevokePattern = regexp.MustCompile(`action="/account/tokens/(\d+)/revoke"`)
)

func testTokens(t *testing.T, s *authSite) {
	b, _, _ := s.signedIn(t, auth.Reporter)
	body := b.page("/account")
	// The form offers exactly the role's permissions.
	for _, p := range auth.Permissions {
		offered := strings.Contains(body, `name="permission" value="`+string(p)+`"`)
		if offered != auth.Reporter.Has(p) {
			t.Errorf("token form offers %s: %v, the role has it: %v", p, offered, auth.Reporter.Has(p))
		}
	}
	a := b.post("/account/tokens", url.Values{"name": {"数据同步"}, "permission": {"internal.read", "values.write"}, "days": {"30"}})
	wantStatus(t, "create a token", a, http.StatusOK, "")
	token := apiTokenPattern.FindString(a.body)
	if token == "" || a.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("token page: token %q, Cache-Control %q", token, a.header.Get("Cache-Control"))
	}
	body = b.page("/account")
	if !strings.Contains(body, "数据同步") || strings.Contains(body, token) || !strings.Contains(body, "填报数据") {
		t.Errorf("/account: the token must be listed with its permissions, never shown again")
	}
	// A token is for the API: it cannot use the account pages, where it
	// could make itself a broader token.
	req, _ := http.NewRequest("GET", s.url+"/account", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	wantStatus(t, "GET /account with the token", s.browser(t).do(req), http.StatusForbidden, "")

	m := tokenRevokePattern.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no revoke button")
	}
	wantStatus(t, "revoke", b.post("/account/tokens/"+m[1]+"/revoke", nil), http.StatusSeeOther, "/account?done=token_revoked#tokens")
	body = b.page("/account")
	if !strings.Contains(body, "已撤销") || tokenRevokePattern.MatchString(body) {
		t.Errorf("/account after revoking: no 已撤销, or a revoke button left")
	}
	if _, err := s.accounts.AuthenticateToken(context.Background(), token); err == nil {
		t.Errorf("the revoked token still authenticates")
	}

	refused := b.post("/account/tokens", url.Values{"name": {"越权"}, "permission": {"users.manage"}, "days": {"30"}})
	wantStatus(t, "a token with a permission the role lacks", refused, http.StatusBadRequest, "")
	if !strings.Contains(refused.body, `value="越权"`) || flash(refused.body, "error") == "" {
		t.Errorf("the refused token form must keep the name and say why")
	}
	wantStatus(t, "a token for 0 days", b.post("/account/tokens", url.Values{"name": {"x"}, "permission": {"export"}, "days": {"0"}}), http.StatusBadRequest, "")
	wantStatus(t, "a token for 367 days", b.post("/account/tokens", url.Values{"name": {"x"}, "permission": {"export"}, "days": {"367"}}), http.StatusBadRequest, "")
	wantStatus(t, "revoke a token that is not there", b.post("/account/tokens/999999/revoke", nil), http.StatusNotFound, "")
}

func testChangePassword(t *testing.T, s *authSite) {
	b, name, _ := s.signedIn(t, auth.Viewer)
	b.page("/account")
	const next = "a brand new pass phrase"
	differ := url.Values{"current_password": {testPassword}, "new_password": {next}, "confirm_password": {next + "!"}}
	for _, tc := range []struct {
		what string
		form url.Values
		want string
	}{
		{"different confirmation", differ, "两次输入的密码不一致"},
		{"wrong current password", changePasswordForm("wrong password here", next), "当前密码不正确"},
		{"too short", changePasswordForm(testPassword, "short"), "密码至少需要 8 个字符"},
	} {
		a := b.post("/account/password", tc.form)
		wantStatus(t, tc.what, a, http.StatusBadRequest, "")
		if got := flash(a.body, "error"); got != tc.want {
			t.Errorf("%s: message %q, want %q", tc.what, got, tc.want)
		}
	}
	wantStatus(t, "change password", b.post("/account/password", changePasswordForm(testPassword, next)), http.StatusSeeOther, "/signin?done=password_changed")
	if b.session() != "" {
		t.Errorf("the cookie survived the password change")
	}
	if got := flash(b.page("/signin?done=password_changed"), "ok"); got != "密码已修改，请用新密码登录。" {
		t.Errorf("sign-in page after the change says %q", got)
	}
	wantStatus(t, "the old password", b.signIn(name, testPassword), http.StatusUnauthorized, "")
	wantStatus(t, "the new password", b.signIn(name, next), http.StatusSeeOther, "/")
}

var userIDPattern = regexp.MustCompile(`^/admin/users/(\d+)\?done=user_created$`)

func testAdminManagesUsers(t *testing.T, s *authSite) {
	admin, _, adminID := s.signedIn(t, auth.Admin)
	form := admin.page("/admin/users/new")
	for _, want := range []string{`autocomplete="new-password"`, `<option value="">全市（无部门）</option>`, "古交市林业局", "部门填报员"} {
		if !strings.Contains(form, want) {
			t.Errorf("new-user form has no %s", want)
		}
	}
	newUser := url.Values{"name": {"zhao6"}, "display_name": {"赵六"}, "role": {"reporter"}, "department": {"forestry"},
		"password": {"zhao's first pass phrase"}, "confirm_password": {"zhao's first pass phrase"}}
	a := admin.post("/admin/users", newUser)
	wantStatus(t, "create a user", a, http.StatusSeeOther, "")
	m := userIDPattern.FindStringSubmatch(a.location())
	if m == nil {
		t.Fatalf("after creating a user: sent to %q", a.location())
	}
	userPage := "/admin/users/" + m[1]
	if body := admin.page(a.location()); flash(body, "ok") != "用户已创建。" || !strings.Contains(body, "赵六") {
		t.Errorf("the new user's page: no confirmation or name")
	}
	dup := admin.post("/admin/users", newUser)
	wantStatus(t, "a taken user name", dup, http.StatusConflict, "")
	if !strings.Contains(dup.body, `value="赵六"`) {
		t.Errorf("the refused form lost what was typed")
	}
	noDept := maps.Clone(newUser)
	noDept.Set("name", "qian7")
	noDept.Set("department", "")
	wantStatus(t, "a reporter without a department", admin.post("/admin/users", noDept), http.StatusBadRequest, "")
	weak := maps.Clone(newUser)
	weak.Set("name", "qian8")
	weak.Set("password", "password")
	weak.Set("confirm_password", "password")
	wantStatus(t, "a common password", admin.post("/admin/users", weak), http.StatusBadRequest, "")

	zhao := s.browser(t)
	wantStatus(t, "zhao signs in", zhao.signIn("zhao6", "zhao's first pass phrase"), http.StatusSeeOther, "/")
	zhao.page("/account")
	change := url.Values{"display_name": {"赵六"}, "role": {"viewer"}, "department": {"forestry"}}
	wantStatus(t, "change zhao's role", admin.post(userPage, change), http.StatusSeeOther, userPage+"?done=user_saved")
	wantStatus(t, "zhao after the role change", zhao.get("/account"), http.StatusSeeOther, "/signin?next=%2Faccount")
	if body := admin.page(userPage); !regexp.MustCompile(`<option value="viewer" selected>`).MatchString(body) {
		t.Errorf("the user's page does not show the new role")
	}

	zhao.signIn("zhao6", "zhao's first pass phrase")
	zhao.page("/account")
	change.Set("disabled", "on")
	wantStatus(t, "disable zhao", admin.post(userPage, change), http.StatusSeeOther, userPage+"?done=user_saved")
	wantStatus(t, "zhao after being disabled", zhao.get("/account"), http.StatusSeeOther, "/signin?next=%2Faccount")
	wantStatus(t, "disabled zhao signs in", zhao.signIn("zhao6", "zhao's first pass phrase"), http.StatusUnauthorized, "")
	if body := admin.page("/admin/users"); !strings.Contains(body, "已停用") {
		t.Errorf("the user list does not show zhao disabled")
	}

	pw := url.Values{"password": {"zhao's second pass phrase"}, "confirm_password": {"zhao's second pass phrase"}}
	wantStatus(t, "set zhao's password", admin.post(userPage+"/password", pw), http.StatusSeeOther, userPage+"?done=password_set")
	change.Del("disabled")
	wantStatus(t, "enable zhao", admin.post(userPage, change), http.StatusSeeOther, userPage+"?done=user_saved")
	wantStatus(t, "zhao with the new password", zhao.signIn("zhao6", "zhao's second pass phrase"), http.StatusSeeOther, "/")

	self := url.Values{"display_name": {"管理员"}, "role": {"admin"}, "department": {""}, "disabled": {"on"}}
	a = admin.post("/admin/users/"+strconv.FormatInt(adminID, 10), self)
	wantStatus(t, "the admin disables themselves", a, http.StatusBadRequest, "")
	if flash(a.body, "error") != "不能停用自己或更改自己的角色" || !strings.Contains(a.body, `name="disabled" checked`) {
		t.Errorf("the refused change must say why and keep what was typed")
	}

	// The second-factor policy: viewers must enrol from now on.
	policy := admin.page("/admin/users")
	if !regexp.MustCompile(`value="admin" checked disabled`).MatchString(policy) {
		t.Errorf("the policy form does not show administrators as always required")
	}
	wantStatus(t, "require a second factor of viewers", admin.post("/admin/mfa-policy", url.Values{"role": {"viewer", "admin"}}), http.StatusSeeOther, "/admin/users?done=mfa_policy_saved#mfa-policy")
	if !strings.Contains(admin.page("/admin/users"), `value="viewer" checked>`) {
		t.Errorf("the policy form does not show viewers required")
	}
	zhao.page("/account")
	wantStatus(t, "zhao signs out", zhao.post("/signout", nil), http.StatusSeeOther, "/")
	wantStatus(t, "a viewer under the new policy", zhao.signIn("zhao6", "zhao's second pass phrase"), http.StatusSeeOther, "/account/2fa")
	wantStatus(t, "reset the policy", admin.post("/admin/mfa-policy", nil), http.StatusSeeOther, "")
}

// audited reports whether the audit trail has a row of the action that
// matches.
func (s *authSite) audited(action audit.Action, match func(audit.Entry) bool) bool {
	s.t.Helper()
	entries, err := s.db.AuditEntries(context.Background(), storage.AuditFilter{Limit: 100000})
	if err != nil {
		s.t.Fatal(err)
	}
	return slices.ContainsFunc(entries, func(e audit.Entry) bool { return e.Action == action && match(e) })
}

func testForbiddenAudited(t *testing.T, s *authSite) {
	reporter, name, _ := s.signedIn(t, auth.Reporter)
	for _, path := range []string{"/admin/users", "/admin/audit", "/admin/users/new"} {
		a := reporter.get(path)
		wantStatus(t, "a reporter's GET "+path, a, http.StatusForbidden, "")
		if err := checkHTML(a.body); err != nil {
			t.Errorf("%s: %v", path, err)
		}
		if !s.audited(audit.Refused, func(e audit.Entry) bool {
			return e.Actor == name && strings.Contains(string(e.After), `"path":"`+path+`"`) && e.IP == "127.0.0.1"
		}) {
			t.Errorf("the refusal of %s is not in the audit trail", path)
		}
	}
	reporter.page("/account")
	wantStatus(t, "a reporter's POST /admin/users", reporter.post("/admin/users", url.Values{"name": {"x"}}), http.StatusForbidden, "")
	wantStatus(t, "a reporter's POST /admin/mfa-policy", reporter.post("/admin/mfa-policy", nil), http.StatusForbidden, "")

	// The supervisor reads the audit trail, and manages no users.
	supervisor, _, _ := s.signedIn(t, auth.Supervisor)
	body := supervisor.page("/admin/audit")
	if !strings.Contains(body, `href="/admin/audit"`) || strings.Contains(body, `href="/admin/users"`) {
		t.Errorf("a supervisor's menu must offer the audit trail only")
	}
	wantStatus(t, "a supervisor's GET /admin/users", supervisor.get("/admin/users"), http.StatusForbidden, "")
}

var (
	auditRowPattern = regexp.MustCompile(`<tr class="action-([a-z_]+)">\s*<td class="r small">(\d+)</td>`)
	olderPattern    = regexp.MustCompile(`<a href="(/admin/audit\?[^"]*before=\d+[^"]*)">`)
)

func testAuditTrail(t *testing.T, s *authSite) {
	admin, _, _ := s.signedIn(t, auth.Admin)
	reporter, reporterName, _ := s.signedIn(t, auth.Reporter)
	reporter.get("/admin/audit")
	s.browser(t).signIn(reporterName, "a wrong pass phrase here")

	body := admin.page("/admin/audit")
	if !strings.Contains(body, "哈希链完整") {
		t.Errorf("/admin/audit does not say the chain is intact")
	}
	rows := auditRowPattern.FindAllStringSubmatch(body, -1)
	if len(rows) != auditPageSize {
		t.Fatalf("the first page has %d rows, want %d", len(rows), auditPageSize)
	}
	for i := 1; i < len(rows); i++ {
		if a, b := atoi(t, rows[i-1][2]), atoi(t, rows[i][2]); a <= b {
			t.Fatalf("rows not newest first: %d before %d", a, b)
		}
	}
	for _, action := range []audit.Action{audit.SignIn, audit.SignInFailed, audit.Refused} {
		if !slices.ContainsFunc(rows, func(r []string) bool { return r[1] == string(action) }) {
			t.Errorf("the newest rows have no %s", action)
		}
	}

	failed := admin.page("/admin/audit?action=sign_in_failed&id=" + reporterName)
	rows = auditRowPattern.FindAllStringSubmatch(failed, -1)
	if len(rows) != 1 || rows[0][1] != "sign_in_failed" || !strings.Contains(failed, "127.0.0.1") || !strings.Contains(failed, "登录失败") {
		t.Errorf("filtering failed sign-ins of %s: %d rows %v", reporterName, len(rows), rows)
	}
	refused := admin.page("/admin/audit?action=refused&actor=" + reporterName)
	if rows := auditRowPattern.FindAllStringSubmatch(refused, -1); len(rows) != 1 || !strings.Contains(refused, "/admin/audit") {
		t.Errorf("the reporter's refusal: %d rows", len(rows))
	}
	if !strings.Contains(refused, "<details>") || !strings.Contains(refused, "&#34;path&#34;: &#34;/admin/audit&#34;") {
		t.Errorf("the refusal's details are not shown as indented JSON")
	}

	today := s.clock.now().In(chinaTime).Format(time.DateOnly)
	tomorrow := s.clock.now().In(chinaTime).AddDate(0, 0, 1).Format(time.DateOnly)
	if rows := auditRowPattern.FindAllStringSubmatch(admin.page("/admin/audit?from="+today+"&to="+today), -1); len(rows) == 0 {
		t.Errorf("no rows today")
	}
	if body := admin.page("/admin/audit?from=" + tomorrow); !strings.Contains(body, "没有符合条件的记录") {
		t.Errorf("rows from tomorrow")
	}
	wantStatus(t, "a bad date", admin.get("/admin/audit?from=2024-13-01"), http.StatusBadRequest, "")
	wantStatus(t, "dates the wrong way round", admin.get("/admin/audit?from="+tomorrow+"&to="+today), http.StatusBadRequest, "")

	m := olderPattern.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no link to older rows")
	}
	older := admin.page(html.UnescapeString(m[1]))
	before, _ := url.Parse(html.UnescapeString(m[1]))
	limit := atoi(t, before.Query().Get("before"))
	for _, r := range auditRowPattern.FindAllStringSubmatch(older, -1) {
		if atoi(t, r[2]) >= limit {
			t.Errorf("the older page shows row %s, not before %d", r[2], limit)
		}
	}
	if !strings.Contains(older, "← 最新记录") {
		t.Errorf("the older page has no way back to the newest rows")
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func testThrottled(t *testing.T, s *authSite) {
	name, _ := s.user(auth.Viewer, "钱八")
	b := s.browser(t)
	for i := range auth.FreeAccountFailures {
		wantStatus(t, fmt.Sprintf("failure %d", i+1), b.signIn(name, "wrong pass phrase"), http.StatusUnauthorized, "")
	}
	a := b.signIn(name, testPassword)
	wantStatus(t, "after too many failures", a, http.StatusTooManyRequests, "")
	if msg := flash(a.body, "error"); !strings.Contains(msg, "秒后再试") {
		t.Errorf("throttled message %q", msg)
	}
	s.clock.advance(auth.ThrottleWindow + time.Minute)
	wantStatus(t, "after waiting", b.signIn(name, testPassword), http.StatusSeeOther, "/")
}

// testEveryAccountPage renders every GET page of the account and
// administration routes, in both languages, for a visitor who may see it,
// and checks each against every role.
func testEveryAccountPage(t *testing.T, s *authSite) {
	admin, _, adminID := s.signedIn(t, auth.Admin)
	pending := s.browser(t)
	pending.signIn(s.enrolledAdmin(t), testPassword)
	unenrolled, _, _ := s.signedIn(t, auth.Reporter)
	visitors := map[string]*browser{
		"/signin":           s.browser(t),
		"/signin/2fa":       pending,
		"/account/2fa":      unenrolled,
		"/account":          admin,
		"/admin/users":      admin,
		"/admin/users/new":  admin,
		"/admin/users/{id}": admin,
		"/admin/audit":      admin,
	}
	routes := &Server{}
	for _, rt := range slices.Concat(routes.accountRoutes(), routes.adminRoutes()) {
		if rt.Method != http.MethodGet {
			continue
		}
		b, ok := visitors[rt.Pattern]
		if !ok {
			t.Errorf("GET %s: no visitor to render it", rt.Pattern)
			continue
		}
		path := strings.ReplaceAll(rt.Pattern, "{id}", strconv.FormatInt(adminID, 10))
		for _, lang := range []string{zh, en} {
			body := b.page(withQuery(path, "lang="+lang))
			if want := map[string]string{zh: `<html lang="zh-CN">`, en: `<html lang="en">`}[lang]; !strings.Contains(body, want) {
				t.Errorf("GET %s in %s: no %s", path, lang, want)
			}
		}
	}

	// Every role against every administration page: the page, or 403.
	for _, role := range auth.Roles {
		b, _, _ := s.signedIn(t, role)
		for _, rt := range routes.adminRoutes() {
			if rt.Method != http.MethodGet {
				continue
			}
			path := strings.ReplaceAll(rt.Pattern, "{id}", strconv.FormatInt(adminID, 10))
			want := http.StatusForbidden
			if role.Has(rt.Permission) {
				want = http.StatusOK
			}
			if a := b.get(path); a.status != want {
				t.Errorf("%s GET %s: %d, want %d", role, path, a.status, want)
			}
		}
	}
}

// enrolledAdmin is an administrator with a second factor, signed out.
func (s *authSite) enrolledAdmin(t *testing.T) string {
	t.Helper()
	b, name, _ := s.signedIn(t, auth.Admin)
	b.post("/signout", nil)
	return name
}

// checkLabels reports a form control without a label, and a password or
// user-name field without its autocomplete attribute.
func checkLabels(body string) error {
	d := xml.NewDecoder(strings.NewReader(body))
	d.Strict = false
	d.Entity = xml.HTMLEntity
	labelled := map[string]bool{}
	var ids []string
	inLabel := 0
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			attrs := map[string]string{}
			for _, a := range tok.Attr {
				attrs[strings.ToLower(a.Name.Local)] = a.Value
			}
			switch name := strings.ToLower(tok.Name.Local); name {
			case "label":
				inLabel++
				if f := attrs["for"]; f != "" {
					labelled[f] = true
				}
			case "input", "select", "textarea":
				if _, hidden := attrs["hidden"]; hidden || attrs["type"] == "hidden" || attrs["type"] == "submit" {
					continue
				}
				if attrs["type"] == "password" && attrs["autocomplete"] != "current-password" && attrs["autocomplete"] != "new-password" {
					return fmt.Errorf("password field %q without autocomplete", attrs["name"])
				}
				if inLabel == 0 {
					if attrs["id"] == "" {
						return fmt.Errorf("<%s name=%q> has no label", name, attrs["name"])
					}
					ids = append(ids, attrs["id"])
				}
			}
		case xml.EndElement:
			if strings.ToLower(tok.Name.Local) == "label" {
				inLabel--
			}
		}
	}
	for _, id := range ids {
		if !labelled[id] {
			return fmt.Errorf("#%s has no label", id)
		}
	}
	return nil
}
