package dataset

import (
	"errors"
	"fmt"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/plan"
	"github.com/lantu/lantu/rules"
)

// validate applies each object's own rules and reports failures at the row
// the object was read from. Rows that already have a problem from reading
// are skipped: their half-read object would only repeat it less clearly.
func (b Bundle) validate(earlier Problems) Problems {
	bad := map[string]bool{}
	for _, p := range earlier {
		bad[fmt.Sprintf("%s:%d", p.File, p.Line)] = true
	}
	var probs Problems
	check := func(file, kind, key string, err error) {
		line := b.lines[kind+":"+key]
		if err == nil || bad[fmt.Sprintf("%s:%d", file, line)] {
			return
		}
		zh, en := err.Error(), err.Error()
		var ae *apperr.Error
		if errors.As(err, &ae) {
			zh, en = ae.ZH, ae.EN
		}
		probs.add(file, line, "", zh, en)
	}
	for _, x := range b.Sources {
		check("sources.csv", "source", x.Code, x.Validate())
	}
	for _, x := range b.Plans {
		check("plans.csv", "plan", x.Code, x.Validate())
	}
	for _, x := range b.Goals {
		check("goals.csv", "goal", x.Code, x.Validate())
	}
	for _, x := range b.Areas {
		check("areas.csv", "area", x.Code, x.Validate())
	}
	for _, x := range b.Tasks {
		check("tasks.csv", "task", x.Code, x.Validate())
	}
	for _, x := range b.OrgUnits {
		check("org_units.csv", "org_unit", x.Code, x.Validate())
	}
	for _, x := range b.Departments {
		check("departments.csv", "department", x.Code, x.Validate())
	}
	for _, x := range b.Indicators {
		check("indicators.csv", "indicator", x.Code, x.Validate())
	}
	for _, x := range b.Targets {
		check("targets.csv", "target", valueKey(x.IndicatorCode, x.OrgUnitCode, x.Period), x.Validate())
	}
	for _, x := range b.Values {
		check("values.csv", "value", valueKey(x.IndicatorCode, x.OrgUnitCode, x.Period), x.Validate())
	}
	for _, x := range b.Projects {
		check("projects.csv", "project", x.Code, x.Validate())
	}
	for _, x := range b.Rules {
		check("rules.csv", "rule", x.Code, x.Validate())
	}
	return probs
}

// Codes is the set of codes of each kind that exist, in the database or in
// the bundle, against which references are checked.
type Codes map[string]map[string]bool

func (c Codes) add(kind, code string) {
	if c[kind] == nil {
		c[kind] = map[string]bool{}
	}
	c[kind][code] = true
}

func (c Codes) has(kind, code string) bool { return c[kind][code] }

// codes returns the codes the bundle defines.
func (b Bundle) codes() Codes {
	c := Codes{}
	for _, x := range b.Plans {
		c.add("plan", x.Code)
	}
	for _, x := range b.Goals {
		c.add("goal", x.Code)
	}
	for _, x := range b.Areas {
		c.add("area", x.Code)
	}
	for _, x := range b.OrgUnits {
		c.add("org_unit", x.Code)
	}
	for _, x := range b.Departments {
		c.add("department", x.Code)
	}
	for _, x := range b.Indicators {
		c.add("indicator", x.Code)
	}
	return c
}

