package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/auth"
)

// signInPage is the sign-in form: the name is kept after a failure, the
// password never is.
type signInPage struct {
	Name  string
	Next  string
	Error string
	Flash string
}

// twoFactorPage asks a visitor who gave the right password for a code.
type twoFactorPage struct {
	Next  string
	Error string
}

// signInForm shows the form; someone signed in already goes on to next.
func (s *Server) signInForm(w http.ResponseWriter, r *http.Request) error {
	next := localPath(r.URL.Query().Get("next"))
	if subjectOf(r).SignedIn() {
		http.Redirect(w, r, next, http.StatusSeeOther) // #nosec G710 -- localPath admits only same-site paths
		return nil
	}
	flash, err := s.flashOf(r)
	if err != nil {
		return err
	}
	return s.renderPrivate(w, r, http.StatusOK, "signin", signInPage{Next: next, Flash: flash})
}

// signIn checks the password and starts a session, then sends the visitor
// to the second factor, to its enrolment, or on to next.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request) error {
	name, next := r.PostFormValue("name"), localPath(r.PostFormValue("next"))
	res, err := s.accounts.SignIn(r.Context(), name, r.PostFormValue("password"), clientOf(r))
	if code := apperr.Code(err); code == apperr.Unauthenticated || code == apperr.TooMany {
		page := signInPage{Name: strings.TrimSpace(name), Next: next, Error: apperr.Message(err, languageOf(r))}
		return s.renderPrivate(w, r, statusOf(err), "signin", page)
	}
	if err != nil {
		return err
	}
	// A session the browser had before (perhaps half signed in) ends: one
	// browser, one session.
	if v := visitorOf(r); v.Session != nil && v.User != nil {
		if err := s.accounts.SignOut(r.Context(), *v.Session, *v.User, clientOf(r)); err != nil {
			s.logger.Warn("ending the previous session failed", "request_id", requestID(r), "err", err)
		}
	}
	s.setSessionCookie(w, res.Token)
	switch {
	case res.NeedCode:
		next = withNext("/signin/2fa", next)
	case res.NeedEnrolment:
		next = withNext("/account/2fa", next)
	}
	http.Redirect(w, r, next, http.StatusSeeOther) // #nosec G710 -- a fixed path or localPath's
	return nil
}

// withNext adds ?next= to path unless next is the home page.
func withNext(path, next string) string {
	if next == "/" {
		return path
	}
	return path + "?next=" + url.QueryEscape(next)
}

// pendingUser is the visitor who has given the password and now owes a
// code: any other visitor is sent where they belong instead (ok false, the
// redirect written).
func (s *Server) pendingUser(w http.ResponseWriter, r *http.Request, next string) (visitor, bool) {
	v := visitorOf(r)
	switch {
	case v.User == nil || v.Session == nil:
		http.Redirect(w, r, withNext("/signin", next), http.StatusSeeOther) // #nosec G710 -- a fixed path with an escaped local next
		return v, false
	case !v.Pending:
		http.Redirect(w, r, next, http.StatusSeeOther) // #nosec G710 -- localPath admits only same-site paths
		return v, false
	case !v.User.HasTOTP():
		http.Redirect(w, r, withNext("/account/2fa", next), http.StatusSeeOther) // #nosec G710 -- as above
		return v, false
	}
	return v, true
}

func (s *Server) twoFactorForm(w http.ResponseWriter, r *http.Request) error {
	next := localPath(r.URL.Query().Get("next"))
	if _, ok := s.pendingUser(w, r, next); !ok {
		return nil
	}
	return s.renderPrivate(w, r, http.StatusOK, "signin_2fa", twoFactorPage{Next: next})
}

// twoFactor checks the code or a recovery code; the session then gets a new
// token, so the one given out after the password alone is worthless.
func (s *Server) twoFactor(w http.ResponseWriter, r *http.Request) error {
	next := localPath(r.PostFormValue("next"))
	v, ok := s.pendingUser(w, r, next)
	if !ok {
		return nil
	}
	token, err := s.accounts.SecondFactor(r.Context(), *v.Session, *v.User, r.PostFormValue("code"), clientOf(r))
	if code := apperr.Code(err); code == apperr.Unauthenticated || code == apperr.TooMany {
		return s.renderPrivate(w, r, statusOf(err), "signin_2fa", twoFactorPage{Next: next, Error: apperr.Message(err, languageOf(r))})
	}
	if err != nil {
		return err
	}
	s.setSessionCookie(w, token)
	http.Redirect(w, r, next, http.StatusSeeOther) // #nosec G710 -- localPath admits only same-site paths
	return nil
}

// signOut ends the browser's session, if it has one, and forgets the cookie.
func (s *Server) signOut(w http.ResponseWriter, r *http.Request) error {
	if v := visitorOf(r); v.Session != nil && v.User != nil {
		if err := s.accounts.SignOut(r.Context(), *v.Session, *v.User, clientOf(r)); err != nil {
			return err
		}
	}
	s.clearSessionCookie(w)
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

// signInRoutes are the steps of signing in and out. They are public, and
// open to a visitor half signed in, because that visitor's Subject is still
// anonymous; the handlers check for the session they need.
func (s *Server) signInRoutes() []route {
	return []route{
		{Method: "GET", Pattern: "/signin", Name: "signin", Summary: "the sign-in form (name and password); `next` is kept if it is a local path", Permission: auth.Public, AllowPending: true, Handle: s.signInForm},
		{Method: "POST", Pattern: "/signin", Name: "signin_submit", Summary: "checks the password, starts a session, goes on to the second factor, its enrolment, or next", Permission: auth.Public, AllowPending: true, Handle: s.signIn},
		{Method: "GET", Pattern: "/signin/2fa", Name: "signin_2fa", Summary: "asks a half-signed-in visitor for the authenticator code or a recovery code", Permission: auth.SignedIn, AllowPending: true, Handle: s.twoFactorForm},
		{Method: "POST", Pattern: "/signin/2fa", Name: "signin_2fa_submit", Summary: "checks the code, completes the sign-in with a new session token", Permission: auth.SignedIn, AllowPending: true, Handle: s.twoFactor},
		{Method: "POST", Pattern: "/signout", Name: "signout", Summary: "ends the session and clears the cookie", Permission: auth.SignedIn, AllowPending: true, Handle: s.signOut},
	}
}
