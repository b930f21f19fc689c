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
	"time"

	"github.com/lantu/lantu/account"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/oversight"
	"github.com/lantu/lantu/reporting"
	"github.com/lantu/lantu/storage"
)

//go:embed templates i18n static
var embedded embed.FS

// Server holds what the pages need; it has no state that changes after New.
type Server struct {
	db            *storage.DB
	accounts      *account.Service
	reporting     *reporting.Service
	oversight     *oversight.Service
	logger        *slog.Logger
	messages      catalog
	assets        *assets
	pages         pages
	routes        []route
	secureCookies bool
	crossOrigin   *http.CrossOriginProtection
	now           func() time.Time
}

// Config is what the server is built from.
type Config struct {
	DB       *storage.DB
	Accounts *account.Service
	Logger   *slog.Logger
	// SecureCookies marks the session cookie Secure with the __Host-
	// prefix; turn it off only to serve plain HTTP on localhost.
	SecureCookies bool
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// New parses the templates and the message catalogs and checks that they
// agree, and checks that every route has a policy; it fails if anything is
// broken.
func New(cfg Config) (*Server, error) {
	db, logger := cfg.DB, cfg.Logger
	if db == nil || cfg.Accounts == nil {
		return nil, errors.New("web: no database or account service")
	}
	if logger == nil {
		return nil, errors.New("web: no logger")
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
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
	rep := reporting.New(db)
	rep.Now = now
	watch := oversight.New(db)
	watch.Now = now
	s := &Server{db: db, accounts: cfg.Accounts, reporting: rep, oversight: watch, logger: logger, messages: messages, assets: a,
		secureCookies: cfg.SecureCookies, crossOrigin: http.NewCrossOriginProtection(), now: now}
	if s.pages, err = parsePages(embedded, messages, a); err != nil {
		return nil, err
	}
	s.routes = s.routeTable()
	if err := checkPolicies(s.routes); err != nil {
		return nil, err
	}
	return s, nil
}

// Handler returns the HTTP handler serving every route of the route table;
// any other path gets the not-found page.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.routes {
		mux.Handle(rt.Method+" "+rt.Pattern, s.adapt(rt))
	}
	mux.Handle("/", s.adapt(route{Name: "not_found", Permission: auth.Public, Handle: s.notFound}))
	return securityHeaders(mux)
}

// contentSecurityPolicy allows only the site's own scripts: no inline
// script, no eval, no plug-ins, no framing. Inline styles are allowed
// because ECharts draws its tooltips with them; styles cannot run code.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders sets the headers every response carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		next.ServeHTTP(w, r)
	})
}
