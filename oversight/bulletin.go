package oversight

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/lantu/lantu/docx"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/project"
	"github.com/lantu/lantu/storage"
	"github.com/lantu/lantu/supervision"
	"github.com/lantu/lantu/watch"
)

// Bulletin is the weekly supervision bulletin (督查通报): the lights by
// department, the red projects and their problems, the overdue orders and
// the ranking of departments. The page and the .docx are both written from
// it, so they say the same.
type Bulletin struct {
	Week      period.Period
	AsOf      time.Time
	Counts    map[watch.Color]int
	ByDept    []DeptLights
	Red       []RedProject
	Overdue   []OverdueOrder
	Ranking   []RankedDept
	FormulaZH string
	FormulaEN string
}

// Count is how many projects had colour c ("green", "yellow", "red").
func (b Bulletin) Count(c string) int { return b.Counts[watch.Color(c)] }

// DeptLights counts a department's projects by colour.
type DeptLights struct {
	Dept                string
	Name                string
	Green, Yellow, Red  int
	NotLit, NotComputed int
}

// RedProject is a project red this week, with why and who must step in.
type RedProject struct {
	Project  project.Project
	DeptName string
	Reasons  []watch.Reason
	Problems string // from its latest weekly report
	Ladder   watch.Level
	Holder   string
}

// OverdueOrder is an order past its deadline and not closed.
type OverdueOrder struct {
	Order    supervision.Order
	LeadName string
	DaysOver int // working days past the deadline
}

// RankedDept is a line of the ranking.
type RankedDept struct {
	Rank  int
	Dept  string
	Name  string
	Score float64
	Lines []watch.ScoreLine
}

// Bulletin assembles the bulletin of week from the lights kept for it and
// the orders and scores as they stand at asOf; the ranking covers the year
// of the week up to its end.
func (s *Service) Bulletin(ctx context.Context, week period.Period, asOf time.Time) (Bulletin, error) {
	cfg, err := s.Config(ctx)
	if err != nil {
		return Bulletin{}, err
	}
	b := Bulletin{Week: week, AsOf: asOf, Counts: map[watch.Color]int{}, FormulaZH: cfg.ScoreRules.FormulaZH(), FormulaEN: cfg.ScoreRules.FormulaEN()}
	depts, err := s.DB.Departments(ctx)
	if err != nil {
		return b, err
	}
	name := map[string]string{}
	for _, d := range depts {
		name[d.Code] = d.NameZH
		if d.ShortZH != "" {
			name[d.Code] = d.ShortZH
		}
	}
	projects, err := s.DB.Projects(ctx, storage.ProjectFilter{})
	if err != nil {
		return b, err
	}
	lights, err := s.DB.LightsOfWeek(ctx, week)
	if err != nil {
		return b, err
	}
	byProject := map[string]storage.Light{}
	for _, l := range lights {
		byProject[l.ProjectCode] = l
	}
	byDept := map[string]*DeptLights{}
	for _, p := range projects {
		d := byDept[p.OwnerDept]
		if d == nil {
			d = &DeptLights{Dept: p.OwnerDept, Name: name[p.OwnerDept]}
			byDept[p.OwnerDept] = d
		}
		l, ok := byProject[p.Code]
		if !ok {
			d.NotComputed++
			continue
		}
		color := watch.Color(l.Color)
		b.Counts[color]++
		switch color {
		case watch.Green:
			d.Green++
		case watch.Yellow:
			d.Yellow++
		case watch.Red:
			d.Red++
			rp, err := s.redProject(ctx, p, l, name[p.OwnerDept], cfg)
			if err != nil {
				return b, err
			}
			b.Red = append(b.Red, rp)
		default:
			d.NotLit++
		}
	}
	for _, d := range byDept {
		b.ByDept = append(b.ByDept, *d)
	}
	slices.SortFunc(b.ByDept, func(x, y DeptLights) int {
		if x.Red != y.Red {
			return y.Red - x.Red
		}
		if x.Yellow != y.Yellow {
			return y.Yellow - x.Yellow
		}
		return compareStrings(x.Dept, y.Dept)
	})
	open, err := s.DB.Orders(ctx, storage.OrderFilter{OpenOnly: true})
	if err != nil {
		return b, err
	}
	for _, o := range open {
		if o.Overdue(asOf) {
			b.Overdue = append(b.Overdue, OverdueOrder{Order: o, LeadName: name[o.LeadDept], DaysOver: -o.WorkingDaysLeft(asOf, cfg.Calendar)})
		}
	}
	yearStart := time.Date(week.Start().Year(), 1, 1, 0, 0, 0, 0, indicator.Beijing)
	weekEnd := time.Date(week.End().Year(), week.End().Month(), week.End().Day(), 0, 0, 0, 0, indicator.Beijing)
	ranking, err := s.Ranking(ctx, yearStart, weekEnd, asOf)
	if err != nil {
		return b, err
	}
	for i, d := range ranking {
		rank := i + 1
		if i > 0 && d.Score == ranking[i-1].Score {
			rank = b.Ranking[i-1].Rank // equal scores share a rank
		}
		b.Ranking = append(b.Ranking, RankedDept{Rank: rank, Dept: d.Dept, Name: name[d.Dept], Score: d.Score, Lines: d.Lines})
	}
	return b, nil
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (s *Service) redProject(ctx context.Context, p project.Project, l storage.Light, deptName string, cfg Config) (RedProject, error) {
	rp := RedProject{Project: p, DeptName: deptName, Ladder: watch.Level(l.Ladder)}
	if err := jsonUnmarshal(l.Reasons, &rp.Reasons); err != nil {
		return rp, fmt.Errorf("oversight: light of %s %s: %w", p.Code, l.Week.String(), err)
	}
	depts, err := s.DB.Departments(ctx)
	if err != nil {
		return rp, err
	}
	head := ""
	for _, d := range depts {
		if d.Code == p.OwnerDept {
			head = d.Head
		}
	}
	rp.Holder = watch.Holders{LeaderInCharge: p.Leader, DeptHead: head, CityLeader: p.CityLeader, Mayor: cfg.Mayor}.Holder(rp.Ladder)
	reports, err := s.DB.WeeklyReports(ctx, p.Code)
	if err != nil {
		return rp, err
	}
	for i := len(reports) - 1; i >= 0; i-- {
		if !reports[i].Week.Start().After(l.Week.Start()) && reports[i].ProblemsZH != "" {
			rp.Problems = reports[i].ProblemsZH
			break
		}
	}
	return rp, nil
}

// FormatScore writes a score with one decimal, as published.
func FormatScore(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) }

