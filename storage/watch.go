package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/project"
)

// The week-by-week watch of key projects: milestones, monthly investment
// plans, weekly reports and the lights computed from them.

var milestones = table[project.Milestone]{
	name: "project_milestones", objectType: "milestone",
	key:  []string{"project_code", "seq"},
	cols: []string{"project_code", "seq", "name_zh", "name_en", "planned", "actual", "sample"},
	args: func(m project.Milestone) []any {
		return []any{m.ProjectCode, m.Seq, m.NameZH, m.NameEN, formatDate(m.Planned), formatDate(m.Actual), m.Sample}
	},
	scan: func(r scanner) (m project.Milestone, err error) {
		var planned, actual string
		if err = r.Scan(&m.ProjectCode, &m.Seq, &m.NameZH, &m.NameEN, &planned, &actual, &m.Sample); err != nil {
			return m, err
		}
		if m.Planned, err = parseDate(planned); err != nil {
			return m, err
		}
		m.Actual, err = parseDate(actual)
		return m, err
	},
	id: func(m project.Milestone) string { return fmt.Sprintf("%s/%d", m.ProjectCode, m.Seq) },
}

var monthlyPlans = table[project.MonthlyPlan]{
	name: "project_monthly_plans", objectType: "monthly_plan",
	key:  []string{"project_code", "year", "month"},
	cols: []string{"project_code", "year", "month", "amount"},
	args: func(m project.MonthlyPlan) []any { return []any{m.ProjectCode, m.Year, m.Month, m.Amount} },
	scan: func(r scanner) (m project.MonthlyPlan, err error) {
		err = r.Scan(&m.ProjectCode, &m.Year, &m.Month, &m.Amount)
		return m, err
	},
	id: func(m project.MonthlyPlan) string { return fmt.Sprintf("%s/%04d-%02d", m.ProjectCode, m.Year, m.Month) },
}

var weeklyReports = table[project.WeeklyReport]{
	name: "weekly_reports", objectType: "weekly_report",
	key: []string{"project_code", "week"},
	cols: []string{"project_code", "week", "week_start", "status", "progress_zh", "invest_week", "invest_to_date", "problems_zh",
		"coordination_zh", "coordination", "milestones", "submitted_by", "submitted_at", "reviewed_by", "reviewed_at", "review_comment",
		"sample", "version"},
	args: func(r project.WeeklyReport) []any {
		ms := ""
		if len(r.MilestonesReached) > 0 {
			b, _ := json.Marshal(r.MilestonesReached) // dates and numbers always marshal
			ms = string(b)
		}
		return []any{r.ProjectCode, r.Week.String(), formatDate(r.Week.Start()), string(r.Status), r.ProgressZH, r.InvestWeek, r.InvestToDate,
			r.ProblemsZH, r.CoordinationZH, string(r.Coordination), ms, r.SubmittedBy, formatTime(r.SubmittedAt), r.ReviewedBy,
			formatTime(r.ReviewedAt), r.ReviewComment, r.Sample, r.Version}
	},
	scan: func(s scanner) (r project.WeeklyReport, err error) {
		var week, start, ms, submitted, reviewed string
		err = s.Scan(&r.ProjectCode, &week, &start, &r.Status, &r.ProgressZH, &r.InvestWeek, &r.InvestToDate, &r.ProblemsZH,
			&r.CoordinationZH, &r.Coordination, &ms, &r.SubmittedBy, &submitted, &r.ReviewedBy, &reviewed, &r.ReviewComment, &r.Sample, &r.Version)
		if err != nil {
			return r, err
		}
		if r.Week, err = period.Parse(week); err != nil {
			return r, err
		}
		if ms != "" {
			if err = json.Unmarshal([]byte(ms), &r.MilestonesReached); err != nil {
				return r, err
			}
		}
		if r.SubmittedAt, err = parseTime(submitted); err != nil {
			return r, err
		}
		r.ReviewedAt, err = parseTime(reviewed)
		return r, err
	},
	id: func(r project.WeeklyReport) string { return r.ProjectCode + "/" + r.Week.String() },
}

