package rules_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/lantu/lantu/rules"
)

func TestCompileRule(t *testing.T) {
	tests := []struct {
		src  string
		refs []string
	}{
		{`v("forest-cover") >= 0 && v("forest-cover") <= 100`, []string{"forest-cover"}},
		{`v("rural-dibao-standard") <= v("urban-dibao-standard")`, []string{"rural-dibao-standard", "urban-dibao-standard"}},
		{`abs(v("urban-jobs-new") / prev("urban-jobs-new") - 1) <= 0.5`, []string{"urban-jobs-new"}},
		{`present("forest-cover")`, []string{"forest-cover"}},
		{`v("b") >= target("b") || max(v("a"), 1) > min(2, v("c"))`, []string{"a", "b", "c"}},
		{`v("a") > 0 ? v("b") < 5 : true`, []string{"a", "b"}},
		{`1 < 2`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			p, err := rules.CompileRule(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.Refs(); !slices.Equal(got, tt.refs) {
				t.Errorf("Refs() = %q, want %q", got, tt.refs)
			}
			if p.Source() != tt.src {
				t.Errorf("Source() = %q, want %q", p.Source(), tt.src)
			}
		})
	}
}

func TestCompileFormula(t *testing.T) {
	p, err := rules.CompileFormula(`v("households-connected") / v("households") * 100`)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"households", "households-connected"}; !slices.Equal(p.Refs(), want) {
		t.Errorf("Refs() = %q, want %q", p.Refs(), want)
	}
}

func TestRefsIsACopy(t *testing.T) {
	p, err := rules.CompileRule(`v("a") > v("b")`)
	if err != nil {
		t.Fatal(err)
	}
	p.Refs()[0] = "changed"
	if got := p.Refs(); got[0] != "a" {
		t.Errorf("Refs() after changing a returned slice = %q", got)
	}
}

func TestCompileErrors(t *testing.T) {
	rule, formula := rules.CompileRule, rules.CompileFormula
	tests := []struct {
		name    string
		compile func(string) (*rules.Program, error)
		src     string
		want    []string
	}{
		{"UnknownFunction", rule, `foo("a") > 0`, []string{"第 1 个字符处有误：未知的名称 foo", "error at character 1", "unknown name foo"}},
		{"BuiltinSwitchedOff", rule, `now() > 0`, []string{"未知的名称 now", "unknown name now"}},
		{"NonLiteralCode", rule, `v("forest" + "-cover") > 0`, []string{"第 1 个字符", "v 的参数必须是用引号括起的指标编码", "argument of v must be a quoted indicator code"}},
		{"VariableAsCode", rule, `1 < prev(code)`, []string{"第 5 个字符", "prev 的参数", "argument of prev"}},
		{"TwoArguments", rule, `target("a", "b") > 0`, []string{"target 的参数", "argument of target"}},
		{"InvalidCode", rule, `v("forest cover") > 0`, []string{"第 3 个字符", `"forest cover"`, "is invalid"}},
		{"FunctionAsValue", rule, `let f = v; f("a") > 0`, []string{"第 9 个字符", "函数 v 只能直接调用", "function v can only be called directly"}},
		{"EnvVariable", rule, `$env.v("a") > 0`, []string{"第 1 个字符", "不能使用 $env", "$env is not allowed"}},
		{"RuleYieldsNumber", rule, `v("a") + 1`, []string{"规则表达式", "必须得出“是”或“否”", "而它得出数值", "must yield true or false", "but it yields a number"}},
		{"FormulaYieldsBool", formula, `v("a") > 1`, []string{"公式", "必须得出数值，而它得出“是”或“否”", "must yield a number, but it yields true or false"}},
		{"NumberPlusText", rule, `v("a") + "x" > 0`, []string{"第 8 个字符处有误：运算的类型不匹配", "error at character 8", "mismatched types float64 and string"}},
		{"Syntax", rule, `v("a") > > 1`, []string{"第 10 个字符处有误：此处不应出现", "error at character 10", "unexpected token"}},
		{"Incomplete", rule, `(v("a") > 1`, []string{"表达式不完整", "unexpected token EOF"}},
		{"Modulo", rule, `v("a") % 2 == 0`, []string{"第 8 个字符", "invalid operation: %"}},
		{"Nil", rule, `v("a") != nil`, []string{"第 11 个字符", "不能使用 nil", "nil is not allowed"}},
		{"MixedTernaryRule", rule, `present("a") ? v("a") : true`, []string{"第 16 个字符", "可能得出数值，也可能得出“是/否”", "type here is not fixed"}},
		{"MixedTernaryFormula", formula, `present("a") ? v("a") : true`, []string{"type here is not fixed"}},
		{"MixedInside", rule, `(v("a") ?? true) == 1`, []string{"第 9 个字符", "type here is not fixed"}},
		{"MixedArgument", rule, `div(present("a") ? v("a") : true, 2) > 0`, []string{"第 20 个字符", "type here is not fixed"}},
		{"Empty", rule, "  ", []string{"表达式不能为空", "expression is required"}},
		{"TooLong", formula, strings.Repeat("1+", 1000) + "1", []string{"表达式过长", "expression too long"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := tt.compile(tt.src)
			if p != nil {
				t.Errorf("program = %v, want nil", p)
			}
			wantInvalid(t, err, tt.want...)
		})
	}
}

