package web

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/audit"
)

// writeJSON answers an API request.
func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

type requestIDKey struct{}

// requestID returns the id adapt gave the request.
func requestID(r *http.Request) string {
	id, _ := r.Context().Value(requestIDKey{}).(string)
	return id
}

// adapt turns a route into an http.Handler: it gives the request an id,
// bounds its body, finds the visitor, refuses forged and unauthorized
// requests, and maps an error (or a panic) to a status and the error page.
// It is the only place that writes an error response, and the only place a
// route's policy is enforced.
func (s *Server) adapt(rt route) http.Handler {
	name := rt.Name
	maxBody := rt.MaxBody
	if maxBody == 0 {
		maxBody = defaultMaxBody
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := rand.Text()[:16]
		r = r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id))
		w.Header().Set("X-Request-Id", id)
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.fail(w, r, name, fmt.Errorf("panic: %v\n%s", p, debug.Stack()))
			}
		}()
		v, err := s.identify(w, r)
		if err != nil {
			s.fail(w, r, name, err)
			return
		}
		r = r.WithContext(withVisitor(r.Context(), v))
		if err := s.checkForgery(r, v); err != nil {
			s.audit(r, audit.Refused, "route", name, map[string]string{"method": r.Method, "path": r.URL.Path, "why": "forgery"})
			s.fail(w, r, name, err)
			return
		}
		if err := s.authorize(r, rt, v); err != nil {
			s.refuse(w, r, name, err)
			return
		}
		if err := rt.Handle(w, r); err != nil {
			s.fail(w, r, name, err)
		}
	})
}

// refuse answers a request the policy turned down: a page visitor who must
// sign in (or finish signing in) is sent there; anyone else gets the error.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, name string, err error) {
	page := r.Method == http.MethodGet && !isAPI(r)
	switch {
	case errors.Is(err, errSecondFactorDue) && page:
		http.Redirect(w, r, "/signin/2fa", http.StatusSeeOther)
	case errors.Is(err, errSecondFactorDue):
		s.fail(w, r, name, apperr.New(apperr.Unauthenticated, "请先完成双因素验证", "finish the second factor first"))
	case apperr.Code(err) == apperr.Unauthenticated && page:
		http.Redirect(w, r, signInURL(r), http.StatusSeeOther) // #nosec G710 -- a fixed local path; the request URI is only its escaped query value
	default:
		s.fail(w, r, name, err)
	}
}

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// statusOf maps an error's apperr code to an HTTP status.
func statusOf(err error) int {
	switch apperr.Code(err) {
	case apperr.Invalid:
		return http.StatusBadRequest
	case apperr.NotFound:
		return http.StatusNotFound
	case apperr.Conflict:
		return http.StatusConflict
	case apperr.Forbidden:
		return http.StatusForbidden
	case apperr.Unauthenticated:
		return http.StatusUnauthorized
	case apperr.TooMany:
		return http.StatusTooManyRequests
	}
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusInternalServerError
}

// errorPage is what the error template shows: never the error itself, only
// its user-facing message and the id that finds it in the log.
type errorPage struct {
	Status    int
	Message   string
	RequestID string
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, route string, err error) {
	status := statusOf(err)
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	id := requestID(r)
	s.logger.Log(r.Context(), level, "request failed", "request_id", id, "route", route,
		"method", r.Method, "path", r.URL.Path, "status", status, "err", err)

	lang := languageOf(r)
	msg := apperr.Message(err, lang)
	if status == http.StatusRequestEntityTooLarge {
		msg = pick(lang, "请求内容过大", "request body too large")
	}
	if isAPI(r) {
		writeJSON(w, status, map[string]any{"error": map[string]string{"code": apperr.Code(err), "message": msg, "request_id": id}})
		return
	}
	page := errorPage{Status: status, Message: msg, RequestID: id}
	body, rerr := s.pages.execute(lang, "error", s.frame(r, "error", page))
	if rerr != nil {
		s.logger.Error("error page failed", "request_id", id, "err", rerr)
		http.Error(w, fmt.Sprintf("%d %s (request %s)", status, http.StatusText(status), id), status)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// notFound answers every path that no route matches.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) error {
	return apperr.New(apperr.NotFound, "页面不存在", "Page not found")
}
