package auth

import (
	"regexp"
	"strings"
	"time"

	"github.com/lantu/lantu/apperr"
)

// User is a person who signs in.
type User struct {
	ID           int64
	Name         string // sign-in name: lower-case ASCII, stable
	DisplayName  string
	Role         Role
	Department   string // department code; empty for the city
	PasswordHash string
	// TOTPSecret is set once the second factor is enrolled and confirmed.
	TOTPSecret   string
	TOTPLastStep int64 // the last time step used, so a code is not accepted twice
	// RecoveryCodes are the hashes of the unused single-use recovery codes.
	RecoveryCodes     []string
	Disabled          bool
	CreatedAt         time.Time
	PasswordChangedAt time.Time
}

var userNamePattern = regexp.MustCompile(`^[a-z][a-z0-9._-]{1,31}$`)

// NormalizeName lower-cases and trims a sign-in name.
func NormalizeName(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

// Validate checks the fields a person sets.
func (u User) Validate() error {
	if !userNamePattern.MatchString(u.Name) {
		return apperr.Invalidf("用户名 %q 无效：2–32 个小写字母、数字、点、横线或下划线，以字母开头",
			"user name %q is invalid: 2–32 lower-case letters, digits, dot, dash or underscore, starting with a letter", u.Name)
	}
	if strings.TrimSpace(u.DisplayName) == "" || len([]rune(u.DisplayName)) > 64 {
		return apperr.Invalidf("姓名不能为空，最多 64 个字", "display name is required, at most 64 characters")
	}
	if !u.Role.Valid() {
		return apperr.Invalidf("角色 %q 无效", "role %q is invalid", string(u.Role))
	}
	if !u.Role.CityWide() && u.Department == "" {
		return apperr.New(apperr.Invalid, u.Role.LabelZH()+"必须属于一个部门", "a "+u.Role.LabelEN()+" must belong to a department")
	}
	return nil
}

// HasTOTP reports whether the second factor is enrolled.
func (u User) HasTOTP() bool { return u.TOTPSecret != "" }

// Subject is the user acting with a session.
func (u User) Subject() Subject {
	return Subject{UserID: u.ID, Name: u.Name, Role: u.Role, Department: u.Department}
}

// MFAPolicy says which roles must use a second factor. Administrators
// always must; the administrator may add others.
type MFAPolicy struct {
	Roles []Role
}

// Requires reports whether users of role r must enrol a second factor.
func (p MFAPolicy) Requires(r Role) bool {
	if r == Admin {
		return true
	}
	for _, x := range p.Roles {
		if x == r {
			return true
		}
	}
	return false
}
