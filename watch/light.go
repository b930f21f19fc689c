package watch

import (
	"slices"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/project"
)

// Color is a project's light for a week.
type Color string

const (
	Unlit  Color = "unlit" // completed or operating projects are not watched
	Green  Color = "green"
	Yellow Color = "yellow"
	Red    Color = "red"
)

// LabelZH returns the Chinese label.
func (c Color) LabelZH() string {
	return map[Color]string{Unlit: "不亮灯", Green: "绿灯", Yellow: "黄灯", Red: "红灯"}[c]
}

// LabelEN returns the English label.
func (c Color) LabelEN() string {
	return map[Color]string{Unlit: "no light", Green: "green", Yellow: "yellow", Red: "red"}[c]
}

// severity orders colours so that the worst reason decides the light.
func (c Color) severity() int {
	return map[Color]int{Unlit: 0, Green: 1, Yellow: 2, Red: 3}[c]
}

// WeekInput is what is known about a project when its light for a week is
// computed.
type WeekInput struct {
	Week  period.Period // the week the light is for
	At    time.Time     // when it is computed
	Stage project.Stage
	// Plan is the investment plan of the year of At; a zero Annual means
	// there is none and investment does not count.
	Plan       InvestmentPlan
	Invested   float64 // 万元 done in the plan's year up to At
	Milestones []Milestone
	Reports    []WeeklyReport
	// ReportsFrom is the first week a report was owed, e.g. the week the
	// project joined the key list; the zero Period means every week.
	ReportsFrom period.Period
}

// Validate checks the input's figures and dates.
func (in WeekInput) Validate() error {
	if in.Week.Kind != period.Week {
		return apperr.Invalidf("亮灯须按周计算，%q 不是周", "lights are computed per week; %q is not a week", in.Week.String())
	}
	if in.At.IsZero() {
		return apperr.Invalidf("缺少计算时间", "the evaluation time is missing")
	}
	if in.Stage.LabelZH() == "" {
		return apperr.Invalidf("项目阶段 %q 无效", "project stage %q is invalid", string(in.Stage))
	}
	if in.Plan != (InvestmentPlan{}) {
		if err := in.Plan.Validate(); err != nil {
			return err
		}
	}
	if err := indicator.CheckNumber("累计完成投资 investment done", in.Invested); err != nil {
		return err
	}
	if in.Invested < 0 {
		return apperr.Invalidf("累计完成投资不能为负数", "investment done cannot be negative")
	}
	for _, m := range in.Milestones {
		if err := m.Validate(); err != nil {
			return err
		}
	}
	for _, r := range in.Reports {
		if r.Week.Kind != period.Week {
			return apperr.Invalidf("周报的期 %q 不是周", "weekly report period %q is not a week", r.Week.String())
		}
	}
	return nil
}

// Light is a project's light for a week with the facts that decided it,
// kept so that history can show why.
type Light struct {
	Week    period.Period
	At      time.Time
	Color   Color
	Reasons []Reason // worst first
}

// Evaluate computes the light for in.Week as it stands at in.At. Both
// arguments should have passed Validate. Every rule reports a fact, the
// good ones too, and the light is the worst colour among them; completed
// and operating projects are Unlit.
func Evaluate(in WeekInput, rules Rules) Light {
	l := Light{Week: in.Week, At: in.At}
	if in.Stage == project.Completed || in.Stage == project.Operating {
		l.Color = Unlit
		l.Reasons = []Reason{notLit(in.Stage)}
		return l
	}
	l.Reasons = append(l.Reasons, investmentReason(in, rules))
	l.Reasons = append(l.Reasons, milestoneReasons(in, rules)...)
	l.Reasons = append(l.Reasons, reportReason(in, rules))
	slices.SortStableFunc(l.Reasons, func(a, b Reason) int { return b.Color.severity() - a.Color.severity() })
	l.Color = l.Reasons[0].Color
	return l
}