func TestEvalBool(t *testing.T) {
	jobs := func(now, prev float64) figures {
		return figures{now: map[string]float64{"urban-jobs-new": now}, prev: map[string]float64{"urban-jobs-new": prev}}
	}
	tests := []struct {
		name        string
		src         string
		env         figures
		ok, skipped bool
	}{
		{"RangeInside", `v("forest-cover") >= 0 && v("forest-cover") <= 100`, now(map[string]float64{"forest-cover": 44.8}), true, false},
		{"RangeAbove", `v("forest-cover") >= 0 && v("forest-cover") <= 100`, now(map[string]float64{"forest-cover": 100.5}), false, false},
		{"RangeMissing", `v("forest-cover") >= 0 && v("forest-cover") <= 100`, now(nil), false, true},
		{"RatioAtMost100", `v("connected") / v("households") * 100 <= 100`, now(map[string]float64{"connected": 90, "households": 100}), true, false},
		{"RatioAbove100", `v("connected") / v("households") * 100 <= 100`, now(map[string]float64{"connected": 101, "households": 100}), false, false},
		{"RuralNotAboveUrban", `v("rural-dibao-standard") <= v("urban-dibao-standard")`, now(map[string]float64{"rural-dibao-standard": 800, "urban-dibao-standard": 900}), true, false},
		{"RuralAboveUrban", `v("rural-dibao-standard") <= v("urban-dibao-standard")`, now(map[string]float64{"rural-dibao-standard": 950, "urban-dibao-standard": 900}), false, false},
		{"OneSideMissing", `v("rural-dibao-standard") <= v("urban-dibao-standard")`, now(map[string]float64{"rural-dibao-standard": 950}), false, true},
		// 1300/1000 − 1 = 0.3 ≤ 0.5; 1600/1000 − 1 = 0.6; 400/1000 − 1 = −0.6.
		{"GrowthWithin", `abs(v("urban-jobs-new") / prev("urban-jobs-new") - 1) <= 0.5`, jobs(1300, 1000), true, false},
		{"GrowthTooFast", `abs(v("urban-jobs-new") / prev("urban-jobs-new") - 1) <= 0.5`, jobs(1600, 1000), false, false},
		{"FallTooFast", `abs(v("urban-jobs-new") / prev("urban-jobs-new") - 1) <= 0.5`, jobs(400, 1000), false, false},
		{"NoPreviousPeriod", `abs(v("urban-jobs-new") / prev("urban-jobs-new") - 1) <= 0.5`, now(map[string]float64{"urban-jobs-new": 1300}), false, true},
		{"RequiredPresent", `present("forest-cover")`, now(map[string]float64{"forest-cover": 0}), true, false},
		{"RequiredMissing", `present("forest-cover")`, now(nil), false, false},
		{"GuardedMissing", `!present("a") || v("a") <= 100`, now(nil), true, false},
		{"GuardedPresent", `!present("a") || v("a") <= 100`, now(map[string]float64{"a": 120}), false, false},
		{"PresentAndRange", `present("a") && v("a") >= 0`, now(nil), false, false},
		{"TernaryGuard", `present("a") ? v("a") > v("b") : v("b") > 0`, now(map[string]float64{"b": 3}), true, false},
		{"AtTarget", `v("a") >= target("a")`, figures{now: map[string]float64{"a": 5}, target: map[string]float64{"a": 4}}, true, false},
		{"NoTarget", `v("a") >= target("a")`, now(map[string]float64{"a": 5}), false, true},
		{"IntegerLiteralsAreFloats", `7 / 2 == 3.5`, now(nil), true, false},
		{"RoundFloorCeil", `round(2.5) + floor(v("a")) + ceil(v("a")) == 8`, now(map[string]float64{"a": 2.2}), true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := rules.CompileRule(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			ok, skipped, err := p.EvalBool(tt.env)
			if err != nil {
				t.Fatal(err)
			}
			if ok != tt.ok || skipped != tt.skipped {
				t.Errorf("EvalBool = %v, skipped %v; want %v, skipped %v", ok, skipped, tt.ok, tt.skipped)
			}
		})
	}
}

