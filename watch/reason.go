package watch

import (
	"fmt"
	"strings"
	"time"

	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/project"
)

// ReasonCode names the fact a reason states.
type ReasonCode string

const (
	InvestmentOnPlan ReasonCode = "investment_on_plan"
	InvestmentBehind ReasonCode = "investment_behind"
	NoInvestmentPlan ReasonCode = "no_investment_plan"
	MilestoneLate    ReasonCode = "milestone_late"
	MilestonesOnPlan ReasonCode = "milestones_on_plan"
	ReportsMissing   ReasonCode = "reports_missing"
	ReportsFiled     ReasonCode = "reports_filed"
	NotLit           ReasonCode = "not_lit"
)

// Reason is one fact behind a light: what was measured, the colour it
// calls for on its own, and a sentence in Chinese and English. Only the
// fields of its Code are set.
type Reason struct {
	Code  ReasonCode
	Color Color

	// Investment, in percent of the annual plan, one decimal.
	Expected float64 `json:",omitzero"` // 序时进度
	Actual   float64 `json:",omitzero"` // 投资完成率
	Behind   float64 `json:",omitzero"` // Expected − Actual; negative when ahead

	// Milestones.
	Milestone string    `json:",omitzero"`
	Planned   time.Time `json:",omitzero"`
	Reached   time.Time `json:",omitzero"` // zero if not reached by then
	DaysLate  int       `json:",omitzero"`

	// Weekly reports in the window.
	Window  int             `json:",omitzero"` // weeks
	Missing []period.Period `json:",omitzero"`
	Late    []period.Period `json:",omitzero"`

	Stage project.Stage `json:",omitzero"`

	ZH string
	EN string
}

func investmentReason(in WeekInput, rules Rules) Reason {
	if in.Plan.Annual <= 0 {
		return Reason{Code: NoInvestmentPlan, Color: Green,
			ZH: "未设年度投资计划，不评投资进度", EN: "no annual investment plan; investment not assessed"}
	}
	// Compare the figures as shown, in tenths, so that what a reader sees
	// ("落后 30.0 个百分点") is what decided the colour.
	expected := tenths(ExpectedProgress(in.Plan, in.At))
	actual := tenths(100 * in.Invested / in.Plan.Annual)
	behind := expected - actual
	r := Reason{Code: InvestmentBehind, Expected: float64(expected) / 10, Actual: float64(actual) / 10, Behind: float64(behind) / 10}
	zh := fmt.Sprintf("投资完成率 %s%%，序时进度 %s%%", decimal(actual), decimal(expected))
	en := fmt.Sprintf("investment %s%% of the annual plan against %s%% expected by now (序时进度)", decimal(actual), decimal(expected))
	switch {
	case behind > tenths(rules.RedBehind):
		r.Color = Red
	case behind >= tenths(rules.YellowBehind):
		r.Color = Yellow
	case behind > 0:
		r.Code, r.Color = InvestmentOnPlan, Green
		r.ZH = fmt.Sprintf("%s，落后 %s 个百分点，基本按序时进度推进", zh, decimal(behind))
		r.EN = fmt.Sprintf("%s, %s points behind, within tolerance", en, decimal(behind))
		return r
	default:
		r.Code, r.Color = InvestmentOnPlan, Green
		r.ZH, r.EN = zh+"，按序时进度推进", en+", on schedule"
		return r
	}
	r.ZH = fmt.Sprintf("%s，落后 %s 个百分点", zh, decimal(behind))
	r.EN = fmt.Sprintf("%s, %s points behind", en, decimal(behind))
	return r
}

