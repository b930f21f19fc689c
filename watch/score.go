package watch

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/indicator"
)

// EventKind is something a department did, or failed to do, that scores.
type EventKind string

const (
	LeadOrderOnTime     EventKind = "lead_order_on_time"    // 督办单按期办结（主办）
	CoOrderOnTime       EventKind = "co_order_on_time"      // 督办单按期办结（协办）
	LeadOrderOverdue    EventKind = "lead_order_overdue"    // 督办单逾期（主办）
	CoOrderOverdue      EventKind = "co_order_overdue"      // 督办单逾期（协办）
	WeeklyReportLate    EventKind = "weekly_report_late"    // 周报迟报
	WeeklyReportMissing EventKind = "weekly_report_missing" // 周报未报
)

// EventKinds lists the kinds in the order the formula names them.
var EventKinds = []EventKind{LeadOrderOnTime, CoOrderOnTime, LeadOrderOverdue, CoOrderOverdue, WeeklyReportLate, WeeklyReportMissing}

// LabelZH returns the Chinese label.
func (k EventKind) LabelZH() string {
	return map[EventKind]string{LeadOrderOnTime: "督办单按期办结（主办）", CoOrderOnTime: "督办单按期办结（协办）",
		LeadOrderOverdue: "督办单逾期（主办）", CoOrderOverdue: "督办单逾期（协办）",
		WeeklyReportLate: "周报迟报", WeeklyReportMissing: "周报未报"}[k]
}

// LabelEN returns the English label.
func (k EventKind) LabelEN() string {
	return map[EventKind]string{LeadOrderOnTime: "order completed on time (lead)", CoOrderOnTime: "order completed on time (co-handler)",
		LeadOrderOverdue: "order overdue (lead)", CoOrderOverdue: "order overdue (co-handler)",
		WeeklyReportLate: "weekly report late", WeeklyReportMissing: "weekly report missing"}[k]
}

// ScoreRules are the points of the department ranking: a base, and the
// points, signed, that each event adds. Points are kept to 0.1.
type ScoreRules struct {
	Base                float64
	LeadOrderOnTime     float64
	CoOrderOnTime       float64
	LeadOrderOverdue    float64
	CoOrderOverdue      float64
	WeeklyReportLate    float64
	WeeklyReportMissing float64
}

// DefaultScoreRules returns the points of common practice: base 80; an
// order completed on time +2 as lead, +1 as co-handler; an order overdue
// −5 as lead, −2.5 as co-handler; a weekly report late −0.5, missing −0.5.
func DefaultScoreRules() ScoreRules {
	return ScoreRules{Base: 80, LeadOrderOnTime: 2, CoOrderOnTime: 1, LeadOrderOverdue: -5, CoOrderOverdue: -2.5,
		WeeklyReportLate: -0.5, WeeklyReportMissing: -0.5}
}

// Validate checks that every figure is finite and kept to 0.1.
func (r ScoreRules) Validate() error {
	for _, v := range []float64{r.Base, r.LeadOrderOnTime, r.CoOrderOnTime, r.LeadOrderOverdue, r.CoOrderOverdue,
		r.WeeklyReportLate, r.WeeklyReportMissing} {
		if err := indicator.CheckNumber("分值 points", v); err != nil {
			return err
		}
		if math.Abs(v*10-math.Round(v*10)) > 1e-6 {
			return apperr.Invalidf("分值 %v 须精确到 0.1 分", "points %v must be kept to 0.1", v)
		}
	}
	return nil
}

// points returns the signed points of an event kind, in tenths.
func (r ScoreRules) points(k EventKind) int64 {
	return tenths(map[EventKind]float64{LeadOrderOnTime: r.LeadOrderOnTime, CoOrderOnTime: r.CoOrderOnTime,
		LeadOrderOverdue: r.LeadOrderOverdue, CoOrderOverdue: r.CoOrderOverdue,
		WeeklyReportLate: r.WeeklyReportLate, WeeklyReportMissing: r.WeeklyReportMissing}[k])
}

