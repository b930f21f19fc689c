package watch_test

import (
	"testing"
	"time"

	"github.com/lantu/lantu/calendar"
	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/project"
	"github.com/lantu/lantu/watch"
)

// greenWeek is a project on plan in 2024W26 (24–30 June), looked at on
// Sunday 30 June at noon, when the 100-a-month plan expects 600 of 1200,
// 50.0%. Its reports for 2024W23–W26, the four-week window, were filed on
// the Friday mornings before the 17:00 deadlines (7, 14, 21, 28 June, all
// worked). 2024W22 has no report and lies outside the window.
func greenWeek() watch.WeekInput {
	reports := []watch.WeeklyReport{}
	for i, day := range []int{7, 14, 21, 28} {
		reports = append(reports, watch.WeeklyReport{Week: period.Period{Kind: period.Week, Year: 2024, N: 23 + i}, Filed: bj(2024, 6, day, 10, 0)})
	}
	reached := date(2024, 2, 28)
	return watch.WeekInput{
		Week:     period.MustParse("2024W26"),
		At:       bj(2024, 6, 30, 12, 0),
		Stage:    project.Construction,
		Plan:     even(2024, 1200),
		Invested: 600,
		Milestones: []watch.Milestone{
			{Name: "开工", Planned: date(2024, 3, 1), Actual: &reached},
			{Name: "主体封顶", Planned: date(2024, 9, 30)},
		},
		Reports: reports,
	}
}

func dropReports(in *watch.WeekInput, weeks ...string) {
	var kept []watch.WeeklyReport
	for _, r := range in.Reports {
		drop := false
		for _, w := range weeks {
			drop = drop || r.Week == period.MustParse(w)
		}
		if !drop {
			kept = append(kept, r)
		}
	}
	in.Reports = kept
}

func lateMilestone(planned time.Time) func(*watch.WeekInput) {
	return func(in *watch.WeekInput) {
		in.Milestones[1] = watch.Milestone{Name: "主体封顶", Planned: planned}
	}
}

