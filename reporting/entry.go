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
	pl := plan{values: make([]indicator.Value, 0, len(entries))}
	bad := func(i int, err error) {
		pl.problems = append(pl.problems, Problem{Index: i, ZH: apperr.Message(err, "zh"), EN: apperr.Message(err, "en")})
	}
	now := s.Now()
	seen := make(map[indicator.Key]int, len(entries))
	byPlace := map[placePeriod][]int{} // entries per place and period, for the rules
	for i, e := range entries {
		v, err := s.valueOf(ctx, c, sub, e, submit, now)
		if err != nil {
			bad(i, err)
			continue
		}
		if j, dup := seen[v.Key()]; dup {
			bad(i, apperr.Invalidf("%s 与第 %d 条重复", "%s repeats entry %d", v.Key().String(), j+1))
			continue
		}
		seen[v.Key()] = i
		pl.values = append(pl.values, v)
		pp := placePeriod{v.OrgUnitCode, v.Period}
		byPlace[pp] = append(byPlace[pp], len(pl.values)-1)
	}
	// The rules run on the entries that passed, so that one save reports
	// every problem at once.
	for pp, idx := range byPlace {
		env, err := c.env(ctx, pp, pl.values, idx)
		if err != nil {
			bad(-1, err)
			continue
		}
		var changed []string
		for _, i := range idx {
			changed = append(changed, pl.values[i].IndicatorCode)
		}
		for _, viol := range c.rules.Check(env, pp.org, pp.period, changed) {
			for _, code := range viol.Indicators {
				i, mine := seen[indicator.Key{Indicator: code, OrgUnit: pp.org, Period: pp.period}]
				if !mine {
					continue
				}
				f := Flagged{Key: indicator.Key{Indicator: code, OrgUnit: pp.org, Period: pp.period}, Violation: viol}
				switch {
				case viol.Severity == rules.SeverityError:
					pl.problems = append(pl.problems, Problem{Index: i, ZH: viol.MessageZH, EN: viol.MessageEN})
				case submit && strings.TrimSpace(entries[i].Explanation) == "":
					pl.problems = append(pl.problems, Problem{Index: i,
						ZH: viol.MessageZH + "；报送前请填写说明", EN: viol.MessageEN + "; explain it to submit"})
				default:
					pl.warnings = append(pl.warnings, f)
				}
				break
			}
		}
	}
	slices.SortStableFunc(pl.problems, func(a, b Problem) int { return a.Index - b.Index })
	return pl
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
