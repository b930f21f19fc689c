package watch

import (
	"math"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/calendar"
	"github.com/lantu/lantu/indicator"
)

// Rules are the thresholds that turn a project's week into a light. The
// boundaries are:
//
//   - investment: behind = 序时进度 − 完成率, in percentage points, each
//     rounded to one decimal as shown. Green below YellowBehind; yellow from
//     YellowBehind up to and including RedBehind; red above RedBehind.
//   - milestones: green if not late; yellow if 1 to MilestoneDays calendar
//     days late (both included); red if more.
//   - weekly reports: in the last ReportWindow weeks (the evaluated week
//     included), green if none is missing; yellow if at least one is; red
//     if RedMissing or more are.
//
// The light is the worst colour any rule gives.
type Rules struct {
	YellowBehind  float64 // points; default 10
	RedBehind     float64 // points; default 30
	MilestoneDays int     // N; default 15
	ReportWindow  int     // weeks; default 4
	RedMissing    int     // missing reports for red; default 2
	// LadderWeeks is k: a red project climbs the coordination ladder one
	// level per k consecutive red weeks. Default 2.
	LadderWeeks int
	Due         DueRule
	Calendar    *calendar.Calendar // counts the weekly reports' due days
}

// DefaultRules returns the rules of common practice on the calendar cal:
// yellow from 10 points behind 序时进度, red above 30; a milestone late up
// to 15 days yellow, more red; one report missing in 4 weeks yellow, two
// red; reports due Friday 17:00; one ladder level per 2 red weeks.
func DefaultRules(cal *calendar.Calendar) Rules {
	return Rules{
		YellowBehind:  10,
		RedBehind:     30,
		MilestoneDays: 15,
		ReportWindow:  4,
		RedMissing:    2,
		LadderWeeks:   2,
		Due:           DefaultDueRule(),
		Calendar:      cal,
	}
}

// Validate checks that the thresholds are in order.
func (r Rules) Validate() error {
	for _, v := range []float64{r.YellowBehind, r.RedBehind} {
		if err := indicator.CheckNumber("亮灯阈值 light threshold", v); err != nil {
			return err
		}
	}
	if r.YellowBehind <= 0 || r.RedBehind < r.YellowBehind {
		return apperr.Invalidf("投资进度阈值无效：黄灯 %.1f、红灯 %.1f 个百分点，应满足 0 < 黄灯 ≤ 红灯",
			"investment thresholds are invalid: yellow %.1f, red %.1f points; want 0 < yellow ≤ red", r.YellowBehind, r.RedBehind)
	}
	if r.MilestoneDays < 0 {
		return apperr.Invalidf("节点逾期天数阈值不能为负数", "the milestone threshold cannot be negative")
	}
	if r.ReportWindow < 1 || r.RedMissing < 1 {
		return apperr.Invalidf("周报统计周数和红灯未报次数至少为 1", "the report window and the missing reports for red must be at least 1")
	}
	if r.LadderWeeks < 1 {
		return apperr.Invalidf("升级周数至少为 1", "the weeks per ladder level must be at least 1")
	}
	if r.Calendar == nil {
		return apperr.Invalidf("缺少工作日历", "the rules need a working-day calendar")
	}
	return r.Due.Validate()
}

// tenths converts a figure shown with one decimal to whole tenths, so that
// comparisons and sums are exact in the decimal the user sees.
func tenths(x float64) int64 { return int64(math.Round(x * 10)) }