func TestEvaluate(t *testing.T) {
	rules := watch.DefaultRules(calendar.New(nil))
	wantInvalid(t, rules.Validate(), "")
	tests := []struct {
		name  string
		edit  func(*watch.WeekInput)
		color watch.Color
		code  watch.ReasonCode // the reason to look at
		zh    string           // its sentence
	}{
		{"OnPlan", func(*watch.WeekInput) {}, watch.Green,
			watch.InvestmentOnPlan, "投资完成率 50.0%，序时进度 50.0%，按序时进度推进"},
		// 700 / 1200 = 58.3%, ahead of 50.0%.
		{"Ahead", func(in *watch.WeekInput) { in.Invested = 700 }, watch.Green,
			watch.InvestmentOnPlan, "投资完成率 58.3%，序时进度 50.0%，按序时进度推进"},
		// Investment: yellow from 10.0 points behind (inclusive) to 30.0
		// (inclusive), red above 30.0, compared at one decimal.
		// 481.2 / 1200 = 40.1%; 50.0 − 40.1 = 9.9 points: still green.
		{"Behind9.9", func(in *watch.WeekInput) { in.Invested = 481.2 }, watch.Green,
			watch.InvestmentOnPlan, "投资完成率 40.1%，序时进度 50.0%，落后 9.9 个百分点，基本按序时进度推进"},
		// 480 / 1200 = 40.0%; 50.0 − 40.0 = 10.0 points: yellow.
		{"Behind10", func(in *watch.WeekInput) { in.Invested = 480 }, watch.Yellow,
			watch.InvestmentBehind, "投资完成率 40.0%，序时进度 50.0%，落后 10.0 个百分点"},
		// 480.48 / 1200 = 40.04%, shown 40.0%: 10.0 points as shown, yellow.
		{"Behind9.96ShownAs10", func(in *watch.WeekInput) { in.Invested = 480.48 }, watch.Yellow,
			watch.InvestmentBehind, "投资完成率 40.0%，序时进度 50.0%，落后 10.0 个百分点"},
		// 300 / 1200 = 25.0%; 25.0 points behind.
		{"Behind25", func(in *watch.WeekInput) { in.Invested = 300 }, watch.Yellow,
			watch.InvestmentBehind, "投资完成率 25.0%，序时进度 50.0%，落后 25.0 个百分点"},
		// 240 / 1200 = 20.0%; 30.0 points: still yellow.
		{"Behind30", func(in *watch.WeekInput) { in.Invested = 240 }, watch.Yellow,
			watch.InvestmentBehind, "投资完成率 20.0%，序时进度 50.0%，落后 30.0 个百分点"},
		// 238.8 / 1200 = 19.9%; 30.1 points: red.
		{"Behind30.1", func(in *watch.WeekInput) { in.Invested = 238.8 }, watch.Red,
			watch.InvestmentBehind, "投资完成率 19.9%，序时进度 50.0%，落后 30.1 个百分点"},
		{"NoPlan", func(in *watch.WeekInput) { in.Plan = watch.InvestmentPlan{} }, watch.Green,
			watch.NoInvestmentPlan, "未设年度投资计划，不评投资进度"},
		// Milestones: 1 to 15 days late yellow, 16 or more red.
		// 29 June → 30 June: 1 day.
		{"Milestone1Day", lateMilestone(date(2024, 6, 29)), watch.Yellow,
			watch.MilestoneLate, "节点「主体封顶」计划 2024-06-29，已逾期 1 天"},
		// 15 June → 30 June: 15 days, N: yellow.
		{"Milestone15Days", lateMilestone(date(2024, 6, 15)), watch.Yellow,
			watch.MilestoneLate, "节点「主体封顶」计划 2024-06-15，已逾期 15 天"},
		// 14 June → 30 June: 16 days, N + 1: red.
		{"Milestone16Days", lateMilestone(date(2024, 6, 14)), watch.Red,
			watch.MilestoneLate, "节点「主体封顶」计划 2024-06-14，已逾期 16 天"},
		// Due 30 June, today: not late.
		{"MilestoneDueToday", lateMilestone(date(2024, 6, 30)), watch.Green,
			watch.MilestonesOnPlan, "2 个节点均未逾期"},
		// Planned 1 June, reached 21 June: 20 days late, red.
		{"MilestoneReachedLate", func(in *watch.WeekInput) {
			reached := date(2024, 6, 21)
			in.Milestones[1] = watch.Milestone{Name: "主体封顶", Planned: date(2024, 6, 1), Actual: &reached}
		}, watch.Red, watch.MilestoneLate, "节点「主体封顶」计划 2024-06-01，2024-06-21 完成，逾期 20 天"},
		// Reports: one missing in the window yellow, two red.
		{"OneMissing", func(in *watch.WeekInput) { dropReports(in, "2024W26") }, watch.Yellow,
			watch.ReportsMissing, "第26周周报未报"},
		{"TwoMissing", func(in *watch.WeekInput) { dropReports(in, "2024W25", "2024W26") }, watch.Red,
			watch.ReportsMissing, "第25周、第26周周报未报（近 4 周共 2 次）"},
		{"TwoMissingApart", func(in *watch.WeekInput) { dropReports(in, "2024W23", "2024W26") }, watch.Red,
			watch.ReportsMissing, "第23周、第26周周报未报（近 4 周共 2 次）"},
		// Not owed before 2024W25, when the project joined the list.
		{"NotOwedYet", func(in *watch.WeekInput) {
			dropReports(in, "2024W23", "2024W24")
			in.ReportsFrom = period.MustParse("2024W25")
		}, watch.Green, watch.ReportsFiled, "近 4 周无未报周报"},
		// Looked at on Friday 28 June at 16:00, before 2024W26's deadline:
		// its report is not missing yet. 序时进度 then is
		// (500 + 28/30 × 100) / 1200 = 49.4%, and 600 is 50.0%.
		{"NotDueYet", func(in *watch.WeekInput) {
			dropReports(in, "2024W26")
			in.At = bj(2024, 6, 28, 16, 0)
		}, watch.Green, watch.InvestmentOnPlan, "投资完成率 50.0%，序时进度 49.4%，按序时进度推进"},
		// Filed on Monday 1 July: on Sunday 30 June it was missing.
		{"FiledAfterAt", func(in *watch.WeekInput) { in.Reports[3].Filed = bj(2024, 7, 1, 9, 0) }, watch.Yellow,
			watch.ReportsMissing, "第26周周报未报"},
		// Filed Saturday 15 June, after Friday's 17:00: late, not missing.
		{"Late", func(in *watch.WeekInput) { in.Reports[1].Filed = bj(2024, 6, 15, 9, 0) }, watch.Green,
			watch.ReportsFiled, "近 4 周无未报周报；第24周周报迟报"},
		{"Completed", func(in *watch.WeekInput) { in.Stage = project.Completed; in.Invested = 0 }, watch.Unlit,
			watch.NotLit, "项目已竣工，不再亮灯"},
		{"Operating", func(in *watch.WeekInput) { in.Stage = project.Operating; in.Reports = nil }, watch.Unlit,
			watch.NotLit, "项目已投产，不再亮灯"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := greenWeek()
			tt.edit(&in)
			wantInvalid(t, in.Validate(), "")
			l := watch.Evaluate(in, rules)
			if l.Color != tt.color {
				t.Errorf("color = %s, want %s; reasons %+v", l.Color, tt.color, l.Reasons)
			}
			if l.Week != in.Week || !l.At.Equal(in.At) {
				t.Errorf("light for %s at %v, want %s at %v", l.Week, l.At, in.Week, in.At)
			}
			r, ok := reason(l, tt.code)
			if !ok {
				t.Fatalf("no reason %s in %+v", tt.code, l.Reasons)
			}
			if r.ZH != tt.zh {
				t.Errorf("reason ZH = %q, want %q", r.ZH, tt.zh)
			}
			if r.EN == "" {
				t.Errorf("reason %s has no English", r.Code)
			}
		})
	}
}