// Milestones returns a project's milestones in order.
func (db *DB) Milestones(ctx context.Context, projectCode string) ([]project.Milestone, error) {
	return milestones.list(ctx, db.read, "project_code = $1", "seq", projectCode)
}

// PutMilestone creates or updates a milestone.
func (tx *Tx) PutMilestone(ctx context.Context, m project.Milestone) error {
	if err := m.Validate(); err != nil {
		return err
	}
	return milestones.put(ctx, tx, m)
}

// MonthlyPlans returns a project's monthly investment plan for a year.
func (db *DB) MonthlyPlans(ctx context.Context, projectCode string, year int) ([]project.MonthlyPlan, error) {
	return monthlyPlans.list(ctx, db.read, "project_code = $1 AND year = $2", "month", projectCode, year)
}

// PutMonthlyPlan creates or updates one month of a project's plan.
func (tx *Tx) PutMonthlyPlan(ctx context.Context, m project.MonthlyPlan) error {
	if err := m.Validate(); err != nil {
		return err
	}
	return monthlyPlans.put(ctx, tx, m)
}

// WeeklyReports returns a project's weekly reports, oldest first.
func (db *DB) WeeklyReports(ctx context.Context, projectCode string) ([]project.WeeklyReport, error) {
	return weeklyReports.list(ctx, db.read, "project_code = $1", "week_start", projectCode)
}

// WeeklyReportsOfWeek returns every project's report of one week.
func (db *DB) WeeklyReportsOfWeek(ctx context.Context, week period.Period) ([]project.WeeklyReport, error) {
	return weeklyReports.list(ctx, db.read, "week = $1", "project_code", week.String())
}

// WeeklyReport returns one report; found is false if there is none.
func (db *DB) WeeklyReport(ctx context.Context, projectCode string, week period.Period) (project.WeeklyReport, bool, error) {
	return weeklyReports.get(ctx, db.read, projectCode, week.String())
}

// PutWeeklyReport writes a report if nobody changed it since the caller
// read it: r.Version is the version read (0 for a new report) and the
// stored one becomes r.Version + 1. Of two people saving the same report
// at once, exactly one succeeds; the other gets a conflict.
func (tx *Tx) PutWeeklyReport(ctx context.Context, r project.WeeklyReport) (project.WeeklyReport, error) {
	if err := r.Validate(); err != nil {
		return r, err
	}
	r.SubmittedAt, r.ReviewedAt = normalTime(r.SubmittedAt), normalTime(r.ReviewedAt)
	conflict := apperr.Conflictf("项目 %s 第 %s 周的周报已被他人修改，请刷新后重试", "the weekly report of %s for %s was changed by someone else; reload and try again",
		r.ProjectCode, r.Week.String())
	before, found, err := weeklyReports.get(ctx, tx.tx, r.ProjectCode, r.Week.String())
	if err != nil {
		return r, err
	}
	if (found && before.Version != r.Version) || (!found && r.Version != 0) {
		return r, conflict
	}
	r.Version++
	if !found {
		return r, tx.change(ctx, weeklyReports.objectType, weeklyReports.id(r), nil, r, weeklyReports.insertSQL(), weeklyReports.args(r)...)
	}
	args := append(weeklyReports.args(r), before.Version)
	return r, tx.changeVersioned(ctx, weeklyReports.objectType, weeklyReports.id(r), before, r, conflict,
		weeklyReports.updateSQL()+" AND version = $"+itoa(len(args)), args...)
}

// Light is a project's light for one week, as computed then, with the
// facts that produced it (JSON, as the watch package writes them).
type Light struct {
	ProjectCode string
	Week        period.Period
	Color       string
	Reasons     json.RawMessage
	Ladder      int
	ComputedAt  time.Time
}

