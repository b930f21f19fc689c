package project

import (
	"strings"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/period"
)

// Milestone is a node (节点) of a project's schedule.
type Milestone struct {
	ProjectCode string
	Seq         int // order within the project, from 1
	NameZH      string
	NameEN      string
	Planned     time.Time // a date
	Actual      time.Time // zero until reached
	Sample      bool
}

// Reached reports whether the milestone has an actual date.
func (m Milestone) Reached() bool { return !m.Actual.IsZero() }

func (m Milestone) Validate() error {
	if err := checkSeq("节点 milestone", m.ProjectCode, m.Seq); err != nil {
		return err
	}
	if strings.TrimSpace(m.NameZH) == "" {
		return apperr.Invalidf("项目 %s 的第 %d 个节点缺少名称", "milestone %[2]d of project %[1]s has no name", m.ProjectCode, m.Seq)
	}
	if m.Planned.IsZero() {
		return apperr.Invalidf("项目 %s 的节点「%s」缺少计划日期", "milestone %[2]s of project %[1]s has no planned date", m.ProjectCode, m.NameZH)
	}
	return nil
}

func checkSeq(what, projectCode string, seq int) error {
	if strings.TrimSpace(projectCode) == "" {
		return apperr.Invalidf("%s 缺少项目", "%s has no project", what)
	}
	if seq < 1 {
		return apperr.Invalidf("%s 的序号应从 1 开始", "%s numbers start at 1", what)
	}
	return nil
}

// MonthlyPlan is the investment a project plans to complete in one month
// (万元); the months of a year add up to its annual plan and give 序时进度,
// the progress expected at any date.
type MonthlyPlan struct {
	ProjectCode string
	Year        int
	Month       int // 1–12
	Amount      float64
}

func (m MonthlyPlan) Validate() error {
	if strings.TrimSpace(m.ProjectCode) == "" {
		return apperr.Invalidf("月度投资计划缺少项目", "a monthly plan has no project")
	}
	if m.Month < 1 || m.Month > 12 || m.Year < 2000 || m.Year > 2100 {
		return apperr.Invalidf("项目 %s 的月度计划月份 %d-%d 无效", "project %s has an invalid plan month %d-%d", m.ProjectCode, m.Year, m.Month)
	}
	if err := indicator.CheckNumber("项目 "+m.ProjectCode+" 的月度计划投资 monthly plan", m.Amount); err != nil {
		return err
	}
	if m.Amount < 0 {
		return apperr.Invalidf("项目 %s 的月度计划投资不能为负数", "project %s cannot plan a negative investment", m.ProjectCode)
	}
	return nil
}

// ReportStatus is where a weekly report stands: draft → submitted →
// accepted, or returned to the department with a comment and submitted
// again.
type ReportStatus string

const (
	ReportDraft     ReportStatus = "draft"     // 草稿
	ReportSubmitted ReportStatus = "submitted" // 已报送
	ReportAccepted  ReportStatus = "accepted"  // 已审阅
	ReportReturned  ReportStatus = "returned"  // 已退回
)

// LabelZH returns the Chinese label.
func (s ReportStatus) LabelZH() string {
	return map[ReportStatus]string{ReportDraft: "草稿", ReportSubmitted: "已报送", ReportAccepted: "已审阅", ReportReturned: "已退回"}[s]
}

// LabelEN returns the English label.
func (s ReportStatus) LabelEN() string {
	return map[ReportStatus]string{ReportDraft: "draft", ReportSubmitted: "submitted", ReportAccepted: "accepted", ReportReturned: "returned"}[s]
}

// CoordinationLevel is who a weekly report asks to help with a problem.
type CoordinationLevel string

const (
	NoCoordination CoordinationLevel = ""
	AskDepartment  CoordinationLevel = "department" // 部门协调
	AskCityLeader  CoordinationLevel = "city_leader"
	AskMayor       CoordinationLevel = "mayor"
)

// LabelZH returns the Chinese label.
func (l CoordinationLevel) LabelZH() string {
	return map[CoordinationLevel]string{NoCoordination: "无需协调", AskDepartment: "部门间协调", AskCityLeader: "提请联系市领导协调", AskMayor: "提请市长协调"}[l]
}

// LabelEN returns the English label.
func (l CoordinationLevel) LabelEN() string {
	return map[CoordinationLevel]string{NoCoordination: "none", AskDepartment: "between departments", AskCityLeader: "the city leader in contact", AskMayor: "the mayor"}[l]
}

// WeeklyReport is a project's report (周报) for one ISO week.
type WeeklyReport struct {
	ProjectCode       string
	Week              period.Period // an ISO week, e.g. 2024W18
	Status            ReportStatus
	ProgressZH        string  // what was done
	InvestWeek        float64 // investment completed this week, 万元
	InvestToDate      float64 // completed this year to date, 万元
	ProblemsZH        string
	CoordinationZH    string // the help asked for
	Coordination      CoordinationLevel
	MilestonesReached []MilestoneUpdate // milestones this week reached
	SubmittedBy       string
	SubmittedAt       time.Time
	ReviewedBy        string
	ReviewedAt        time.Time
	ReviewComment     string
	Sample            bool // illustrative (示例数据), not a real report
	Version           int  // changes with every write, for conflicting edits
}

// MilestoneUpdate is a milestone reported reached, and when.
type MilestoneUpdate struct {
	Seq    int
	Actual time.Time
}

func (r WeeklyReport) Validate() error {
	if strings.TrimSpace(r.ProjectCode) == "" {
		return apperr.Invalidf("周报缺少项目", "a weekly report has no project")
	}
	if r.Week.Kind != period.Week {
		return apperr.Invalidf("项目 %s 的周报期别 %s 应为 ISO 周，如 2024W18", "project %s: weekly report period %s must be an ISO week such as 2024W18", r.ProjectCode, r.Week.String())
	}
	if r.Status.LabelZH() == "" {
		return apperr.Invalidf("项目 %s 的周报状态 %q 无效", "project %s: invalid weekly report status %q", r.ProjectCode, string(r.Status))
	}
	if r.Coordination.LabelZH() == "" && r.Coordination != NoCoordination {
		return apperr.Invalidf("项目 %s 的协调层级 %q 无效", "project %s: invalid coordination level %q", r.ProjectCode, string(r.Coordination))
	}
	for _, x := range []struct {
		zh string
		v  float64
	}{{"本周完成投资 investment this week", r.InvestWeek}, {"累计完成投资 investment to date", r.InvestToDate}} {
		if err := indicator.CheckNumber("项目 "+r.ProjectCode+" 的"+x.zh, x.v); err != nil {
			return err
		}
		if x.v < 0 {
			return apperr.Invalidf("项目 %s 的%s不能为负数", "project %s: %s cannot be negative", r.ProjectCode, x.zh)
		}
	}
	if r.InvestWeek > r.InvestToDate {
		return apperr.Invalidf("项目 %s 的本周完成投资 %g 万元大于累计完成投资 %g 万元", "project %s: investment this week %g exceeds the total to date %g",
			r.ProjectCode, r.InvestWeek, r.InvestToDate)
	}
	if r.Status != ReportDraft && strings.TrimSpace(r.ProgressZH) == "" {
		return apperr.Invalidf("项目 %s 的周报缺少进展情况", "project %s: the weekly report says nothing of progress", r.ProjectCode)
	}
	if r.Coordination != NoCoordination && strings.TrimSpace(r.CoordinationZH) == "" {
		return apperr.Invalidf("项目 %s 的周报提请协调，但未写明协调事项", "project %s: the report asks for coordination without saying on what", r.ProjectCode)
	}
	return nil
}
