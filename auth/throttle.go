package auth

import "time"

// Brute-force limits (ASVS V6.3.1). Failures are counted over a window, so
// nobody — the real user included — is ever locked out for good: waiting
// is always enough.
const (
	ThrottleWindow = 15 * time.Minute
	// FreeAccountFailures failed sign-ins on one account go unthrottled;
	// each further failure doubles the wait, from one minute up to the
	// window.
	FreeAccountFailures = 5
	// MaxIPFailures failed sign-ins from one address within the window
	// stop further attempts from it until the oldest leaves the window.
	MaxIPFailures = 30
)

// Attempts is what the throttle needs to know about recent failures.
type Attempts struct {
	AccountFailures    int       // on this account in the window, since its last success
	LastAccountFailure time.Time // the latest of them
	IPFailures         int       // from this address in the window
	OldestIPFailure    time.Time // the oldest of them
}

// Wait returns how long the next attempt must wait; zero means go ahead.
func (a Attempts) Wait(now time.Time) time.Duration {
	var wait time.Duration
	if a.AccountFailures >= FreeAccountFailures {
		d := time.Minute << min(a.AccountFailures-FreeAccountFailures, 4) // 1, 2, 4, 8, 16 min
		d = min(d, ThrottleWindow)
		wait = max(wait, a.LastAccountFailure.Add(d).Sub(now))
	}
	if a.IPFailures >= MaxIPFailures {
		wait = max(wait, a.OldestIPFailure.Add(ThrottleWindow).Sub(now))
	}
	return max(wait, 0)
}
