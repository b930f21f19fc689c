package oversight

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/project"
	"github.com/lantu/lantu/storage"
	"github.com/lantu/lantu/watch"
)

// SaveReport saves a project's weekly report (周报) for its owner
// department, as a draft or submitted: r.Version is the version the
// reporter read (0 for a new one). A submitted report keeps the time it was
// first filed, which decides whether it was on time; an accepted one is
// locked. Milestones it reports reached get their actual dates.
func (s *Service) SaveReport(ctx context.Context, sub auth.Subject, r project.WeeklyReport, submit bool) (project.WeeklyReport, error) {
	p, err := s.DB.Project(ctx, r.ProjectCode)
	if err != nil {
		return r, err
	}
	if !sub.CanWriteFor(auth.WriteProjects, p.OwnerDept) {
		return r, apperr.New(apperr.Forbidden, "只有项目的责任部门可以填报周报", "only the project's department may file its weekly report")
	}
	now := s.Now()
	if current := period.Of(period.Week, now.In(indicator.Beijing)); r.Week.Start().After(current.Start()) {
		return r, apperr.Invalidf("%s 尚未开始，不能填报周报", "%s has not begun; its report cannot be filed yet", r.Week.String())
	}
	old, found, err := s.DB.WeeklyReport(ctx, r.ProjectCode, r.Week)
	if err != nil {
		return r, err
	}
	if found && old.Status == project.ReportAccepted {
		return r, apperr.Conflictf("项目 %s 第 %s 周的周报已审阅，不能再修改", "the report of %s for %s was accepted and is locked", r.ProjectCode, r.Week.String())
	}
	ms, err := s.DB.Milestones(ctx, r.ProjectCode)
	if err != nil {
		return r, err
	}
	known := map[int]project.Milestone{}
	for _, m := range ms {
		known[m.Seq] = m
	}
	for _, u := range r.MilestonesReached {
		if _, ok := known[u.Seq]; !ok || u.Actual.IsZero() {
			return r, apperr.Invalidf("项目 %s 没有第 %d 个节点，或未填到达日期", "project %s has no milestone %d, or its date is missing", r.ProjectCode, u.Seq)
		}
	}
	r.Status = project.ReportDraft
	if found {
		r.SubmittedBy, r.SubmittedAt, r.ReviewComment = old.SubmittedBy, old.SubmittedAt, old.ReviewComment
		r.ReviewedBy, r.ReviewedAt = old.ReviewedBy, old.ReviewedAt
		if old.Status == project.ReportSubmitted {
			r.Status = project.ReportSubmitted // stays filed while it is edited before review
		}
	}
	if submit {
		r.Status = project.ReportSubmitted
		if r.SubmittedAt.IsZero() {
			r.SubmittedBy, r.SubmittedAt = sub.Name, now
		}
	}
	reason := "填写周报 (save a weekly report)"
	if submit {
		reason = "报送周报 (file a weekly report)"
	}
	var saved project.WeeklyReport
	err = s.DB.Write(ctx, sub.Actor(reason), func(tx *storage.Tx) error {
		var err error
		if saved, err = tx.PutWeeklyReport(ctx, r); err != nil {
			return err
		}
		for _, u := range r.MilestonesReached {
			m := known[u.Seq]
			m.Actual = u.Actual
			if err := tx.PutMilestone(ctx, m); err != nil {
				return err
			}
		}
		return nil
	})
	return saved, err
}

