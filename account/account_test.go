package account_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/lantu/lantu/account"
	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/plan"
	"github.com/lantu/lantu/storage"
	"github.com/lantu/lantu/storage/storagetest"
)

var ctx = context.Background()

// clock is a settable clock for the service and the database.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }
func newClock() *clock                   { return &clock{t: time.Date(2024, 10, 8, 9, 0, 0, 0, time.UTC)} }
func client(ip string) account.Client    { return account.Client{IP: ip, UserAgent: "test"} }
func code(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var cli = auth.Subject{Name: "cli:test"}

// setup returns a service on a fresh database with a department and a
// reporter "li" (password "correct horse battery").
func setup(t *testing.T, db *storage.DB, c *clock) *account.Service {
	t.Helper()
	svc := account.New(db)
	svc.Now = c.now
	err := db.Write(ctx, audit.Actor{Name: "test"}, func(tx *storage.Tx) error {
		if err := tx.PutOrgUnit(ctx, plan.OrgUnit{Code: "city", Kind: plan.City, NameZH: "古交市"}); err != nil {
			return err
		}
		return tx.PutDepartment(ctx, plan.Department{Code: "forestry", OrgUnitCode: "city", NameZH: "林业局"})
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateUser(ctx, cli, account.NewUser{Name: "li", DisplayName: "李四", Role: auth.Reporter, Department: "forestry", Password: "correct horse battery"}, client("")); err != nil {
		t.Fatal(err)
	}
	return svc
}

func each(t *testing.T, fn func(t *testing.T, svc *account.Service, c *clock, db *storage.DB)) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		c := newClock()
		// The database's clock follows the test's, so audit times match.
		db = storagetest.WithClock(t, db, c.now)
		fn(t, setup(t, db, c), c, db)
	})
}

func TestSignInAndOut(t *testing.T) {
	each(t, func(t *testing.T, svc *account.Service, c *clock, db *storage.DB) {
		res, err := svc.SignIn(ctx, " LI ", "correct horse battery", client("10.0.0.1"))
		if err != nil {
			t.Fatal(err)
		}
		if res.NeedCode || res.NeedEnrolment || len(res.Token) < 22 {
			t.Fatalf("sign-in = %+v", res)
		}
		u, sess, err := svc.Authenticate(ctx, res.Token)
		if err != nil || u.Name != "li" || sess.CSRFToken == "" {
			t.Fatalf("Authenticate = %v, %+v, %v", u.Name, sess, err)
		}
		if err := svc.SignOut(ctx, sess, u, client("10.0.0.1")); err != nil {
			t.Fatal(err)
		}
		// The cookie replayed after sign-out is refused.
		if _, _, err := svc.Authenticate(ctx, res.Token); apperr.Code(err) != apperr.Unauthenticated {
			t.Errorf("replayed token after sign-out: %v", err)
		}
		for _, action := range []audit.Action{audit.SignIn, audit.SignOut} {
			entries, _ := db.AuditEntries(ctx, storage.AuditFilter{ObjectType: "user", ObjectID: "li"})
			if !hasAction(entries, action) {
				t.Errorf("no %s in the audit trail", action)
			}
		}
	})
}

func hasAction(entries []audit.Entry, a audit.Action) bool {
	for _, e := range entries {
		if e.Action == a {
			return true
		}
	}
	return false
}

// A wrong password, an unknown name and a disabled user get one message.
func TestSignInFailuresLookAlike(t *testing.T) {
	each(t, func(t *testing.T, svc *account.Service, c *clock, db *storage.DB) {
		disabled := true
		id, _ := svc.CreateUser(ctx, cli, account.NewUser{Name: "gone", DisplayName: "离职", Role: auth.Viewer, Department: "forestry", Password: "another long secret"}, client(""))
		if err := svc.UpdateUser(ctx, cli, id, account.UserChange{Disabled: &disabled}, client("")); err != nil {
			t.Fatal(err)
		}
		var msgs []string
		for _, try := range [][2]string{{"li", "wrong password!"}, {"nobody", "correct horse battery"}, {"gone", "another long secret"}} {
			_, err := svc.SignIn(ctx, try[0], try[1], client("10.0.0.2"))
			if apperr.Code(err) != apperr.Unauthenticated {
				t.Fatalf("%s: %v", try[0], err)
			}
			msgs = append(msgs, apperr.Message(err, "zh"))
		}
		if msgs[0] != msgs[1] || msgs[1] != msgs[2] {
			t.Errorf("failure messages differ: %q", msgs)
		}
		entries, _ := db.AuditEntries(ctx, storage.AuditFilter{})
		n := 0
		for _, e := range entries {
			if e.Action == audit.SignInFailed {
				n++
				if e.IP != "10.0.0.2" {
					t.Errorf("failed attempt audited without the address: %+v", e)
				}
			}
		}
		if n != 3 {
			t.Errorf("%d failed attempts audited, want 3", n)
		}
	})
}

