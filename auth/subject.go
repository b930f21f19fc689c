package auth

import "github.com/lantu/lantu/audit"

// Subject is who is acting on a request: a signed-in user, a user's API
// token, or nobody. The zero Subject is the anonymous public.
type Subject struct {
	UserID     int64
	Name       string
	Role       Role
	Department string // empty: the user belongs to the city, not a department
	// TokenID is set when the request came with an API token, whose
	// permissions are then limited to TokenPermissions.
	TokenID          int64
	TokenPermissions []Permission
}

// Anonymous is nobody signed in.
var Anonymous = Subject{}

// SignedIn reports whether the subject is a user.
func (s Subject) SignedIn() bool { return s.UserID != 0 }

// Can reports whether the subject holds permission p.
func (s Subject) Can(p Permission) bool {
	if p == Public {
		return true
	}
	if !s.SignedIn() || !s.Role.Has(p) {
		return false
	}
	if s.TokenID != 0 && p != SignedIn {
		for _, tp := range s.TokenPermissions {
			if tp == p {
				return true
			}
		}
		return false
	}
	return true
}

// Scope is the data the subject may read beyond what is public.
func (s Subject) Scope() Scope {
	switch {
	case !s.SignedIn() || !s.Can(ReadInternal):
		return PublicScope()
	case s.Role.CityWide():
		return SystemScope()
	case s.Department != "":
		return DepartmentScope(s.Department)
	}
	// A department role without a department sees only what is public:
	// "the city" is not a department, and guessing would leak.
	return PublicScope()
}

// CanWriteFor reports whether the subject may change data owned by dept
// with permission p: the permission, and the department within its scope.
func (s Subject) CanWriteFor(p Permission, dept string) bool {
	return s.Can(p) && s.Scope().Covers(dept)
}

// Actor names the subject in the audit trail.
func (s Subject) Actor(reason string) audit.Actor {
	name := s.Name
	if !s.SignedIn() {
		name = "anonymous"
	}
	if s.TokenID != 0 {
		name += " (token)"
	}
	return audit.Actor{Name: name, Reason: reason}
}
