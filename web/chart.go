package web

import (
	"cmp"
	"slices"

	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/period"
)

// chart is what static/chart.js draws with ECharts. It travels in a
// <script type="application/json"> block, never as inline script.
type chart struct {
	Kind     string        `json:"kind"` // "bar" for flows (summed over time), "line" for stocks and rates
	Unit     string        `json:"unit"`
	Decimals int           `json:"decimals"`
	Periods  []string      `json:"periods"`
	Series   []chartSeries `json:"series"`
}

type chartSeries struct {
	Name   string     `json:"name"`
	Target bool       `json:"target"` // drawn dashed
	Data   []*float64 `json:"data"`   // null where the period has no figure
}

// newChart returns the chart of an indicator's values over periods, or nil
// when there is only one period (a chart of one point says nothing a table
// does not).
func newChart(lang string, messages catalog, ind indicator.Indicator, values []indicator.Value, targets []indicator.Target, n names) *chart {
	var periods []period.Period
	for _, v := range values {
		periods = append(periods, v.Period)
	}
	valuePeriods := len(distinct(periods))
	if valuePeriods < 2 {
		return nil
	}
	for _, t := range targets {
		periods = append(periods, t.Period)
	}
	periods = distinct(periods)
	index := map[period.Period]int{}
	c := &chart{Kind: "line", Decimals: ind.Current().Decimals}
	if ind.Current().TimeAgg == indicator.SumOverTime {
		c.Kind = "bar"
	}
	c.Unit = pick(lang, ind.Current().UnitZH, ind.Current().UnitEN)
	for i, p := range periods {
		index[p] = i
		c.Periods = append(c.Periods, periodLabel(lang, p))
	}

	series := map[string]*chartSeries{}
	var order []string
	add := func(key, name string, target bool, p period.Period, number float64) {
		sr, ok := series[key]
		if !ok {
			sr = &chartSeries{Name: name, Target: target, Data: make([]*float64, len(periods))}
			series[key] = sr
			order = append(order, key)
		}
		sr.Data[index[p]] = &number
	}
	targetWord, _ := messages.text(lang, "indicator.target")
	for _, v := range values {
		u := n.unit(v.OrgUnitCode)
		add("v:"+v.OrgUnitCode, pick(lang, u.NameZH, u.NameEN), false, v.Period, v.Number)
	}
	for _, t := range targets {
		u := n.unit(t.OrgUnitCode)
		add("t:"+t.OrgUnitCode, targetWord+" · "+pick(lang, u.NameZH, u.NameEN), true, t.Period, t.Number)
	}
	// Values before targets, each in tree order, the city first.
	kindOrder := map[byte]int{'v': 0, 't': 1}
	slices.SortStableFunc(order, func(a, b string) int {
		return cmp.Or(cmp.Compare(kindOrder[a[0]], kindOrder[b[0]]), cmp.Compare(n.order[a[2:]], n.order[b[2:]]))
	})
	for _, key := range order {
		c.Series = append(c.Series, *series[key])
	}
	return c
}

// distinct returns the periods sorted and without repeats.
func distinct(ps []period.Period) []period.Period {
	out := slices.Clone(ps)
	slices.SortFunc(out, period.Period.Compare)
	return slices.Compact(out)
}
