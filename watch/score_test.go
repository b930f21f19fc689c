package watch_test

import (
	"strings"
	"testing"
	"time"

	"github.com/lantu/lantu/watch"
)

func TestScores(t *testing.T) {
	from, to := bj(2024, 6, 1, 0, 0), bj(2024, 7, 1, 0, 0) // June
	ev := func(dept string, at time.Time, kind watch.EventKind, ref string) watch.ScoreEvent {
		return watch.ScoreEvent{Dept: dept, At: at, Kind: kind, Ref: ref}
	}
	events := []watch.ScoreEvent{
		// Given out of time order; lines come back sorted.
		ev("fgj", bj(2024, 6, 20, 9, 0), watch.WeeklyReportMissing, "chakou-wind 2024W25"),
		ev("fgj", from, watch.LeadOrderOnTime, "DB-2024-031"), // at from: counted
		ev("fgj", bj(2024, 6, 10, 9, 0), watch.CoOrderOverdue, "DB-2024-040"),
		ev("fgj", bj(2024, 6, 14, 18, 0), watch.WeeklyReportLate, "chakou-wind 2024W24"),

		ev("zjj", bj(2024, 6, 3, 9, 0), watch.LeadOrderOverdue, "DB-2024-033"),
		ev("zjj", bj(2024, 6, 4, 9, 0), watch.LeadOrderOnTime, "DB-2024-034"),
		ev("zjj", bj(2024, 6, 5, 9, 0), watch.CoOrderOnTime, "DB-2024-031"),
		ev("zjj", bj(2024, 6, 6, 9, 0), watch.CoOrderOnTime, "DB-2024-035"),
		ev("zjj", bj(2024, 6, 7, 18, 0), watch.WeeklyReportMissing, "erhuan 2024W23"),

		ev("jtj", bj(2024, 6, 5, 9, 0), watch.CoOrderOnTime, "DB-2024-034"),
		ev("jtj", bj(2024, 6, 6, 9, 0), watch.CoOrderOverdue, "DB-2024-033"),
		ev("jtj", bj(2024, 6, 7, 9, 0), watch.CoOrderOverdue, "DB-2024-040"),
		ev("jtj", bj(2024, 6, 21, 18, 0), watch.WeeklyReportLate, "erhuan 2024W25"),

		ev("slj", bj(2024, 6, 12, 9, 0), watch.LeadOrderOnTime, "DB-2024-036"),
		ev("slj", bj(2024, 6, 13, 9, 0), watch.LeadOrderOnTime, "DB-2024-037"),

		// Outside June: the minute before, and to itself (excluded).
		ev("hbj", bj(2024, 5, 31, 23, 59), watch.LeadOrderOverdue, "DB-2024-020"),
		ev("hbj", to, watch.LeadOrderOverdue, "DB-2024-041"),
	}
	got := watch.Scores(events, watch.DefaultScoreRules(), from, to)
	// By hand, base 80:
	//   slj: 80 + 2 + 2                     = 84.0
	//   fgj: 80 + 2 − 2.5 − 0.5 − 0.5       = 78.5
	//   zjj: 80 − 5 + 2 + 1 + 1 − 0.5       = 78.5 (tie: fgj < zjj)
	//   jtj: 80 + 1 − 2.5 − 2.5 − 0.5       = 75.5
	//   hbj: no event in June, not listed.
	want := []struct {
		dept  string
		score float64
		lines int
	}{{"slj", 84, 2}, {"fgj", 78.5, 4}, {"zjj", 78.5, 5}, {"jtj", 75.5, 4}}
	if len(got) != len(want) {
		t.Fatalf("%d departments, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		if got[i].Dept != w.dept || got[i].Score != w.score || len(got[i].Lines) != w.lines {
			t.Errorf("rank %d = %s %v (%d lines), want %s %v (%d lines)", i+1, got[i].Dept, got[i].Score, len(got[i].Lines), w.dept, w.score, w.lines)
		}
	}
	// fgj's lines, in time order, with their points.
	fgj := got[1].Lines
	wantLines := []struct {
		ref    string
		points float64
	}{{"DB-2024-031", 2}, {"DB-2024-040", -2.5}, {"chakou-wind 2024W24", -0.5}, {"chakou-wind 2024W25", -0.5}}
	for i, w := range wantLines {
		if fgj[i].Event.Ref != w.ref || fgj[i].Points != w.points {
			t.Errorf("fgj line %d = %s %v, want %s %v", i, fgj[i].Event.Ref, fgj[i].Points, w.ref, w.points)
		}
	}
	// The caller's slice is left as it was.
	if events[0].Dept != "fgj" || events[1].At != from {
		t.Error("Scores reordered its argument")
	}
}