func reason(l watch.Light, code watch.ReasonCode) (watch.Reason, bool) {
	for _, r := range l.Reasons {
		if r.Code == code {
			return r, true
		}
	}
	return watch.Reason{}, false
}

// TestEvaluateWhy checks that a red light keeps every fact behind it, worst
// first, with its numbers, in both languages.
func TestEvaluateWhy(t *testing.T) {
	in := greenWeek()
	in.Invested = 300 // 25.0% against 50.0%: yellow
	reached := date(2024, 6, 21)
	in.Milestones = append(in.Milestones,
		watch.Milestone{Name: "设备安装", Planned: date(2024, 6, 10)},                   // 20 days: red
		watch.Milestone{Name: "土建完工", Planned: date(2024, 6, 11), Actual: &reached}) // 10 days: yellow
	dropReports(&in, "2024W26") // one missing: yellow
	l := watch.Evaluate(in, watch.DefaultRules(calendar.New(nil)))
	if l.Color != watch.Red {
		t.Fatalf("color = %s, want red", l.Color)
	}
	want := []struct {
		code  watch.ReasonCode
		color watch.Color
		zh    string
		en    string
	}{
		{watch.MilestoneLate, watch.Red, "节点「设备安装」计划 2024-06-10，已逾期 20 天",
			"milestone 设备安装 planned for 2024-06-10 is 20 days overdue"},
		{watch.InvestmentBehind, watch.Yellow, "投资完成率 25.0%，序时进度 50.0%，落后 25.0 个百分点",
			"investment 25.0% of the annual plan against 50.0% expected by now (序时进度), 25.0 points behind"},
		{watch.MilestoneLate, watch.Yellow, "节点「土建完工」计划 2024-06-11，2024-06-21 完成，逾期 10 天",
			"milestone 土建完工 planned for 2024-06-11 was reached on 2024-06-21, 10 days late"},
		{watch.ReportsMissing, watch.Yellow, "第26周周报未报", "weekly report for 2024W26 not filed"},
	}
	if len(l.Reasons) != len(want) {
		t.Fatalf("%d reasons, want %d: %+v", len(l.Reasons), len(want), l.Reasons)
	}
	for i, w := range want {
		r := l.Reasons[i]
		if r.Code != w.code || r.Color != w.color || r.ZH != w.zh || r.EN != w.en {
			t.Errorf("reason %d = %s %s %q %q, want %s %s %q %q", i, r.Code, r.Color, r.ZH, r.EN, w.code, w.color, w.zh, w.en)
		}
	}
	inv := l.Reasons[1]
	if inv.Expected != 50 || inv.Actual != 25 || inv.Behind != 25 {
		t.Errorf("investment facts = %v/%v/%v, want 50/25/25", inv.Expected, inv.Actual, inv.Behind)
	}
	ms := l.Reasons[0]
	if ms.Milestone != "设备安装" || ms.DaysLate != 20 || !ms.Planned.Equal(date(2024, 6, 10)) || !ms.Reached.IsZero() {
		t.Errorf("milestone facts = %+v", ms)
	}
	if rep := l.Reasons[3]; rep.Window != 4 || len(rep.Missing) != 1 || rep.Missing[0] != period.MustParse("2024W26") {
		t.Errorf("report facts = %+v", rep)
	}
}

