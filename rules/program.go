package rules

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"

	"github.com/lantu/lantu/apperr"
)

// Env gives a program the figures of one place and period. ok is false
// when there is no value.
type Env interface {
	Value(code string) (float64, bool)
	Prev(code string) (float64, bool)
	Target(code string) (float64, bool)
}

// resultKind is what a program yields.
type resultKind int

const (
	yieldsBool resultKind = iota + 1
	yieldsNumber
)

// Program is a compiled, type-checked expression. It is immutable and safe
// for concurrent use.
type Program struct {
	source  string
	kind    resultKind
	refs    []string
	program *vm.Program
}

// CompileRule compiles a validation rule, which must yield true or false.
func CompileRule(src string) (*Program, error) { return compile(src, yieldsBool) }

// CompileFormula compiles a formula, which must yield a number.
func CompileFormula(src string) (*Program, error) { return compile(src, yieldsNumber) }

// Refs returns the indicator codes the expression reads, sorted and unique.
func (p *Program) Refs() []string { return slices.Clone(p.refs) }

// Source returns the expression as written.
func (p *Program) Source() string { return p.source }

// EvalBool runs a rule. skipped is true when a value the rule reads is
// missing, so the rule does not apply.
func (p *Program) EvalBool(env Env) (ok bool, skipped bool, err error) {
	return p.evalBool(bind(env))
}

// evalBool runs a rule on an environment made by bind, which a RuleSet
// makes once for all its rules.
func (p *Program) evalBool(bound any) (ok bool, skipped bool, err error) {
	if p.kind != yieldsBool {
		return false, false, fmt.Errorf("rules: EvalBool on formula %q", p.source)
	}
	out, skipped, err := p.run(bound)
	if err != nil || skipped {
		return false, skipped, err
	}
	b, isBool := out.(bool)
	if !isBool {
		return false, false, fmt.Errorf("rules: rule %q yielded %T", p.source, out)
	}
	return b, false, nil
}

// EvalNumber runs a formula. skipped is true when a value the formula
// reads is missing. A result that is not a finite number is an error.
func (p *Program) EvalNumber(env Env) (x float64, skipped bool, err error) {
	if p.kind != yieldsNumber {
		return 0, false, fmt.Errorf("rules: EvalNumber on rule %q", p.source)
	}
	out, skipped, err := p.run(bind(env))
	if err != nil || skipped {
		return 0, skipped, err
	}
	x, isFloat := out.(float64)
	if !isFloat {
		return 0, false, fmt.Errorf("rules: formula %q yielded %T", p.source, out)
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, false, apperr.Invalidf("公式 %s 的结果不是有效数值（%v）",
			"formula %s did not yield a valid number (%v)", p.source, x)
	}
	return x, false, nil
}

func (p *Program) run(bound any) (out any, skipped bool, err error) {
	// expr's VM recovers panics itself and returns them as errors wrapping
	// the value; this recover is for a VM that one day would not.
	defer func() {
		if r := recover(); r != nil {
			if r != errMissing {
				panic(r)
			}
			out, skipped, err = nil, true, nil
		}
	}()
	out, err = vm.Run(p.program, bound)
	switch {
	case err == nil:
		return out, false, nil
	case errors.Is(err, errMissing):
		return nil, true, nil
	}
	at := 0
	var fe *file.Error
	if errors.As(err, &fe) {
		at = fe.From + 1
	}
	if errors.Is(err, errDivisionByZero) {
		return nil, false, apperr.Invalidf("表达式 %s 第 %d 个字符处除数为零",
			"expression %s: division by zero at character %d", p.source, at)
	}
	msg := err.Error()
	if fe != nil {
		msg = fe.Message
	}
	return nil, false, apperr.Invalidf("表达式 %s 第 %d 个字符处运行出错：%s",
		"expression %s: failed at character %d: %s", p.source, at, msg)
}

// errMissing is what v, prev and target panic with for a missing value.
// The panic aborts the run at once, wherever the call sits in the
// expression; expr's VM recovers it into an error wrapping errMissing,
// which run turns into skipped. A function returning (float64, error)
// would do the same but expr calls those through reflection, which made
// checking rules twice as slow; func(string) float64 has a direct path.
var errMissing = errors.New("rules: value missing")

// errDivisionByZero is what the / operator returns for a zero divisor.
var errDivisionByZero = errors.New("rules: division by zero")

// exprEnv is the environment expressions see: its fields are the functions
// over indicator codes. The compiler reads its type; each run gets one bound
// to that run's Env.
type exprEnv struct {
	V       func(code string) float64 `expr:"v"`
	Prev    func(code string) float64 `expr:"prev"`
	Target  func(code string) float64 `expr:"target"`
	Present func(code string) bool    `expr:"present"`
}

// bind returns the environment for running programs on env, boxed once.
func bind(env Env) any {
	return exprEnv{
		V:      func(code string) float64 { return need(env.Value(code)) },
		Prev:   func(code string) float64 { return need(env.Prev(code)) },
		Target: func(code string) float64 { return need(env.Target(code)) },
		Present: func(code string) bool {
			_, ok := env.Value(code)
			return ok
		},
	}
}

func need(x float64, ok bool) float64 {
	if !ok {
		panic(errMissing)
	}
	return x
}

// divide replaces the / operator so that a zero divisor is an error, not
// an infinity that a comparison would silently swallow.
func divide(args ...any) (any, error) {
	a, b := args[0].(float64), args[1].(float64)
	if b == 0 {
		return nil, errDivisionByZero
	}
	return a / b, nil
}

// options returns the compiler options for an expression yielding kind.
func options(kind resultKind) []expr.Option {
	opts := []expr.Option{
		expr.Env(exprEnv{}),
		expr.DisableAllBuiltins(),
		expr.EnableBuiltin("abs"),
		expr.EnableBuiltin("min"),
		expr.EnableBuiltin("max"),
		expr.EnableBuiltin("round"),
		expr.EnableBuiltin("floor"),
		expr.EnableBuiltin("ceil"),
		expr.Patch(floatLiterals{}),
		expr.Function("div", divide, new(func(float64, float64) float64)),
		expr.Operator("/", "div"),
	}
	if kind == yieldsBool {
		return append(opts, expr.AsBool())
	}
	return append(opts, expr.AsFloat64())
}
