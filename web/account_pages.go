package web

import (
	"context"
	"encoding/base64"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lantu/lantu/account"
	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/auth"
)

// accountRoutes are signing in and out and the signed-in user's own
// account: password, second factor, API tokens and sessions.
func (s *Server) accountRoutes() []route {
	return append(s.signInRoutes(), []route{
		{Method: "GET", Pattern: "/account", Name: "account", Summary: "the user's profile, password change, second factor, API tokens and live sessions", Permission: auth.SignedIn, Handle: s.account},
		{Method: "POST", Pattern: "/account/password", Name: "account_password", Summary: "changes the password (the current one required); every session ends, this one too", Permission: auth.SignedIn, Handle: s.changePassword},
		{Method: "GET", Pattern: "/account/2fa", Name: "account_2fa", Summary: "sets up the second factor: QR code, the secret for manual entry, a code field (also half signed in, when the role requires it)", Permission: auth.SignedIn, AllowPending: true, Handle: s.enrolForm},
		{Method: "POST", Pattern: "/account/2fa", Name: "account_2fa_confirm", Summary: "confirms the second factor with a code and shows the ten recovery codes once", Permission: auth.SignedIn, AllowPending: true, Handle: s.confirmEnrolment},
		{Method: "POST", Pattern: "/account/recovery-codes", Name: "account_recovery_codes", Summary: "replaces the recovery codes and shows the new ones once", Permission: auth.SignedIn, Handle: s.newRecoveryCodes},
		{Method: "POST", Pattern: "/account/tokens", Name: "account_token_create", Summary: "creates an API token with some of the user's permissions and shows it once", Permission: auth.SignedIn, Handle: s.createToken},
		{Method: "POST", Pattern: "/account/tokens/{id}/revoke", Name: "account_token_revoke", Summary: "revokes one of the user's API tokens", Permission: auth.SignedIn, Handle: s.revokeToken},
		{Method: "POST", Pattern: "/account/sessions/{id}/end", Name: "account_session_end", Summary: "ends one of the user's sessions", Permission: auth.SignedIn, Handle: s.endSession},
		{Method: "POST", Pattern: "/account/sessions/end-all", Name: "account_sessions_end_all", Summary: "signs the user out everywhere, this browser too", Permission: auth.SignedIn, Handle: s.endAllSessions},
	}...)
}

// accountPage is everything the account page shows.
type accountPage struct {
	User         auth.User
	Department   string // the department's name; "" for the city
	MFARequired  bool
	RecoveryLeft int
	Tokens       []tokenRow
	Sessions     []sessionRow
	TokenForm    tokenForm
	Flash        string
	Error        string
}

type tokenRow struct {
	ID          int64
	Name        string
	Permissions []string // labels
	CreatedAt   time.Time
	ExpiresAt   time.Time
	LastUsedAt  time.Time
	RevokedAt   time.Time
	Expired     bool
}

type sessionRow struct {
	ID         int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	IP         string
	UserAgent  string
	Current    bool
}

// tokenForm is the token form as filled in, kept when it is refused.
type tokenForm struct {
	Name        string
	Days        int
	Permissions []permissionOption
}

type permissionOption struct {
	Value   auth.Permission
	Label   string
	Checked bool
}

// defaultTokenDays is the validity the token form suggests.
const defaultTokenDays = 90

func (s *Server) account(w http.ResponseWriter, r *http.Request) error {
	v, err := browserUser(r)
	if err != nil {
		return err
	}
	page, err := s.accountPage(r, v, tokenForm{Days: defaultTokenDays})
	if err != nil {
		return err
	}
	if page.Flash, err = s.flashOf(r); err != nil {
		return err
	}
	return s.renderPrivate(w, r, http.StatusOK, "account", page)
}