// checkReferences reports every reference that resolves neither in the
// bundle nor in known (what the database holds already).
func (b Bundle) checkReferences(known Codes) Problems {
	all := b.codes()
	for kind, set := range known {
		for code := range set {
			all.add(kind, code)
		}
	}
	var probs Problems
	ref := func(file, kind, key, column, refKind, code string) {
		if code != "" && !all.has(refKind, code) {
			probs.add(file, b.lines[kind+":"+key], column, fmt.Sprintf("引用的 %s 不存在", code), fmt.Sprintf("refers to %s, which does not exist", code))
		}
	}
	for _, x := range b.Goals {
		ref("goals.csv", "goal", x.Code, "plan", "plan", x.PlanCode)
	}
	for _, x := range b.Areas {
		ref("areas.csv", "area", x.Code, "goal", "goal", x.GoalCode)
	}
	for _, x := range b.Tasks {
		ref("tasks.csv", "task", x.Code, "area", "area", x.AreaCode)
		ref("tasks.csv", "task", x.Code, "owner_dept", "department", x.OwnerDept)
	}
	units := map[string]plan.OrgUnit{}
	for _, x := range b.OrgUnits {
		units[x.Code] = x
	}
	for _, x := range b.OrgUnits {
		ref("org_units.csv", "org_unit", x.Code, "parent", "org_unit", x.ParentCode)
		if parent, ok := units[x.ParentCode]; ok {
			if err := plan.CheckParent(x, parent); err != nil {
				var ae *apperr.Error
				errors.As(err, &ae)
				probs.add("org_units.csv", b.lines["org_unit:"+x.Code], "parent", ae.ZH, ae.EN)
			}
		}
	}
	for _, x := range b.Departments {
		ref("departments.csv", "department", x.Code, "org_unit", "org_unit", x.OrgUnitCode)
	}
	for _, x := range b.Indicators {
		ref("indicators.csv", "indicator", x.Code, "area", "area", x.AreaCode)
		ref("indicators.csv", "indicator", x.Code, "owner_dept", "department", x.OwnerDept)
	}
	for _, x := range b.Targets {
		k := valueKey(x.IndicatorCode, x.OrgUnitCode, x.Period)
		ref("targets.csv", "target", k, "indicator", "indicator", x.IndicatorCode)
		ref("targets.csv", "target", k, "org_unit", "org_unit", x.OrgUnitCode)
	}
	for _, x := range b.Values {
		k := valueKey(x.IndicatorCode, x.OrgUnitCode, x.Period)
		ref("values.csv", "value", k, "indicator", "indicator", x.IndicatorCode)
		ref("values.csv", "value", k, "org_unit", "org_unit", x.OrgUnitCode)
	}
	for _, x := range b.Projects {
		ref("projects.csv", "project", x.Code, "owner_dept", "department", x.OwnerDept)
		ref("projects.csv", "project", x.Code, "org_unit", "org_unit", x.OrgUnitCode)
	}
	probs = append(probs, b.checkFormulas(all)...)
	return probs
}

// checkFormulas compiles every computed indicator's formula and every
// rule, refuses references to indicators that exist nowhere, and refuses a
// cycle among formulas, naming it.
func (b Bundle) checkFormulas(all Codes) Problems {
	var probs Problems
	formulas := map[string]string{}
	for _, ind := range b.Indicators {
		f := ind.Current().Formula
		if f == "" {
			continue
		}
		formulas[ind.Code] = f
		p, err := rules.CompileFormula(f)
		if err != nil {
			probs.add("indicators.csv", b.lines["indicator:"+ind.Code], "formula", apperr.Message(err, "zh"), apperr.Message(err, "en"))
			continue
		}
		for _, ref := range p.Refs() {
			if !all.has("indicator", ref) {
				probs.add("indicators.csv", b.lines["indicator:"+ind.Code], "formula", fmt.Sprintf("公式引用的指标 %s 不存在", ref), fmt.Sprintf("the formula refers to %s, which does not exist", ref))
			}
		}
	}
	if len(probs) == 0 {
		if _, err := rules.NewGraph(formulas); err != nil {
			probs.add("indicators.csv", 0, "formula", apperr.Message(err, "zh"), apperr.Message(err, "en"))
		}
	}
	for _, r := range b.Rules {
		p, err := rules.CompileRule(r.Expression)
		if err != nil {
			continue // reported by validate
		}
		for _, ref := range p.Refs() {
			if !all.has("indicator", ref) {
				probs.add("rules.csv", b.lines["rule:"+r.Code], "expression", fmt.Sprintf("规则引用的指标 %s 不存在", ref), fmt.Sprintf("the rule refers to %s, which does not exist", ref))
			}
		}
	}
	return probs
}