// FormulaZH is the formula as published with the ranking, in Chinese.
func (r ScoreRules) FormulaZH() string {
	zh := func(k EventKind, unit string) string {
		switch p := r.points(k); {
		case p > 0:
			return unit + "加 " + plain(p) + " 分"
		case p < 0:
			return unit + "扣 " + plain(-p) + " 分"
		}
		return "不计分"
	}
	return fmt.Sprintf("部门得分 = 基础分 %s 分，统计期内逐项加减：督办单按期办结，主办单位%s，协办单位%s；"+
		"督办单逾期，主办单位%s，协办单位%s；周报迟报%s，周报未报%s。",
		plain(tenths(r.Base)), zh(LeadOrderOnTime, "每件"), zh(CoOrderOnTime, "每件"),
		zh(LeadOrderOverdue, "每件"), zh(CoOrderOverdue, "每件"),
		zh(WeeklyReportLate, "每次"), zh(WeeklyReportMissing, "每次"))
}

// FormulaEN is the formula as published with the ranking, in English.
func (r ScoreRules) FormulaEN() string {
	en := func(k EventKind) string {
		p := r.points(k)
		if p > 0 {
			return "+" + plain(p)
		}
		return plain(p)
	}
	return fmt.Sprintf("Department score = base %s, plus for each event in the period: supervision order completed on time "+
		"%s as lead department, %s as co-handler; supervision order overdue %s as lead department, %s as co-handler; "+
		"weekly report late %s; weekly report missing %s.",
		plain(tenths(r.Base)), en(LeadOrderOnTime), en(CoOrderOnTime), en(LeadOrderOverdue), en(CoOrderOverdue),
		en(WeeklyReportLate), en(WeeklyReportMissing))
}

// ScoreEvent is one scoring event for a department.
type ScoreEvent struct {
	Dept string
	At   time.Time
	Kind EventKind
	Ref  string // what it is about: an order number, or project and week
	Note string
}

// Validate checks that the event names a department, a time and a known
// kind.
func (e ScoreEvent) Validate() error {
	if e.Dept == "" {
		return apperr.Invalidf("计分事项缺少部门", "a score event needs a department")
	}
	if e.At.IsZero() {
		return apperr.Invalidf("计分事项缺少时间", "a score event needs a time")
	}
	if e.Kind.LabelZH() == "" {
		return apperr.Invalidf("计分事项类型 %q 无效", "score event kind %q is invalid", string(e.Kind))
	}
	return nil
}

// ScoreLine is an event with the points it scored.
type ScoreLine struct {
	Event  ScoreEvent
	Points float64
}

// DeptScore is a department's score and the lines that make it up.
type DeptScore struct {
	Dept  string
	Score float64
	Lines []ScoreLine // in time order
}

// Scores ranks the departments by the events with from <= At < to: each
// scores the base plus its events' points, highest first, ties by
// department code. Points are added in tenths, so halves never drift; an
// event of an unknown kind is listed with 0 points. Only departments with
// an event in the range appear.
func Scores(events []ScoreEvent, rules ScoreRules, from, to time.Time) []DeptScore {
	in := slices.Clone(events)
	in = slices.DeleteFunc(in, func(e ScoreEvent) bool { return e.At.Before(from) || !e.At.Before(to) })
	slices.SortStableFunc(in, func(a, b ScoreEvent) int { return a.At.Compare(b.At) })
	type tally struct {
		score DeptScore
		total int64
	}
	byDept := map[string]*tally{}
	for _, e := range in {
		t := byDept[e.Dept]
		if t == nil {
			t = &tally{score: DeptScore{Dept: e.Dept}, total: tenths(rules.Base)}
			byDept[e.Dept] = t
		}
		p := rules.points(e.Kind)
		t.total += p
		t.score.Lines = append(t.score.Lines, ScoreLine{Event: e, Points: float64(p) / 10})
	}
	tallies := make([]*tally, 0, len(byDept))
	for _, t := range byDept {
		t.score.Score = float64(t.total) / 10
		tallies = append(tallies, t)
	}
	slices.SortFunc(tallies, func(a, b *tally) int {
		return cmp.Or(cmp.Compare(b.total, a.total), strings.Compare(a.score.Dept, b.score.Dept))
	})
	scores := make([]DeptScore, len(tallies))
	for i, t := range tallies {
		scores[i] = t.score
	}
	return scores
}

// plain writes a number of tenths without trailing zeros: 80, 2.5.
func plain(t int64) string { return strconv.FormatFloat(float64(t)/10, 'f', -1, 64) }
