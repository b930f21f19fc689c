// Package account runs sign-in and the management of users, sessions, second
// factors and API tokens: the service that the web pages and the command
// line share, on top of storage, credential and the rules in auth.
package account

import (
	"context"
	"strconv"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/credential"
	"github.com/lantu/lantu/storage"
)

// Service is the account service. Now is the clock, injected so that
// timeouts can be tested.
type Service struct {
	DB        *storage.DB
	Now       func() time.Time
	Passwords *credential.Policy
	Issuer    string // shown in authenticator apps
}

// New returns a service with the real clock.
func New(db *storage.DB) *Service {
	return &Service{DB: db, Now: time.Now, Passwords: credential.NewPolicy(), Issuer: "Lantu 蓝图"}
}

// Client is where a request came from, for the audit trail and the throttle.
type Client struct {
	IP        string
	UserAgent string
}

func (c Client) actor(name, reason string) audit.Actor {
	return audit.Actor{Name: name, Reason: reason, IP: c.IP}
}

var errBadCredentials = apperr.New(apperr.Unauthenticated, "用户名或密码错误", "wrong user name or password")

// SignIn is the result of a correct password.
type SignIn struct {
	Token   string // the session cookie's value, shown once
	Session auth.Session
	User    auth.User
	// NeedCode: the user has a second factor and must give a code next.
	NeedCode bool
	// NeedEnrolment: the user's role requires a second factor that the
	// user has not set up; the session may only do that.
	NeedEnrolment bool
}

// SignIn checks a password and starts a session. Every attempt is audited;
// too many failures make the next attempts wait (429), never for good.
func (s *Service) SignIn(ctx context.Context, name, password string, c Client) (SignIn, error) {
	name = auth.NormalizeName(name)
	now := s.Now()
	if err := s.throttle(ctx, name, c, now); err != nil {
		return SignIn{}, err
	}
	u, err := s.DB.UserByName(ctx, name)
	if err != nil && apperr.Code(err) != apperr.NotFound {
		return SignIn{}, err
	}
	if err != nil || u.Disabled {
		// Spend the same time as a real check, so that timing does not
		// tell which names exist.
		credential.DummyVerify(password)
		return SignIn{}, s.failed(ctx, name, c, "no such user or disabled")
	}
	ok, rehash, err := credential.VerifyPassword(password, u.PasswordHash)
	if err != nil {
		return SignIn{}, err
	}
	if !ok {
		return SignIn{}, s.failed(ctx, name, c, "wrong password")
	}
	policy, err := s.MFAPolicy(ctx)
	if err != nil {
		return SignIn{}, err
	}
	res := SignIn{User: u, NeedCode: u.HasTOTP(), NeedEnrolment: !u.HasTOTP() && policy.Requires(u.Role)}
	token, hash, err := credential.NewToken()
	if err != nil {
		return SignIn{}, err
	}
	csrf, _, err := credential.NewToken()
	if err != nil {
		return SignIn{}, err
	}
	sess := auth.Session{TokenHash: hash, UserID: u.ID, MFAPending: res.NeedCode || res.NeedEnrolment, CSRFToken: csrf, IP: c.IP, UserAgent: c.UserAgent}
	action := audit.SignIn
	if sess.MFAPending {
		action = audit.SignInPassword
	}
	err = s.DB.Write(ctx, c.actor(u.Name, "登录 (sign in)"), func(tx *storage.Tx) error {
		if rehash {
			// Parameters were raised since this hash was made.
			if u.PasswordHash, err = credential.HashPassword(password); err != nil {
				return err
			}
			if err := tx.UpdateUser(ctx, u); err != nil {
				return err
			}
		}
		sess.ID, err = tx.CreateSession(ctx, sess, action, u.Name)
		return err
	})
	if err != nil {
		return SignIn{}, err
	}
	sess.CreatedAt, sess.LastSeenAt = now, now
	res.Token, res.Session = token, sess
	return res, nil
}

// throttle refuses an attempt that must wait, and audits the refusal.
func (s *Service) throttle(ctx context.Context, name string, c Client, now time.Time) error {
	attempts, err := s.DB.SignInAttempts(ctx, name, c.IP, now.Add(-auth.ThrottleWindow))
	if err != nil {
		return err
	}
	wait := attempts.Wait(now)
	if wait <= 0 {
		return nil
	}
	secs := int((wait + time.Second - 1) / time.Second)
	err = s.DB.Write(ctx, c.actor("anonymous", "尝试过多 (throttled)"), func(tx *storage.Tx) error {
		return tx.RecordEvent(ctx, audit.SignInThrottled, "user", name, map[string]any{"wait_seconds": secs})
	})
	if err != nil {
		return err
	}
	return &Throttled{Wait: wait}
}

// Throttled is the error of an attempt that must wait.
type Throttled struct{ Wait time.Duration }

func (t *Throttled) Error() string { return apperr.Message(t.AppError(), "zh") }

// AppError is the user-facing form of the error.
func (t *Throttled) AppError() *apperr.Error {
	secs := int((t.Wait + time.Second - 1) / time.Second)
	return apperr.New(apperr.TooMany,
		"尝试次数过多，请 "+strconv.Itoa(secs)+" 秒后再试",
		"too many attempts; try again in "+strconv.Itoa(secs)+" seconds")
}

// Unwrap lets apperr.Code and apperr.Message see the code.
func (t *Throttled) Unwrap() error { return t.AppError() }

// failed audits a failed attempt and returns the one message every failure
// gets, so that it does not tell which part was wrong.
func (s *Service) failed(ctx context.Context, name string, c Client, why string) error {
	err := s.DB.Write(ctx, c.actor("anonymous", why), func(tx *storage.Tx) error {
		return tx.RecordEvent(ctx, audit.SignInFailed, "user", name, map[string]any{"user_agent": c.UserAgent})
	})
	if err != nil {
		return err
	}
	return errBadCredentials
}
