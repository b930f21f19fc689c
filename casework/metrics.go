package casework

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/cases"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/storage"
)

// Feed is one rule of how cases feed an indicator: the figure of
// IndicatorCode for the city is Metric over the cases of TypeCode. A city
// whose indicators or types have other codes gives its own feeds.
type Feed struct {
	IndicatorCode string
	TypeCode      string
	Metric        FeedMetric
}

// FeedMetric names what a feed computes over the cases of its type.
type FeedMetric string

const (
	// Registered is the number of cases registered in the year (件).
	Registered FeedMetric = "registered"
	// Completion is cases.CompletionRate over the cases registered in the
	// year, in %.
	Completion FeedMetric = "completion_rate"
	// BacklogResolved is the number of cases registered before the year
	// and closed in it (化解积案).
	BacklogResolved FeedMetric = "backlog_resolved"
	// PromisedCut is 1 − Σ promised limits ÷ Σ statutory limits over the
	// distinct types, as registered, of the year's cases that have both
	// clocks in the same unit, in %.
	PromisedCut FeedMetric = "promised_cut"
)

// DefaultFeeds are Gujiao's: the figures its 2020 work report gives from
// cases (人大代表建议125件, 政协委员提案170件, 信访案件办结率100%, 化解信访积案146件,
// 审批承诺时限压缩30%).
func DefaultFeeds() []Feed {
	return []Feed{
		{IndicatorCode: "npc-suggestions-handled", TypeCode: cases.NPCSuggestion().Code, Metric: Registered},
		{IndicatorCode: "cppcc-proposals-handled", TypeCode: cases.CPPCCProposal().Code, Metric: Registered},
		{IndicatorCode: "assigned-petition-closure-rate", TypeCode: cases.Petition().Code, Metric: Completion},
		{IndicatorCode: "petition-backlog-resolved", TypeCode: cases.Petition().Code, Metric: BacklogResolved},
		{IndicatorCode: "approval-time-cut", TypeCode: cases.DefaultLicence().Code, Metric: PromisedCut},
	}
}

// FeedReport says what FeedIndicators did with each feed, in order.
type FeedReport struct {
	Year    int
	OrgUnit string
	Lines   []FeedLine
}

// FeedLine is the outcome of one feed.
type FeedLine struct {
	Feed    Feed
	Outcome FeedOutcome
	Number  float64 // the figure computed, when there was one
	Formula string  // how, with both terms
}

// FeedOutcome is what became of one feed's figure.
type FeedOutcome string

const (
	Written       FeedOutcome = "written"        // a new figure, submitted for review
	Unchanged     FeedOutcome = "unchanged"      // the figure stored already had this number
	NoCases       FeedOutcome = "no_cases"       // no cases for the year: the figure left as it was
	Undefined     FeedOutcome = "undefined"      // cases, but nothing to divide by: left as it was
	NoIndicator   FeedOutcome = "no_indicator"   // the plan has no such indicator
	UnknownMetric FeedOutcome = "unknown_metric" // the feed names a metric this package does not compute
)

// feedsBy is who FeedIndicators writes as: the figures are the system's
// work, reviewed like any other submitted figure.
const feedsBy = "system:cases"

// FeedIndicators computes the city's figures of the year from its cases
// with the default feeds; see Feed.
func (s *Service) FeedIndicators(ctx context.Context, year int, asOf time.Time) (FeedReport, error) {
	return s.FeedIndicatorsWith(ctx, DefaultFeeds(), year, asOf)
}

// FeedIndicatorsWith computes, for each feed, the city's figure of the
// year from the cases as they stood at asOf, where there are cases to
// compute it from, and writes those that changed as submitted figures, in
// one transaction. A figure without cases behind it is left untouched:
// the year may have been reported before Lantu held its cases.
func (s *Service) FeedIndicatorsWith(ctx context.Context, feeds []Feed, year int, asOf time.Time) (rep FeedReport, err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("casework.FeedIndicators(%d): %w", year, err)
		}
	}()
	city, err := s.city(ctx)
	if err != nil {
		return rep, err
	}
	rep = FeedReport{Year: year, OrgUnit: city}
	p := period.Period{Kind: period.Year, Year: year}
	// A case's year is its Beijing date's, as its clocks'.
	from := time.Date(year, time.January, 1, 0, 0, 0, 0, indicator.Beijing)
	within := cases.Period{From: from, To: from.AddDate(1, 0, 0), AsOf: asOf}
	byType := map[string][]cases.Case{}
	var writes []indicator.Value
	for _, f := range feeds {
		line := FeedLine{Feed: f}
		if _, err := s.DB.Indicator(ctx, f.IndicatorCode); apperr.Code(err) == apperr.NotFound {
			line.Outcome = NoIndicator
			rep.Lines = append(rep.Lines, line)
			continue
		} else if err != nil {
			return rep, err
		}
		list, seen := byType[f.TypeCode]
		if !seen {
			if list, err = s.DB.Cases(ctx, storage.CaseFilter{TypeCode: f.TypeCode}); err != nil {
				return rep, err
			}
			byType[f.TypeCode] = list
		}
		figure, ok := compute(f.Metric, list, within)
		switch {
		case !ok:
			line.Outcome = UnknownMetric
		case figure.cases == 0:
			line.Outcome = NoCases
		case !figure.defined:
			line.Outcome, line.Formula = Undefined, figure.formula
		default:
			line.Number, line.Formula = figure.number, figure.formula
			old, err := s.DB.Values(ctx, storage.ValueFilter{IndicatorCode: f.IndicatorCode, OrgUnitCode: city, Period: p, Scope: auth.SystemScope()})
			if err != nil {
				return rep, err
			}
			if len(old) > 0 && old[0].Number == figure.number {
				line.Outcome = Unchanged
				break
			}
			line.Outcome = Written
			writes = append(writes, indicator.Value{IndicatorCode: f.IndicatorCode, OrgUnitCode: city, Period: p,
				Number: figure.number, Status: indicator.Submitted, EnteredBy: feedsBy, EnteredAt: s.Now(),
				SubmittedBy: feedsBy, SubmittedAt: s.Now(), Computed: true, Source: "事项办理 cases", Note: figure.formula})
		}
		rep.Lines = append(rep.Lines, line)
	}
	if len(writes) == 0 {
		return rep, nil
	}
	return rep, s.DB.Write(ctx, audit.Actor{Name: feedsBy, Reason: fmt.Sprintf("由事项计算指标 %d (indicators from cases)", year)}, func(tx *storage.Tx) error {
		for _, v := range writes {
			if err := tx.PutValue(ctx, v); err != nil {
				return err
			}
		}
		return nil
	})
}

