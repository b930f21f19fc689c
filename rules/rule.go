package rules

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/plan"
)

// Severity says what a violated rule does to a submission.
type Severity string

const (
	SeverityError   Severity = "error"   // blocks submitting and importing
	SeverityWarning Severity = "warning" // submitting needs a written explanation
)

// LabelZH returns 错误 or 警告.
func (s Severity) LabelZH() string {
	return map[Severity]string{SeverityError: "错误", SeverityWarning: "警告"}[s]
}

// LabelEN returns error or warning.
func (s Severity) LabelEN() string {
	return map[Severity]string{SeverityError: "error", SeverityWarning: "warning"}[s]
}

// Rule is a check the planning office sets on reported figures. The
// messages may hold placeholders, {forest-cover} for this period's value,
// {prev:forest-cover} for the previous period's and {target:forest-cover}
// for the target, each naming an indicator the expression reads.
type Rule struct {
	Code        string
	Expression  string
	Severity    Severity
	MessageZH   string
	MessageEN   string
	OrgUnits    []string      // empty: every place
	PeriodKinds []period.Kind // empty: every kind of period
	Active      bool
}

func (r Rule) Validate() error {
	_, err := r.compile()
	return err
}

// compile validates the rule and returns its program.
func (r Rule) compile() (*Program, error) {
	if err := plan.CheckCode("规则 rule", r.Code); err != nil {
		return nil, err
	}
	program, err := CompileRule(r.Expression)
	if err != nil {
		return nil, prefixed(err, "规则 "+r.Code+"：", "rule "+r.Code+": ")
	}
	if r.Severity.LabelZH() == "" {
		return nil, apperr.Invalidf("规则 %s 的级别 %q 无效：应为 error（错误）或 warning（警告）",
			"rule %s severity %q invalid: error or warning", r.Code, string(r.Severity))
	}
	if strings.TrimSpace(r.MessageZH) == "" || strings.TrimSpace(r.MessageEN) == "" {
		return nil, apperr.Invalidf("规则 %s 需要中文和英文提示信息",
			"rule %s needs a message in Chinese and in English", r.Code)
	}
	for _, msg := range []string{r.MessageZH, r.MessageEN} {
		for _, ph := range placeholders(msg) {
			if !slices.Contains(program.refs, ph.code) {
				return nil, apperr.Invalidf("规则 %s 的提示信息引用了 %s，但表达式没有读取指标 %s",
					"rule %s message refers to %s, but the expression does not read indicator %s",
					r.Code, ph.text, ph.code)
			}
		}
	}
	for _, org := range r.OrgUnits {
		if err := plan.CheckCode("规则 "+r.Code+" 的组织 org unit", org); err != nil {
			return nil, err
		}
	}
	for _, k := range r.PeriodKinds {
		if _, err := period.ParseKind(k.String()); err != nil {
			return nil, apperr.Invalidf("规则 %s 的期间类型 %d 无效", "rule %s period kind %d invalid", r.Code, int(k))
		}
	}
	return program, nil
}

// prefixed puts a prefix before both languages of an *apperr.Error.
func prefixed(err error, zh, en string) error {
	var e *apperr.Error
	if !errors.As(err, &e) {
		return fmt.Errorf("%s%w", en, err)
	}
	return apperr.New(e.Code, zh+e.ZH, en+e.EN)
}
