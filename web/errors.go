package web

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"

	"github.com/lantu/lantu/apperr"
)

type requestIDKey struct{}

// requestID returns the id adapt gave the request.
func requestID(r *http.Request) string {
	id, _ := r.Context().Value(requestIDKey{}).(string)
	return id
}

// adapt turns a handlerFunc into an http.Handler: it gives the request an
// id, and maps an error (or a panic) to a status and the error page. It is
// the only place that writes an error response.
func (s *Server) adapt(name string, h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := rand.Text()[:16]
		r = r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id))
		w.Header().Set("X-Request-Id", id)
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.fail(w, r, name, fmt.Errorf("panic: %v\n%s", p, debug.Stack()))
			}
		}()
		if err := h(w, r); err != nil {
			s.fail(w, r, name, err)
		}
	})
}

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
	page := errorPage{Status: status, Message: apperr.Message(err, lang), RequestID: id}
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
