package reporting

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/rules"
	"github.com/lantu/lantu/storage"
)

// Flagged is a rule's finding on a figure being saved.
type Flagged struct {
	Key indicator.Key
	rules.Violation
}

// Problem is one reason a save is refused, tied to the entry it is about
// (Index into the entries; -1 when it concerns the whole save).
type Problem struct {
	Index  int
	ZH, EN string
}

// Refused is the error of a save that wrote nothing: every problem found.
type Refused struct{ Problems []Problem }

func (r *Refused) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "有 %d 个问题，未保存任何数据 (%d problems; nothing was saved)", len(r.Problems), len(r.Problems))
	for _, p := range r.Problems {
		b.WriteString("\n  " + p.ZH + " (" + p.EN + ")")
	}
	return b.String()
}

// Unwrap gives the error its code for apperr: invalid input.
func (r *Refused) Unwrap() error { return apperr.New(apperr.Invalid, r.Error(), r.Error()) }

// Saved is the outcome of a save: the figures as stored and the warnings
// they raised.
type Saved struct {
	Values   []indicator.Value
	Warnings []Flagged
}

// plan is what a save will write, worked out before writing anything.
type plan struct {
	values   []indicator.Value
	warnings []Flagged
	problems []Problem
}

// Save enters figures on behalf of sub, all or none: a draft, or with
// submit a submission for review. Each figure must be of an indicator of
// the subject's department (the planning office: any), in an open round,
// not yet approved. Validation rules run on the figures together with what
// is stored: errors refuse the save; warnings refuse a submission unless the
// entry explains them. Computed indicators that depend on the figures are
// recomputed in the same transaction.
func (s *Service) Save(ctx context.Context, sub auth.Subject, entries []Entry, submit bool, ip string) (Saved, error) {
	if !sub.Can(auth.WriteValues) {
		return Saved{}, apperr.New(apperr.Forbidden, "没有填报权限", "you may not report figures")
	}
	if len(entries) == 0 {
		return Saved{}, apperr.Invalidf("没有要保存的数据", "nothing to save")
	}
	ctx2, err := s.context(ctx)
	if err != nil {
		return Saved{}, err
	}
	p := s.plan(ctx, ctx2, sub, entries, submit)
	if len(p.problems) > 0 {
		return Saved{}, &Refused{Problems: p.problems}
	}
	reason := "填报 (save a draft)"
	if submit {
		reason = "报送 (submit for review)"
	}
	a := sub.Actor(reason)
	a.IP = ip
	var saved []indicator.Value
	err = s.DB.Write(ctx, a, func(tx *storage.Tx) error {
		for _, v := range p.values {
			if err := tx.PutValue(ctx, v); err != nil {
				return err
			}
		}
		var err error
		saved, err = s.recompute(ctx, tx, ctx2, p.values)
		return err
	})
	if err != nil {
		return Saved{}, err
	}
	return Saved{Values: append(p.values, saved...), Warnings: p.warnings}, nil
}

// plan checks every entry and works out the values to write; it reads but
// writes nothing.
func (s *Service) plan(ctx context.Context, c *checkContext, sub auth.Subject, entries []Entry, submit bool) plan {
	p := s.newPlanner(c, sub, entries, submit, len(entries))
	all := make([]int, len(entries))
	for i := range all {
		all[i] = i
	}
	p.check(ctx, all)
	p.sortProblems()
	return p.plan
}

// planner checks entries in parts, each part at once — all the entries of
// a save, or those of one place and period of an import — and collects
// what they would write. Duplicates are found across parts.
type planner struct {
	s       *Service
	c       *checkContext
	sub     auth.Subject
	submit  bool
	now     timeT
	entries []Entry
	seen    map[indicator.Key]int // entry of each figure checked so far
	plan
	entryOf   []int // the entry of each of plan.values
	warnEntry []int // the entry of each of plan.warnings
}

