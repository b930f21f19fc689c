package rules

// Series gives the raw values an aggregation reads.
type Series interface {
	// Values returns the values of code over the parts being aggregated
	// (places, or sub-periods in time order).
	Values(code string) []float64
}

// Aggregate adds up xs the way kind says: "sum", "last" (the latest, for
// stocks and rates at a date) or "average". It returns false when there is
// nothing to aggregate or kind is none of these (a place aggregation of
// "none" has no aggregate).
func Aggregate(kind string, xs []float64) (float64, bool) {
	if len(xs) == 0 {
		return 0, false
	}
	switch kind {
	case "sum", "average":
		var sum float64
		for _, x := range xs {
			sum += x
		}
		if kind == "average" {
			return sum / float64(len(xs)), true
		}
		return sum, true
	case "last":
		return xs[len(xs)-1], true
	}
	return 0, false
}

// Aggregated returns, for AggregateComputed, the aggregate of each code's
// values in s, each by its own kind (e.g. from the indicator's definition).
func Aggregated(s Series, kind func(code string) string) func(code string) (float64, bool) {
	return func(code string) (float64, bool) { return Aggregate(kind(code), s.Values(code)) }
}

// AggregateComputed evaluates a formula on its inputs already aggregated by
// agg. A rate is thus the rate of the summed numerator and denominator, not
// the average of the parts' rates, which would weigh a village like a town.
// ok is false when an input has no aggregate. Inside the formula, prev and
// target have no value: aggregation is of one period's figures. An input
// that is itself computed should be given to agg already computed (with
// this function, following Graph.Order), not aggregated from its parts.
func AggregateComputed(p *Program, agg func(code string) (float64, bool)) (x float64, ok bool, err error) {
	x, skipped, err := p.EvalNumber(aggregateEnv(agg))
	return x, !skipped && err == nil, err
}

type aggregateEnv func(code string) (float64, bool)

func (a aggregateEnv) Value(code string) (float64, bool) { return a(code) }
func (a aggregateEnv) Prev(string) (float64, bool)       { return 0, false }
func (a aggregateEnv) Target(string) (float64, bool)     { return 0, false }
