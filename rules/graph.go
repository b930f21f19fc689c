package rules

import (
	"maps"
	"slices"
	"strings"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/plan"
)

// Formula is a computed indicator and the program that computes it.
type Formula struct {
	Indicator string
	Program   *Program
}

// Graph is the set of computed indicators and what each is computed from.
// It is immutable and safe for concurrent use.
type Graph struct {
	formulas map[string]Formula
	order    []string            // every computed indicator, inputs first
	usedBy   map[string][]string // code → computed indicators reading it
}

// NewGraph compiles the formulas, keyed by the indicator each computes, and
// refuses a formula that depends on itself, directly or through others.
// Whether every referenced code is an indicator is for the caller to check,
// with Refs.
func NewGraph(formulas map[string]string) (*Graph, error) {
	g := &Graph{formulas: map[string]Formula{}, usedBy: map[string][]string{}}
	codes := slices.Sorted(maps.Keys(formulas))
	for _, code := range codes {
		if err := plan.CheckCode("计算指标 computed indicator", code); err != nil {
			return nil, err
		}
		program, err := CompileFormula(formulas[code])
		if err != nil {
			return nil, prefixed(err, "指标 "+code+" 的公式：", "formula of "+code+": ")
		}
		if slices.Contains(program.refs, code) {
			return nil, apperr.Invalidf("指标 %s 的公式引用了自身", "formula of %s refers to itself", code)
		}
		g.formulas[code] = Formula{Indicator: code, Program: program}
		for _, ref := range program.refs {
			g.usedBy[ref] = append(g.usedBy[ref], code)
		}
	}
	if err := g.sort(codes); err != nil {
		return nil, err
	}
	return g, nil
}

// sort fills g.order by depth-first search, inputs before what is computed
// from them, and refuses a cycle, naming it.
func (g *Graph) sort(codes []string) error {
	const (
		unseen = iota
		onPath
		done
	)
	state := map[string]int{}
	var path []string
	var visit func(code string) error
	visit = func(code string) error {
		switch state[code] {
		case done:
			return nil
		case onPath:
			return cycleError(path[slices.Index(path, code):])
		}
		state[code] = onPath
		path = append(path, code)
		for _, ref := range g.formulas[code].Program.refs {
			if _, computed := g.formulas[ref]; computed {
				if err := visit(ref); err != nil {
					return err
				}
			}
		}
		path = path[:len(path)-1]
		state[code] = done
		g.order = append(g.order, code)
		return nil
	}
	for _, code := range codes {
		if err := visit(code); err != nil {
			return err
		}
	}
	return nil
}

// cycleError names a cycle, given as the codes along it where each reads
// the next. It reads the other way round, in the direction values flow
// (a → b: b is computed from a), starting from the smallest code so the
// message is the same whichever way it was found.
func cycleError(cycle []string) error {
	flow := slices.Clone(cycle)
	slices.Reverse(flow)
	start := slices.Index(flow, slices.Min(flow))
	flow = slices.Concat(flow[start:], flow[:start], flow[start:start+1])
	text := strings.Join(flow, " → ")
	return apperr.Invalidf("公式循环引用：%s", "formula cycle: %s", text)
}

// Dependents returns every computed indicator that depends, directly or
// through others, on any of the changed codes, inputs first, so computing
// them in that order sees fresh inputs.
func (g *Graph) Dependents(changed []string) []string {
	reached := map[string]bool{}
	queue := slices.Clone(changed)
	for len(queue) > 0 {
		code := queue[0]
		queue = queue[1:]
		for _, dep := range g.usedBy[code] {
			if !reached[dep] {
				reached[dep] = true
				queue = append(queue, dep)
			}
		}
	}
	var out []string
	for _, code := range g.order {
		if reached[code] {
			out = append(out, code)
		}
	}
	return out
}

// Order returns every computed indicator, inputs first.
func (g *Graph) Order() []string { return slices.Clone(g.order) }

// Formula returns the program computing code, if code is computed.
func (g *Graph) Formula(code string) (*Program, bool) {
	f, ok := g.formulas[code]
	return f.Program, ok
}

// Formulas returns every formula in Order.
func (g *Graph) Formulas() []Formula {
	out := make([]Formula, len(g.order))
	for i, code := range g.order {
		out[i] = g.formulas[code]
	}
	return out
}
