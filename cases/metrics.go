package cases

import (
	"strconv"
	"time"

	"github.com/lantu/lantu/calendar"
)

// Period selects the cases a metric counts, those registered in
// [From, To), as they stood at AsOf (To when zero): anything done at or
// after AsOf is not counted, so a year's figures read the same whenever
// they are computed. For a period still running, pass AsOf = now.
type Period struct {
	From, To time.Time
	AsOf     time.Time
}

func (p Period) asOf() time.Time {
	if p.AsOf.IsZero() {
		return p.To
	}
	return p.AsOf
}

// Metric is a figure over cases with its formula and both of its terms,
// so that a page can show how it was reached and list the cases behind
// each. Case numbers are listed once per item counted: a case assigned
// twice appears twice among a per-assignment metric's items.
type Metric struct {
	Code             string
	NameZH, NameEN   string
	FormulaZH        string
	FormulaEN        string
	Percent          bool // a rate, shown as a percentage; else a mean
	Numerator        int
	Denominator      int
	NumeratorCases   []string
	DenominatorCases []string
}

// Defined reports whether there is anything to divide by. A metric with
// no denominator has no value: a page shows "—", never 0% or 100%.
func (m Metric) Defined() bool { return m.Denominator > 0 }

// Value is Numerator / Denominator (a fraction for a rate), 0 when not
// Defined.
func (m Metric) Value() float64 {
	if !m.Defined() {
		return 0
	}
	return float64(m.Numerator) / float64(m.Denominator)
}

// Format is the value as pages and files show it: a rate as a percentage
// with one decimal ("75.0%"), a mean with one decimal, "—" when not
// Defined.
func (m Metric) Format() string {
	switch {
	case !m.Defined():
		return "—"
	case m.Percent:
		return strconv.FormatFloat(m.Value()*100, 'f', 1, 64) + "%"
	}
	return strconv.FormatFloat(m.Value(), 'f', 1, 64)
}

// count adds one item to the denominator and, if in, to the numerator.
func (m *Metric) count(number string, in bool) {
	m.Denominator++
	m.DenominatorCases = append(m.DenominatorCases, number)
	if in {
		m.Numerator++
		m.NumeratorCases = append(m.NumeratorCases, number)
	}
}

// Metrics computes every metric over the cases of the period.
func Metrics(cases []Case, p Period, cal *calendar.Calendar) []Metric {
	return []Metric{
		SignedOnTimeRate(cases, p), OnTimeRate(cases, p, cal), CompletionRate(cases, p),
		RatingRate(cases, p), SatisfiedRate(cases, p), BasicallySatisfiedRate(cases, p),
		SolvedRate(cases, p), RedoRate(cases, p), ReturnRate(cases, p), AverageWorkingDays(cases, p),
	}
}

// population is the period's cases as they stood at AsOf.
func (p Period) population(cases []Case) []Case {
	asOf := p.asOf()
	var in []Case
	for _, c := range cases {
		if !c.ReceivedAt.Before(p.From) && c.ReceivedAt.Before(p.To) && c.ReceivedAt.Before(asOf) {
			in = append(in, c.until(asOf))
		}
	}
	return in
}

// SignedOnTimeRate is 及时签收率, per assignment.
func SignedOnTimeRate(cases []Case, p Period) Metric {
	m := Metric{Code: "signed_on_time_rate", NameZH: "及时签收率", NameEN: "signed on time", Percent: true,
		FormulaZH: "在退回时限内签收的交办次数 ÷ 应签收的交办次数（已签收的，加上时限已过仍未签收的；已退回的不计）",
		FormulaEN: "assignments signed within the return window ÷ assignments due to be signed (signed, or unsigned past the window; returned ones left out)"}
	asOf := p.asOf()
	for _, c := range p.population(cases) {
		for _, a := range c.Assignments {
			switch {
			case !a.ReturnedAt.IsZero():
			case !a.SignedAt.IsZero():
				m.count(c.Number, a.SignBy.IsZero() || onOrBefore(a.SignedAt, a.SignBy))
			case !a.SignBy.IsZero() && !onOrBefore(asOf, a.SignBy):
				m.count(c.Number, false)
			}
		}
	}
	return m
}

