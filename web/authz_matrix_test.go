package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/lantu/lantu/account"
	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/dataset"
	"github.com/lantu/lantu/datasets"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/reporting"
	"github.com/lantu/lantu/storage"
	"github.com/lantu/lantu/storage/storagetest"
)

// The two departments of the matrix: "own" is the visitor's, "other" is
// not. Each owns an indicator with an unpublished value whose number is a
// marker that must never reach a page, file or answer outside its scope.
const (
	ownDept, ownIndicator, ownMarker       = "forestry", "forest-cover", "424241"
	otherDept, otherIndicator, otherMarker = "hr-social", "urban-jobs-new", "535352"
)

// matrixRequest is one request a route is tried with.
type matrixRequest struct {
	method, path, body string
	// writes says the request changes data when it succeeds, so a success
	// on the other department's object is a breach even without a marker.
	writes bool
	// freshSession: the request ends the session it carries (sign-out), so
	// it is sent with a new session of the same visitor.
	freshSession bool
	// contentType of the body; JSON when empty.
	contentType string
}

// matrixCase says how to exercise a route for the visitor's own department
// and for the other one. Every route of the table must have an entry: a new
// route without one fails the test, so none escapes the matrix.
type matrixCase func(dept, ind string) []matrixRequest

func get(path string) matrixCase {
	return func(string, string) []matrixRequest { return []matrixRequest{{method: "GET", path: path}} }
}

// matrixCases are every route's entries: the open pages and the API here,
// the sign-in, account and administration pages in pages_auth_test.go.
var matrixCases = mergeCases(publicMatrixCases, accountMatrixCases, fileMatrixCases, reportingMatrixCases, rulesMatrixCases, historyMatrixCases,
	supervisionMatrixCases, projectWatchMatrixCases, caseMatrixCases, caseDashboardMatrixCases, caseFileMatrixCases)

func mergeCases(sets ...map[string]matrixCase) map[string]matrixCase {
	out := map[string]matrixCase{}
	for _, set := range sets {
		for k, v := range set {
			out[k] = v
		}
	}
	return out
}

var publicMatrixCases = map[string]matrixCase{
	"home": get("/"),
	"goal": get("/goals/livable"), // urban-jobs-new's goal
	"indicators": func(dept, _ string) []matrixRequest {
		return []matrixRequest{{method: "GET", path: "/indicators?dept=" + dept}}
	},
	"indicator": func(_, ind string) []matrixRequest {
		return []matrixRequest{{method: "GET", path: "/indicators/" + ind}}
	},
	"projects": get("/projects"),
	"project":  get("/projects/cpi-chakou-wind"),
	"org":      get("/org"),
	"lang":     get("/lang/en?next=/"),
	"static":   get("/static/lantu.css"),
	"healthz":  get("/healthz"),

	"api_me":         get("/api/v1/me"),
	"api_indicators": get("/api/v1/indicators"),
	"api_values": func(_, ind string) []matrixRequest {
		return []matrixRequest{{method: "GET", path: "/api/v1/indicators/" + ind + "/values"}}
	},
	"api_put_value": func(_, ind string) []matrixRequest {
		return []matrixRequest{{method: "PUT", path: "/api/v1/values", writes: true,
			body: `{"indicator":"` + ind + `","org_unit":"gujiao","period":"2023","number":7,"status":"submitted","reason":"matrix"}`}}
	},
	"values_csv": func(_, ind string) []matrixRequest {
		return []matrixRequest{{method: "GET", path: "/indicators/" + ind + "/values.csv"}}
	},
}

// visitorCase is one column of the matrix: a role with a session, or the
// anonymous public.
type visitorCase struct {
	role   auth.Role // "" for anonymous
	cookie *http.Cookie
	csrf   string
	// renew signs the same user in again, for requests that end their
	// session; nil for the anonymous public.
	renew func() visitorCase
}

