package account

import (
	"context"
	"crypto/rand"
	"strings"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/credential"
	"github.com/lantu/lantu/storage"
)

// NewUser is what an administrator fills in to create a user.
type NewUser struct {
	Name        string
	DisplayName string
	Role        auth.Role
	Department  string
	Password    string
}

// CreateUser adds a user. Only an administrator may, or the program itself
// (by.Role == "" with by.Name "system:…", for the command line).
func (s *Service) CreateUser(ctx context.Context, by auth.Subject, nu NewUser, c Client) (int64, error) {
	if !mayManage(by) {
		return 0, forbidden()
	}
	u := auth.User{Name: auth.NormalizeName(nu.Name), DisplayName: strings.TrimSpace(nu.DisplayName), Role: nu.Role, Department: nu.Department}
	if err := u.Validate(); err != nil {
		return 0, err
	}
	if err := s.checkDepartment(ctx, u.Department); err != nil {
		return 0, err
	}
	if err := s.Passwords.Check(nu.Password, u.Name, u.DisplayName); err != nil {
		return 0, err
	}
	hash, err := credential.HashPassword(nu.Password)
	if err != nil {
		return 0, err
	}
	u.PasswordHash = hash
	var id int64
	err = s.DB.Write(ctx, c.actor(by.Name, "创建用户 (create a user)"), func(tx *storage.Tx) error {
		id, err = tx.CreateUser(ctx, u)
		return err
	})
	return id, err
}

// mayManage: an administrator, or the program acting for the operator.
func mayManage(by auth.Subject) bool {
	return by.Can(auth.ManageUsers) || (!by.SignedIn() && strings.HasPrefix(by.Name, "cli:"))
}

func (s *Service) checkDepartment(ctx context.Context, dept string) error {
	if dept == "" {
		return nil
	}
	if _, err := s.DB.Department(ctx, dept); err != nil {
		return apperr.Invalidf("部门 %s 不存在", "department %s does not exist", dept)
	}
	return nil
}

// UserChange is what an administrator may change of a user. Fields left
// nil stay as they are.
type UserChange struct {
	DisplayName *string
	Role        *auth.Role
	Department  *string
	Disabled    *bool
	ResetTOTP   bool // the user lost the device: remove the second factor
}

// UpdateUser applies an administrator's change. Disabling a user, or
// changing the role or department, ends every session of the user, so that
// the change applies at once.
func (s *Service) UpdateUser(ctx context.Context, by auth.Subject, id int64, ch UserChange, c Client) error {
	if !mayManage(by) {
		return forbidden()
	}
	u, err := s.DB.User(ctx, id)
	if err != nil {
		return err
	}
	before := u
	if ch.DisplayName != nil {
		u.DisplayName = strings.TrimSpace(*ch.DisplayName)
	}
	if ch.Role != nil {
		u.Role = *ch.Role
	}
	if ch.Department != nil {
		u.Department = *ch.Department
	}
	if ch.Disabled != nil {
		u.Disabled = *ch.Disabled
	}
	if ch.ResetTOTP {
		u.TOTPSecret, u.TOTPLastStep, u.RecoveryCodes = "", 0, nil
	}
	if err := u.Validate(); err != nil {
		return err
	}
	if err := s.checkDepartment(ctx, u.Department); err != nil {
		return err
	}
	if by.UserID == u.ID && (u.Disabled || u.Role != before.Role) {
		return apperr.Invalidf("不能停用自己或更改自己的角色", "you cannot disable yourself or change your own role")
	}
	endSessions := u.Disabled != before.Disabled || u.Role != before.Role || u.Department != before.Department || ch.ResetTOTP
	return s.DB.Write(ctx, c.actor(by.Name, "修改用户 (change a user)"), func(tx *storage.Tx) error {
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		if endSessions {
			_, err := tx.EndUserSessions(ctx, u.ID, 0, "account_changed")
			return err
		}
		return nil
	})
}

// SetPassword is an administrator's reset of a user's password; every
// session of the user ends.
func (s *Service) SetPassword(ctx context.Context, by auth.Subject, id int64, password string, c Client) error {
	if !mayManage(by) {
		return forbidden()
	}
	u, err := s.DB.User(ctx, id)
	if err != nil {
		return err
	}
	return s.setPassword(ctx, u, password, c.actor(by.Name, "重置密码 (reset a password)"))
}

// ChangePassword is a user's change of their own password; the current
// password must be given, and every session of the user ends, this one too.
func (s *Service) ChangePassword(ctx context.Context, u auth.User, current, next string, c Client) error {
	ok, _, err := credential.VerifyPassword(current, u.PasswordHash)
	if err != nil {
		return err
	}
	if !ok {
		return apperr.Invalidf("当前密码不正确", "the current password is wrong")
	}
	return s.setPassword(ctx, u, next, c.actor(u.Name, "修改密码 (change password)"))
}

func (s *Service) setPassword(ctx context.Context, u auth.User, password string, a audit.Actor) error {
	if err := s.Passwords.Check(password, u.Name, u.DisplayName); err != nil {
		return err
	}
	hash, err := credential.HashPassword(password)
	if err != nil {
		return err
	}
	u.PasswordHash = hash
	return s.DB.Write(ctx, a, func(tx *storage.Tx) error {
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		_, err := tx.EndUserSessions(ctx, u.ID, 0, "password_changed")
		return err
	})
}

// Enrolment is a second factor being set up: the secret travels with the
// form until the user proves with a code that the app holds it.
type Enrolment struct {
	Secret string
	URL    string // otpauth://…
	QRPNG  []byte
}