// TestScoresNoDrift: ten deductions of 0.1 from 80 give 79 exactly; adding
// float64 0.1 ten times does not.
func TestScoresNoDrift(t *testing.T) {
	rules := watch.DefaultScoreRules()
	rules.WeeklyReportLate = -0.1
	var events []watch.ScoreEvent
	naive := rules.Base
	for i := range 10 {
		events = append(events, watch.ScoreEvent{Dept: "fgj", At: bj(2024, 6, 1+i, 18, 0), Kind: watch.WeeklyReportLate})
		naive += rules.WeeklyReportLate
	}
	if naive == 79 {
		t.Fatal("float64 sum is exact here; the test would prove nothing")
	}
	got := watch.Scores(events, rules, bj(2024, 6, 1, 0, 0), bj(2024, 7, 1, 0, 0))
	if len(got) != 1 || got[0].Score != 79 {
		t.Fatalf("got %+v, want fgj 79", got)
	}
}

func TestScoresUnknownKind(t *testing.T) {
	e := watch.ScoreEvent{Dept: "fgj", At: bj(2024, 6, 3, 9, 0), Kind: "praised"}
	got := watch.Scores([]watch.ScoreEvent{e}, watch.DefaultScoreRules(), bj(2024, 6, 1, 0, 0), bj(2024, 7, 1, 0, 0))
	if len(got) != 1 || got[0].Score != 80 || len(got[0].Lines) != 1 || got[0].Lines[0].Points != 0 {
		t.Errorf("got %+v, want one line of 0 points", got)
	}
	wantInvalid(t, e.Validate(), "类型")
}

func TestFormula(t *testing.T) {
	r := watch.DefaultScoreRules()
	zh := "部门得分 = 基础分 80 分，统计期内逐项加减：督办单按期办结，主办单位每件加 2 分，协办单位每件加 1 分；" +
		"督办单逾期，主办单位每件扣 5 分，协办单位每件扣 2.5 分；周报迟报每次扣 0.5 分，周报未报每次扣 0.5 分。"
	if got := r.FormulaZH(); got != zh {
		t.Errorf("FormulaZH =\n%s\nwant\n%s", got, zh)
	}
	en := "Department score = base 80, plus for each event in the period: supervision order completed on time " +
		"+2 as lead department, +1 as co-handler; supervision order overdue -5 as lead department, -2.5 as co-handler; " +
		"weekly report late -0.5; weekly report missing -0.5."
	if got := r.FormulaEN(); got != en {
		t.Errorf("FormulaEN =\n%s\nwant\n%s", got, en)
	}
	// The text follows the rules.
	r.Base, r.WeeklyReportLate, r.WeeklyReportMissing = 100, 0, -1
	for _, s := range []string{"基础分 100 分", "周报迟报不计分", "周报未报每次扣 1 分"} {
		if !strings.Contains(r.FormulaZH(), s) {
			t.Errorf("FormulaZH %q lacks %q", r.FormulaZH(), s)
		}
	}
	for _, s := range []string{"base 100", "weekly report late 0;", "weekly report missing -1."} {
		if !strings.Contains(r.FormulaEN(), s) {
			t.Errorf("FormulaEN %q lacks %q", r.FormulaEN(), s)
		}
	}
}

func TestScoreValidate(t *testing.T) {
	wantInvalid(t, watch.DefaultScoreRules().Validate(), "")
	r := watch.DefaultScoreRules()
	r.CoOrderOverdue = -2.25
	wantInvalid(t, r.Validate(), "0.1")
	ok := watch.ScoreEvent{Dept: "fgj", At: bj(2024, 6, 3, 9, 0), Kind: watch.LeadOrderOnTime}
	wantInvalid(t, ok.Validate(), "")
	noDept := ok
	noDept.Dept = ""
	wantInvalid(t, noDept.Validate(), "部门")
	noTime := ok
	noTime.At = time.Time{}
	wantInvalid(t, noTime.Validate(), "时间")
	for _, k := range watch.EventKinds {
		if k.LabelZH() == "" || k.LabelEN() == "" {
			t.Errorf("kind %s lacks a label", k)
		}
	}
}
