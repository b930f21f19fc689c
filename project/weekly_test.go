package project_test

import (
	"strings"
	"testing"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/project"
)

func TestWeeklyReportValidate(t *testing.T) {
	ok := project.WeeklyReport{ProjectCode: "wind", Week: period.MustParse("2024W18"), Status: project.ReportSubmitted,
		ProgressZH: "完成主体吊装", InvestWeek: 50, InvestToDate: 800}
	cases := []struct {
		name string
		edit func(*project.WeeklyReport)
		want string // part of the Chinese message; "" for valid
	}{
		{"OK", func(*project.WeeklyReport) {}, ""},
		{"OKDraftWithoutProgress", func(r *project.WeeklyReport) { r.Status, r.ProgressZH = project.ReportDraft, "" }, ""},
		{"ErrMonthNotWeek", func(r *project.WeeklyReport) { r.Week = period.MustParse("2024-05") }, "ISO 周"},
		{"ErrStatus", func(r *project.WeeklyReport) { r.Status = "done" }, "状态"},
		{"ErrNegative", func(r *project.WeeklyReport) { r.InvestWeek = -1 }, "不能为负数"},
		{"ErrWeekAboveTotal", func(r *project.WeeklyReport) { r.InvestWeek = 900 }, "大于累计完成投资"},
		{"ErrNoProgress", func(r *project.WeeklyReport) { r.ProgressZH = " " }, "进展情况"},
		{"ErrCoordinationWithoutWhat", func(r *project.WeeklyReport) { r.Coordination = project.AskMayor }, "协调事项"},
		{"ErrCoordinationLevel", func(r *project.WeeklyReport) { r.Coordination, r.CoordinationZH = "king", "x" }, "协调层级"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := ok
			c.edit(&r)
			err := r.Validate()
			if c.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if apperr.Code(err) != apperr.Invalid || !strings.Contains(apperr.Message(err, "zh"), c.want) {
				t.Errorf("got %v, want an invalid error mentioning %q", err, c.want)
			}
		})
	}
}

func TestMilestoneAndPlanValidate(t *testing.T) {
	m := project.Milestone{ProjectCode: "wind", Seq: 1, NameZH: "主体封顶", Planned: time.Date(2024, 4, 30, 0, 0, 0, 0, time.UTC)}
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	m.Planned = time.Time{}
	if err := m.Validate(); apperr.Code(err) != apperr.Invalid || !strings.Contains(apperr.Message(err, "zh"), "计划日期") {
		t.Errorf("milestone without date: %v", err)
	}
	p := project.MonthlyPlan{ProjectCode: "wind", Year: 2024, Month: 13, Amount: 10}
	if err := p.Validate(); apperr.Code(err) != apperr.Invalid || !strings.Contains(apperr.Message(err, "zh"), "2024-13") {
		t.Errorf("month 13: %v", err)
	}
}