// TestEvaluateAcrossNewYear names weeks of the previous ISO year with it.
func TestEvaluateAcrossNewYear(t *testing.T) {
	// 2025W01 is 30 Dec 2024 – 5 Jan 2025; its window is 2024W50–W52 and
	// 2025W01, due Fridays 13, 20, 27 Dec and 3 Jan (all worked; 2025's
	// New Year holiday is 1 Jan only).
	in := watch.WeekInput{
		Week:  period.MustParse("2025W01"),
		At:    bj(2025, 1, 5, 12, 0),
		Stage: project.Construction,
		Reports: []watch.WeeklyReport{
			{Week: period.MustParse("2024W50"), Filed: bj(2024, 12, 13, 9, 0)},
			{Week: period.MustParse("2024W51"), Filed: bj(2024, 12, 20, 9, 0)},
		},
	}
	l := watch.Evaluate(in, watch.DefaultRules(calendar.New(nil)))
	r, _ := reason(l, watch.ReportsMissing)
	if l.Color != watch.Red || r.ZH != "2024年第52周、第1周周报未报（近 4 周共 2 次）" {
		t.Errorf("got %s %q", l.Color, r.ZH)
	}
	if r.EN != "weekly reports for 2024W52, 2025W01 not filed (2 in the last 4 weeks)" {
		t.Errorf("EN = %q", r.EN)
	}
}

// TestEvaluateHolidayDue: 2024W40's report is due Tuesday 8 October, after
// the National Day break, so on Monday 7 October it is not missing.
func TestEvaluateHolidayDue(t *testing.T) {
	in := watch.WeekInput{Week: period.MustParse("2024W40"), Stage: project.Started,
		ReportsFrom: period.MustParse("2024W40")}
	rules := watch.DefaultRules(calendar.New(nil))
	for _, c := range []struct {
		at   time.Time
		want watch.Color
	}{
		{bj(2024, 10, 7, 18, 0), watch.Green},
		{bj(2024, 10, 8, 17, 0), watch.Green},  // at the deadline: not past it
		{bj(2024, 10, 8, 17, 1), watch.Yellow}, // a minute after
	} {
		in.At = c.at
		if got := watch.Evaluate(in, rules).Color; got != c.want {
			t.Errorf("at %v: %s, want %s", c.at, got, c.want)
		}
	}
}

func TestRulesValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*watch.Rules)
		zh   string
	}{
		{"OK", func(*watch.Rules) {}, ""},
		{"OKEqualThresholds", func(r *watch.Rules) { r.RedBehind = 10 }, ""},
		{"ErrThresholdOrder", func(r *watch.Rules) { r.RedBehind = 5 }, "投资进度阈值"},
		{"ErrZeroYellow", func(r *watch.Rules) { r.YellowBehind = 0 }, "投资进度阈值"},
		{"ErrMilestoneDays", func(r *watch.Rules) { r.MilestoneDays = -1 }, "节点"},
		{"ErrWindow", func(r *watch.Rules) { r.ReportWindow = 0 }, "周报统计周数"},
		{"ErrLadder", func(r *watch.Rules) { r.LadderWeeks = 0 }, "升级周数"},
		{"ErrCalendar", func(r *watch.Rules) { r.Calendar = nil }, "工作日历"},
		{"ErrDueHour", func(r *watch.Rules) { r.Due.Hour = -1 }, "截止时刻"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := watch.DefaultRules(calendar.New(nil))
			tt.edit(&r)
			wantInvalid(t, r.Validate(), tt.zh)
		})
	}
}

func TestWeekInputValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*watch.WeekInput)
		zh   string
	}{
		{"OK", func(*watch.WeekInput) {}, ""},
		{"ErrWeek", func(in *watch.WeekInput) { in.Week = period.MustParse("2024-06") }, "不是周"},
		{"ErrAt", func(in *watch.WeekInput) { in.At = time.Time{} }, "计算时间"},
		{"ErrStage", func(in *watch.WeekInput) { in.Stage = "done" }, "阶段"},
		{"ErrPlan", func(in *watch.WeekInput) { in.Plan.Annual = 1000 }, "不符"},
		{"ErrInvested", func(in *watch.WeekInput) { in.Invested = -1 }, "不能为负数"},
		{"ErrMilestone", func(in *watch.WeekInput) { in.Milestones[0].Name = "" }, "节点名称"},
		{"ErrReportWeek", func(in *watch.WeekInput) { in.Reports[0].Week = period.MustParse("2024") }, "不是周"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := greenWeek()
			tt.edit(&in)
			wantInvalid(t, in.Validate(), tt.zh)
		})
	}
}