// newPlanner returns a planner for entries, with room for size figures at
// a time (all of them, or a part's).
func (s *Service) newPlanner(c *checkContext, sub auth.Subject, entries []Entry, submit bool, size int) *planner {
	return &planner{s: s, c: c, sub: sub, submit: submit, now: s.Now(), entries: entries,
		seen: make(map[indicator.Key]int, size), plan: plan{values: make([]indicator.Value, 0, size)},
		entryOf: make([]int, 0, size)}
}

func (p *planner) bad(i int, err error) {
	p.problems = append(p.problems, Problem{Index: i, ZH: apperr.Message(err, "zh"), EN: apperr.Message(err, "en")})
}

// check checks the entries at idx and adds their figures, warnings and
// problems to the plan.
func (p *planner) check(ctx context.Context, idx []int) {
	first := len(p.values)
	for _, i := range idx {
		v, err := p.s.valueOf(ctx, p.c, p.sub, p.entries[i], p.submit, p.now)
		if err != nil {
			p.bad(i, err)
			continue
		}
		if j, dup := p.seen[v.Key()]; dup {
			p.bad(i, apperr.Invalidf("%s 与第 %d 条重复", "%s repeats entry %d", v.Key().String(), j+1))
			continue
		}
		p.seen[v.Key()] = i
		p.values = append(p.values, v)
		p.entryOf = append(p.entryOf, i)
	}
	// The rules run on the entries that passed, so that one save reports
	// every problem at once.
	byPlace := map[placePeriod][]int{} // figures per place and period
	var order []placePeriod
	for j := first; j < len(p.values); j++ {
		pp := placePeriod{p.values[j].OrgUnitCode, p.values[j].Period}
		if byPlace[pp] == nil {
			order = append(order, pp)
		}
		byPlace[pp] = append(byPlace[pp], j)
	}
	for _, pp := range order {
		p.checkRules(ctx, pp, byPlace[pp])
	}
}

// checkRules runs the validation rules of one place and period over what
// is stored there and the figures at idx.
func (p *planner) checkRules(ctx context.Context, pp placePeriod, idx []int) {
	env, err := p.c.env(ctx, pp, p.values, idx)
	if err != nil {
		p.bad(-1, err)
		return
	}
	changed := make([]string, 0, len(idx))
	for _, j := range idx {
		changed = append(changed, p.values[j].IndicatorCode)
	}
	for _, viol := range p.c.rules.Check(env, pp.org, pp.period, changed) {
		for _, code := range viol.Indicators {
			i, mine := p.seen[indicator.Key{Indicator: code, OrgUnit: pp.org, Period: pp.period}]
			if !mine {
				continue
			}
			f := Flagged{Key: indicator.Key{Indicator: code, OrgUnit: pp.org, Period: pp.period}, Violation: viol}
			switch {
			case viol.Severity == rules.SeverityError:
				p.problems = append(p.problems, Problem{Index: i, ZH: viol.MessageZH, EN: viol.MessageEN})
			case p.submit && strings.TrimSpace(p.entries[i].Explanation) == "":
				p.problems = append(p.problems, Problem{Index: i,
					ZH: viol.MessageZH + "；报送前请填写说明", EN: viol.MessageEN + "; explain it to submit"})
			default:
				p.warnings = append(p.warnings, f)
				p.warnEntry = append(p.warnEntry, i)
			}
			break
		}
	}
}

// forgetPart drops the figures of the parts checked so far, once the
// caller has taken them: an import of a million figures in parts keeps one
// part in memory, not all. Duplicates are only ever within a part (a
// part is one org unit and period), so the keys seen go too.
func (p *planner) forgetPart() {
	p.values, p.entryOf = p.values[:0], p.entryOf[:0]
	clear(p.seen)
}

// sortProblems puts the problems in the order of the entries.
func (p *planner) sortProblems() {
	slices.SortStableFunc(p.problems, func(a, b Problem) int { return a.Index - b.Index })
}