func (s *Server) accountPage(r *http.Request, v visitor, form tokenForm) (accountPage, error) {
	ctx, lang, u := r.Context(), languageOf(r), *v.User
	page := accountPage{User: u, RecoveryLeft: len(u.RecoveryCodes), TokenForm: form}
	var err error
	if page.Department, err = s.departmentName(ctx, lang, u.Department); err != nil {
		return page, err
	}
	policy, err := s.accounts.MFAPolicy(ctx)
	if err != nil {
		return page, err
	}
	page.MFARequired = policy.Requires(u.Role)
	// Listing is a read, which the account service does not wrap.
	tokens, err := s.db.APITokens(ctx, u.ID)
	if err != nil {
		return page, err
	}
	now := s.accounts.Now()
	for _, t := range tokens {
		row := tokenRow{ID: t.ID, Name: t.Name, CreatedAt: t.CreatedAt, ExpiresAt: t.ExpiresAt, LastUsedAt: t.LastUsedAt,
			RevokedAt: t.RevokedAt, Expired: !now.Before(t.ExpiresAt)}
		for _, p := range t.Permissions {
			row.Permissions = append(row.Permissions, s.permissionLabel(lang, p))
		}
		page.Tokens = append(page.Tokens, row)
	}
	sessions, err := s.accounts.LiveSessions(ctx, u)
	if err != nil {
		return page, err
	}
	for _, x := range sessions {
		page.Sessions = append(page.Sessions, sessionRow{ID: x.ID, CreatedAt: x.CreatedAt, LastSeenAt: x.LastSeenAt, IP: x.IP,
			UserAgent: x.UserAgent, Current: x.ID == v.Session.ID})
	}
	// The form offers exactly what the role holds: a token can have no more.
	var checked []auth.Permission
	for _, o := range form.Permissions {
		if o.Checked {
			checked = append(checked, o.Value)
		}
	}
	page.TokenForm.Permissions = nil
	for _, p := range auth.PermissionsOf(u.Role) {
		page.TokenForm.Permissions = append(page.TokenForm.Permissions,
			permissionOption{Value: p, Label: s.permissionLabel(lang, p), Checked: slices.Contains(checked, p)})
	}
	return page, nil
}

// refuseOnAccount shows the account page again with the service's message
// when it turned the user's input down; other errors go to the error page.
func (s *Server) refuseOnAccount(w http.ResponseWriter, r *http.Request, v visitor, err error, form tokenForm) error {
	if !userError(err) {
		return err
	}
	page, perr := s.accountPage(r, v, form)
	if perr != nil {
		return perr
	}
	page.Error = apperr.Message(err, languageOf(r))
	return s.renderPrivate(w, r, statusOf(err), "account", page)
}

var errPasswordsDiffer = apperr.Invalidf("两次输入的密码不一致", "the two passwords typed differ")

// changePassword ends every session of the user, this one too: the user
// signs in again with the new password.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) error {
	v, err := browserUser(r)
	if err != nil {
		return err
	}
	current, next := r.PostFormValue("current_password"), r.PostFormValue("new_password")
	err = errPasswordsDiffer
	if next == r.PostFormValue("confirm_password") {
		err = s.accounts.ChangePassword(r.Context(), *v.User, current, next, clientOf(r))
	}
	if err != nil {
		return s.refuseOnAccount(w, r, v, err, tokenForm{Days: defaultTokenDays})
	}
	s.clearSessionCookie(w)
	http.Redirect(w, r, "/signin?done=password_changed", http.StatusSeeOther)
	return nil
}

// enrolPage sets up the second factor. QR is the PNG the account service
// drew, as a data: URL; it is empty when the page is shown again after a
// wrong code, since the app has usually scanned it by then.
type enrolPage struct {
	Secret  string
	Grouped string // the secret in groups of four, to type by hand
	QR      template.URL
	Next    string
	Pending bool // the sign-in waits for this enrolment
	Error   string
}

// enrollingUser is the visitor who may set up a second factor: signed in
// without one, or half signed in because the role requires one. Anyone
// else is sent on (ok false, the redirect written). A visitor who owes a
// code for a factor already set up may never enrol a new one: that would
// let the password alone replace the second factor.
func (s *Server) enrollingUser(w http.ResponseWriter, r *http.Request, next string) (visitor, bool, error) {
	v := visitorOf(r)
	switch {
	case v.Subject.TokenID != 0:
		return v, false, errBrowserOnly
	case v.User == nil || v.Session == nil:
		http.Redirect(w, r, withNext("/signin", "/account/2fa"), http.StatusSeeOther)
		return v, false, nil
	case v.Pending && v.User.HasTOTP():
		http.Redirect(w, r, withNext("/signin/2fa", next), http.StatusSeeOther) // #nosec G710 -- a fixed path with an escaped local next
		return v, false, nil
	case v.User.HasTOTP():
		http.Redirect(w, r, "/account", http.StatusSeeOther)
		return v, false, nil
	}
	return v, true, nil
}

