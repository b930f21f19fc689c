// Package web serves Lantu's pages: server-rendered HTML, in Simplified
// Chinese by default with an English switch, from templates and assets
// embedded in the binary. Templates are parsed once in New, so a broken
// template stops the start rather than reaching a user. Pages run no inline
// script: charts read their data from JSON blocks with a static script, so
// that a strict Content-Security-Policy can be added without exceptions.
package web

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"

	"github.com/lantu/lantu/storage"
)

//go:embed templates i18n static
var embedded embed.FS

// Server holds what the pages need; it has no state that changes after New.
type Server struct {
	db       *storage.DB
	logger   *slog.Logger
	messages catalog
	assets   *assets
	pages    pages
	routes   []route
}

// New parses the templates and the message catalogs and checks that they
// agree; it fails if any template or message is broken.
func New(db *storage.DB, logger *slog.Logger) (*Server, error) {
	if db == nil {
		return nil, errors.New("web: no database")
	}
	if logger == nil {
		return nil, errors.New("web: no logger")
	}
	messages, err := loadCatalog(embedded)
	if err != nil {
		return nil, err
	}
	static, err := fs.Sub(embedded, "static")
	if err != nil {
		return nil, fmt.Errorf("web: static files: %w", err)
	}
	a, err := loadAssets(static)
	if err != nil {
		return nil, err
	}
	s := &Server{db: db, logger: logger, messages: messages, assets: a}
	if s.pages, err = parsePages(embedded, messages, a); err != nil {
		return nil, err
	}
	s.routes = s.routeTable()
	return s, nil
}

// Handler returns the HTTP handler serving every route of the route table;
// any other path gets the not-found page.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.routes {
		mux.Handle(rt.Method+" "+rt.Pattern, s.adapt(rt.Name, rt.Handle))
	}
	mux.Handle("/", s.adapt("not_found", s.notFound))
	return securityHeaders(mux)
}

// securityHeaders sets the headers every response carries. The
// Content-Security-Policy joins them once the route permissions land.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}
