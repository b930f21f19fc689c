package rules_test

import (
	"slices"
	"testing"

	"github.com/lantu/lantu/rules"
)

// diamond: b and c are computed from a, d from b and c.
func diamond() map[string]string {
	return map[string]string{
		"d": `v("b") + v("c")`,
		"c": `v("a") * 3`,
		"b": `v("a") * 2`,
	}
}

func TestGraphDiamond(t *testing.T) {
	g, err := rules.NewGraph(diamond())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := g.Order(), []string{"b", "c", "d"}; !slices.Equal(got, want) {
		t.Errorf("Order() = %q, want %q", got, want)
	}
	tests := []struct {
		changed []string
		want    []string
	}{
		{[]string{"a"}, []string{"b", "c", "d"}},
		{[]string{"b"}, []string{"d"}},
		{[]string{"c", "b"}, []string{"d"}},
		{[]string{"d"}, nil},
		{[]string{"x"}, nil},
		{nil, nil},
	}
	for _, tt := range tests {
		if got := g.Dependents(tt.changed); !slices.Equal(got, tt.want) {
			t.Errorf("Dependents(%q) = %q, want %q", tt.changed, got, tt.want)
		}
	}
	p, ok := g.Formula("d")
	if !ok || p.Source() != `v("b") + v("c")` || !slices.Equal(p.Refs(), []string{"b", "c"}) {
		t.Errorf("Formula(d) = %v, %v", p, ok)
	}
	if _, ok := g.Formula("a"); ok {
		t.Error("Formula(a) found; a is reported, not computed")
	}
	var order []string
	for _, f := range g.Formulas() {
		order = append(order, f.Indicator)
	}
	if !slices.Equal(order, g.Order()) {
		t.Errorf("Formulas() in order %q, want %q", order, g.Order())
	}
}

// TestGraphChain computes in Dependents order and checks each value sees
// fresh inputs: with a = 1, b = 2, c = 3, d = 5.
func TestGraphChain(t *testing.T) {
	g, err := rules.NewGraph(diamond())
	if err != nil {
		t.Fatal(err)
	}
	env := now(map[string]float64{"a": 1, "b": 99, "c": 99, "d": 99})
	for _, code := range g.Dependents([]string{"a"}) {
		p, _ := g.Formula(code)
		x, skipped, err := p.EvalNumber(env)
		if err != nil || skipped {
			t.Fatalf("%s: %v, skipped %v", code, err, skipped)
		}
		env.now[code] = x
	}
	if env.now["d"] != 5 {
		t.Errorf("d = %v, want 5", env.now["d"])
	}
}

// TestGraphDependentsLongest has a computed indicator that depends on a
// changed one both directly and through two others, and the changed one
// itself computed: e must still come after c.
func TestGraphDependentsLongest(t *testing.T) {
	g, err := rules.NewGraph(map[string]string{
		"a": `v("x")`,
		"b": `v("a") + 1`,
		"c": `v("b") + 1`,
		"e": `v("a") + v("c")`,
		"f": `v("y")`,
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := g.Dependents([]string{"a", "x"}), []string{"a", "b", "c", "e"}; !slices.Equal(got, want) {
		t.Errorf("Dependents = %q, want %q", got, want)
	}
	if got, want := g.Dependents([]string{"a"}), []string{"b", "c", "e"}; !slices.Equal(got, want) {
		t.Errorf("Dependents = %q, want %q", got, want)
	}
}

func TestGraphErrors(t *testing.T) {
	tests := []struct {
		name     string
		formulas map[string]string
		want     []string
	}{
		{"ErrCycle3", map[string]string{
			"b": `v("a") + 1`,
			"c": `v("b") * 2`,
			"a": `v("c") - v("x")`,
		}, []string{"公式循环引用：a → b → c → a (formula cycle: a → b → c → a)"}},
		// The same cycle found from another start is named the same way.
		{"ErrCycle3Rotated", map[string]string{
			"b": `v("a") + 1`,
			"c": `v("b") * 2`,
			"a": `v("c")`,
			"0": `v("b")`,
		}, []string{"公式循环引用：a → b → c → a (formula cycle: a → b → c → a)"}},
		{"ErrCycle2", map[string]string{
			"gdp":         `v("gdp-per-cap") * v("population")`,
			"gdp-per-cap": `v("gdp") / v("population")`,
		}, []string{"公式循环引用：gdp → gdp-per-cap → gdp (formula cycle: gdp → gdp-per-cap → gdp)"}},
		{"ErrSelf", map[string]string{"a": `v("a") + 1`}, []string{"指标 a 的公式引用了自身 (formula of a refers to itself)"}},
		{"ErrSelfPrev", map[string]string{"total": `prev("total") + v("new")`}, []string{"指标 total 的公式引用了自身"}},
		{"ErrCompile", map[string]string{"a": `v("b") > 1`}, []string{"指标 a 的公式：公式", "formula of a: formula", "must yield a number"}},
		{"ErrCode", map[string]string{"a b": `1`}, []string{"计算指标 computed indicator", `"a b"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := rules.NewGraph(tt.formulas)
			if g != nil {
				t.Error("graph returned with the error")
			}
			wantInvalid(t, err, tt.want...)
		})
	}
}

func TestGraphEmpty(t *testing.T) {
	g, err := rules.NewGraph(nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Order()) != 0 || len(g.Dependents([]string{"a"})) != 0 {
		t.Errorf("empty graph: Order %q, Dependents %q", g.Order(), g.Dependents([]string{"a"}))
	}
}