type placePeriod struct {
	org    string
	period period.Period
}

// valueOf turns one entry into the value to store, or says why it cannot
// be stored.
func (s *Service) valueOf(ctx context.Context, c *checkContext, sub auth.Subject, e Entry, submit bool, now timeT) (indicator.Value, error) {
	p, err := period.Parse(strings.TrimSpace(e.Period))
	if err != nil {
		return indicator.Value{}, err
	}
	ind, ok := c.indicators[e.Indicator]
	if !ok {
		return indicator.Value{}, apperr.NotFoundf("指标 %s 不存在", "indicator %s does not exist", e.Indicator)
	}
	name := ind.Current().NameZH
	if !sub.CanWriteFor(auth.WriteValues, ind.OwnerDept) {
		return indicator.Value{}, apperr.New(apperr.Forbidden, "无权填报指标「"+name+"」：它属于其他部门", "you may not report "+ind.Code+": it belongs to another department")
	}
	if ind.Current().Formula != "" {
		return indicator.Value{}, apperr.New(apperr.Invalid, "「"+name+"」由公式计算，不能填报", ind.Code+" is computed by a formula and cannot be entered")
	}
	if !c.orgUnits[e.OrgUnit] {
		return indicator.Value{}, apperr.NotFoundf("组织 %s 不存在", "org unit %s does not exist", e.OrgUnit)
	}
	r, err := c.round(ctx, p)
	if err != nil {
		return indicator.Value{}, err
	}
	if !r.Open() {
		return indicator.Value{}, apperr.Invalidf("%s 的填报已结束", "reporting for %s is closed", p.String())
	}
	if !c.inRound[p][ind.Code] {
		return indicator.Value{}, apperr.Invalidf("「%s」不在 %s 的填报范围内", "%s is not reported in %s", name, p.String())
	}
	if err := indicator.CheckNumber(name, e.Number); err != nil {
		return indicator.Value{}, err
	}
	old, exists, err := c.existing(ctx, indicator.Key{Indicator: ind.Code, OrgUnit: e.OrgUnit, Period: p})
	if err != nil {
		return indicator.Value{}, err
	}
	if exists && (old.Status == indicator.Approved || old.Status == indicator.Published) {
		return indicator.Value{}, apperr.Conflictf("「%s」%s 的数据已审核，已锁定；如需更正，请规划部门重新打开",
			"%s for %s is approved and locked; the planning office must reopen it to correct it", name, p.String())
	}
	if exists && old.Status == indicator.Submitted && old.Number != e.Number && strings.TrimSpace(e.Reason) == "" {
		return indicator.Value{}, apperr.New(apperr.Invalid, "「"+name+"」已报送，修改需要填写原因", ind.Code+" was submitted; changing it needs a reason")
	}
	status := indicator.Draft
	switch e.Status {
	case "", indicator.Draft:
	case indicator.Submitted:
		status = indicator.Submitted
	default:
		return indicator.Value{}, apperr.New(apperr.Forbidden, "填报时状态只能是 draft（填报）或 submitted（报送）；审核与公开另有步骤",
			"a value can only be entered as draft or submitted; approval and publication are separate steps")
	}
	if submit {
		status = indicator.Submitted
	}
	v := indicator.Value{IndicatorCode: ind.Code, OrgUnitCode: e.OrgUnit, Period: p, Number: e.Number, Qualifier: e.Qualifier,
		Status: status, EnteredBy: sub.Name, EnteredAt: now, Source: e.Source, Quote: e.Quote, Note: e.Note,
		Explanation: strings.TrimSpace(e.Explanation)}
	if exists {
		// A figure that was returned keeps the comment until it is sent again.
		v.ReviewComment = old.ReviewComment
	}
	if status == indicator.Submitted {
		v.SubmittedBy, v.SubmittedAt, v.ReviewComment = sub.Name, now, ""
	}
	return v, v.Validate()
}
