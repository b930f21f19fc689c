package web

import (
	"cmp"
	"net/http"
	"slices"

	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/storage"
)

type indicatorPage struct {
	Code     string
	Current  indicator.Definition
	Versions []indicator.Definition // oldest first; shown when more than one
	Area     named
	Goal     named
	Owner    named
	Values   []valueRow
	Targets  []targetRow
	Chart    *chart
}

// valueRow is a value with everything needed to trace it: who entered and
// approved it, the source document and the sentence it was read from.
type valueRow struct {
	Value  indicator.Value
	Figure figure
	Place  named
	Source named
}

type targetRow struct {
	Target indicator.Target
	Figure figure
	Place  named
	Source named
}

// indicator shows one indicator with every value it has.
func (s *Server) indicator(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ind, err := s.db.Indicator(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	n, err := s.names(ctx)
	if err != nil {
		return err
	}
	page := indicatorPage{Code: ind.Code, Current: ind.Current(), Owner: n.dept(ind.OwnerDept)}
	if len(ind.Definitions) > 1 {
		page.Versions = ind.Definitions
	}
	if a, err := s.db.Area(ctx, ind.AreaCode); err == nil {
		page.Area = named{Code: a.Code, NameZH: a.NameZH, NameEN: a.NameEN}
		if g, err := s.db.Goal(ctx, a.GoalCode); err == nil {
			page.Goal = named{Code: g.Code, NameZH: g.NameZH, NameEN: g.NameEN}
		}
	}
	values, err := s.db.Values(ctx, storage.ValueFilter{IndicatorCode: ind.Code, Scope: scopeOf(r)})
	if err != nil {
		return err
	}
	targets, err := s.db.Targets(ctx, storage.ValueFilter{IndicatorCode: ind.Code})
	if err != nil {
		return err
	}
	// Newest period first, and within a period the places as the tree
	// reads: the city, then its towns, then their villages.
	slices.SortStableFunc(values, func(a, b indicator.Value) int {
		return cmp.Or(b.Period.Compare(a.Period), cmp.Compare(n.order[a.OrgUnitCode], n.order[b.OrgUnitCode]))
	})
	slices.SortStableFunc(targets, func(a, b indicator.Target) int {
		return cmp.Or(b.Period.Compare(a.Period), cmp.Compare(n.order[a.OrgUnitCode], n.order[b.OrgUnitCode]))
	})
	for _, v := range values {
		d := definitionFor(ind, v.Period)
		page.Values = append(page.Values, valueRow{Value: v, Figure: newFigure(d, v.Number, v.Qualifier, v.Sample),
			Place: n.unit(v.OrgUnitCode), Source: n.source(v.Source)})
	}
	for _, t := range targets {
		d := definitionFor(ind, t.Period)
		page.Targets = append(page.Targets, targetRow{Target: t, Figure: newFigure(d, t.Number, t.Qualifier, t.Sample),
			Place: n.unit(t.OrgUnitCode), Source: n.source(t.Source)})
	}
	page.Chart = newChart(languageOf(r), s.messages, ind, values, targets, n)
	return s.render(w, r, "indicator", page)
}

// definitionFor returns the definition in force at the start of p, or the
// first one for periods before any definition.
func definitionFor(ind indicator.Indicator, p period.Period) indicator.Definition {
	if d, ok := ind.At(p.Start()); ok {
		return d
	}
	return ind.Definitions[0]
}
