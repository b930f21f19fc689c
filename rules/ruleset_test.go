package rules_test

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/rules"
)

var (
	year2024  = period.Period{Kind: period.Year, Year: 2024}
	month2024 = period.Period{Kind: period.Month, Year: 2024, N: 6}
)

// typicalRules are the kinds of rules the planning office writes.
func typicalRules() []rules.Rule {
	return []rules.Rule{
		forestCoverRange(),
		{
			Code:       "dibao-rural-urban",
			Expression: `v("rural-dibao-standard") <= v("urban-dibao-standard")`,
			Severity:   rules.SeverityError,
			MessageZH:  "农村低保标准 {rural-dibao-standard} 元高于城市 {urban-dibao-standard} 元",
			MessageEN:  "rural dibao standard {rural-dibao-standard} yuan exceeds urban {urban-dibao-standard} yuan",
			Active:     true,
		},
		{
			Code:       "jobs-growth",
			Expression: `abs(v("urban-jobs-new") / prev("urban-jobs-new") - 1) <= 0.5`,
			Severity:   rules.SeverityWarning,
			MessageZH:  "城镇新增就业 {urban-jobs-new} 人，上期 {prev:urban-jobs-new} 人，变化超过五成",
			MessageEN:  "new urban jobs {urban-jobs-new}, last period {prev:urban-jobs-new}: changed by more than half",
			Active:     true,
		},
		{
			Code:       "forest-cover-required",
			Expression: `present("forest-cover")`,
			Severity:   rules.SeverityError,
			MessageZH:  "必须填报森林覆盖率",
			MessageEN:  "forest cover is required",
			OrgUnits:   []string{"city"},
			Active:     true,
		},
		{
			Code:       "gas-ratio",
			Expression: `v("gas-households") / v("households") * 100 <= 100`,
			Severity:   rules.SeverityError,
			MessageZH:  "通气户数 {gas-households} 超过总户数 {households}",
			MessageEN:  "households with gas {gas-households} exceed households {households}",
			Active:     true,
		},
		{
			Code:       "retired",
			Expression: `v("forest-cover") > 1000`,
			Severity:   rules.SeverityError,
			MessageZH:  "停用的规则",
			MessageEN:  "retired rule",
			Active:     false,
		},
	}
}

