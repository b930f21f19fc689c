package rules_test

import (
	"math"
	"testing"

	"github.com/lantu/lantu/rules"
)

func TestAggregate(t *testing.T) {
	tests := []struct {
		kind string
		xs   []float64
		want float64
		ok   bool
	}{
		{"sum", []float64{1, 2, 3.5}, 6.5, true},
		{"last", []float64{1, 2, 3.5}, 3.5, true},
		{"average", []float64{1, 2, 3.5}, 6.5 / 3, true},
		{"average", []float64{4}, 4, true},
		{"sum", nil, 0, false},
		{"last", []float64{}, 0, false},
		{"none", []float64{1}, 0, false},
		{"median", []float64{1}, 0, false},
	}
	for _, tt := range tests {
		got, ok := rules.Aggregate(tt.kind, tt.xs)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Aggregate(%q, %v) = %v, %v; want %v, %v", tt.kind, tt.xs, got, ok, tt.want, tt.ok)
		}
	}
}

// towns is a Series over places.
type towns map[string][]float64

func (s towns) Values(code string) []float64 { return s[code] }

func TestAggregateComputedRateOfSums(t *testing.T) {
	// Town A: 10 of 20 households connected (50%); town B: 90 of 100 (90%).
	// The city: 100 of 120 = 83.33…%, not the average of the rates, 70%.
	series := towns{"connected": {10, 90}, "households": {20, 100}}
	rate, err := rules.CompileFormula(`v("connected") / v("households") * 100`)
	if err != nil {
		t.Fatal(err)
	}
	sum := func(string) string { return "sum" }
	got, ok, err := rules.AggregateComputed(rate, rules.Aggregated(series, sum))
	if err != nil || !ok {
		t.Fatalf("AggregateComputed = %v, %v, %v", got, ok, err)
	}
	if want := 100.0 / 120 * 100; math.Abs(got-want) > 1e-12 {
		t.Errorf("city rate = %v, want %v", got, want)
	}
	if math.Abs(got-83.3333333333) > 1e-9 {
		t.Errorf("city rate = %v, want 83.33…", got)
	}
	// What averaging the towns' rates would have given, for contrast.
	if avg, _ := rules.Aggregate("average", []float64{50, 90}); avg != 70 {
		t.Errorf("average of rates = %v, want 70", avg)
	}
}

func TestAggregateComputedOverTime(t *testing.T) {
	// Quarterly: jobs created is a flow (summed), the workforce a stock
	// (the last quarter counts). Jobs per thousand workers for the year:
	// (100+200+300+400) / 5000 * 1000 = 200.
	series := towns{"jobs": {100, 200, 300, 400}, "workforce": {4000, 4500, 4800, 5000}}
	kinds := map[string]string{"jobs": "sum", "workforce": "last"}
	p, err := rules.CompileFormula(`v("jobs") / v("workforce") * 1000`)
	if err != nil {
		t.Fatal(err)
	}
	got, ok, err := rules.AggregateComputed(p, rules.Aggregated(series, func(code string) string { return kinds[code] }))
	if err != nil || !ok || got != 200 {
		t.Errorf("AggregateComputed = %v, %v, %v; want 200, true, nil", got, ok, err)
	}
}

func TestAggregateComputedMissingAndErrors(t *testing.T) {
	sum := func(string) string { return "sum" }
	rate, _ := rules.CompileFormula(`v("connected") / v("households") * 100`)
	tests := []struct {
		name    string
		program *rules.Program
		series  towns
		wantErr bool
	}{
		{"NoParts", rate, towns{"connected": {1}}, false},
		{"ZeroDenominator", rate, towns{"connected": {0, 0}, "households": {0, 0}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x, ok, err := rules.AggregateComputed(tt.program, rules.Aggregated(tt.series, sum))
			if ok || x != 0 || (err != nil) != tt.wantErr {
				t.Errorf("AggregateComputed = %v, %v, %v; want 0, false, error %v", x, ok, err, tt.wantErr)
			}
		})
	}
	t.Run("PrevHasNoValue", func(t *testing.T) {
		growth, _ := rules.CompileFormula(`v("a") - prev("a")`)
		x, ok, err := rules.AggregateComputed(growth, rules.Aggregated(towns{"a": {1}}, sum))
		if ok || x != 0 || err != nil {
			t.Errorf("AggregateComputed = %v, %v, %v; want 0, false, nil", x, ok, err)
		}
	})
	t.Run("Rule", func(t *testing.T) {
		rule, _ := rules.CompileRule(`v("a") > 0`)
		if _, ok, err := rules.AggregateComputed(rule, rules.Aggregated(towns{"a": {1}}, sum)); ok || err == nil {
			t.Errorf("AggregateComputed on a rule = %v, %v; want an error", ok, err)
		}
	})
}
