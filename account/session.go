package account

import (
	"context"
	"strings"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/credential"
	"github.com/lantu/lantu/storage"
)

// touchEvery is how stale last_seen may get before a request writes it:
// the idle timeout is 30 minutes, so a minute's error does not matter and
// most requests write nothing.
const touchEvery = time.Minute

var errNoSession = apperr.New(apperr.Unauthenticated, "请先登录（会话已结束或已过期）", "please sign in (the session has ended or expired)")

// Authenticate finds the live session of a cookie's token and its user. A
// session past its idle or absolute limit, ended, or of a disabled user is
// refused.
func (s *Service) Authenticate(ctx context.Context, token string) (auth.User, auth.Session, error) {
	if token == "" {
		return auth.User{}, auth.Session{}, errNoSession
	}
	sess, err := s.DB.SessionByToken(ctx, credential.HashToken(token))
	if apperr.Code(err) == apperr.NotFound {
		return auth.User{}, auth.Session{}, errNoSession
	}
	if err != nil {
		return auth.User{}, auth.Session{}, err
	}
	now := s.Now()
	if !sess.Live(now) {
		return auth.User{}, auth.Session{}, errNoSession
	}
	u, err := s.DB.User(ctx, sess.UserID)
	if err != nil {
		return auth.User{}, auth.Session{}, err
	}
	if u.Disabled {
		return auth.User{}, auth.Session{}, errNoSession
	}
	if now.Sub(sess.LastSeenAt) >= touchEvery {
		if err := s.DB.TouchSession(ctx, sess.ID, now); err != nil {
			return auth.User{}, auth.Session{}, err
		}
		sess.LastSeenAt = now
	}
	return u, sess, nil
}

// AuthenticateToken finds the subject of an API token: its user, limited to
// the token's permissions.
func (s *Service) AuthenticateToken(ctx context.Context, bearer string) (auth.Subject, error) {
	refused := apperr.New(apperr.Unauthenticated, "API 令牌无效、已过期或已撤销", "the API token is invalid, expired or revoked")
	if !credential.LooksLikeAPIToken(bearer) {
		return auth.Anonymous, refused
	}
	t, err := s.DB.APITokenByHash(ctx, credential.HashToken(bearer))
	if apperr.Code(err) == apperr.NotFound {
		return auth.Anonymous, refused
	}
	if err != nil {
		return auth.Anonymous, err
	}
	now := s.Now()
	if !t.Live(now) {
		return auth.Anonymous, refused
	}
	u, err := s.DB.User(ctx, t.UserID)
	if err != nil {
		return auth.Anonymous, err
	}
	if u.Disabled {
		return auth.Anonymous, refused
	}
	if now.Sub(t.LastUsedAt) >= touchEvery {
		if err := s.DB.TouchAPIToken(ctx, t.ID, now); err != nil {
			return auth.Anonymous, err
		}
	}
	sub := u.Subject()
	sub.TokenID, sub.TokenPermissions = t.ID, t.Permissions
	return sub, nil
}

