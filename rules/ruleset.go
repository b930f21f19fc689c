package rules

import (
	"slices"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/period"
)

// Violation is a rule that the figures of a place and period break.
type Violation struct {
	Rule       string
	Severity   Severity
	MessageZH  string
	MessageEN  string
	Indicators []string // the indicators the rule reads
}

// RuleSet is a set of compiled rules, indexed by the indicators they read.
// It is immutable and safe for concurrent use.
type RuleSet struct {
	rules   []compiledRule // active rules, in the order given
	byInput map[string][]int
}

type compiledRule struct {
	Rule
	program *Program
}

// NewRuleSet validates and compiles rules. Inactive rules are validated
// too, then left out.
func NewRuleSet(rules []Rule) (*RuleSet, error) {
	s := &RuleSet{byInput: map[string][]int{}}
	seen := map[string]bool{}
	for _, r := range rules {
		program, err := r.compile()
		if err != nil {
			return nil, err
		}
		if seen[r.Code] {
			return nil, apperr.Invalidf("规则编码 %s 重复", "rule code %s is used twice", r.Code)
		}
		seen[r.Code] = true
		if !r.Active {
			continue
		}
		for _, code := range program.refs {
			s.byInput[code] = append(s.byInput[code], len(s.rules))
		}
		s.rules = append(s.rules, compiledRule{Rule: r, program: program})
	}
	return s, nil
}

// Check runs the active rules that apply to orgUnit and p and read any of
// the changed indicators (every rule if changed is nil), and returns those
// broken, in the order the rules were given. A rule that reads a missing
// value does not apply. A rule that cannot be evaluated (a division by
// zero) is reported as a warning saying so: blocking a submission for the
// rule's own arithmetic would be wrong, and passing it silently would hide
// a figure nobody checked.
func (s *RuleSet) Check(env Env, orgUnit string, p period.Period, changed []string) []Violation {
	var out []Violation
	var bound any // made on first use: most calls check few rules, or none
	for _, i := range s.candidates(changed) {
		r := &s.rules[i]
		if !r.appliesTo(orgUnit, p) {
			continue
		}
		if bound == nil {
			bound = bind(env)
		}
		ok, skipped, err := r.program.evalBool(bound)
		switch {
		case err != nil:
			out = append(out, r.failure(err))
		case !ok && !skipped:
			out = append(out, Violation{
				Rule:       r.Code,
				Severity:   r.Severity,
				MessageZH:  render(r.MessageZH, env),
				MessageEN:  render(r.MessageEN, env),
				Indicators: r.program.Refs(),
			})
		}
	}
	return out
}

// candidates returns the indexes of the rules reading any changed
// indicator, ascending.
func (s *RuleSet) candidates(changed []string) []int {
	if changed == nil {
		all := make([]int, len(s.rules))
		for i := range all {
			all[i] = i
		}
		return all
	}
	var idx []int
	for _, code := range changed {
		idx = append(idx, s.byInput[code]...)
	}
	slices.Sort(idx)
	return slices.Compact(idx)
}

func (r *compiledRule) appliesTo(orgUnit string, p period.Period) bool {
	if len(r.OrgUnits) > 0 && !slices.Contains(r.OrgUnits, orgUnit) {
		return false
	}
	return len(r.PeriodKinds) == 0 || slices.Contains(r.PeriodKinds, p.Kind)
}

func (r *compiledRule) failure(err error) Violation {
	msg := asAppErr(err)
	return Violation{
		Rule:       r.Code,
		Severity:   SeverityWarning,
		MessageZH:  "规则 " + r.Code + " 无法判断：" + msg.ZH,
		MessageEN:  "rule " + r.Code + " could not be evaluated: " + msg.EN,
		Indicators: r.program.Refs(),
	}
}