func TestThrottle(t *testing.T) {
	each(t, func(t *testing.T, svc *account.Service, c *clock, db *storage.DB) {
		for range auth.FreeAccountFailures {
			if _, err := svc.SignIn(ctx, "li", "wrong password!", client("10.0.0.3")); apperr.Code(err) != apperr.Unauthenticated {
				t.Fatal(err)
			}
			c.advance(time.Second)
		}
		// Now even the right password must wait: the attacker learns nothing.
		_, err := svc.SignIn(ctx, "li", "correct horse battery", client("10.0.0.4"))
		if apperr.Code(err) != apperr.TooMany || !strings.Contains(apperr.Message(err, "zh"), "秒后再试") {
			t.Fatalf("sixth attempt: %v, want too many", err)
		}
		// The real user is not locked out for good: after a minute it works.
		c.advance(time.Minute)
		if _, err := svc.SignIn(ctx, "li", "correct horse battery", client("10.0.0.4")); err != nil {
			t.Fatalf("after waiting: %v", err)
		}
		// The success resets the account's count.
		if _, err := svc.SignIn(ctx, "li", "wrong password!", client("10.0.0.4")); apperr.Code(err) != apperr.Unauthenticated {
			t.Errorf("after success, one failure: %v", err)
		}
		entries, _ := db.AuditEntries(ctx, storage.AuditFilter{ObjectType: "user", ObjectID: "li"})
		if !hasAction(entries, audit.SignInThrottled) {
			t.Error("the throttled attempt is not audited")
		}
	})
}

func TestThrottlePerAddress(t *testing.T) {
	each(t, func(t *testing.T, svc *account.Service, c *clock, db *storage.DB) {
		// Spraying many names from one address trips the address limit.
		for i := range auth.MaxIPFailures {
			if _, err := svc.SignIn(ctx, "user"+strings.Repeat("x", i%7)+string(rune('a'+i%26)), "guess guess", client("10.9.9.9")); apperr.Code(err) != apperr.Unauthenticated {
				t.Fatal(err)
			}
		}
		if _, err := svc.SignIn(ctx, "li", "correct horse battery", client("10.9.9.9")); apperr.Code(err) != apperr.TooMany {
			t.Errorf("from the spraying address: %v, want too many", err)
		}
		if _, err := svc.SignIn(ctx, "li", "correct horse battery", client("10.1.1.1")); err != nil {
			t.Errorf("from another address: %v", err)
		}
		c.advance(auth.ThrottleWindow)
		if _, err := svc.SignIn(ctx, "li", "correct horse battery", client("10.9.9.9")); err != nil {
			t.Errorf("after the window: %v", err)
		}
	})
}

func TestSessionTimeouts(t *testing.T) {
	each(t, func(t *testing.T, svc *account.Service, c *clock, db *storage.DB) {
		res, err := svc.SignIn(ctx, "li", "correct horse battery", client(""))
		if err != nil {
			t.Fatal(err)
		}
		// Active every 20 minutes: alive until the absolute limit.
		for elapsed := 20 * time.Minute; elapsed < auth.AbsoluteTimeout; elapsed += 20 * time.Minute {
			c.advance(20 * time.Minute)
			if _, _, err := svc.Authenticate(ctx, res.Token); err != nil {
				t.Fatalf("after %v of activity: %v", elapsed, err)
			}
		}
		c.t = res.Session.CreatedAt.Add(auth.AbsoluteTimeout)
		if _, _, err := svc.Authenticate(ctx, res.Token); apperr.Code(err) != apperr.Unauthenticated {
			t.Errorf("at the absolute limit: %v", err)
		}

		res, _ = svc.SignIn(ctx, "li", "correct horse battery", client(""))
		c.advance(29 * time.Minute)
		if _, _, err := svc.Authenticate(ctx, res.Token); err != nil {
			t.Fatalf("idle 29 minutes: %v", err)
		}
		c.advance(30 * time.Minute)
		if _, _, err := svc.Authenticate(ctx, res.Token); apperr.Code(err) != apperr.Unauthenticated {
			t.Errorf("idle 30 minutes: %v", err)
		}
	})
}