// BeginEnrolment makes a new TOTP secret for the user.
func (s *Service) BeginEnrolment(u auth.User) (Enrolment, error) {
	secret, url, png, err := credential.NewTOTP(s.Issuer, u.Name)
	return Enrolment{Secret: secret, URL: url, QRPNG: png}, err
}

// ConfirmEnrolment stores the secret once code proves the app has it, with
// ten new recovery codes, returned to be shown once. A session waiting for
// a required enrolment is completed with a new token (returned, "" if the
// session was complete already).
func (s *Service) ConfirmEnrolment(ctx context.Context, u auth.User, sess auth.Session, secret, code string, c Client) (recovery []string, token string, err error) {
	if len(secret) < 16 || len(secret) > 128 || strings.Trim(strings.ToUpper(secret), "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567=") != "" {
		return nil, "", apperr.Invalidf("密钥无效，请重新开始设置", "invalid secret; start the set-up again")
	}
	step, err := credential.CheckTOTP(secret, code, s.Now(), 0)
	if err != nil {
		return nil, "", err
	}
	plain, hashes, err := credential.NewRecoveryCodes(10)
	if err != nil {
		return nil, "", err
	}
	var hash string
	if sess.MFAPending {
		if token, hash, err = credential.NewToken(); err != nil {
			return nil, "", err
		}
	}
	u.TOTPSecret, u.TOTPLastStep, u.RecoveryCodes = secret, step, hashes
	err = s.DB.Write(ctx, c.actor(u.Name, "设置双因素验证 (enrol a second factor)"), func(tx *storage.Tx) error {
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		if sess.MFAPending {
			return tx.CompleteMFA(ctx, sess.ID, hash, u.Name)
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	return plain, token, nil
}

// NewRecoveryCodes replaces the user's recovery codes, returning the new
// ones to be shown once.
func (s *Service) NewRecoveryCodes(ctx context.Context, u auth.User, c Client) ([]string, error) {
	if !u.HasTOTP() {
		return nil, apperr.Invalidf("请先设置双因素验证", "set up the second factor first")
	}
	plain, hashes, err := credential.NewRecoveryCodes(10)
	if err != nil {
		return nil, err
	}
	u.RecoveryCodes = hashes
	err = s.DB.Write(ctx, c.actor(u.Name, "重新生成恢复码 (new recovery codes)"), func(tx *storage.Tx) error {
		return tx.UpdateUser(ctx, u)
	})
	return plain, err
}

// NewToken is what a user asks for when creating an API token.
type NewToken struct {
	Name        string
	Permissions []auth.Permission
	ValidFor    time.Duration
}

// CreateToken makes an API token for the user, limited to permissions the
// user's role has; the token is returned once and stored only hashed.
func (s *Service) CreateToken(ctx context.Context, u auth.User, nt NewToken, c Client) (string, error) {
	name := strings.TrimSpace(nt.Name)
	if name == "" || len([]rune(name)) > 64 {
		return "", apperr.Invalidf("令牌名称不能为空，最多 64 个字", "token name is required, at most 64 characters")
	}
	if len(nt.Permissions) == 0 {
		return "", apperr.Invalidf("请至少选择一项权限", "choose at least one permission")
	}
	for _, p := range nt.Permissions {
		if !u.Role.Has(p) || p == auth.Public || p == auth.SignedIn {
			return "", apperr.Invalidf("您的角色没有权限 %q，不能授予令牌", "your role lacks %q and cannot grant it", string(p))
		}
	}
	if nt.ValidFor <= 0 || nt.ValidFor > auth.MaxTokenLifetime {
		return "", apperr.Invalidf("有效期应在 1 天到 366 天之间", "validity must be between 1 and 366 days")
	}
	plain, hash, err := credential.NewAPIToken()
	if err != nil {
		return "", err
	}
	t := auth.APIToken{UserID: u.ID, Name: name, Hash: hash, Permissions: nt.Permissions, ExpiresAt: s.Now().Add(nt.ValidFor)}
	err = s.DB.Write(ctx, c.actor(u.Name, "创建 API 令牌 (create an API token)"), func(tx *storage.Tx) error {
		_, err := tx.CreateAPIToken(ctx, t)
		return err
	})
	if err != nil {
		return "", err
	}
	return plain, nil
}

// RevokeToken revokes one of the user's tokens.
func (s *Service) RevokeToken(ctx context.Context, u auth.User, id int64, c Client) error {
	return s.DB.Write(ctx, c.actor(u.Name, "撤销 API 令牌 (revoke an API token)"), func(tx *storage.Tx) error {
		return tx.RevokeAPIToken(ctx, u.ID, id)
	})
}

// EnsureAdmin creates the first administrator on a database without users,
// with a random password, which is returned to be printed once. It does
// nothing when a user exists.
func (s *Service) EnsureAdmin(ctx context.Context) (name, password string, created bool, err error) {
	users, err := s.DB.Users(ctx)
	if err != nil || len(users) > 0 {
		return "", "", false, err
	}
	password = RandomPassword()
	nu := NewUser{Name: "admin", DisplayName: "系统管理员", Role: auth.Admin, Password: password}
	by := auth.Subject{Name: "cli:first-start"}
	if _, err := s.CreateUser(ctx, by, nu, Client{}); err != nil {
		return "", "", false, err
	}
	return nu.Name, password, true, nil
}

// RandomPassword returns 26 random characters (128 bits, crypto/rand).
func RandomPassword() string { return rand.Text() }
