package reporting

import (
	"context"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/rules"
	"github.com/lantu/lantu/storage"
)

type timeT = time.Time

// checkContext holds what checking a batch of entries reads, read once:
// indicators, places, rounds, rules and formulas, and the stored values of
// the places and periods the batch touches.
type checkContext struct {
	db         *storage.DB
	indicators map[string]indicator.Indicator
	orgUnits   map[string]bool
	rounds     map[period.Period]indicator.Round
	inRound    map[period.Period]map[string]bool
	rules      *rules.RuleSet
	formulas   *rules.Graph
	stored     map[placePeriod]map[string]indicator.Value // all statuses
	targets    map[placePeriod]map[string]float64
}

func (s *Service) context(ctx context.Context) (*checkContext, error) {
	c := &checkContext{db: s.DB, indicators: map[string]indicator.Indicator{}, orgUnits: map[string]bool{},
		rounds: map[period.Period]indicator.Round{}, inRound: map[period.Period]map[string]bool{}, stored: map[placePeriod]map[string]indicator.Value{},
		targets: map[placePeriod]map[string]float64{}}
	inds, err := s.DB.Indicators(ctx, storage.IndicatorFilter{})
	if err != nil {
		return nil, err
	}
	formulas := map[string]string{}
	for _, ind := range inds {
		c.indicators[ind.Code] = ind
		if f := ind.Current().Formula; f != "" {
			formulas[ind.Code] = f
		}
	}
	if c.formulas, err = rules.NewGraph(formulas); err != nil {
		return nil, err
	}
	units, err := s.DB.OrgUnits(ctx)
	if err != nil {
		return nil, err
	}
	for _, u := range units {
		c.orgUnits[u.Code] = true
	}
	list, err := s.DB.ValidationRules(ctx)
	if err != nil {
		return nil, err
	}
	if c.rules, err = rules.NewRuleSet(list); err != nil {
		return nil, err
	}
	return c, nil
}

// round returns the reporting round of a period.
func (c *checkContext) round(ctx context.Context, p period.Period) (indicator.Round, error) {
	if r, ok := c.rounds[p]; ok {
		return r, nil
	}
	r, err := c.db.RoundOf(ctx, p)
	if err != nil {
		if apperr.Code(err) == apperr.NotFound {
			return r, apperr.Invalidf("%s 尚未开放填报", "%s is not open for reporting", p.String())
		}
		return r, err
	}
	c.rounds[p] = r
	set := make(map[string]bool, len(r.Indicators))
	for _, code := range r.Indicators {
		set[code] = true
	}
	c.inRound[p] = set
	return r, nil
}

// storedAt loads the stored values of a place and period, once.
func (c *checkContext) storedAt(ctx context.Context, pp placePeriod) (map[string]indicator.Value, error) {
	if m, ok := c.stored[pp]; ok {
		return m, nil
	}
	vals, err := c.db.Values(ctx, storage.ValueFilter{OrgUnitCode: pp.org, Period: pp.period, Scope: auth.SystemScope()})
	if err != nil {
		return nil, err
	}
	m := make(map[string]indicator.Value, len(vals))
	for _, v := range vals {
		m[v.IndicatorCode] = v
	}
	c.stored[pp] = m
	return m, nil
}

// existing returns the stored value of a key, if any.
func (c *checkContext) existing(ctx context.Context, k indicator.Key) (indicator.Value, bool, error) {
	m, err := c.storedAt(ctx, placePeriod{k.OrgUnit, k.Period})
	if err != nil {
		return indicator.Value{}, false, err
	}
	v, ok := m[k.Indicator]
	return v, ok, nil
}

func (c *checkContext) targetsAt(ctx context.Context, pp placePeriod) (map[string]float64, error) {
	if m, ok := c.targets[pp]; ok {
		return m, nil
	}
	ts, err := c.db.Targets(ctx, storage.ValueFilter{OrgUnitCode: pp.org, Period: pp.period})
	if err != nil {
		return nil, err
	}
	m := map[string]float64{}
	for _, t := range ts {
		m[t.IndicatorCode] = t.Number
	}
	c.targets[pp] = m
	return m, nil
}

