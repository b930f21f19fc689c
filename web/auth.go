package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/lantu/lantu/account"
	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/storage"
)

// visitor is who is behind a request: a user with a session, a user's API
// token, or nobody. It is found once per request, before the route's
// policy is checked.
type visitor struct {
	Subject auth.Subject
	User    *auth.User    // nil for anonymous and for API tokens
	Session *auth.Session // nil unless signed in with a cookie
	// Pending: the password was right but the second factor is not done;
	// such a visitor may only finish signing in.
	Pending bool
}

type visitorKey struct{}

func visitorOf(r *http.Request) visitor {
	v, _ := r.Context().Value(visitorKey{}).(visitor)
	return v
}

// subjectOf is who acts on the request, for permission checks and scopes.
func subjectOf(r *http.Request) auth.Subject { return visitorOf(r).Subject }

// scopeOf is the data the request may see beyond what is public.
func scopeOf(r *http.Request) auth.Scope { return subjectOf(r).Scope() }

func (s *Server) cookieName() string {
	if s.secureCookies {
		// __Host-: only over HTTPS, for this exact host, path /
		return "__Host-lantu_session"
	}
	return "lantu_session"
}

// setSessionCookie gives the browser its session token.
func (s *Server) setSessionCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{ // #nosec G124 -- Secure is on unless configured off for plain-HTTP localhost
		Name: s.cookieName(), Value: token, Path: "/", HttpOnly: true, Secure: s.secureCookies, SameSite: http.SameSiteLaxMode,
	})
}

func (s *Server) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{ // #nosec G124 -- as setSessionCookie
		Name: s.cookieName(), Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.secureCookies, SameSite: http.SameSiteLaxMode,
	})
}

// clientOf is the request's origin for the audit trail and the throttle.
// Lantu is reached directly or through a local reverse proxy; the address
// is the connection's, never a header a client can forge.
func clientOf(r *http.Request) account.Client {
	ip := r.RemoteAddr
	if i := strings.LastIndexByte(ip, ':'); i > 0 {
		ip = ip[:i]
	}
	return account.Client{IP: strings.Trim(ip, "[]"), UserAgent: r.UserAgent()}
}

// identify finds the visitor from an API token or a session cookie. A bad
// token is an error (the client meant to authenticate); a stale cookie is
// cleared and the visitor is anonymous.
func (s *Server) identify(w http.ResponseWriter, r *http.Request) (visitor, error) {
	ctx := r.Context()
	if h := r.Header.Get("Authorization"); h != "" {
		bearer, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return visitor{}, apperr.New(apperr.Unauthenticated, "Authorization 头应为 Bearer 令牌", "the Authorization header must carry a Bearer token")
		}
		sub, err := s.accounts.AuthenticateToken(ctx, strings.TrimSpace(bearer))
		if err != nil {
			return visitor{}, err
		}
		return visitor{Subject: sub}, nil
	}
	c, err := r.Cookie(s.cookieName())
	if err != nil || c.Value == "" {
		return visitor{}, nil
	}
	u, sess, err := s.accounts.Authenticate(ctx, c.Value)
	if apperr.Code(err) == apperr.Unauthenticated {
		s.clearSessionCookie(w)
		return visitor{}, nil
	}
	if err != nil {
		return visitor{}, err
	}
	v := visitor{User: &u, Session: &sess, Pending: sess.MFAPending}
	if !sess.MFAPending {
		v.Subject = u.Subject()
	}
	return v, nil
}

// csrfField is the form field, and csrfHeader the header, that carry the
// session's anti-forgery token on every state-changing request.
const (
	csrfField  = "_csrf"
	csrfHeader = "X-CSRF-Token"
)

// checkForgery refuses a state-changing request that another site could
// have made the browser send: cross-origin by the browser's own
// Sec-Fetch-Site/Origin headers, or, with a session cookie, without the
// session's token. Requests with an API token carry no ambient credential
// and need no token.
func (s *Server) checkForgery(r *http.Request, v visitor) error {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return nil
	}
	if err := s.crossOrigin.Check(r); err != nil {
		return apperr.New(apperr.Forbidden, "拒绝跨站请求", "cross-site request refused")
	}
	if v.Session == nil {
		return nil
	}
	got := r.Header.Get(csrfHeader)
	if got == "" {
		got = r.PostFormValue(csrfField)
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(v.Session.CSRFToken)) != 1 {
		return apperr.New(apperr.Forbidden, "表单已过期或来源不明，请刷新页面后重试", "the form has expired or its origin is unknown; reload the page and try again")
	}
	return nil
}

// authorize applies a route's policy to the visitor: nil to go on, or the
// error to answer with. Refusals of signed-in users are audited.
func (s *Server) authorize(r *http.Request, rt route, v visitor) error {
	if v.Pending {
		// Half signed in: only the steps that finish signing in, which
		// need a session but no subject yet.
		if rt.AllowPending && (rt.Permission == auth.Public || rt.Permission == auth.SignedIn) {
			return nil
		}
		return errSecondFactorDue
	}
	if v.Subject.Can(rt.Permission) {
		return nil
	}
	if !v.Subject.SignedIn() {
		return apperr.New(apperr.Unauthenticated, "请先登录", "please sign in")
	}
	s.audit(r, audit.Refused, "route", rt.Name, map[string]string{"method": r.Method, "path": r.URL.Path, "needs": string(rt.Permission)})
	return apperr.New(apperr.Forbidden, "没有权限访问此页面", "you may not see this page")
}

var errSecondFactorDue = errors.New("second factor due")

// audit records an event of the request's visitor; a failure to record is
// logged, not shown: the request itself was already decided.
func (s *Server) audit(r *http.Request, action audit.Action, objectType, objectID string, details any) {
	v := visitorOf(r)
	name := v.Subject.Actor("").Name
	if v.User != nil {
		name = v.User.Name
	}
	a := audit.Actor{Name: name, IP: clientOf(r).IP}
	err := s.db.Write(r.Context(), a, func(tx *storage.Tx) error {
		return tx.RecordEvent(r.Context(), action, objectType, objectID, details)
	})
	if err != nil {
		s.logger.Error("audit event failed", "request_id", requestID(r), "action", action, "err", err)
	}
}

// signInURL is where an anonymous visitor of a page is sent, to come back.
func signInURL(r *http.Request) string {
	return "/signin?next=" + url.QueryEscape(r.URL.RequestURI())
}

func withVisitor(ctx context.Context, v visitor) context.Context {
	return context.WithValue(ctx, visitorKey{}, v)
}
