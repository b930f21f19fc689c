package rules_test

import (
	"testing"

	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/rules"
)

func forestCoverRange() rules.Rule {
	return rules.Rule{
		Code:        "forest-cover-range",
		Expression:  `v("forest-cover") >= 0 && v("forest-cover") <= 100`,
		Severity:    rules.SeverityError,
		MessageZH:   "森林覆盖率 {forest-cover}% 应在 0 到 100 之间",
		MessageEN:   "forest cover {forest-cover}% must be between 0 and 100",
		PeriodKinds: []period.Kind{period.Year},
		Active:      true,
	}
}

func TestRuleValidate(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		if err := forestCoverRange().Validate(); err != nil {
			t.Fatal(err)
		}
	})
	tests := []struct {
		name   string
		change func(*rules.Rule)
		want   []string
	}{
		{"ErrCodeRequired", func(r *rules.Rule) { r.Code = "" }, []string{"规则 rule 不能为空", "rule is required"}},
		{"ErrCodeInvalid", func(r *rules.Rule) { r.Code = "森林" }, []string{"编码", "is invalid"}},
		{"ErrExpression", func(r *rules.Rule) { r.Expression = `v("forest-cover") + 1` }, []string{"规则 forest-cover-range：规则表达式", "rule forest-cover-range: rule expression", "must yield true or false"}},
		{"ErrSyntax", func(r *rules.Rule) { r.Expression = `v("forest-cover") <=` }, []string{"规则 forest-cover-range：表达式", "rule forest-cover-range: error at character"}},
		{"ErrSeverity", func(r *rules.Rule) { r.Severity = "fatal" }, []string{`级别 "fatal" 无效`, `severity "fatal" invalid`}},
		{"ErrMessageZH", func(r *rules.Rule) { r.MessageZH = " " }, []string{"需要中文和英文提示信息", "needs a message in Chinese and in English"}},
		{"ErrMessageEN", func(r *rules.Rule) { r.MessageEN = "" }, []string{"需要中文和英文提示信息"}},
		{"ErrPlaceholderNotRead", func(r *rules.Rule) { r.MessageEN = "cover {forest-covr}" }, []string{"引用了 {forest-covr}", "does not read indicator forest-covr"}},
		{"ErrPrevPlaceholderNotRead", func(r *rules.Rule) { r.MessageZH = "上期 {prev:forest}" }, []string{"引用了 {prev:forest}"}},
		{"ErrOrgUnit", func(r *rules.Rule) { r.OrgUnits = []string{"city", "a b"} }, []string{"组织 org unit", `"a b"`}},
		{"ErrPeriodKind", func(r *rules.Rule) { r.PeriodKinds = []period.Kind{period.Year, 0} }, []string{"期间类型 0 无效", "period kind 0 invalid"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := forestCoverRange()
			tt.change(&r)
			wantInvalid(t, r.Validate(), tt.want...)
		})
	}
	t.Run("BracesThatAreNotPlaceholders", func(t *testing.T) {
		r := forestCoverRange()
		r.MessageEN = "cover {forest-cover}% {see note} {:x} {other:forest-cover}"
		if err := r.Validate(); err != nil {
			t.Fatal(err)
		}
	})
}

func TestSeverityLabels(t *testing.T) {
	if got := rules.SeverityError.LabelZH() + rules.SeverityWarning.LabelZH(); got != "错误警告" {
		t.Errorf("LabelZH = %q", got)
	}
	if got := rules.SeverityWarning.LabelEN(); got != "warning" {
		t.Errorf("LabelEN = %q", got)
	}
}