// ReturnRate is 退单率, per assignment.
func ReturnRate(cases []Case, p Period) Metric {
	m := Metric{Code: "return_rate", NameZH: "退单率", NameEN: "returned", Percent: true,
		FormulaZH: "被退回的交办次数 ÷ 交办次数",
		FormulaEN: "assignments returned ÷ assignments"}
	for _, c := range p.population(cases) {
		for _, a := range c.Assignments {
			m.count(c.Number, !a.ReturnedAt.IsZero())
		}
	}
	return m
}

// OnTimeRate is 按时办结率: the first answer against the first clock.
func OnTimeRate(cases []Case, p Period, cal *calendar.Calendar) Metric {
	m := Metric{Code: "on_time_rate", NameZH: "按时办结率", NameEN: "answered on time", Percent: true,
		FormulaZH: "首次答复未超过期限的件数 ÷ 应办结件数（已首次答复的、视为准予的，加上期限已过仍未答复的；不予受理的不计）",
		FormulaEN: "cases first answered by the deadline ÷ cases due (first answered, deemed approved, or unanswered past the deadline; cases not accepted left out)"}
	asOf := p.asOf()
	for _, c := range p.population(cases) {
		first, answered := c.answer(1)
		switch {
		case !c.RejectedAt.IsZero():
		case answered:
			m.count(c.Number, first.OnTime)
		case !c.DeemedApprovedAt.IsZero():
			m.count(c.Number, false)
		case c.firstClock(asOf, cal).Overdue(asOf):
			m.count(c.Number, false)
		}
	}
	return m
}

// CompletionRate is 办结率: answered in the current round, or deemed
// approved.
func CompletionRate(cases []Case, p Period) Metric {
	m := Metric{Code: "completion_rate", NameZH: "办结率", NameEN: "completed", Percent: true,
		FormulaZH: "已办结件数（已答复且不在重办中的，或视为准予的） ÷ 登记件数（不予受理的不计）",
		FormulaEN: "cases completed (answered and not being reworked, or deemed approved) ÷ cases registered (cases not accepted left out)"}
	for _, c := range p.population(cases) {
		if c.RejectedAt.IsZero() {
			_, answered := c.answer(c.Round())
			m.count(c.Number, answered || !c.DeemedApprovedAt.IsZero())
		}
	}
	return m
}

// RatingRate is 参评率, over the types that ask for a rating.
func RatingRate(cases []Case, p Period) Metric {
	m := Metric{Code: "rating_rate", NameZH: "参评率", NameEN: "rated", Percent: true,
		FormulaZH: "已评价件数 ÷ 已答复件数（只计设评价环节的事项类型）",
		FormulaEN: "cases rated ÷ cases answered (types that ask for a rating only)"}
	for _, c := range p.population(cases) {
		if c.Type.Uses(Rate) && len(c.Answers) > 0 {
			_, rated := c.lastRating()
			m.count(c.Number, rated)
		}
	}
	return m
}

// SatisfiedRate is 满意率; BasicallySatisfiedRate gives 基本满意 apart.
func SatisfiedRate(cases []Case, p Period) Metric {
	return ratingShare(cases, p, Satisfied, Metric{Code: "satisfied_rate", NameZH: "满意率", NameEN: "satisfied", Percent: true,
		FormulaZH: "最近一次评价为满意的件数 ÷ 已评价件数（基本满意另计）",
		FormulaEN: "cases whose latest rating is satisfied ÷ cases rated (basically satisfied counted apart)"})
}

// BasicallySatisfiedRate is 基本满意率.
func BasicallySatisfiedRate(cases []Case, p Period) Metric {
	return ratingShare(cases, p, BasicallySatisfied, Metric{Code: "basically_satisfied_rate", NameZH: "基本满意率", NameEN: "basically satisfied", Percent: true,
		FormulaZH: "最近一次评价为基本满意的件数 ÷ 已评价件数",
		FormulaEN: "cases whose latest rating is basically satisfied ÷ cases rated"})
}

func ratingShare(cases []Case, p Period, r Rating, m Metric) Metric {
	for _, c := range p.population(cases) {
		if latest, rated := c.lastRating(); rated {
			m.count(c.Number, latest == r)
		}
	}
	return m
}

// lastRating is the rating of the latest rated answer.
func (c Case) lastRating() (Rating, bool) {
	for i := len(c.Answers) - 1; i >= 0; i-- {
		if c.Answers[i].Rating != "" {
			return c.Answers[i].Rating, true
		}
	}
	return "", false
}