// ReviewReport accepts a submitted weekly report, or returns it to the
// department with a comment.
func (s *Service) ReviewReport(ctx context.Context, sub auth.Subject, code string, week period.Period, version int, accept bool, comment string) (project.WeeklyReport, error) {
	if !sub.Can(auth.Supervise) {
		return project.WeeklyReport{}, apperr.New(apperr.Forbidden, "只有督查室可以审阅周报", "only the supervision office reviews weekly reports")
	}
	r, found, err := s.DB.WeeklyReport(ctx, code, week)
	if err != nil {
		return r, err
	}
	if !found || r.Status != project.ReportSubmitted {
		return r, apperr.Conflictf("项目 %s 第 %s 周的周报未报送，无可审阅", "the report of %s for %s is not submitted", code, week.String())
	}
	comment = strings.TrimSpace(comment)
	if !accept && comment == "" {
		return r, apperr.New(apperr.Invalid, "退回周报须写明原因", "a returned report needs a comment")
	}
	r.Version = version
	r.Status, r.ReviewedBy, r.ReviewedAt, r.ReviewComment = project.ReportAccepted, sub.Name, s.Now(), comment
	if !accept {
		r.Status = project.ReportReturned
	}
	p, err := s.DB.Project(ctx, code)
	if err != nil {
		return r, err
	}
	var saved project.WeeklyReport
	err = s.DB.Write(ctx, sub.Actor("审阅周报 (review a weekly report)"), func(tx *storage.Tx) error {
		var err error
		if saved, err = tx.PutWeeklyReport(ctx, r); err != nil {
			return err
		}
		if accept {
			return nil
		}
		n := storage.Notification{Kind: "report_returned", Link: "/projects/" + code,
			Ref:     fmt.Sprintf("report/%s/%s/returned/%d", code, week.String(), saved.Version),
			TitleZH: fmt.Sprintf("「%s」第 %s 周周报被退回", p.NameZH, week.String()), TitleEN: fmt.Sprintf("Weekly report of %s for %s returned", code, week.String()),
			BodyZH: comment, BodyEN: comment}
		_, err = s.notifyDepts(ctx, tx, n, []string{p.OwnerDept})
		return err
	})
	return saved, err
}

// RemindReports reminds the department of each project under weekly watch
// whose report of this week is due today (Beijing) and not yet filed, once
// a day; it returns how many reminders it put in inboxes.
func (s *Service) RemindReports(ctx context.Context, now time.Time) (int, error) {
	cfg, err := s.Config(ctx)
	if err != nil {
		return 0, err
	}
	today := now.In(indicator.Beijing)
	sent := 0
	// A week's report falls due in its own week, or in the next when a
	// holiday moves it (2024W40's to Tuesday 8 October).
	for _, week := range []period.Period{period.Of(period.Week, today).Prev(), period.Of(period.Week, today)} {
		due := watch.WeeklyDue(week, cfg.Rules.Due, cfg.Calendar)
		if due.In(indicator.Beijing).Format(time.DateOnly) != today.Format(time.DateOnly) || !now.Before(due) {
			continue
		}
		n, err := s.remindWeek(ctx, week, due, now)
		sent += n
		if err != nil {
			return sent, err
		}
	}
	return sent, nil
}

// remindWeek reminds the departments that have not filed week's report,
// due at due.
func (s *Service) remindWeek(ctx context.Context, week period.Period, due, now time.Time) (int, error) {
	projects, err := s.DB.Projects(ctx, storage.ProjectFilter{})
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, p := range projects {
		in, err := s.weekInput(ctx, p, week, now)
		if err != nil {
			return sent, err
		}
		if p.Stage == project.Completed || p.Stage == project.Operating || week.Start().Before(in.ReportsFrom.Start()) {
			continue // not under weekly watch
		}
		if r, found, err := s.DB.WeeklyReport(ctx, p.Code, week); err != nil {
			return sent, err
		} else if found && !r.SubmittedAt.IsZero() {
			continue
		}
		n := storage.Notification{Kind: "report_due", Link: "/projects/" + p.Code, Ref: "report/" + p.Code + "/" + week.String() + "/due",
			TitleZH: fmt.Sprintf("「%s」%s 周报今天 %s 前报送", p.NameZH, week.String(), due.In(indicator.Beijing).Format("15:04")),
			TitleEN: fmt.Sprintf("The weekly report of %s for %s is due today at %s", p.Code, week.String(), due.In(indicator.Beijing).Format("15:04"))}
		err = s.DB.Write(ctx, auditActor("scheduler", "周报报送提醒 (weekly report reminder)"), func(tx *storage.Tx) error {
			added, err := s.notifyDepts(ctx, tx, n, []string{p.OwnerDept})
			sent += added
			return err
		})
		if err != nil {
			return sent, err
		}
	}
	return sent, nil
}
