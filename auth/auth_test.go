package auth_test

import (
	"testing"
	"time"

	"github.com/lantu/lantu/auth"
)

var t0 = time.Date(2024, 10, 8, 9, 0, 0, 0, time.UTC)

func TestSessionLifetimes(t *testing.T) {
	s := auth.Session{CreatedAt: t0, LastSeenAt: t0}
	cases := []struct {
		name     string
		lastSeen time.Duration // after t0
		at       time.Duration // after t0
		live     bool
	}{
		{"OKFresh", 0, time.Minute, true},
		{"OKJustBeforeIdle", 0, 29*time.Minute + 59*time.Second, true},
		{"ErrIdle", 0, 30 * time.Minute, false},
		{"OKActiveAfterHours", 11*time.Hour + 50*time.Minute, 11*time.Hour + 59*time.Minute, true},
		{"ErrAbsoluteWhileActive", 11*time.Hour + 59*time.Minute, 12 * time.Hour, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s.LastSeenAt = t0.Add(c.lastSeen)
			if got := s.Live(t0.Add(c.at)); got != c.live {
				t.Errorf("Live = %v, want %v (expires %v)", got, c.live, s.ExpiresAt())
			}
		})
	}
	s.LastSeenAt = t0
	s.EndedAt = t0.Add(time.Second)
	if s.Live(t0.Add(2 * time.Second)) {
		t.Error("an ended session is live")
	}
}

func TestThrottle(t *testing.T) {
	cases := []struct {
		name string
		a    auth.Attempts
		at   time.Time
		want time.Duration
	}{
		{"OKFewFailures", auth.Attempts{AccountFailures: 4, LastAccountFailure: t0}, t0, 0},
		{"FifthFailureWaitsAMinute", auth.Attempts{AccountFailures: 5, LastAccountFailure: t0}, t0.Add(20 * time.Second), 40 * time.Second},
		{"SixthWaitsTwo", auth.Attempts{AccountFailures: 6, LastAccountFailure: t0}, t0, 2 * time.Minute},
		{"CappedAtWindow", auth.Attempts{AccountFailures: 50, LastAccountFailure: t0}, t0, 15 * time.Minute},
		{"OKAfterWaiting", auth.Attempts{AccountFailures: 50, LastAccountFailure: t0}, t0.Add(15 * time.Minute), 0},
		{"IPLimit", auth.Attempts{IPFailures: 30, OldestIPFailure: t0}, t0.Add(5 * time.Minute), 10 * time.Minute},
		{"OKIPBelowLimit", auth.Attempts{IPFailures: 29, OldestIPFailure: t0}, t0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.a.Wait(c.at); got != c.want {
				t.Errorf("Wait = %v, want %v", got, c.want)
			}
		})
	}
}

func TestScopes(t *testing.T) {
	reporter := auth.Subject{UserID: 1, Name: "r", Role: auth.Reporter, Department: "forestry"}
	if !reporter.Scope().Covers("forestry") || reporter.Scope().Covers("water") {
		t.Error("reporter scope is not their department")
	}
	if !reporter.CanWriteFor(auth.WriteValues, "forestry") || reporter.CanWriteFor(auth.WriteValues, "water") {
		t.Error("reporter may write exactly their department's values")
	}
	if reporter.Can(auth.ApproveValues) || reporter.Can(auth.ManageUsers) || reporter.Can(auth.ReadAudit) {
		t.Error("reporter holds a permission of another role")
	}
	noDept := auth.Subject{UserID: 2, Name: "v", Role: auth.Viewer}
	if noDept.Scope().Covers("forestry") || noDept.Scope().All() {
		t.Error("a department role without a department sees internal data")
	}
	planner := auth.Subject{UserID: 3, Name: "p", Role: auth.Planner, Department: "dev-reform"}
	if !planner.Scope().All() || !planner.CanWriteFor(auth.WriteValues, "water") {
		t.Error("planner is city-wide")
	}
	if auth.Anonymous.Can(auth.SignedIn) || !auth.Anonymous.Can(auth.Public) || auth.Anonymous.Scope().Covers("forestry") {
		t.Error("anonymous may only read what is public")
	}
	// A token narrows what its user may do, never widens it.
	token := planner
	token.TokenID, token.TokenPermissions = 9, []auth.Permission{auth.ReadInternal, auth.ManageUsers}
	if token.Can(auth.WriteValues) {
		t.Error("token can do what it was not granted")
	}
	if token.Can(auth.ManageUsers) {
		t.Error("token can do what its user's role cannot")
	}
	if !token.Can(auth.ReadInternal) {
		t.Error("token cannot do what it was granted")
	}
	var zero auth.Scope
	if zero.Covers("forestry") || zero.Covers("") || zero.All() {
		t.Error("the zero scope sees internal data")
	}
}

func TestUserValidate(t *testing.T) {
	ok := auth.User{Name: "zhang.san", DisplayName: "张三", Role: auth.Reporter, Department: "forestry"}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, edit := range map[string]func(*auth.User){
		"ErrNameUpper":   func(u *auth.User) { u.Name = "Zhang" },
		"ErrNameChinese": func(u *auth.User) { u.Name = "张三" },
		"ErrNoDisplay":   func(u *auth.User) { u.DisplayName = " " },
		"ErrRole":        func(u *auth.User) { u.Role = "root" },
		"ErrNoDept":      func(u *auth.User) { u.Department = "" },
	} {
		u := ok
		edit(&u)
		if u.Validate() == nil {
			t.Errorf("%s: accepted %+v", name, u)
		}
	}
	if !(auth.MFAPolicy{}).Requires(auth.Admin) || (auth.MFAPolicy{}).Requires(auth.Reporter) || !(auth.MFAPolicy{Roles: []auth.Role{auth.Reporter}}).Requires(auth.Reporter) {
		t.Error("MFA policy wrong")
	}
}