// SolvedRate is 办成率: the share of the solved class (a suggestion's A).
func SolvedRate(cases []Case, p Period) Metric {
	m := Metric{Code: "solved_rate", NameZH: "办成率（A类占比）", NameEN: "solved (A-class share)", Percent: true,
		FormulaZH: "最近一次答复为已解决类（如A类）的件数 ÷ 有办理结果类别的已答复件数",
		FormulaEN: "cases whose latest answer is of the solved class (e.g. A) ÷ answered cases with a result class"}
	for _, c := range p.population(cases) {
		last, ok := c.LastAnswer()
		if !ok || last.Result == "" {
			continue
		}
		r, _ := c.Type.Result(last.Result)
		m.count(c.Number, r.Solved)
	}
	return m
}

// RedoRate is 重办率.
func RedoRate(cases []Case, p Period) Metric {
	m := Metric{Code: "redo_rate", NameZH: "重办率", NameEN: "reworked", Percent: true,
		FormulaZH: "重办过的件数 ÷ 已答复件数",
		FormulaEN: "cases reopened for rework ÷ cases answered"}
	for _, c := range p.population(cases) {
		if len(c.Answers) > 0 {
			m.count(c.Number, len(c.Reopenings) > 0)
		}
	}
	return m
}

// AverageWorkingDays is 平均办理工作日: a mean, not a rate; the
// numerator is the sum of working days.
func AverageWorkingDays(cases []Case, p Period) Metric {
	m := Metric{Code: "average_working_days", NameZH: "平均办理用时（工作日）", NameEN: "average working days",
		FormulaZH: "首次答复用时之和（自起算日至答复或决定，暂停计时的工作日不计） ÷ 首次答复件数",
		FormulaEN: "sum of working days to the first answer (from the clock's start to the answer or decision, paused days left out) ÷ cases first answered"}
	for _, c := range p.population(cases) {
		if first, ok := c.answer(1); ok {
			m.Denominator++
			m.Numerator += first.WorkingDays
			m.DenominatorCases = append(m.DenominatorCases, c.Number)
			m.NumeratorCases = append(m.NumeratorCases, c.Number)
		}
	}
	return m
}

// until is the case as it stood just before t: every fact dated t or
// later is dropped. The State is left as it is; metrics read facts only.
func (c Case) until(t time.Time) Case {
	n := c.clone()
	cut := func(x *time.Time) {
		if !x.Before(t) {
			*x = time.Time{}
		}
	}
	cut(&n.AcceptedAt)
	cut(&n.RejectedAt)
	cut(&n.ClosedAt)
	cut(&n.DeemedApprovedAt)
	n.Assignments = keep(n.Assignments, func(a *Assignment) bool {
		cut(&a.SignedAt)
		cut(&a.ReturnedAt)
		for i := range a.CoHandlers {
			cut(&a.CoHandlers[i].OpinionAt)
		}
		return a.AssignedAt.Before(t)
	})
	n.Pauses = keep(n.Pauses, func(p *Pause) bool { cut(&p.End); return p.Start.Before(t) })
	n.Extensions = keep(n.Extensions, func(x *Extension) bool { return x.DecidedAt.Before(t) })
	n.Answers = keep(n.Answers, func(a *Answer) bool {
		if !a.RatedAt.Before(t) {
			a.Rating, a.RatedAt = "", time.Time{}
		}
		if !a.AnsweredAt.Before(t) && a.DraftedAt.Before(t) {
			// Sent later, it was a draft then: a licence decided before
			// t has its clocks stopped at the decision.
			n.Draft = &Draft{Text: a.Text, Result: a.Result, DraftedAt: a.DraftedAt, ApprovedBy: a.ApprovedBy, ApprovedAt: a.ApprovedAt}
		}
		return a.AnsweredAt.Before(t)
	})
	n.Reopenings = keep(n.Reopenings, func(r *time.Time) bool { return r.Before(t) })
	if n.Draft != nil {
		if cut(&n.Draft.ApprovedAt); !n.Draft.DraftedAt.Before(t) {
			n.Draft = nil
		}
	}
	n.PendingExtension = nil
	return n
}

// keep keeps the elements for which f, which may change them, says so.
func keep[T any](s []T, f func(*T) bool) []T {
	var out []T
	for i := range s {
		if f(&s[i]) {
			out = append(out, s[i])
		}
	}
	return out
}
