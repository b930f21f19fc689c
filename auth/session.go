package auth

import "time"

// Session lifetimes (ASVS V7): a session ends after 30 minutes without a
// request, and 12 hours after sign-in whatever happens.
const (
	IdleTimeout     = 30 * time.Minute
	AbsoluteTimeout = 12 * time.Hour
)

// Session is a signed-in browser. Only the hash of its token is stored.
type Session struct {
	ID         int64
	TokenHash  string
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	// MFAPending is true between the password and the second factor:
	// such a session may only finish signing in.
	MFAPending bool
	CSRFToken  string
	IP         string
	UserAgent  string
	EndedAt    time.Time // zero while the session lives
	EndReason  string
}

// ExpiresAt is when the session ends if nothing else happens: the earlier
// of the idle and the absolute limit.
func (s Session) ExpiresAt() time.Time {
	idle := s.LastSeenAt.Add(IdleTimeout)
	abs := s.CreatedAt.Add(AbsoluteTimeout)
	if idle.Before(abs) {
		return idle
	}
	return abs
}

// Live reports whether the session may be used at now.
func (s Session) Live(now time.Time) bool {
	return s.EndedAt.IsZero() && now.Before(s.ExpiresAt())
}

// APIToken lets a machine client act for a user, limited to some of the
// user's permissions, until it expires or is revoked. Only its hash is
// stored; the token itself is shown once.
type APIToken struct {
	ID          int64
	UserID      int64
	Name        string
	Hash        string
	Permissions []Permission
	CreatedAt   time.Time
	ExpiresAt   time.Time
	RevokedAt   time.Time
	LastUsedAt  time.Time
}

// Live reports whether the token may be used at now.
func (t APIToken) Live(now time.Time) bool {
	return t.RevokedAt.IsZero() && now.Before(t.ExpiresAt)
}

// MaxTokenLifetime bounds how long an API token may live.
const MaxTokenLifetime = 366 * 24 * time.Hour