// city is the root org unit, whose figures the cases feed.
func (s *Service) city(ctx context.Context) (string, error) {
	units, err := s.DB.OrgUnits(ctx)
	if err != nil {
		return "", err
	}
	for _, u := range units {
		if u.ParentCode == "" {
			return u.Code, nil
		}
	}
	return "", apperr.New(apperr.Invalid, "尚未设置本市组织机构", "no root org unit: the city is not set up")
}

// figure is a feed's result: cases counts the cases it was computed from
// (none: nothing to feed), defined says whether it has a value.
type figure struct {
	number  float64
	formula string
	cases   int
	defined bool
}

func compute(m FeedMetric, list []cases.Case, p cases.Period) (figure, bool) {
	switch m {
	case Registered:
		n := len(registeredIn(list, p))
		return figure{number: float64(n), cases: n, defined: true,
			formula: fmt.Sprintf("办理件数 = 当年登记 %d 件 (cases registered in the year)", n)}, true
	case Completion:
		in := registeredIn(list, p)
		r := cases.CompletionRate(in, p)
		return figure{number: percent(r.Value()), cases: len(in), defined: r.Defined(),
			formula: fmt.Sprintf("办结率 = 办结 %d / 受理 %d (completed / registered, not rejected)", r.Numerator, r.Denominator)}, true
	case BacklogResolved:
		return backlogResolved(list, p), true
	case PromisedCut:
		return promisedCut(registeredIn(list, p)), true
	}
	return figure{}, false
}

// registeredIn are the cases received in the period, before AsOf.
func registeredIn(list []cases.Case, p cases.Period) []cases.Case {
	var in []cases.Case
	for _, c := range list {
		if !c.ReceivedAt.Before(p.From) && c.ReceivedAt.Before(p.To) && before(c.ReceivedAt, p) {
			in = append(in, c)
		}
	}
	return in
}

// before reports whether t is before the period's AsOf (its end when
// zero).
func before(t time.Time, p cases.Period) bool {
	if p.AsOf.IsZero() {
		return t.Before(p.To)
	}
	return t.Before(p.AsOf)
}

// backlogResolved reads 化解信访积案 as the cases registered before the
// year that were closed within it (before AsOf): a case carried over
// into the year is a backlog case, and closing it resolves it. Without
// any earlier case there is no backlog Lantu knows of, so the figure is
// left alone rather than set to 0.
func backlogResolved(list []cases.Case, p cases.Period) figure {
	earlier, closed := 0, 0
	for _, c := range list {
		if !c.ReceivedAt.Before(p.From) {
			continue
		}
		earlier++
		if !c.ClosedAt.IsZero() && !c.ClosedAt.Before(p.From) && c.ClosedAt.Before(p.To) && before(c.ClosedAt, p) {
			closed++
		}
	}
	return figure{number: float64(closed), cases: earlier, defined: true,
		formula: fmt.Sprintf("化解积案 = 往年登记、当年办结 %d 件 (cases from earlier years closed in the year)", closed)}
}

// promisedCut is 审批承诺时限压缩率 over the 审批事项 in use: each distinct
// type of the year's cases, as registered, counted once, whatever the
// number of its applications.
func promisedCut(list []cases.Case) figure {
	type limits struct {
		code                string
		statutory, promised int
	}
	seen := map[limits]bool{}
	var statutory, promised int
	for _, c := range list {
		l, ok := bothClocks(c.Type)
		if !ok {
			continue
		}
		k := limits{c.Type.Code, l[0], l[1]}
		if !seen[k] {
			seen[k] = true
			statutory += l[0]
			promised += l[1]
		}
	}
	f := figure{cases: len(list), defined: statutory > 0,
		formula: fmt.Sprintf("压缩率 = 1 − 承诺时限之和 %d / 法定时限之和 %d (1 − promised / statutory, %d types)", promised, statutory, len(seen))}
	if f.defined {
		f.number = percent(1 - float64(promised)/float64(statutory))
	}
	return f
}

// bothClocks are a type's statutory and promised limits, when it has
// both in the same unit.
func bothClocks(t cases.Type) ([2]int, bool) {
	var s, p *cases.Limit
	for i := range t.Clocks {
		switch t.Clocks[i].Kind {
		case cases.Statutory:
			s = &t.Clocks[i].Limit
		case cases.Promised:
			p = &t.Clocks[i].Limit
		}
	}
	if s == nil || p == nil || s.Unit != p.Unit {
		return [2]int{}, false
	}
	return [2]int{s.N, p.N}, true
}

// percent is a fraction as a percentage to two decimals, so that a figure
// recomputed from the same cases compares equal.
func percent(x float64) float64 { return math.Round(x*10000) / 100 }