func TestSessionsEndOnAccountChanges(t *testing.T) {
	each(t, func(t *testing.T, svc *account.Service, c *clock, db *storage.DB) {
		password := "correct horse battery"
		signIn := func() (string, auth.User, auth.Session) {
			res, err := svc.SignIn(ctx, "li", password, client(""))
			if err != nil {
				t.Fatal(err)
			}
			u, s, err := svc.Authenticate(ctx, res.Token)
			if err != nil {
				t.Fatal(err)
			}
			return res.Token, u, s
		}
		a, u, _ := signIn()
		b, _, _ := signIn()
		if err := svc.ChangePassword(ctx, u, "correct horse battery", "a new long passphrase", client("")); err != nil {
			t.Fatal(err)
		}
		password = "a new long passphrase"
		for _, tok := range []string{a, b} {
			if _, _, err := svc.Authenticate(ctx, tok); err == nil {
				t.Error("a session survived the password change")
			}
		}
		if err := svc.ChangePassword(ctx, u, "wrong", "whatever long one", client("")); apperr.Code(err) != apperr.Invalid {
			t.Errorf("change with a wrong current password: %v", err)
		}
		res, err := svc.SignIn(ctx, "li", "a new long passphrase", client(""))
		if err != nil {
			t.Fatal(err)
		}
		disabled := true
		if err := svc.UpdateUser(ctx, cli, u.ID, account.UserChange{Disabled: &disabled}, client("")); err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.Authenticate(ctx, res.Token); err == nil {
			t.Error("a session survived disabling the user")
		}
		if _, err := svc.SignIn(ctx, "li", "a new long passphrase", client("")); apperr.Code(err) != apperr.Unauthenticated {
			t.Errorf("a disabled user signed in: %v", err)
		}
		// Sign out everywhere.
		enabled := false
		_ = svc.UpdateUser(ctx, cli, u.ID, account.UserChange{Disabled: &enabled}, client(""))
		x, u2, _ := signIn()
		y, _, _ := signIn()
		if n, err := svc.EndAllSessions(ctx, u2, client("")); err != nil || n != 2 {
			t.Errorf("EndAllSessions = %d, %v", n, err)
		}
		for _, tok := range []string{x, y} {
			if _, _, err := svc.Authenticate(ctx, tok); err == nil {
				t.Error("a session survived signing out everywhere")
			}
		}
	})
}

func TestPasswordPolicyOnCreate(t *testing.T) {
	each(t, func(t *testing.T, svc *account.Service, c *clock, db *storage.DB) {
		for pw, want := range map[string]string{"short": "8", "password": "常见", "zhangsan1": "常见"} {
			_, err := svc.CreateUser(ctx, cli, account.NewUser{Name: "zhangsan1", DisplayName: "张三", Role: auth.Viewer, Department: "forestry", Password: pw}, client(""))
			if apperr.Code(err) != apperr.Invalid || !strings.Contains(apperr.Message(err, "zh"), want) && want != "常见" {
				t.Errorf("password %q: %v", pw, err)
			}
		}
		reporter := auth.Subject{UserID: 99, Name: "li", Role: auth.Reporter, Department: "forestry"}
		if _, err := svc.CreateUser(ctx, reporter, account.NewUser{Name: "x", DisplayName: "x", Role: auth.Admin, Password: "long enough password"}, client("")); apperr.Code(err) != apperr.Forbidden {
			t.Errorf("a reporter created a user: %v", err)
		}
	})
}