// WriteBulletin writes the bulletin as a Word document.
func WriteBulletin(w io.Writer, b Bulletin, issuer string) error {
	d := docx.New(docx.Options{Title: "督查通报 " + b.Week.String(), Author: issuer, Created: b.AsOf})
	d.Paragraph(docx.Run{Text: "重点工作督查通报", Bold: true, Color: "C00000", Size: 22}).Align(docx.Center)
	d.Text(fmt.Sprintf("（%d年第%d周）", b.Week.Year, b.Week.N)).Align(docx.Center)
	d.Text(issuer + " " + b.AsOf.In(indicator.Beijing).Format("2006年1月2日")).Align(docx.Right)

	d.Heading(1, "一、总体情况")
	d.Paragraph(docx.Run{Text: fmt.Sprintf("本周纳入监测的重点项目：绿灯 %d 个，黄灯 %d 个，红灯 %d 个。",
		b.Counts[watch.Green], b.Counts[watch.Yellow], b.Counts[watch.Red])})
	rows := make([][]string, 0, len(b.ByDept))
	for _, dl := range b.ByDept {
		rows = append(rows, []string{dl.Name, strconv.Itoa(dl.Green), strconv.Itoa(dl.Yellow), strconv.Itoa(dl.Red)})
	}
	if len(rows) > 0 {
		d.Table([]string{"责任单位", "绿灯", "黄灯", "红灯"}, rows, docx.TableOptions{HeaderBold: true})
	}

	d.Heading(1, "二、红灯项目")
	if len(b.Red) == 0 {
		d.Text("本周无红灯项目。")
	}
	for i, rp := range b.Red {
		d.Heading(2, fmt.Sprintf("%d. %s（%s）", i+1, rp.Project.NameZH, rp.DeptName))
		for _, r := range rp.Reasons {
			if r.Color == watch.Red || r.Color == watch.Yellow {
				d.Text(r.ZH)
			}
		}
		if rp.Problems != "" {
			d.Text("存在问题：" + rp.Problems)
		}
		if rp.Ladder != watch.LevelNone {
			holder := ""
			if rp.Holder != "" {
				holder = "（" + rp.Holder + "）"
			}
			d.Text("协调层级：" + rp.Ladder.LabelZH() + holder)
		}
	}

	d.Heading(1, "三、逾期督办事项")
	if len(b.Overdue) == 0 {
		d.Text("本周无逾期督办事项。")
	} else {
		rows = rows[:0]
		for _, o := range b.Overdue {
			rows = append(rows, []string{o.Order.Number, o.Order.Title, o.LeadName, o.Order.Deadline.Format(time.DateOnly),
				strconv.Itoa(o.DaysOver), o.Order.Level.LabelZH()})
		}
		d.Table([]string{"编号", "事项", "牵头单位", "办理期限", "逾期工作日", "督办级别"}, rows, docx.TableOptions{HeaderBold: true})
	}

	d.Heading(1, "四、单位评分排名")
	d.Text("计分办法：" + b.FormulaZH)
	rows = rows[:0]
	for _, r := range b.Ranking {
		rows = append(rows, []string{strconv.Itoa(r.Rank), r.Name, FormatScore(r.Score)})
	}
	if len(rows) > 0 {
		d.Table([]string{"名次", "单位", "得分"}, rows, docx.TableOptions{HeaderBold: true})
	}
	return d.Write(w)
}