// SecondFactor checks a TOTP code or a recovery code for a session waiting
// for it, and on success completes the sign-in with a new token (the one
// seen before is worthless from now on). Failures count for the throttle.
func (s *Service) SecondFactor(ctx context.Context, sess auth.Session, u auth.User, code string, c Client) (string, error) {
	if !sess.MFAPending || !u.HasTOTP() {
		return "", apperr.Invalidf("此会话不需要验证码", "this session needs no code")
	}
	now := s.Now()
	if err := s.throttle(ctx, u.Name, c, now); err != nil {
		return "", err
	}
	usedRecovery := -1
	step, err := credential.CheckTOTP(u.TOTPSecret, code, now, u.TOTPLastStep)
	if err != nil {
		i, ok := credential.MatchRecoveryCode(code, u.RecoveryCodes)
		if !ok {
			if ferr := s.failed(ctx, u.Name, c, "wrong second factor"); apperr.Code(ferr) != apperr.Unauthenticated {
				return "", ferr
			}
			return "", apperr.New(apperr.Unauthenticated, "验证码或恢复码不正确", "wrong code or recovery code")
		}
		usedRecovery = i
	}
	token, hash, err := credential.NewToken()
	if err != nil {
		return "", err
	}
	reason := "双因素验证 (second factor)"
	if usedRecovery >= 0 {
		reason = "使用恢复码登录 (signed in with a recovery code)"
	}
	err = s.DB.Write(ctx, c.actor(u.Name, reason), func(tx *storage.Tx) error {
		if usedRecovery >= 0 {
			u.RecoveryCodes = append(u.RecoveryCodes[:usedRecovery:usedRecovery], u.RecoveryCodes[usedRecovery+1:]...)
		} else {
			u.TOTPLastStep = step
		}
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		return tx.CompleteMFA(ctx, sess.ID, hash, u.Name)
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// SignOut ends the session.
func (s *Service) SignOut(ctx context.Context, sess auth.Session, u auth.User, c Client) error {
	return s.DB.Write(ctx, c.actor(u.Name, "退出登录 (sign out)"), func(tx *storage.Tx) error {
		if err := tx.EndSession(ctx, sess.ID, "sign_out"); err != nil {
			return err
		}
		return tx.RecordEvent(ctx, audit.SignOut, "user", u.Name, nil)
	})
}

// EndSession ends one of the user's own sessions (from the account page).
func (s *Service) EndSession(ctx context.Context, u auth.User, sessionID int64, c Client) error {
	sessions, err := s.DB.Sessions(ctx, u.ID)
	if err != nil {
		return err
	}
	for _, x := range sessions {
		if x.ID == sessionID {
			return s.DB.Write(ctx, c.actor(u.Name, "结束会话 (end a session)"), func(tx *storage.Tx) error {
				return tx.EndSession(ctx, sessionID, "ended_by_user")
			})
		}
	}
	return apperr.NotFoundf("会话不存在", "no such session")
}

// EndAllSessions signs the user out everywhere, this session included.
func (s *Service) EndAllSessions(ctx context.Context, u auth.User, c Client) (int, error) {
	var n int
	err := s.DB.Write(ctx, c.actor(u.Name, "在所有设备上退出 (sign out everywhere)"), func(tx *storage.Tx) error {
		var err error
		n, err = tx.EndUserSessions(ctx, u.ID, 0, "signed_out_everywhere")
		return err
	})
	return n, err
}

// LiveSessions lists the user's sessions that are still usable.
func (s *Service) LiveSessions(ctx context.Context, u auth.User) ([]auth.Session, error) {
	all, err := s.DB.Sessions(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	var live []auth.Session
	for _, x := range all {
		if x.Live(now) {
			live = append(live, x)
		}
	}
	return live, nil
}

// MFAPolicy returns which roles must use a second factor.
func (s *Service) MFAPolicy(ctx context.Context) (auth.MFAPolicy, error) {
	set, err := s.DB.Settings(ctx)
	if err != nil {
		return auth.MFAPolicy{}, err
	}
	var p auth.MFAPolicy
	for _, r := range strings.Fields(set[mfaRolesSetting]) {
		p.Roles = append(p.Roles, auth.Role(r))
	}
	return p, nil
}

const mfaRolesSetting = "auth.mfa_required_roles"

// SetMFAPolicy sets which roles, besides administrators, must use a second
// factor.
func (s *Service) SetMFAPolicy(ctx context.Context, by auth.Subject, roles []auth.Role, c Client) error {
	if !by.Can(auth.ManageUsers) {
		return forbidden()
	}
	var names []string
	for _, r := range roles {
		if !r.Valid() {
			return apperr.Invalidf("角色 %q 无效", "role %q is invalid", string(r))
		}
		names = append(names, string(r))
	}
	return s.DB.Write(ctx, c.actor(by.Name, "设置双因素验证策略 (set the second-factor policy)"), func(tx *storage.Tx) error {
		return tx.PutSetting(ctx, mfaRolesSetting, strings.Join(names, " "))
	})
}

func forbidden() error {
	return apperr.New(apperr.Forbidden, "没有权限执行此操作", "you may not do this")
}