func TestSecondFactor(t *testing.T) {
	each(t, func(t *testing.T, svc *account.Service, c *clock, db *storage.DB) {
		password := "admin's long passphrase"
		if _, err := svc.CreateUser(ctx, cli, account.NewUser{Name: "admin", DisplayName: "管理员", Role: auth.Admin, Password: password}, client("")); err != nil {
			t.Fatal(err)
		}
		// An administrator must enrol before doing anything.
		res, err := svc.SignIn(ctx, "admin", password, client(""))
		if err != nil {
			t.Fatal(err)
		}
		if !res.NeedEnrolment || !res.Session.MFAPending {
			t.Fatalf("admin without TOTP: %+v", res)
		}
		u, sess, err := svc.Authenticate(ctx, res.Token)
		if err != nil || !sess.MFAPending {
			t.Fatalf("pending session: %+v %v", sess, err)
		}
		en, err := svc.BeginEnrolment(u)
		if err != nil || !strings.HasPrefix(en.URL, "otpauth://totp/") || len(en.QRPNG) < 100 {
			t.Fatalf("enrolment = %+v, %v", en.URL, err)
		}
		if _, _, err := svc.ConfirmEnrolment(ctx, u, sess, en.Secret, "000000", client("")); err == nil {
			t.Error("enrolment confirmed with a wrong code")
		}
		recovery, token, err := svc.ConfirmEnrolment(ctx, u, sess, en.Secret, code(t, en.Secret, c.t), client(""))
		if err != nil {
			t.Fatal(err)
		}
		if len(recovery) != 10 || token == "" || token == res.Token {
			t.Fatalf("recovery %d, token rotated %v", len(recovery), token != res.Token)
		}
		if _, _, err := svc.Authenticate(ctx, res.Token); err == nil {
			t.Error("the token from before the second factor still works")
		}
		if _, s, err := svc.Authenticate(ctx, token); err != nil || s.MFAPending {
			t.Fatalf("completed session: %+v %v", s, err)
		}

		// Next sign-in asks for a code; a code is good once.
		c.advance(time.Minute)
		res, _ = svc.SignIn(ctx, "admin", password, client(""))
		if !res.NeedCode {
			t.Fatalf("second sign-in does not ask for a code: %+v", res)
		}
		u, sess, _ = svc.Authenticate(ctx, res.Token)
		if _, err := svc.SecondFactor(ctx, sess, u, "123456", client("")); apperr.Code(err) != apperr.Unauthenticated {
			t.Errorf("wrong code: %v", err)
		}
		good := code(t, en.Secret, c.t)
		if _, err := svc.SecondFactor(ctx, sess, u, good, client("")); err != nil {
			t.Fatal(err)
		}
		res, _ = svc.SignIn(ctx, "admin", password, client(""))
		u, sess, _ = svc.Authenticate(ctx, res.Token)
		if _, err := svc.SecondFactor(ctx, sess, u, good, client("")); err == nil {
			t.Error("a used code was accepted again")
		}
		// A recovery code works once.
		if _, err := svc.SecondFactor(ctx, sess, u, strings.ToUpper(recovery[3]), client("")); err != nil {
			t.Fatalf("recovery code: %v", err)
		}
		res, _ = svc.SignIn(ctx, "admin", password, client(""))
		u, sess, _ = svc.Authenticate(ctx, res.Token)
		if len(u.RecoveryCodes) != 9 {
			t.Errorf("%d recovery codes left, want 9", len(u.RecoveryCodes))
		}
		if _, err := svc.SecondFactor(ctx, sess, u, recovery[3], client("")); err == nil {
			t.Error("a used recovery code was accepted again")
		}
	})
}

func TestAPITokens(t *testing.T) {
	each(t, func(t *testing.T, svc *account.Service, c *clock, db *storage.DB) {
		u, err := db.UserByName(ctx, "li")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.CreateToken(ctx, u, account.NewToken{Name: "x", Permissions: []auth.Permission{auth.ManageUsers}, ValidFor: time.Hour}, client("")); apperr.Code(err) != apperr.Invalid {
			t.Errorf("token with a permission the role lacks: %v", err)
		}
		plain, err := svc.CreateToken(ctx, u, account.NewToken{Name: "统计脚本", Permissions: []auth.Permission{auth.ReadInternal}, ValidFor: 24 * time.Hour}, client(""))
		if err != nil {
			t.Fatal(err)
		}
		sub, err := svc.AuthenticateToken(ctx, plain)
		if err != nil || sub.Name != "li" || !sub.Can(auth.ReadInternal) || sub.Can(auth.WriteValues) {
			t.Fatalf("token subject = %+v, %v", sub, err)
		}
		tokens, _ := db.APITokens(ctx, u.ID)
		if len(tokens) != 1 || tokens[0].Hash == plain || strings.Contains(tokens[0].Hash, plain) {
			t.Fatalf("stored token = %+v", tokens)
		}
		c.advance(25 * time.Hour)
		if _, err := svc.AuthenticateToken(ctx, plain); err == nil {
			t.Error("an expired token works")
		}
		plain2, _ := svc.CreateToken(ctx, u, account.NewToken{Name: "b", Permissions: []auth.Permission{auth.ReadInternal}, ValidFor: 24 * time.Hour}, client(""))
		tokens, _ = db.APITokens(ctx, u.ID)
		if err := svc.RevokeToken(ctx, u, tokens[0].ID, client("")); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AuthenticateToken(ctx, plain2); err == nil {
			t.Error("a revoked token works")
		}
		if _, err := svc.AuthenticateToken(ctx, "lantu_notatoken"); err == nil {
			t.Error("a made-up token works")
		}
	})
}

func TestEnsureAdmin(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		svc := account.New(db)
		name, password, created, err := svc.EnsureAdmin(ctx)
		if err != nil || !created || name != "admin" || len(password) < 20 {
			t.Fatalf("EnsureAdmin = %q, %d chars, %v, %v", name, len(password), created, err)
		}
		if _, _, again, _ := svc.EnsureAdmin(ctx); again {
			t.Error("EnsureAdmin created a second administrator")
		}
		res, err := svc.SignIn(ctx, "admin", password, client(""))
		if err != nil || !res.NeedEnrolment {
			t.Errorf("first administrator: %+v, %v", res, err)
		}
	})
}