var lights = table[Light]{
	name: "project_lights", objectType: "project_light",
	key:  []string{"project_code", "week"},
	cols: []string{"project_code", "week", "week_start", "color", "reasons", "ladder", "computed_at"},
	args: func(l Light) []any {
		return []any{l.ProjectCode, l.Week.String(), formatDate(l.Week.Start()), l.Color, string(l.Reasons), l.Ladder, formatTime(l.ComputedAt)}
	},
	scan: func(r scanner) (l Light, err error) {
		var week, start, reasons, at string
		if err = r.Scan(&l.ProjectCode, &week, &start, &l.Color, &reasons, &l.Ladder, &at); err != nil {
			return l, err
		}
		if l.Week, err = period.Parse(week); err != nil {
			return l, err
		}
		if reasons != "" {
			l.Reasons = json.RawMessage(reasons)
		}
		l.ComputedAt, err = parseTime(at)
		return l, err
	},
	id: func(l Light) string { return l.ProjectCode + "/" + l.Week.String() },
}

// Lights returns a project's lights, oldest week first.
func (db *DB) Lights(ctx context.Context, projectCode string) ([]Light, error) {
	return lights.list(ctx, db.read, "project_code = $1", "week_start", projectCode)
}

// LightsOfWeek returns every project's light of one week.
func (db *DB) LightsOfWeek(ctx context.Context, week period.Period) ([]Light, error) {
	return lights.list(ctx, db.read, "week = $1", "project_code", week.String())
}

// PutLight records a project's light for a week; recomputing a week that
// gives the same light and facts records nothing.
func (tx *Tx) PutLight(ctx context.Context, l Light) error {
	if l.Week.Kind != period.Week || l.ProjectCode == "" || l.Color == "" {
		return apperr.Invalidf("项目灯色 %s 无效", "invalid project light %s", lights.id(l))
	}
	l.ComputedAt = normalTime(l.ComputedAt)
	before, found, err := lights.get(ctx, tx.tx, l.ProjectCode, l.Week.String())
	if err != nil {
		return err
	}
	if found && before.Color == l.Color && before.Ladder == l.Ladder && string(before.Reasons) == string(l.Reasons) {
		return nil
	}
	return lights.put(ctx, tx, l)
}

// ProjectIndicators returns the indicators a project contributes to (e.g.
// a wind farm to the installed capacity of new energy), by code.
func (db *DB) ProjectIndicators(ctx context.Context, projectCode string) ([]string, error) {
	return projectIndicators(ctx, db.read, projectCode)
}

func projectIndicators(ctx context.Context, q queryer, projectCode string) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT indicator_code FROM project_indicators WHERE project_code = $1 ORDER BY indicator_code`, projectCode)
	if err != nil {
		return nil, fmt.Errorf("storage: project indicators: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			return nil, fmt.Errorf("storage: project indicators: %w", err)
		}
		out = append(out, code)
	}
	return out, rows.Err()
}

// SetProjectIndicators makes codes the indicators a project contributes
// to, recording the change when there is one.
func (tx *Tx) SetProjectIndicators(ctx context.Context, projectCode string, codes []string) error {
	before, err := projectIndicators(ctx, tx.tx, projectCode)
	if err != nil {
		return err
	}
	after := slices.Clone(codes)
	slices.Sort(after)
	after = slices.Compact(after)
	if slices.Equal(before, after) {
		return nil
	}
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM project_indicators WHERE project_code = $1`, projectCode); err != nil {
		return fmt.Errorf("storage: project indicators: %w", err)
	}
	for _, code := range after {
		if _, err := tx.tx.ExecContext(ctx, `INSERT INTO project_indicators (project_code, indicator_code) VALUES ($1, $2)`, projectCode, code); err != nil {
			return translateWriteError("project_indicator", projectCode+"/"+code, err)
		}
	}
	return tx.record(ctx, audit.Update, "project_indicators", projectCode, before, after)
}
