// Package reporting is how figures enter Lantu: a department enters and
// submits the values of its indicators; the planning office approves and
// publishes them. It enforces who may write which value and which status,
// on top of storage.
package reporting

import (
	"time"

	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/storage"
)

// Service enters figures. Now is the clock.
type Service struct {
	DB  *storage.DB
	Now func() time.Time
}

// New returns a service with the real clock.
func New(db *storage.DB) *Service { return &Service{DB: db, Now: time.Now} }

// Entry is what a reporter sends for one value: the figure and where it
// came from. Who entered it, when, and who approved it are never taken from
// the sender.
type Entry struct {
	Indicator string
	OrgUnit   string
	Period    string
	Number    float64
	Qualifier indicator.Qualifier
	Status    indicator.Status // draft or submitted; empty means draft
	Source    string
	Quote     string
	Note      string
	// Explanation answers the warnings a figure raises; a submission with
	// an unanswered warning is refused.
	Explanation string
	Reason      string // why, for the audit trail (required to change a submitted value)
}

var timeZero time.Time