func TestAuthorizationMatrix(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		srv, ts, accounts := gujiaoServer(t, db)

		for _, route := range srv.routes {
			if _, ok := matrixCases[route.Name]; !ok {
				t.Errorf("route %s %s (%s) has no entry in the authorization matrix", route.Method, route.Pattern, route.Name)
			}
		}

		visitors := []visitorCase{{}}
		for _, role := range auth.Roles {
			visitors = append(visitors, signInAs(t, accounts, role))
		}
		seedPetition(t, db)
		leadSawPetition := false

		for _, route := range srv.routes {
			mc := matrixCases[route.Name]
			if mc == nil {
				continue
			}
			for vi := range visitors {
				for _, target := range []string{"own", "other"} {
					v := visitors[vi]
					dept, ind := ownDept, ownIndicator
					if target == "other" {
						dept, ind = otherDept, otherIndicator
					}
					for _, req := range mc(dept, ind) {
						name := fmt.Sprintf("%s/%s/%s %s", roleName(v.role), target, req.method, req.path)
						seedSecrets(t, db)
						sender := v
						if req.freshSession && v.renew != nil {
							sender = v.renew()
						}
						status, body := do(t, ts.URL, sender, req)
						if req.freshSession && v.renew != nil {
							// Signing out everywhere ended the visitor's
							// own session too: start a new one.
							visitors[vi] = v.renew()
						}
						sub := auth.Subject{UserID: 1, Role: v.role, Department: ownDept}
						if v.role == "" {
							sub = auth.Anonymous
						}
						allowed := sub.Can(route.Permission)
						// Success: 2xx, or for a form post the 303 of
						// post/redirect/get (refusals are 401 or 403).
						ok := status >= 200 && status < 300 || req.method != http.MethodGet && status >= 300 && status < 400
						// 1. The policy: a visitor without the permission never succeeds.
						if !allowed && ok {
							t.Errorf("%s: %d, but %s lacks %s", name, status, roleName(v.role), route.Permission)
						}
						// 2. Isolation: a marker outside the visitor's scope never shows.
						for dep, m := range map[string]string{ownDept: ownMarker, otherDept: otherMarker} {
							if !sub.Scope().Covers(dep) && strings.Contains(body, m) {
								t.Errorf("%s: shows %s's unpublished value %s", name, dep, m)
							}
						}
						// 2b. A petitioner's name and phone leave the petition
						// bureau in no page, file or API answer, to any visitor
						// (none is of the bureau), not even to the lead
						// department, which does see the case.
						text := readable(t, body)
						if leaks := petitionerLeaks(text); len(leaks) > 0 {
							t.Errorf("%s: shows the petitioner's %v", name, leaks)
						}
						if ok && v.role != "" && strings.Contains(text, matrixPetitionTitle) {
							leadSawPetition = true
						}
						// 3. Writes: on another department's object only a
						// city-wide writer may succeed — judged by what is in
						// the database, not by the answer.
						wrote := req.writes && written(t, db, ind)
						if wrote && !sub.CanWriteFor(route.Permission, dept) {
							t.Errorf("%s: wrote to %s's indicator (answer %d)", name, dept, status)
						}
						// 4. And the visitor's own scope works: a permitted
						// write to its own department succeeds.
						if req.writes && allowed && target == "own" && !ok {
							t.Errorf("%s: %d, but %s may write its own department's values", name, status, roleName(v.role))
						}
					}
				}
			}
		}
		if !leadSawPetition {
			t.Error("no visitor of the lead department saw the petition: the petitioner check proved nothing")
		}
	})
}