func (s *Server) enrolForm(w http.ResponseWriter, r *http.Request) error {
	next := localPath(r.URL.Query().Get("next"))
	v, ok, err := s.enrollingUser(w, r, next)
	if !ok {
		return err
	}
	e, err := s.accounts.BeginEnrolment(*v.User)
	if err != nil {
		return err
	}
	page := enrolPage{Secret: e.Secret, Grouped: groupsOfFour(e.Secret), Next: next, Pending: v.Pending,
		// The PNG is the service's own drawing, not user data.
		QR: template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(e.QRPNG))} // #nosec G203 -- our own PNG
	return s.renderPrivate(w, r, http.StatusOK, "enrol", page)
}

// groupsOfFour writes ABCDEFGH as ABCD EFGH.
func groupsOfFour(secret string) string {
	var b strings.Builder
	for i, c := range secret {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// recoveryCodesPage shows recovery codes the one time they exist in plain.
type recoveryCodesPage struct {
	Codes    []string
	Enrolled bool // just after enrolment, rather than regenerated
	Next     string
}

// confirmEnrolment stores the second factor once a code proves the app has
// it. The recovery codes are rendered in the response itself, never
// stored or put in a URL: the one POST that answers with a page.
func (s *Server) confirmEnrolment(w http.ResponseWriter, r *http.Request) error {
	next := localPath(r.PostFormValue("next"))
	v, ok, err := s.enrollingUser(w, r, next)
	if !ok {
		return err
	}
	secret := r.PostFormValue("secret")
	codes, token, err := s.accounts.ConfirmEnrolment(r.Context(), *v.User, *v.Session, secret, r.PostFormValue("code"), clientOf(r))
	if userError(err) {
		page := enrolPage{Secret: secret, Grouped: groupsOfFour(secret), Next: next, Pending: v.Pending, Error: apperr.Message(err, languageOf(r))}
		return s.renderPrivate(w, r, statusOf(err), "enrol", page)
	}
	if err != nil {
		return err
	}
	if token != "" {
		s.setSessionCookie(w, token)
	}
	if v.Pending {
		// The sign-in is complete now: the page's header says so.
		sess := *v.Session
		sess.MFAPending = false
		v.Session, v.Pending, v.Subject = &sess, false, v.User.Subject()
		r = r.WithContext(withVisitor(r.Context(), v))
	}
	return s.renderPrivate(w, r, http.StatusOK, "recovery_codes", recoveryCodesPage{Codes: codes, Enrolled: true, Next: next})
}

func (s *Server) newRecoveryCodes(w http.ResponseWriter, r *http.Request) error {
	v, err := browserUser(r)
	if err != nil {
		return err
	}
	codes, err := s.accounts.NewRecoveryCodes(r.Context(), *v.User, clientOf(r))
	if err != nil {
		return s.refuseOnAccount(w, r, v, err, tokenForm{Days: defaultTokenDays})
	}
	return s.renderPrivate(w, r, http.StatusOK, "recovery_codes", recoveryCodesPage{Codes: codes, Next: "/account"})
}

// tokenCreatedPage shows a new API token the one time it exists in plain.
type tokenCreatedPage struct {
	Name  string
	Token string
	Days  int
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request) error {
	v, err := browserUser(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Invalidf("表单无效", "invalid form")
	}
	form := tokenForm{Name: strings.TrimSpace(r.PostForm.Get("name"))}
	var perms []auth.Permission
	for _, p := range r.PostForm["permission"] {
		perms = append(perms, auth.Permission(p))
		form.Permissions = append(form.Permissions, permissionOption{Value: auth.Permission(p), Checked: true})
	}
	days, err := strconv.Atoi(strings.TrimSpace(r.PostForm.Get("days")))
	if err != nil || days < 1 || days > 366 {
		err = apperr.Invalidf("有效期应为 1 到 366 天", "validity must be 1 to 366 days")
		return s.refuseOnAccount(w, r, v, err, form)
	}
	form.Days = days
	nt := account.NewToken{Name: form.Name, Permissions: perms, ValidFor: time.Duration(days) * 24 * time.Hour}
	token, err := s.accounts.CreateToken(r.Context(), *v.User, nt, clientOf(r))
	if err != nil {
		return s.refuseOnAccount(w, r, v, err, form)
	}
	return s.renderPrivate(w, r, http.StatusOK, "token_created", tokenCreatedPage{Name: form.Name, Token: token, Days: days})
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) error {
	v, err := browserUser(r)
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.accounts.RevokeToken(r.Context(), *v.User, id, clientOf(r)); err != nil {
		return err
	}
	http.Redirect(w, r, "/account?done=token_revoked#tokens", http.StatusSeeOther)
	return nil
}

func (s *Server) endSession(w http.ResponseWriter, r *http.Request) error {
	v, err := browserUser(r)
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.accounts.EndSession(r.Context(), *v.User, id, clientOf(r)); err != nil {
		return err
	}
	if id == v.Session.ID {
		s.clearSessionCookie(w)
		http.Redirect(w, r, "/signin?done=signed_out", http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, "/account?done=session_ended#sessions", http.StatusSeeOther)
	return nil
}

func (s *Server) endAllSessions(w http.ResponseWriter, r *http.Request) error {
	v, err := browserUser(r)
	if err != nil {
		return err
	}
	if _, err := s.accounts.EndAllSessions(r.Context(), *v.User, clientOf(r)); err != nil {
		return err
	}
	s.clearSessionCookie(w)
	http.Redirect(w, r, "/signin?done=signed_out_everywhere", http.StatusSeeOther)
	return nil
}

// Helpers shared by the account and administration pages.

var errBrowserOnly = apperr.New(apperr.Forbidden, "此页面只能在浏览器中登录后使用，不能使用 API 令牌",
	"this page is for a signed-in browser, not for an API token")

// browserUser is the signed-in user of a browser session. The account and
// administration pages are for people: an API token acts only within the
// permissions given to it, and could otherwise mint itself a broader one.
func browserUser(r *http.Request) (visitor, error) {
	v := visitorOf(r)
	if v.User == nil || v.Session == nil || v.Pending {
		return v, errBrowserOnly
	}
	return v, nil
}

// userError reports whether err turns down what the user typed, so that
// the form is shown again with the message, rather than the error page.
func userError(err error) bool {
	switch apperr.Code(err) {
	case apperr.Invalid, apperr.Conflict, apperr.TooMany:
		return true
	}
	return false
}

// pathID is the {id} of the route's pattern.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.NotFoundf("编号 %q 不存在", "no such id %q", r.PathValue("id"))
	}
	return id, nil
}

// flashes are the one-line confirmations a page shows after a POST sent
// the browser there: ?done=KEY shows the catalog's "flash.KEY". Only these
// keys are shown, so a link cannot make a page say anything else.
var flashes = []string{"password_changed", "signed_out", "signed_out_everywhere", "session_ended", "token_revoked",
	"user_created", "user_saved", "password_set", "mfa_policy_saved"}

func (s *Server) flashOf(r *http.Request) (string, error) {
	key := r.URL.Query().Get("done")
	if !slices.Contains(flashes, key) {
		return "", nil
	}
	return s.messages.text(languageOf(r), "flash."+key)
}

// permissionLabel names a permission in lang; the test of the catalog
// checks that every permission has a name.
func (s *Server) permissionLabel(lang string, p auth.Permission) string {
	if l, err := s.messages.text(lang, "perm."+string(p)); err == nil {
		return l
	}
	return string(p)
}

// departmentName is a department's name in lang, "" for none (the city).
func (s *Server) departmentName(ctx context.Context, lang, code string) (string, error) {
	if code == "" {
		return "", nil
	}
	d, err := s.db.Department(ctx, code)
	if apperr.Code(err) == apperr.NotFound {
		return code, nil
	}
	if err != nil {
		return "", err
	}
	return pick(lang, d.NameZH, d.NameEN), nil
}

// renderPrivate renders a page that only its user may see, with status:
// never cached, since it may hold a secret shown once, a CSRF token, or
// someone's sessions.
func (s *Server) renderPrivate(w http.ResponseWriter, r *http.Request, status int, page string, data any) error {
	w.Header().Set("Cache-Control", "no-store")
	if status == http.StatusOK {
		return s.render(w, r, page, data)
	}
	return s.render(&statusWriter{ResponseWriter: w, status: status}, r, page, data)
}

// statusWriter sends status before the first byte of the body: render sets
// its headers and then writes, and has no status of its own.
type statusWriter struct {
	http.ResponseWriter
	status int
	sent   bool
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if !w.sent {
		w.sent = true
		w.ResponseWriter.WriteHeader(w.status)
	}
	return w.ResponseWriter.Write(b)
}
