package watch

import (
	"math"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/indicator"
)

// InvestmentPlan is a project's investment plan for one calendar year.
type InvestmentPlan struct {
	// Year is the calendar year the plan is for. It is part of the plan so
	// that January's figures are never measured against last year's plan.
	Year   int
	Annual float64 // 万元
	// Monthly is the amount planned for each month, January first, in 万元.
	// All zero means there is no monthly plan and the year runs linearly.
	Monthly [12]float64
}

// monthlyTolerance is how far, in 万元, the months may add up away from the
// annual figure: twelve amounts each rounded to 0.01 万元 can be off by
// 12 × 0.005.
const monthlyTolerance = 0.06

// Validate checks the figures and that the months add up to the year.
func (p InvestmentPlan) Validate() error {
	if p.Year < 1 || p.Year > 9999 {
		return apperr.Invalidf("投资计划的年度 %d 无效", "investment plan year %d is invalid", p.Year)
	}
	if err := indicator.CheckNumber("年度投资计划 annual investment plan", p.Annual); err != nil {
		return err
	}
	if p.Annual < 0 {
		return apperr.Invalidf("年度投资计划不能为负数", "the annual investment plan cannot be negative")
	}
	var sum float64
	for i, m := range p.Monthly {
		if err := indicator.CheckNumber("月度投资计划 monthly investment plan", m); err != nil {
			return err
		}
		if m < 0 {
			return apperr.Invalidf("%d 月投资计划不能为负数", "the investment plan for month %d cannot be negative", i+1)
		}
		sum += m
	}
	if p.hasMonthly() && math.Abs(sum-p.Annual) > monthlyTolerance {
		return apperr.Invalidf("月度投资计划合计 %.2f 万元，与年度计划 %.2f 万元不符",
			"the monthly plans add up to %.2f (10k yuan), not the annual plan of %.2f", sum, p.Annual)
	}
	return nil
}

func (p InvestmentPlan) hasMonthly() bool { return p.Monthly != [12]float64{} }

// ExpectedProgress is the plan's 序时进度 at the end of at's date (Beijing):
// the share of the year's investment, in percent (0–100), that the plan
// expects to be done by then. Within a month the month's amount accrues
// evenly by calendar day, the date itself counted, so the last day of a
// month completes it; without a monthly plan the year accrues evenly by
// day. Dates before the plan's year give 0 and after it 100.
func ExpectedProgress(p InvestmentPlan, at time.Time) float64 {
	d := beijingDate(at)
	switch {
	case d.Year() < p.Year:
		return 0
	case d.Year() > p.Year:
		return 100
	}
	if !p.hasMonthly() {
		return 100 * float64(d.YearDay()) / float64(daysIn(p.Year, 0))
	}
	// Divide by the months' own total rather than Annual, so that a plan
	// whose months were rounded still reaches exactly 100% on 31 December.
	var done, total float64
	for i, amount := range p.Monthly {
		total += amount
		switch month := time.Month(i + 1); {
		case month < d.Month():
			done += amount
		case month == d.Month():
			done += amount * float64(d.Day()) / float64(daysIn(p.Year, month))
		}
	}
	if total == 0 {
		return 0
	}
	return 100 * done / total
}

// daysIn returns the days in the month of year, or in the year if month
// is 0.
func daysIn(year int, month time.Month) int {
	if month == 0 {
		return time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC).YearDay()
	}
	return time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// Milestone is a dated step in a project's plan (节点), such as 主体封顶.
type Milestone struct {
	Name    string
	Planned time.Time  // a date
	Actual  *time.Time // a date; nil while not reached
}

// Validate checks that the milestone is named and dated.
func (m Milestone) Validate() error {
	if m.Name == "" {
		return apperr.Invalidf("节点名称不能为空", "a milestone needs a name")
	}
	if m.Planned.IsZero() {
		return apperr.Invalidf("节点「%s」缺少计划日期", "milestone %q has no planned date", m.Name)
	}
	if m.Actual != nil && m.Actual.IsZero() {
		return apperr.Invalidf("节点「%s」的实际日期无效", "milestone %q has an empty actual date", m.Name)
	}
	return nil
}

// DaysLate is how many calendar days the milestone is behind its plan on
// at's date (Beijing): a milestone reached is late by the days from its
// planned to its actual date; one not reached by then (including one
// reached only after at, when looking back at history) is late by the days
// from its planned date to at's. Zero means not late.
func (m Milestone) DaysLate(at time.Time) int {
	planned, today := civil(m.Planned), beijingDate(at)
	end := today
	if m.Actual != nil && !civil(*m.Actual).After(today) {
		end = civil(*m.Actual)
	}
	return max(0, daysBetween(planned, end))
}

// reachedBy reports whether the milestone had been reached on at's date.
func (m Milestone) reachedBy(at time.Time) bool {
	return m.Actual != nil && !civil(*m.Actual).After(beijingDate(at))
}
