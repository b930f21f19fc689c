package rules_test

import (
	"testing"

	"github.com/lantu/lantu/rules"
)

// FuzzCompileRule checks that no expression makes compiling panic, and that
// a program that compiles also runs without panicking.
func FuzzCompileRule(f *testing.F) {
	for _, seed := range []string{
		`v("forest-cover") >= 0 && v("forest-cover") <= 100`,
		`abs(v("urban-jobs-new") / prev("urban-jobs-new") - 1) <= 0.5`,
		`present("a") ? v("a") > target("a") : true`,
		`let f = v; f("a") > 0`,
		`$env.v("a") > 0`,
		`v("a" + "b") > 0`,
		`v("a") > > 1`,
		`[1, 2][0] > 0`,
		`{"a": 1}.a > 0`,
		`v("a") ?? 1 > 0`,
		`v("a") | abs() > 0`,
		`min() > 0`,
		`"x" matches "("`,
		`v("a")..1`,
		"",
	} {
		f.Add(seed)
	}
	env := figures{now: map[string]float64{"a": 1}, prev: map[string]float64{"a": 0}}
	f.Fuzz(func(t *testing.T, src string) {
		if p, err := rules.CompileRule(src); err == nil {
			_, _, _ = p.EvalBool(env)
		}
		if p, err := rules.CompileFormula(src); err == nil {
			_, _, _ = p.EvalNumber(env)
		}
	})
}
