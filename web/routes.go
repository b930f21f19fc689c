package web

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/lantu/lantu/auth"
)

// handlerFunc is what every page handler is: it writes a response or
// returns an error, which adapt turns into the error page.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// route is one entry of the route table: the one place where a URL is bound
// to a handler and to the permission it needs, read by Handler, by the
// tests that render every page and check every role against every route,
// and by the test that keeps docs/pages.md complete.
type route struct {
	Method  string
	Pattern string // a net/http ServeMux pattern, without the method
	Name    string // stable identifier, used in logs and the permission policy
	Summary string // what the route shows, for docs and tests
	// Permission is what the visitor must hold. There is no default: a
	// route without one stops the server from starting.
	Permission auth.Permission
	Handle     handlerFunc
	// AllowPending lets a visitor who has given the password but not yet
	// the second factor use the route (the sign-in steps themselves).
	AllowPending bool
	// MaxBody bounds the request body; 0 means the default of 1 MiB.
	MaxBody int64
}

// defaultMaxBody is enough for every form and JSON request; uploads set
// their own limit.
const defaultMaxBody = 1 << 20

// checkPolicies refuses a route table with a route that names no
// permission, or one that is not known: default deny.
func checkPolicies(routes []route) error {
	known := map[auth.Permission]bool{auth.Public: true, auth.SignedIn: true}
	for _, p := range auth.Permissions {
		known[p] = true
	}
	seen := map[string]bool{}
	for _, rt := range routes {
		if !known[rt.Permission] {
			return fmt.Errorf("web: route %s %s (%s) has no valid permission %q", rt.Method, rt.Pattern, rt.Name, rt.Permission)
		}
		if seen[rt.Name] {
			return fmt.Errorf("web: two routes are named %s", rt.Name)
		}
		seen[rt.Name] = true
	}
	return nil
}

func (s *Server) routeTable() []route {
	return slices.Concat(s.publicRoutes(), s.apiRoutes(), s.accountRoutes(), s.adminRoutes(), s.reportingRoutes(), s.reportingFileRoutes(), s.rulesRoutes(), s.historyRoutes(),
		s.supervisionRoutes(), s.projectWatchRoutes(), s.caseRoutes(), s.caseStatsRoutes(), s.caseAnswerRoutes(), s.caseAPIRoutes(), s.caseDashboardRoutes(), s.caseFileRoutes())
}

// publicRoutes are the open pages of the plan.
func (s *Server) publicRoutes() []route {
	return []route{
		{Method: "GET", Pattern: "/{$}", Name: "home", Summary: "the plan at a glance: goals, areas, indicators with their latest values, counts", Permission: auth.Public, Handle: s.home},
		{Method: "GET", Pattern: "/goals/{code}", Name: "goal", Summary: "one goal: its areas, their indicators with latest values, and its tasks", Permission: auth.Public, Handle: s.goal},
		{Method: "GET", Pattern: "/indicators", Name: "indicators", Summary: "every indicator with its latest value, filtered by goal, area or department", Permission: auth.Public, Handle: s.indicators},
		{Method: "GET", Pattern: "/indicators/{code}", Name: "indicator", Summary: "one indicator: definition and its versions, values by period and place with provenance, targets, chart", Permission: auth.Public, Handle: s.indicator},
		{Method: "GET", Pattern: "/projects", Name: "projects", Summary: "key projects with stage, owner and location, filtered by stage or department; for internal readers this week's light within their scope, filtered by light", Permission: auth.Public, Handle: s.projects},
		{Method: "GET", Pattern: "/projects/{code}", Name: "project", Summary: "one key project: every field, its stage as a step bar, its source; within the visitor's scope its plan against investment, milestones, lights with reasons, weekly reports and their form, orders", Permission: auth.Public, Handle: s.project},
		{Method: "GET", Pattern: "/org", Name: "org", Summary: "the org-unit tree and the departments", Permission: auth.Public, Handle: s.org},
		{Method: "GET", Pattern: "/lang/{lang}", Name: "lang", Summary: "sets the language cookie and goes back to the page", Permission: auth.Public, Handle: s.setLanguage},
		{Method: "GET", Pattern: "/static/{file...}", Name: "static", Summary: "embedded stylesheets, scripts and images, cached for a year", Permission: auth.Public, Handle: s.static},
		{Method: "GET", Pattern: "/healthz", Name: "healthz", Summary: "liveness check: 200 ok", Permission: auth.Public, Handle: s.healthz},
	}
}
