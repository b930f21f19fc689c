package oversight

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/project"
	"github.com/lantu/lantu/storage"
	"github.com/lantu/lantu/supervision"
	"github.com/lantu/lantu/watch"
)

// ScoreEvents are the events that score departments with from <= At < to,
// as they stand at asOf, derived afresh from the history each time so that
// a report filed late replaces its "missing":
//
//   - an order closed (销号) on time: its lead and each co-handler;
//   - an order escalated automatically for being overdue: the same, once
//     per missed deadline;
//   - a weekly report due in the range and filed late, or missing at asOf:
//     the project's department.
func (s *Service) ScoreEvents(ctx context.Context, from, to, asOf time.Time) ([]watch.ScoreEvent, error) {
	cfg, err := s.Config(ctx)
	if err != nil {
		return nil, err
	}
	var out []watch.ScoreEvent
	events, err := s.DB.OrderEventsBetween(ctx, from, to)
	if err != nil {
		return nil, err
	}
	for _, ev := range events {
		lead, co := watch.EventKind(""), watch.EventKind("")
		switch {
		case ev.Kind == supervision.Review && ev.Completion != nil && ev.Completion.OnTime:
			lead, co = watch.LeadOrderOnTime, watch.CoOrderOnTime
		case ev.Kind == supervision.Escalate && ev.ByRole == supervision.System:
			lead, co = watch.LeadOrderOverdue, watch.CoOrderOverdue
		default:
			continue
		}
		out = append(out, watch.ScoreEvent{Dept: ev.LeadDept, At: ev.At, Kind: lead, Ref: ev.Number})
		for _, d := range ev.CoDepts {
			out = append(out, watch.ScoreEvent{Dept: d, At: ev.At, Kind: co, Ref: ev.Number})
		}
	}
	projects, err := s.DB.Projects(ctx, storage.ProjectFilter{})
	if err != nil {
		return nil, err
	}
	for _, p := range projects {
		if p.Stage == project.Completed || p.Stage == project.Operating {
			continue
		}
		in, err := s.weekInput(ctx, p, period.Of(period.Week, asOf), asOf)
		if err != nil {
			return nil, err
		}
		filed := map[period.Period]time.Time{}
		for _, r := range in.Reports {
			filed[r.Week] = r.Filed
		}
		for w := period.Of(period.Week, from); w.Start().Before(to); w = w.Next() {
			if !in.ReportsFrom.IsZero() && w.Start().Before(in.ReportsFrom.Start()) {
				continue
			}
			due := watch.WeeklyDue(w, cfg.Rules.Due, cfg.Calendar)
			if due.Before(from) || !due.Before(to) {
				continue
			}
			kind := watch.EventKind("")
			switch watch.ReportStateAt(due, filed[w], asOf) {
			case watch.ReportLate:
				kind = watch.WeeklyReportLate
			case watch.ReportMissing:
				kind = watch.WeeklyReportMissing
			default:
				continue
			}
			out = append(out, watch.ScoreEvent{Dept: p.OwnerDept, At: due, Kind: kind, Ref: fmt.Sprintf("%s %s", p.Code, w.String()),
				Note: p.NameZH})
		}
	}
	slices.SortStableFunc(out, func(a, b watch.ScoreEvent) int { return a.At.Compare(b.At) })
	return out, nil
}

// Ranking scores every department that owns a watched project or took part
// in an order, highest first: those without events at the base.
func (s *Service) Ranking(ctx context.Context, from, to, asOf time.Time) ([]watch.DeptScore, error) {
	cfg, err := s.Config(ctx)
	if err != nil {
		return nil, err
	}
	events, err := s.ScoreEvents(ctx, from, to, asOf)
	if err != nil {
		return nil, err
	}
	ranked := watch.Scores(events, cfg.ScoreRules, from, to)
	seen := map[string]bool{}
	for _, d := range ranked {
		seen[d.Dept] = true
	}
	projects, err := s.DB.Projects(ctx, storage.ProjectFilter{})
	if err != nil {
		return nil, err
	}
	orders, err := s.DB.Orders(ctx, storage.OrderFilter{})
	if err != nil {
		return nil, err
	}
	var also []string
	for _, p := range projects {
		if p.Stage != project.Completed && p.Stage != project.Operating {
			also = append(also, p.OwnerDept)
		}
	}
	for _, o := range orders {
		also = append(also, o.LeadDept)
		also = append(also, o.CoDepts...)
	}
	for _, d := range also {
		if !seen[d] {
			seen[d] = true
			ranked = append(ranked, watch.DeptScore{Dept: d, Score: cfg.ScoreRules.Base})
		}
	}
	slices.SortStableFunc(ranked, func(a, b watch.DeptScore) int {
		if a.Score != b.Score {
			if a.Score > b.Score {
				return -1
			}
			return 1
		}
		if a.Dept < b.Dept {
			return -1
		}
		if a.Dept > b.Dept {
			return 1
		}
		return 0
	})
	return ranked, nil
}