// gujiaoServer serves the Gujiao data from db with an account service whose
// clock the test moves; the server stops with the test.
func gujiaoServer(t *testing.T, db *storage.DB) (*Server, *httptest.Server, clockedAccounts) {
	t.Helper()
	b, err := dataset.Read(datasets.Gujiao())
	if err != nil {
		t.Fatal(err)
	}
	if err := dataset.Load(context.Background(), db, audit.Actor{Name: "test"}, b); err != nil {
		t.Fatal(err)
	}
	// The API writes figures of 2021 and 2023: open them for reporting.
	office := auth.Subject{UserID: -1, Name: "test-planner", Role: auth.Planner}
	for _, p := range []string{"2021", "2023"} {
		if _, err := reporting.New(db).OpenRound(context.Background(), office, reporting.NewRound{Period: p, DueDate: "2024-01-15"}, ""); err != nil {
			t.Fatal(err)
		}
	}
	accounts := matrixAccounts(db)
	srv, err := New(Config{DB: db, Accounts: accounts.Service, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return srv, ts, accounts
}

// clockedAccounts is an account service whose clock the test moves, so
// that a second sign-in can go on to a fresh TOTP step.
type clockedAccounts struct {
	*account.Service
	clock *testClock
}

func matrixAccounts(db *storage.DB) clockedAccounts {
	clock := &testClock{t: time.Now()}
	accounts := account.New(db)
	accounts.Now = clock.now
	return clockedAccounts{Service: accounts, clock: clock}
}

func roleName(r auth.Role) string {
	if r == "" {
		return "anonymous"
	}
	return string(r)
}

// written reports whether the matrix's write request left its value (2023)
// for the indicator in the database.
func written(t *testing.T, db *storage.DB, ind string) bool {
	t.Helper()
	_, err := db.Value(context.Background(), auth.SystemScope(), ind, "gujiao", period.MustParse("2023"))
	return err == nil
}

// seedSecrets (re)writes the two unpublished values whose numbers are the
// markers, so that every request sees them as drafts, and removes what the
// previous request may have written.
func seedSecrets(t *testing.T, db *storage.DB) {
	t.Helper()
	ctx := context.Background()
	err := db.Write(ctx, audit.Actor{Name: "test"}, func(tx *storage.Tx) error {
		for _, ind := range []string{ownIndicator, otherIndicator} {
			if written(t, db, ind) {
				if err := tx.DeleteValue(ctx, ind, "gujiao", period.MustParse("2023")); err != nil {
					return err
				}
			}
		}
		for _, v := range []indicator.Value{
			{IndicatorCode: ownIndicator, OrgUnitCode: "gujiao", Period: period.MustParse("2022"), Number: 424241, Status: indicator.Draft, EnteredBy: "a"},
			{IndicatorCode: otherIndicator, OrgUnitCode: "gujiao", Period: period.MustParse("2022"), Number: 535352, Status: indicator.Submitted, EnteredBy: "b"},
		} {
			if err := tx.PutValue(ctx, v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// signInAs creates a user of the role in the own department and signs in,
// enrolling a second factor where the role needs one.
func signInAs(t *testing.T, accounts clockedAccounts, role auth.Role) visitorCase {
	t.Helper()
	ctx := context.Background()
	name := "m-" + strings.ReplaceAll(string(role), "_", "-")
	password := "matrix password for " + name
	if _, err := accounts.CreateUser(ctx, auth.Subject{Name: "cli:test"}, account.NewUser{Name: name, DisplayName: name, Role: role, Department: ownDept, Password: password}, account.Client{}); err != nil {
		t.Fatal(err)
	}
	return signInAgain(t, accounts, role, name, password, new(string))
}

// signInAgain starts a new session of an existing user, enrolling or
// passing the second factor as needed.
// secret keeps the user's TOTP secret between sign-ins; each code is made
// one step after the last, so that none is refused as used.
func signInAgain(t *testing.T, accounts clockedAccounts, role auth.Role, name, password string, secret *string) visitorCase {
	t.Helper()
	ctx := context.Background()
	res, err := accounts.SignIn(ctx, name, password, account.Client{IP: "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	token := res.Token
	switch {
	case res.NeedEnrolment:
		en, err := accounts.BeginEnrolment(res.User)
		if err != nil {
			t.Fatal(err)
		}
		*secret = en.Secret
		if _, token, err = accounts.ConfirmEnrolment(ctx, res.User, res.Session, en.Secret, totpCode(t, en.Secret, accounts.Now()), account.Client{}); err != nil {
			t.Fatal(err)
		}
	case res.NeedCode:
		// A code is good once: the clock moves to the next step.
		accounts.clock.advance(30 * time.Second)
		if token, err = accounts.SecondFactor(ctx, res.Session, res.User, totpCode(t, *secret, accounts.clock.now()), account.Client{}); err != nil {
			t.Fatal(err)
		}
	}
	_, sess, err := accounts.Authenticate(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	return visitorCase{role: role, cookie: &http.Cookie{Name: "lantu_session", Value: token}, csrf: sess.CSRFToken,
		renew: func() visitorCase { return signInAgain(t, accounts, role, name, password, secret) }}
}

func do(t *testing.T, base string, v visitorCase, mr matrixRequest) (int, string) {
	t.Helper()
	var body io.Reader
	if mr.body != "" {
		body = strings.NewReader(mr.body)
	}
	req, err := http.NewRequest(mr.method, base+mr.path, body)
	if err != nil {
		t.Fatal(err)
	}
	if v.cookie != nil {
		req.AddCookie(v.cookie)
		req.Header.Set(csrfHeader, v.csrf)
	}
	if mr.body != "" {
		ct := mr.contentType
		if ct == "" {
			ct = "application/json"
		}
		req.Header.Set("Content-Type", ct)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}
