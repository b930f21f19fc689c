package web

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/period"
)

func (s *Server) historyRoutes() []route {
	return []route{
		{Method: "GET", Pattern: "/values/{indicator}/{org}/{period}/history", Name: "value_history",
			Summary: "a figure's full history from the audit trail: who, when, old → new, status, why", Permission: auth.ReadInternal, Handle: s.valueHistory},
	}
}

type historyPage struct {
	Indicator indicator.Indicator
	Key       indicator.Key
	Place     named
	Steps     []historyStep
}

// historyStep is one change of the figure.
type historyStep struct {
	At                 time.Time
	Actor, Reason, IP  string
	Action             audit.Action
	Old, New           *indicator.Value
	NumberChanged      bool
	StatusChanged      bool
	ReviewCommentAdded string
}

// valueHistory shows a figure's history to those who may see the figure:
// its department, city-wide roles, and anyone once it is published.
func (s *Server) valueHistory(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, err := period.Parse(r.PathValue("period"))
	if err != nil {
		return err
	}
	k := indicator.Key{Indicator: r.PathValue("indicator"), OrgUnit: r.PathValue("org"), Period: p}
	ind, err := s.db.Indicator(ctx, k.Indicator)
	if err != nil {
		return err
	}
	if _, err := s.db.Value(ctx, scopeOf(r), k.Indicator, k.OrgUnit, p); err != nil {
		return err // not found, or outside the scope: the same answer
	}
	n, err := s.names(ctx)
	if err != nil {
		return err
	}
	entries, err := s.db.ValueHistory(ctx, k, 1000)
	if err != nil {
		return err
	}
	page := historyPage{Indicator: ind, Key: k, Place: n.unit(k.OrgUnit)}
	for i := len(entries) - 1; i >= 0; i-- { // oldest first
		e := entries[i]
		step := historyStep{At: e.At, Actor: e.Actor, Reason: e.Reason, IP: e.IP, Action: e.Action, Old: stateOf(e.Before), New: stateOf(e.After)}
		if step.Old != nil && step.New != nil {
			step.NumberChanged = step.Old.Number != step.New.Number
			step.StatusChanged = step.Old.Status != step.New.Status
		}
		page.Steps = append(page.Steps, step)
	}
	return s.renderPrivate(w, r, http.StatusOK, "value_history", page)
}

// stateOf reads a value's state from an audit row; nil when there is none.
func stateOf(raw json.RawMessage) *indicator.Value {
	if len(raw) == 0 {
		return nil
	}
	var v indicator.Value
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil
	}
	return &v
}
