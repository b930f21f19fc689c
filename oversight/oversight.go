// Package oversight is the supervision office's service: it keeps the key
// projects under weekly watch (reports, lights, the coordination ladder),
// runs supervision orders from issue to 销号, notifies the people who must
// act, scores departments and writes the weekly bulletin. It joins the
// domain packages watch and supervision to storage; every write goes
// through one audited transaction.
package oversight

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/calendar"
	"github.com/lantu/lantu/storage"
	"github.com/lantu/lantu/watch"
)

// Service is the supervision office's service.
type Service struct {
	DB  *storage.DB
	Now func() time.Time
}

// New returns a service on db with the wall clock.
func New(db *storage.DB) *Service { return &Service{DB: db, Now: time.Now} }

// Settings keys of the rules, as JSON; absent means the defaults.
const (
	lightRulesKey = "watch.rules"
	scoreRulesKey = "watch.score_rules"
	mayorKey      = "supervision.mayor"
)

// Config is what the office has set: the light and score rules and who
// the mayor is.
type Config struct {
	Rules      watch.Rules
	ScoreRules watch.ScoreRules
	Mayor      string
	Calendar   *calendar.Calendar
}

// lightRules is the part of watch.Rules kept in settings (the calendar is
// the installation's).
type lightRules struct {
	YellowBehind, RedBehind                              float64
	MilestoneDays, ReportWindow, RedMissing, LadderWeeks int
	DueWeekday                                           time.Weekday
	DueHour                                              int
}

// Config reads the rules in force.
func (s *Service) Config(ctx context.Context) (Config, error) {
	cal, err := s.DB.Calendar(ctx)
	if err != nil {
		return Config{}, err
	}
	set, err := s.DB.Settings(ctx)
	if err != nil {
		return Config{}, err
	}
	c := Config{Rules: watch.DefaultRules(cal), ScoreRules: watch.DefaultScoreRules(), Mayor: set[mayorKey], Calendar: cal}
	if raw := set[lightRulesKey]; raw != "" {
		var lr lightRules
		if err := json.Unmarshal([]byte(raw), &lr); err != nil {
			return c, fmt.Errorf("oversight: setting %s: %w", lightRulesKey, err)
		}
		c.Rules.YellowBehind, c.Rules.RedBehind, c.Rules.MilestoneDays = lr.YellowBehind, lr.RedBehind, lr.MilestoneDays
		c.Rules.ReportWindow, c.Rules.RedMissing, c.Rules.LadderWeeks = lr.ReportWindow, lr.RedMissing, lr.LadderWeeks
		c.Rules.Due = watch.DueRule{Weekday: lr.DueWeekday, Hour: lr.DueHour}
	}
	if raw := set[scoreRulesKey]; raw != "" {
		if err := json.Unmarshal([]byte(raw), &c.ScoreRules); err != nil {
			return c, fmt.Errorf("oversight: setting %s: %w", scoreRulesKey, err)
		}
	}
	if c.Mayor == "" {
		c.Mayor = "市长"
	}
	return c, nil
}

// SaveRules stores the light and score rules after checking them.
func (s *Service) SaveRules(ctx context.Context, sub auth.Subject, r watch.Rules, sr watch.ScoreRules, mayor string) error {
	if !sub.Can(auth.Supervise) {
		return apperr.New(apperr.Forbidden, "只有督查室可以修改督查规则", "only the supervision office may change the rules")
	}
	if err := r.Validate(); err != nil {
		return err
	}
	if err := sr.Validate(); err != nil {
		return err
	}
	lr, _ := json.Marshal(lightRules{YellowBehind: r.YellowBehind, RedBehind: r.RedBehind, MilestoneDays: r.MilestoneDays,
		ReportWindow: r.ReportWindow, RedMissing: r.RedMissing, LadderWeeks: r.LadderWeeks, DueWeekday: r.Due.Weekday, DueHour: r.Due.Hour})
	scores, _ := json.Marshal(sr)
	return s.DB.Write(ctx, sub.Actor("修改督查规则 (change the supervision rules)"), func(tx *storage.Tx) error {
		for k, v := range map[string]string{lightRulesKey: string(lr), scoreRulesKey: string(scores), mayorKey: mayor} {
			if err := tx.PutSetting(ctx, k, v); err != nil {
				return err
			}
		}
		return nil
	})
}
