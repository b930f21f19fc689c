package web

import "net/http"

// handlerFunc is what every page handler is: it writes a response or
// returns an error, which adapt turns into the error page.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// access says who may use a route. Every route is public until users and
// roles exist; the permission policy will be a value of this field.
type access string

const public access = "public"

// route is one entry of the route table: the one place where a URL is bound
// to a handler, read by Handler, by the tests that render every page and by
// the test that keeps docs/pages.md complete.
type route struct {
	Method  string
	Pattern string // a net/http ServeMux pattern, without the method
	Name    string // stable identifier, used in logs and the permission policy
	Summary string // what the route shows, for docs and tests
	Access  access
	Handle  handlerFunc
}

func (s *Server) routeTable() []route {
	return []route{
		{"GET", "/{$}", "home", "the plan at a glance: goals, areas, indicators with their latest values, counts", public, s.home},
		{"GET", "/goals/{code}", "goal", "one goal: its areas, their indicators with latest values, and its tasks", public, s.goal},
		{"GET", "/indicators", "indicators", "every indicator with its latest value, filtered by goal, area or department", public, s.indicators},
		{"GET", "/indicators/{code}", "indicator", "one indicator: definition and its versions, values by period and place with provenance, targets, chart", public, s.indicator},
		{"GET", "/projects", "projects", "key projects with stage, owner and location, filtered by stage or department", public, s.projects},
		{"GET", "/projects/{code}", "project", "one key project: every field, its stage as a step bar, its source", public, s.project},
		{"GET", "/org", "org", "the org-unit tree and the departments", public, s.org},
		{"GET", "/lang/{lang}", "lang", "sets the language cookie and goes back to the page", public, s.setLanguage},
		{"GET", "/static/{file...}", "static", "embedded stylesheets, scripts and images, cached for a year", public, s.static},
		{"GET", "/healthz", "healthz", "liveness check: 200 ok", public, s.healthz},
	}
}