func TestEvalBoolDivisionByZero(t *testing.T) {
	p, err := rules.CompileRule(`abs(v("urban-jobs-new") / prev("urban-jobs-new") - 1) <= 0.5`)
	if err != nil {
		t.Fatal(err)
	}
	env := figures{now: map[string]float64{"urban-jobs-new": 10}, prev: map[string]float64{"urban-jobs-new": 0}}
	ok, skipped, err := p.EvalBool(env)
	if ok || skipped {
		t.Errorf("EvalBool = %v, skipped %v; want false, not skipped", ok, skipped)
	}
	// The / is the 25th character.
	wantInvalid(t, err, "第 25 个字符处除数为零", "division by zero at character 25")
}

func TestEvalNumber(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		env     figures
		want    float64
		skipped bool
	}{
		{"Rate", `v("connected") / v("households") * 100`, now(map[string]float64{"connected": 90, "households": 120}), 75, false},
		{"Sum", `v("a") + v("b") - 2`, now(map[string]float64{"a": 1.5, "b": 2}), 1.5, false},
		{"Growth", `(v("a") / prev("a") - 1) * 100`, figures{now: map[string]float64{"a": 110}, prev: map[string]float64{"a": 100}}, 10.000000000000009, false},
		{"GapToTarget", `target("a") - v("a")`, figures{now: map[string]float64{"a": 3}, target: map[string]float64{"a": 5}}, 2, false},
		{"Constant", `42`, now(nil), 42, false},
		{"Guarded", `present("a") ? v("a") : 0`, now(nil), 0, false},
		{"MinMax", `max(v("a"), 3) + min(v("a"), 3)`, now(map[string]float64{"a": 5}), 8, false},
		{"Missing", `v("a") + v("b")`, now(map[string]float64{"a": 1}), 0, true},
		{"MissingPrev", `v("a") - prev("a")`, now(map[string]float64{"a": 1}), 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := rules.CompileFormula(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			x, skipped, err := p.EvalNumber(tt.env)
			if err != nil {
				t.Fatal(err)
			}
			if x != tt.want || skipped != tt.skipped {
				t.Errorf("EvalNumber = %v, skipped %v; want %v, skipped %v", x, skipped, tt.want, tt.skipped)
			}
		})
	}
}

func TestEvalNumberErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		env  figures
		want []string
	}{
		{"DivisionByZero", `v("connected") / v("households")`, now(map[string]float64{"connected": 0, "households": 0}), []string{"第 16 个字符处除数为零", "division by zero at character 16"}},
		{"ZeroLiteral", `v("a") / (2 - 2)`, now(map[string]float64{"a": 1}), []string{"除数为零", "division by zero"}},
		{"Infinite", `v("a") * v("a")`, now(map[string]float64{"a": 1e200}), []string{"结果不是有效数值", "not yield a valid number", "+Inf"}},
		{"NotANumber", `v("a") ** 0.5`, now(map[string]float64{"a": -1}), []string{"结果不是有效数值", "NaN"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := rules.CompileFormula(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			x, skipped, err := p.EvalNumber(tt.env)
			if x != 0 || skipped {
				t.Errorf("EvalNumber = %v, skipped %v; want 0, not skipped", x, skipped)
			}
			wantInvalid(t, err, tt.want...)
		})
	}
}

func TestEvalWrongKind(t *testing.T) {
	rule, _ := rules.CompileRule(`v("a") > 0`)
	formula, _ := rules.CompileFormula(`v("a")`)
	env := now(map[string]float64{"a": 1})
	if _, _, err := rule.EvalNumber(env); err == nil {
		t.Error("EvalNumber on a rule: err = nil")
	}
	if _, _, err := formula.EvalBool(env); err == nil {
		t.Error("EvalBool on a formula: err = nil")
	}
}

// TestEvalConcurrent shares one program between goroutines, each with its
// own figures; run under -race.
func TestEvalConcurrent(t *testing.T) {
	p, err := rules.CompileRule(`!present("skip") && v("a") / prev("a") <= 2`)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Go(func() {
			for i := range 500 {
				// Goroutine g's figure grows by a factor g/2+1: within 2 for g ≤ 2.
				env := figures{now: map[string]float64{"a": float64(i+1) * (float64(g)/2 + 1)}, prev: map[string]float64{"a": float64(i + 1)}}
				if i%50 == 0 {
					env.now = map[string]float64{}
				}
				ok, skipped, err := p.EvalBool(env)
				wantOK, wantSkipped := g <= 2, i%50 == 0
				if wantSkipped {
					wantOK = false
				}
				if err != nil || ok != wantOK || skipped != wantSkipped {
					errs <- fmt.Errorf("goroutine %d run %d: %v, skipped %v, %v; want %v, skipped %v", g, i, ok, skipped, err, wantOK, wantSkipped)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