func TestRuleSetCheck(t *testing.T) {
	set, err := rules.NewRuleSet(typicalRules())
	if err != nil {
		t.Fatal(err)
	}
	good := figures{
		now: map[string]float64{
			"forest-cover": 44.8, "rural-dibao-standard": 850, "urban-dibao-standard": 900,
			"urban-jobs-new": 12000, "gas-households": 90, "households": 100,
		},
		prev: map[string]float64{"urban-jobs-new": 10000},
	}
	bad := figures{
		now: map[string]float64{
			"forest-cover": 104.5, "rural-dibao-standard": 950, "urban-dibao-standard": 900,
			"urban-jobs-new": 18000, "gas-households": 120, "households": 100,
		},
		prev: map[string]float64{"urban-jobs-new": 10000},
	}
	forest := rules.Violation{
		Rule: "forest-cover-range", Severity: rules.SeverityError,
		MessageZH: "森林覆盖率 104.5% 应在 0 到 100 之间", MessageEN: "forest cover 104.5% must be between 0 and 100",
		Indicators: []string{"forest-cover"},
	}
	dibao := rules.Violation{
		Rule: "dibao-rural-urban", Severity: rules.SeverityError,
		MessageZH:  "农村低保标准 950 元高于城市 900 元",
		MessageEN:  "rural dibao standard 950 yuan exceeds urban 900 yuan",
		Indicators: []string{"rural-dibao-standard", "urban-dibao-standard"},
	}
	jobs := rules.Violation{
		Rule: "jobs-growth", Severity: rules.SeverityWarning,
		MessageZH:  "城镇新增就业 18000 人，上期 10000 人，变化超过五成",
		MessageEN:  "new urban jobs 18000, last period 10000: changed by more than half",
		Indicators: []string{"urban-jobs-new"},
	}
	gas := rules.Violation{
		Rule: "gas-ratio", Severity: rules.SeverityError,
		MessageZH: "通气户数 120 超过总户数 100", MessageEN: "households with gas 120 exceed households 100",
		Indicators: []string{"gas-households", "households"},
	}
	required := rules.Violation{
		Rule: "forest-cover-required", Severity: rules.SeverityError,
		MessageZH: "必须填报森林覆盖率", MessageEN: "forest cover is required",
		Indicators: []string{"forest-cover"},
	}
	tests := []struct {
		name    string
		env     figures
		orgUnit string
		period  period.Period
		changed []string
		want    []rules.Violation
	}{
		{"AllGood", good, "city", year2024, nil, nil},
		{"AllBad", bad, "city", year2024, nil, []rules.Violation{forest, dibao, jobs, gas}},
		{"ChangedOne", bad, "city", year2024, []string{"households"}, []rules.Violation{gas}},
		{"ChangedTwo", bad, "city", year2024, []string{"urban-jobs-new", "forest-cover"}, []rules.Violation{forest, jobs}},
		{"ChangedNone", bad, "city", year2024, []string{}, nil},
		{"ChangedUnread", bad, "city", year2024, []string{"gdp"}, nil},
		{"PeriodKindFilter", bad, "city", month2024, nil, []rules.Violation{dibao, jobs, gas}},
		{"RequiredOnlyForCity", now(nil), "city", year2024, nil, []rules.Violation{required}},
		{"RequiredNotForTown", now(nil), "town-a", year2024, nil, nil},
		{"MissingValuesSkip", now(map[string]float64{"forest-cover": 50, "urban-jobs-new": 99999}), "town-a", year2024, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := set.Check(tt.env, tt.orgUnit, tt.period, tt.changed)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Check =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestRuleSetCheckUnevaluable(t *testing.T) {
	set, err := rules.NewRuleSet(typicalRules())
	if err != nil {
		t.Fatal(err)
	}
	env := figures{now: map[string]float64{"urban-jobs-new": 500}, prev: map[string]float64{"urban-jobs-new": 0}}
	got := set.Check(env, "town-a", year2024, []string{"urban-jobs-new"})
	if len(got) != 1 {
		t.Fatalf("Check = %+v, want one violation", got)
	}
	v := got[0]
	if v.Rule != "jobs-growth" || v.Severity != rules.SeverityWarning {
		t.Errorf("violation = %+v, want a warning for jobs-growth", v)
	}
	for _, msg := range []string{v.MessageZH, v.MessageEN} {
		if msg == "" {
			t.Error("empty message")
		}
	}
	if want := "规则 jobs-growth 无法判断：表达式 "; v.MessageZH[:len(want)] != want {
		t.Errorf("MessageZH = %q, want it to start %q", v.MessageZH, want)
	}
	if want := "rule jobs-growth could not be evaluated: expression "; v.MessageEN[:len(want)] != want {
		t.Errorf("MessageEN = %q, want it to start %q", v.MessageEN, want)
	}
}

func TestRuleSetPlaceholders(t *testing.T) {
	r := rules.Rule{
		Code:       "placeholders",
		Expression: `v("a") > prev("a") && v("b") > target("b")`,
		Severity:   rules.SeverityWarning,
		MessageZH:  "a={a} 上期={prev:a} b={b} 目标={target:b} {见说明} {a",
		MessageEN:  "{a}{a}",
		Active:     true,
	}
	set, err := rules.NewRuleSet([]rules.Rule{r})
	if err != nil {
		t.Fatal(err)
	}
	env := figures{
		now:    map[string]float64{"a": 1.0 / 3, "b": -0.0000001},
		prev:   map[string]float64{"a": 1e9},
		target: map[string]float64{"b": -2},
	}
	got := set.Check(env, "city", year2024, nil)
	if len(got) != 1 {
		t.Fatalf("Check = %+v, want one violation", got)
	}
	// 1/3 to six decimals; −0.0000001 rounds to −0 and shows 0; 1e9 plainly.
	if want := "a=0.333333 上期=1000000000 b=0 目标=-2 {见说明} {a"; got[0].MessageZH != want {
		t.Errorf("MessageZH = %q, want %q", got[0].MessageZH, want)
	}
	if want := "0.3333330.333333"; got[0].MessageEN != want {
		t.Errorf("MessageEN = %q, want %q", got[0].MessageEN, want)
	}
}

func TestNewRuleSetErrors(t *testing.T) {
	t.Run("ErrInvalidRule", func(t *testing.T) {
		rs := typicalRules()
		rs[2].Severity = ""
		_, err := rules.NewRuleSet(rs)
		wantInvalid(t, err, "jobs-growth")
	})
	t.Run("ErrInvalidInactiveRule", func(t *testing.T) {
		rs := typicalRules()
		rs[5].Expression = "v("
		_, err := rules.NewRuleSet(rs)
		wantInvalid(t, err, "retired")
	})
	t.Run("ErrDuplicateCode", func(t *testing.T) {
		rs := append(typicalRules(), forestCoverRange())
		_, err := rules.NewRuleSet(rs)
		wantInvalid(t, err, "规则编码 forest-cover-range 重复", "rule code forest-cover-range is used twice")
	})
	t.Run("Empty", func(t *testing.T) {
		set, err := rules.NewRuleSet(nil)
		if err != nil || apperr.Code(err) != "" {
			t.Fatal(err)
		}
		if got := set.Check(now(nil), "city", year2024, nil); got != nil {
			t.Errorf("Check = %v, want nil", got)
		}
	})
}

// BenchmarkRuleSetCheck checks one place and period against 50 rules, half
// of them broken, then with no figures at all.
func BenchmarkRuleSetCheck(b *testing.B) {
	var rs []rules.Rule
	env := figures{now: map[string]float64{}, prev: map[string]float64{}}
	for i := range 50 {
		code := fmt.Sprintf("ind-%02d", i)
		rs = append(rs, rules.Rule{
			Code:       "rule-" + code,
			Expression: fmt.Sprintf(`v(%q) >= 0 && v(%q) <= 100 && abs(v(%q) / prev(%q) - 1) <= 0.5`, code, code, code, code),
			Severity:   rules.SeverityWarning,
			MessageZH:  "{" + code + "} 超出范围",
			MessageEN:  "{" + code + "} out of range",
			Active:     true,
		})
		env.now[code] = float64(50 + i%2*30)
		env.prev[code] = 50
	}
	set, err := rules.NewRuleSet(rs)
	if err != nil {
		b.Fatal(err)
	}
	if got := len(set.Check(env, "city", year2024, nil)); got != 25 {
		b.Fatalf("violations = %d, want 25", got)
	}
	b.Run("Reported", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			set.Check(env, "city", year2024, nil)
		}
	})
	// Every rule aborts at its first v(): the cost of skipping.
	b.Run("Missing", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			set.Check(now(nil), "city", year2024, nil)
		}
	})
}
