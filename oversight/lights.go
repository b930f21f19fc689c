package oversight

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/project"
	"github.com/lantu/lantu/storage"
	"github.com/lantu/lantu/watch"
)

// ProjectWeek is a project's light for a week with its ladder level and
// who holds it, as computed.
type ProjectWeek struct {
	Project project.Project
	Light   watch.Light
	Ladder  watch.Level
	Holder  string
	Changed bool // the colour differs from the week before
}

// weekInput gathers what is known of a project at at, for its light of week.
func (s *Service) weekInput(ctx context.Context, p project.Project, week period.Period, at time.Time) (watch.WeekInput, error) {
	year := at.In(indicator.Beijing).Year()
	in := watch.WeekInput{Week: week, At: at, Stage: p.Stage, Plan: watch.InvestmentPlan{Year: year}}
	plans, err := s.DB.MonthlyPlans(ctx, p.Code, year)
	if err != nil {
		return in, err
	}
	for _, m := range plans {
		in.Plan.Monthly[m.Month-1] = m.Amount
		in.Plan.Annual += m.Amount
	}
	if len(plans) == 0 && p.AnnualInvestment != nil {
		in.Plan.Annual = *p.AnnualInvestment
	}
	ms, err := s.DB.Milestones(ctx, p.Code)
	if err != nil {
		return in, err
	}
	for _, m := range ms {
		wm := watch.Milestone{Name: m.NameZH, Planned: m.Planned}
		if m.Reached() {
			actual := m.Actual
			wm.Actual = &actual
		}
		in.Milestones = append(in.Milestones, wm)
	}
	reports, err := s.DB.WeeklyReports(ctx, p.Code)
	if err != nil {
		return in, err
	}
	for _, r := range reports {
		if r.SubmittedAt.IsZero() {
			continue
		}
		in.Reports = append(in.Reports, watch.WeeklyReport{Week: r.Week, Filed: r.SubmittedAt})
		// investment to date: the latest figure filed by at for this year
		if !r.SubmittedAt.After(at) && r.Week.Start().Year() == year && !r.Week.Start().After(week.Start()) {
			in.Invested = r.InvestToDate
		}
	}
	// Reports are owed from the week of a project's first report: that is
	// when it came under weekly watch. Before it files one nothing is owed
	// (its investment, if planned, still counts).
	in.ReportsFrom = week.Next()
	if len(in.Reports) > 0 {
		in.ReportsFrom = in.Reports[0].Week
		for _, r := range in.Reports {
			if r.Week.Start().Before(in.ReportsFrom.Start()) {
				in.ReportsFrom = r.Week
			}
		}
	}
	return in, nil
}

// ComputeLights computes every watched project's light for week as things
// stand at at, with its ladder level, and keeps it; a project whose colour
// changed is notified to its department and the office.
func (s *Service) ComputeLights(ctx context.Context, week period.Period, at time.Time) ([]ProjectWeek, error) {
	cfg, err := s.Config(ctx)
	if err != nil {
		return nil, err
	}
	projects, err := s.DB.Projects(ctx, storage.ProjectFilter{})
	if err != nil {
		return nil, err
	}
	depts, err := s.DB.Departments(ctx)
	if err != nil {
		return nil, err
	}
	heads := map[string]string{}
	for _, d := range depts {
		heads[d.Code] = d.Head
	}
	var out []ProjectWeek
	for _, p := range projects {
		in, err := s.weekInput(ctx, p, week, at)
		if err != nil {
			return nil, err
		}
		light := watch.Evaluate(in, cfg.Rules)
		history, err := s.DB.Lights(ctx, p.Code)
		if err != nil {
			return nil, err
		}
		var colors []watch.Color
		prev := watch.Unlit
		for _, l := range history {
			if l.Week.Start().Before(week.Start()) {
				colors = append(colors, watch.Color(l.Color))
				prev = watch.Color(l.Color)
			}
		}
		colors = append(colors, light.Color)
		level := watch.Ladder(colors, cfg.Rules.LadderWeeks)
		holders := watch.Holders{LeaderInCharge: p.Leader, DeptHead: heads[p.OwnerDept], CityLeader: p.CityLeader, Mayor: cfg.Mayor}
		pw := ProjectWeek{Project: p, Light: light, Ladder: level, Holder: holders.Holder(level), Changed: prev != light.Color && len(history) > 0}
		reasons, err := json.Marshal(light.Reasons)
		if err != nil {
			return nil, err
		}
		err = s.DB.Write(ctx, auditActor("scheduler", "计算项目灯色 (compute project lights)"), func(tx *storage.Tx) error {
			if err := tx.PutLight(ctx, storage.Light{ProjectCode: p.Code, Week: week, Color: string(light.Color), Reasons: reasons,
				Ladder: int(level), ComputedAt: at}); err != nil {
				return err
			}
			if !pw.Changed || light.Color == watch.Unlit {
				return nil
			}
			n := storage.Notification{Kind: "light_changed", Link: "/projects/" + p.Code,
				Ref:     fmt.Sprintf("light/%s/%s/%s", p.Code, week.String(), light.Color),
				TitleZH: fmt.Sprintf("「%s」%s 转为%s", p.NameZH, week.String(), light.Color.LabelZH()),
				TitleEN: fmt.Sprintf("%s turned %s in %s", p.Code, light.Color.LabelEN(), week.String())}
			if len(light.Reasons) > 0 {
				n.BodyZH, n.BodyEN = light.Reasons[0].ZH, light.Reasons[0].EN
			}
			if _, err := s.notifyDepts(ctx, tx, n, []string{p.OwnerDept}); err != nil {
				return err
			}
			_, err := s.notifyOffice(ctx, tx, n)
			return err
		})
		if err != nil {
			return nil, err
		}
		out = append(out, pw)
	}
	return out, nil
}

func jsonUnmarshal(raw []byte, v any) error {
	if len(raw) == 0 {
		return nil
	}
	return json.Unmarshal(raw, v)
}