// env is what rules and formulas see at a place and period: the stored
// values with the batch's values (at idx in planned) laid over them, the
// previous period's stored values, and the targets.
func (c *checkContext) env(ctx context.Context, pp placePeriod, planned []indicator.Value, idx []int) (*env, error) {
	cur, err := c.storedAt(ctx, pp)
	if err != nil {
		return nil, err
	}
	prev, err := c.storedAt(ctx, placePeriod{pp.org, pp.period.Prev()})
	if err != nil {
		return nil, err
	}
	targets, err := c.targetsAt(ctx, pp)
	if err != nil {
		return nil, err
	}
	e := &env{cur: make(map[string]indicator.Value, len(cur)+len(idx)), prev: prev, targets: targets}
	for k, v := range cur {
		e.cur[k] = v
	}
	for _, i := range idx {
		e.cur[planned[i].IndicatorCode] = planned[i]
	}
	return e, nil
}

// env implements rules.Env over values.
type env struct {
	cur     map[string]indicator.Value
	prev    map[string]indicator.Value
	targets map[string]float64
}

func (e *env) Value(code string) (float64, bool) {
	v, ok := e.cur[code]
	return v.Number, ok
}

func (e *env) Prev(code string) (float64, bool) {
	v, ok := e.prev[code]
	return v.Number, ok
}

func (e *env) Target(code string) (float64, bool) {
	t, ok := e.targets[code]
	return t, ok
}

// statusRank orders statuses so that a computed figure is no further along
// than the least advanced of its inputs.
var statusRank = map[indicator.Status]int{indicator.Draft: 0, indicator.Submitted: 1, indicator.Approved: 2, indicator.Published: 3}

// recompute writes, in tx, the computed indicators that depend on the
// changed values, at each place and period the values touch, inputs before
// what is computed from them. A computed figure whose inputs are missing is
// removed rather than left stale.
func (s *Service) recompute(ctx context.Context, tx *storage.Tx, c *checkContext, changed []indicator.Value) ([]indicator.Value, error) {
	byPlace := map[placePeriod][]int{}
	for i, v := range changed {
		pp := placePeriod{v.OrgUnitCode, v.Period}
		byPlace[pp] = append(byPlace[pp], i)
	}
	var out []indicator.Value
	now := s.Now()
	for pp, idx := range byPlace {
		var codes []string
		for _, i := range idx {
			codes = append(codes, changed[i].IndicatorCode)
		}
		deps := c.formulas.Dependents(codes)
		if len(deps) == 0 {
			continue
		}
		e, err := c.env(ctx, pp, changed, idx)
		if err != nil {
			return nil, err
		}
		for _, code := range deps {
			prog, _ := c.formulas.Formula(code)
			x, skipped, err := prog.EvalNumber(e)
			if err != nil {
				return nil, apperr.Invalidf("计算「%s」失败：%v", "computing %s failed: %v", c.indicators[code].Current().NameZH, err)
			}
			old, had := e.cur[code]
			if skipped {
				if had && old.Computed {
					if err := tx.DeleteValue(ctx, code, pp.org, pp.period); err != nil {
						return nil, err
					}
					delete(e.cur, code)
				}
				continue
			}
			status := indicator.Published
			for _, ref := range prog.Refs() {
				if in, ok := e.cur[ref]; ok && statusRank[in.Status] < statusRank[status] {
					status = in.Status
				}
			}
			v := indicator.Value{IndicatorCode: code, OrgUnitCode: pp.org, Period: pp.period, Number: x, Status: status,
				EnteredBy: "system:formula", EnteredAt: now, Computed: true, Note: "公式 formula: " + prog.Source()}
			if status == indicator.Approved || status == indicator.Published {
				v.ApprovedBy, v.ApprovedAt = "system:formula", now
			}
			if status == indicator.Published {
				v.PublishedAt = now
			}
			if had && old.Number == v.Number && old.Status == v.Status {
				continue
			}
			if err := tx.PutValue(ctx, v); err != nil {
				return nil, err
			}
			e.cur[code] = v
			out = append(out, v)
		}
	}
	return out, nil
}
