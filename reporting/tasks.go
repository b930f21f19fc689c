package reporting

import (
	"context"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/storage"
)

// Task is one line of a department's form in a round: the indicator, what
// was reported last period, the target, and where this period's figure
// stands.
type Task struct {
	Indicator indicator.Indicator
	OrgUnit   string
	Last      *indicator.Value  // the previous period's figure, if any
	Target    *indicator.Target // this period's target, if any
	Value     *indicator.Value  // this period's figure so far, if any
}

// Locked reports whether the figure can no longer be entered.
func (t Task) Locked() bool {
	return t.Value != nil && (t.Value.Status == indicator.Approved || t.Value.Status == indicator.Published)
}

// Tasks returns a department's lines in a round, in indicator order. A
// department sees its own; city-wide roles any department's.
func (s *Service) Tasks(ctx context.Context, sub auth.Subject, roundID int64, dept string) (indicator.Round, []Task, error) {
	if !sub.Scope().Covers(dept) {
		return indicator.Round{}, nil, apperr.New(apperr.Forbidden, "只能查看本部门的填报任务", "you may see only your own department's tasks")
	}
	r, err := s.DB.Round(ctx, roundID)
	if err != nil {
		return r, nil, err
	}
	root, err := s.rootOrgUnit(ctx)
	if err != nil {
		return r, nil, err
	}
	inds, err := s.DB.Indicators(ctx, storage.IndicatorFilter{OwnerDept: dept})
	if err != nil {
		return r, nil, err
	}
	inRound := map[string]bool{}
	for _, c := range r.Indicators {
		inRound[c] = true
	}
	scope := sub.Scope()
	index := func(vals []indicator.Value) map[string]indicator.Value {
		m := map[string]indicator.Value{}
		for _, v := range vals {
			m[v.IndicatorCode] = v
		}
		return m
	}
	cur, err := s.DB.Values(ctx, storage.ValueFilter{OrgUnitCode: root, Period: r.Period, Scope: scope})
	if err != nil {
		return r, nil, err
	}
	last, err := s.DB.Values(ctx, storage.ValueFilter{OrgUnitCode: root, Period: r.Period.Prev(), Scope: scope})
	if err != nil {
		return r, nil, err
	}
	targets, err := s.DB.Targets(ctx, storage.ValueFilter{OrgUnitCode: root, Period: r.Period})
	if err != nil {
		return r, nil, err
	}
	curBy, lastBy := index(cur), index(last)
	targetBy := map[string]indicator.Target{}
	for _, t := range targets {
		targetBy[t.IndicatorCode] = t
	}
	var tasks []Task
	for _, ind := range inds {
		if !inRound[ind.Code] {
			continue
		}
		t := Task{Indicator: ind, OrgUnit: root}
		if v, ok := curBy[ind.Code]; ok {
			t.Value = &v
		}
		if v, ok := lastBy[ind.Code]; ok {
			t.Last = &v
		}
		if x, ok := targetBy[ind.Code]; ok {
			t.Target = &x
		}
		tasks = append(tasks, t)
	}
	return r, tasks, nil
}

// ReviewQueue returns the figures of a round waiting for the planning
// office (submitted), and those approved but not yet published.
func (s *Service) ReviewQueue(ctx context.Context, sub auth.Subject, roundID int64) (submitted, approved []indicator.Value, err error) {
	if !sub.Can(auth.ApproveValues) {
		return nil, nil, apperr.New(apperr.Forbidden, "只有规划部门可以审核", "only the planning office reviews")
	}
	r, err := s.DB.Round(ctx, roundID)
	if err != nil {
		return nil, nil, err
	}
	submitted, err = s.DB.Values(ctx, storage.ValueFilter{Period: r.Period, Statuses: []indicator.Status{indicator.Submitted}, Scope: auth.SystemScope()})
	if err != nil {
		return nil, nil, err
	}
	approved, err = s.DB.Values(ctx, storage.ValueFilter{Period: r.Period, Statuses: []indicator.Status{indicator.Approved}, Scope: auth.SystemScope()})
	return submitted, approved, err
}