func milestoneReasons(in WeekInput, rules Rules) []Reason {
	var late []Reason
	for _, m := range in.Milestones {
		days := m.DaysLate(in.At)
		if days == 0 {
			continue
		}
		r := Reason{Code: MilestoneLate, Color: Yellow, Milestone: m.Name, Planned: civil(m.Planned), DaysLate: days}
		if days > rules.MilestoneDays {
			r.Color = Red
		}
		planned := r.Planned.Format(time.DateOnly)
		if m.reachedBy(in.At) {
			r.Reached = civil(*m.Actual)
			reached := r.Reached.Format(time.DateOnly)
			r.ZH = fmt.Sprintf("节点「%s」计划 %s，%s 完成，逾期 %d 天", m.Name, planned, reached, days)
			r.EN = fmt.Sprintf("milestone %s planned for %s was reached on %s, %d days late", m.Name, planned, reached, days)
		} else {
			r.ZH = fmt.Sprintf("节点「%s」计划 %s，已逾期 %d 天", m.Name, planned, days)
			r.EN = fmt.Sprintf("milestone %s planned for %s is %d days overdue", m.Name, planned, days)
		}
		late = append(late, r)
	}
	if len(late) > 0 || len(in.Milestones) == 0 {
		return late
	}
	n := len(in.Milestones)
	return []Reason{{Code: MilestonesOnPlan, Color: Green,
		ZH: fmt.Sprintf("%d 个节点均未逾期", n), EN: fmt.Sprintf("none of %d milestones is late", n)}}
}

func reportReason(in WeekInput, rules Rules) Reason {
	filed := map[period.Period]time.Time{}
	for _, r := range in.Reports {
		// A week filed twice counts from its first filing.
		if f, ok := filed[r.Week]; !r.Filed.IsZero() && (!ok || r.Filed.Before(f)) {
			filed[r.Week] = r.Filed
		}
	}
	r := Reason{Code: ReportsFiled, Color: Green, Window: rules.ReportWindow}
	w := in.Week
	for range rules.ReportWindow - 1 {
		w = w.Prev()
	}
	for ; w.Compare(in.Week) <= 0; w = w.Next() {
		if !in.ReportsFrom.IsZero() && w.Compare(in.ReportsFrom) < 0 {
			continue
		}
		switch ReportStateAt(WeeklyDue(w, rules.Due, rules.Calendar), filed[w], in.At) {
		case ReportMissing:
			r.Missing = append(r.Missing, w)
		case ReportLate:
			r.Late = append(r.Late, w)
		}
	}
	switch n := len(r.Missing); {
	case n == 0:
		r.ZH = fmt.Sprintf("近 %d 周无未报周报", rules.ReportWindow)
		r.EN = fmt.Sprintf("no weekly report missing in the last %d weeks", rules.ReportWindow)
	case n == 1:
		r.Code, r.Color = ReportsMissing, Yellow
		r.ZH = weeksZH(in.Week, r.Missing) + "周报未报"
		r.EN = "weekly report for " + weeksEN(r.Missing) + " not filed"
	default:
		r.Code, r.Color = ReportsMissing, Yellow
		r.ZH = fmt.Sprintf("%s周报未报（近 %d 周共 %d 次）", weeksZH(in.Week, r.Missing), rules.ReportWindow, n)
		r.EN = fmt.Sprintf("weekly reports for %s not filed (%d in the last %d weeks)", weeksEN(r.Missing), n, rules.ReportWindow)
	}
	if len(r.Missing) >= rules.RedMissing {
		r.Color = Red
	}
	if len(r.Late) > 0 {
		r.ZH += "；" + weeksZH(in.Week, r.Late) + "周报迟报"
		r.EN += "; filed late: " + weeksEN(r.Late)
	}
	return r
}

func notLit(s project.Stage) Reason {
	return Reason{Code: NotLit, Color: Unlit, Stage: s,
		ZH: "项目已" + s.LabelZH() + "，不再亮灯", EN: "the project is " + s.LabelEN() + "; no light"}
}

// weeksZH names weeks as 第18周, with the year when it is not that of the
// evaluated week (第17周、2024年第52周).
func weeksZH(current period.Period, weeks []period.Period) string {
	names := make([]string, len(weeks))
	for i, w := range weeks {
		names[i] = fmt.Sprintf("第%d周", w.N)
		if w.Year != current.Year {
			names[i] = fmt.Sprintf("%d年第%d周", w.Year, w.N)
		}
	}
	return strings.Join(names, "、")
}

func weeksEN(weeks []period.Period) string {
	names := make([]string, len(weeks))
	for i, w := range weeks {
		names[i] = w.String()
	}
	return strings.Join(names, ", ")
}

// decimal writes a number of tenths with one decimal.
func decimal(t int64) string { return fmt.Sprintf("%.1f", float64(t)/10) }
