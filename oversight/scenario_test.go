package oversight_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/internal/officetest"
	"github.com/lantu/lantu/oversight"
	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/plan"
	"github.com/lantu/lantu/project"
	"github.com/lantu/lantu/storage"
	"github.com/lantu/lantu/storage/storagetest"
	"github.com/lantu/lantu/supervision"
	"github.com/lantu/lantu/watch"
)

// The story of the coach station (新建汽车客运站, transport bureau) over eight
// weeks of 2024, W20 to W27, with the clock moved by hand. Its plan is 100
// 万元 a month (1200 a year); its reports are due Fridays 17:00. Every
// number below is worked out by hand in the comment beside it.
//
//	week  report                    序时进度 (end of Friday)          完成率        missing (4 weeks)  light   ladder
//	W20   filed Fri 10:00, 420      (400+17/31×100)/1200 = 37.9%     35.0%  2.9    none               green   —
//	W21   missing                   (400+24/31×100)/1200 = 39.8%     35.0%  4.8    W21                yellow  —
//	W22   missing                   500/1200 = 41.7%                 35.0%  6.7    W21 W22            red     1 分管领导
//	W23   filed, 480                (500+7/30×100)/1200 = 43.6%      40.0%  3.6    W21 W22            red     1 (streak 2)
//	W24   filed, 520                (500+14/30×100)/1200 = 45.6%     43.3%  2.3    W21 W22            red     2 单位主要领导 (streak 3)
//	W25   filed, 560                (500+21/30×100)/1200 = 47.5%     46.7%  0.8    W22                yellow  —
//	W26   filed, 600; 主体封顶 reached (500+28/30×100)/1200 = 49.4%     50.0% −0.6    none               green   —
//	W27   filed, 620                (600+5/31×100)/1200 = 51.3%      51.7% −0.4    none               green   —
//
// The order: issued Fri 2024-05-31 with 10 working days: Jun 3–7 (5), Mon
// Jun 10 is the Dragon Boat holiday, Jun 11–14 (9), Jun 17 (10) → deadline
// 2024-06-17. Signed Mon Jun 3; on Fri Jun 14, before the deadline, the
// lead asks to extend to Jun 21 and the office agrees; completion reported
// Thu Jun 20; reviewed and closed (销号) Fri Jun 21, on the deadline: on time.
//
// Scores (base 80): transport −0.5 for W19 filed late (due Fri May 10
// 17:00, filed Sat May 11 — a make-up workday — at 09:00), −0.5 each for W21
// and W22 never filed, +2 as lead of an order closed on time; housing +1 as
// its co-handler.
func TestEightWeeksOfACoachStation(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		now := beijing(2024, 4, 19, 9)
		svc, p := setup(t, db, &now)
		prepareCoachStation(t, db)
		file := func(week string, at time.Time, toDate float64, problems string, reached ...project.MilestoneUpdate) {
			t.Helper()
			now = at
			_, err := svc.SaveReport(ctx, p.lead1, project.WeeklyReport{ProjectCode: "coach-station", Week: period.MustParse(week),
				ProgressZH: "按计划推进 " + week, InvestWeek: 20, InvestToDate: toDate, ProblemsZH: problems, MilestonesReached: reached}, true)
			if err != nil {
				t.Fatalf("filing %s: %v", week, err)
			}
		}
		// Before the story: W16–W19 filed; W18's due is Mon May 6 17:00
		// (Fri May 3 to Sun May 5 are the May Day holiday); W19 late.
		file("2024W16", beijing(2024, 4, 19, 10), 340, "")
		file("2024W17", beijing(2024, 4, 26, 10), 360, "")
		file("2024W18", beijing(2024, 5, 6, 10), 380, "")
		file("2024W19", beijing(2024, 5, 11, 9), 400, "")

		type step struct {
			week      string
			file      bool
			toDate    float64
			expected  float64 // 序时进度, one decimal
			actual    float64
			color     watch.Color
			ladder    watch.Level
			holder    string
			missing   []string
			transport float64 // score at the end of the week
			housing   float64
		}
		steps := []step{
			{"2024W20", true, 420, 37.9, 35.0, watch.Green, watch.LevelNone, "", nil, 79.5, 80},
			{"2024W21", false, 0, 39.8, 35.0, watch.Yellow, watch.LevelNone, "", []string{"2024W21"}, 79.0, 80},
			{"2024W22", false, 0, 41.7, 35.0, watch.Red, watch.LevelLeaderInCharge, "副市长张志", []string{"2024W21", "2024W22"}, 78.5, 80},
			{"2024W23", true, 480, 43.6, 40.0, watch.Red, watch.LevelLeaderInCharge, "副市长张志", []string{"2024W21", "2024W22"}, 78.5, 80},
			{"2024W24", true, 520, 45.6, 43.3, watch.Red, watch.LevelDeptHead, "局长李军", []string{"2024W21", "2024W22"}, 78.5, 80},
			{"2024W25", true, 560, 47.5, 46.7, watch.Yellow, watch.LevelNone, "", []string{"2024W22"}, 80.5, 81},
			{"2024W26", true, 600, 49.4, 50.0, watch.Green, watch.LevelNone, "", nil, 80.5, 81},
			{"2024W27", true, 620, 51.3, 51.7, watch.Green, watch.LevelNone, "", nil, 80.5, 81},
		}
		var order supervision.Order
		for _, st := range steps {
			w := period.MustParse(st.week)
			friday := w.Start().AddDate(0, 0, 4)
			at := func(h, m int) time.Time {
				return time.Date(friday.Year(), friday.Month(), friday.Day(), h, m, 0, 0, beijingLoc())
			}
			if st.file {
				var reached []project.MilestoneUpdate
				if st.week == "2024W26" {
					reached = []project.MilestoneUpdate{{Seq: 1, Actual: time.Date(2024, 6, 27, 0, 0, 0, 0, time.UTC)}}
				}
				file(st.week, at(10, 0), st.toDate, "征地拆迁尚有2户未签约", reached...)
			}
			// The order's steps that fall in this week, before Friday evening.
			switch st.week {
			case "2024W23":
				order = orderAct(t, svc, db, p.lead1, &now, beijing(2024, 6, 3, 9), order.ID, supervision.Action{Kind: supervision.Sign})
			case "2024W24":
				order = orderAct(t, svc, db, p.lead1, &now, at(10, 30), order.ID, supervision.Action{Kind: supervision.RequestExtension,
					NewDeadline: time.Date(2024, 6, 21, 0, 0, 0, 0, beijingLoc()), Note: "征地问题需协调，申请延期一周"})
				order = orderAct(t, svc, db, p.office1, &now, at(11, 0), order.ID, supervision.Action{Kind: supervision.DecideExtension, Accept: true, Note: "同意"})
				if got := order.Deadline.Format(time.DateOnly); got != "2024-06-21" {
					t.Fatalf("deadline after the extension = %s, want 2024-06-21", got)
				}
			case "2024W25":
				order = orderAct(t, svc, db, p.lead1, &now, beijing(2024, 6, 20, 15), order.ID, supervision.Action{Kind: supervision.Report, Note: "已完成征地协调，项目恢复序时进度"})
				order = orderAct(t, svc, db, p.office1, &now, at(9, 0), order.ID, supervision.Action{Kind: supervision.Review, Accept: true, Note: "同意销号"})
				if order.State != supervision.Closed {
					t.Fatalf("order after review: %s", order.State)
				}
			}
			now = at(18, 0)
			weeks, err := svc.ComputeLights(ctx, w, now)
			if err != nil {
				t.Fatal(err)
			}
			var got oversight.ProjectWeek
			for _, pw := range weeks {
				if pw.Project.Code == "coach-station" {
					got = pw
				}
			}
			if got.Light.Color != st.color || got.Ladder != st.ladder || got.Holder != st.holder {
				t.Errorf("%s: light %s, ladder %d (%s); want %s, %d (%s)\n%+v", st.week, got.Light.Color, got.Ladder, got.Holder,
					st.color, st.ladder, st.holder, got.Light.Reasons)
			}
			for _, r := range got.Light.Reasons {
				switch r.Code {
				case watch.InvestmentOnPlan, watch.InvestmentBehind:
					if r.Expected != st.expected || r.Actual != st.actual {
						t.Errorf("%s: investment %.1f%% of %.1f%%, want %.1f%% of %.1f%%", st.week, r.Actual, r.Expected, st.actual, st.expected)
					}
				case watch.ReportsMissing:
					var weeks []string
					for _, m := range r.Missing {
						weeks = append(weeks, m.String())
					}
					if strings.Join(weeks, " ") != strings.Join(st.missing, " ") {
						t.Errorf("%s: missing %v, want %v", st.week, weeks, st.missing)
					}
				}
			}
			if st.week == "2024W22" {
				// Red: the office issues an order on the project.
				now = at(18, 30)
				draft := coachOrder()
				draft.DeadlineDays = 10
				o, err := svc.IssueOrder(ctx, p.office1, draft)
				if err != nil {
					t.Fatal(err)
				}
				if o.Deadline.Format(time.DateOnly) != "2024-06-17" || o.Number != "督办〔2024〕1号" {
					t.Fatalf("issued %s due %s; want 督办〔2024〕1号 due 2024-06-17", o.Number, o.Deadline.Format(time.DateOnly))
				}
				order = o
			}
			b, err := svc.Bulletin(ctx, w, now)
			if err != nil {
				t.Fatal(err)
			}
			checkBulletin(t, st.week, b, st.color, map[string]float64{"transport": st.transport, "housing": st.housing})
			if st.week == "2024W24" {
				if len(b.Red) != 1 || b.Red[0].Project.Code != "coach-station" || b.Red[0].Problems != "征地拆迁尚有2户未签约" || b.Red[0].Holder != "局长李军" {
					t.Errorf("W24 bulletin red projects: %+v", b.Red)
				}
				checkDocx(t, b)
			}
		}
		// The history keeps why the project was red in W22, though it is green now.
		lights, err := db.Lights(ctx, "coach-station")
		if err != nil {
			t.Fatal(err)
		}
		var colors []string
		for _, l := range lights {
			colors = append(colors, l.Color)
			if l.Week.String() == "2024W22" && !strings.Contains(string(l.Reasons), "第21周、第22周周报未报") {
				t.Errorf("W22's kept reasons do not name the missing W21 report: %s", l.Reasons)
			}
		}
		if strings.Join(colors, " ") != "green yellow red red red yellow green green" {
			t.Errorf("light history = %v", colors)
		}
		// The inbox of the lead: the order, the office's decisions, light changes.
		inbox, err := db.Inbox(ctx, p.lead1.UserID, false, 100)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, n := range inbox {
			kinds = append(kinds, n.Kind)
		}
		for _, want := range []string{"order_assign", "order_decide_extension", "order_review", "light_changed"} {
			if !strings.Contains(strings.Join(kinds, " "), want) {
				t.Errorf("the lead's inbox lacks %s: %v", want, kinds)
			}
		}
		if _, p, err := db.VerifyAudit(ctx); err != nil || p != nil {
			t.Errorf("audit chain: %v %v", p, err)
		}
	})
}

func beijingLoc() *time.Location { return beijing(2024, 1, 1, 0).Location() }

// prepareCoachStation gives the coach station its plan, a milestone and
// the people of its ladder.
func prepareCoachStation(t *testing.T, db *storage.DB) {
	t.Helper()
	err := db.Write(ctx, audit.Actor{Name: "test"}, func(tx *storage.Tx) error {
		p, err := db.Project(ctx, "coach-station")
		if err != nil {
			return err
		}
		p.Leader, p.CityLeader = "副市长张志", "常务副市长王强"
		if err := tx.PutProject(ctx, p); err != nil {
			return err
		}
		depts, err := db.Departments(ctx)
		if err != nil {
			return err
		}
		for _, d := range depts {
			if d.Code == "transport" {
				d.Head = "局长李军"
				if err := tx.PutDepartment(ctx, plan.Department(d)); err != nil {
					return err
				}
			}
		}
		for m := 1; m <= 12; m++ {
			if err := tx.PutMonthlyPlan(ctx, project.MonthlyPlan{ProjectCode: "coach-station", Year: 2024, Month: m, Amount: 100}); err != nil {
				return err
			}
		}
		return tx.PutMilestone(ctx, project.Milestone{ProjectCode: "coach-station", Seq: 1, NameZH: "主体封顶", Planned: time.Date(2024, 6, 28, 0, 0, 0, 0, time.UTC)})
	})
	if err != nil {
		t.Fatal(err)
	}
}

func orderAct(t *testing.T, svc *oversight.Service, db *storage.DB, who auth.Subject, now *time.Time, at time.Time, id int64, a supervision.Action) supervision.Order {
	t.Helper()
	*now = at
	o, err := db.Order(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	a.ExpectedVersion = o.Version
	o, err = svc.Act(ctx, who, id, a)
	if err != nil {
		t.Fatalf("%s by %s: %v", a.Kind, who.Name, err)
	}
	return o
}

// checkBulletin checks the counts, the coach station's place and the two
// departments' scores.
func checkBulletin(t *testing.T, week string, b oversight.Bulletin, color watch.Color, scores map[string]float64) {
	t.Helper()
	found := false
	for _, d := range b.ByDept {
		if d.Dept == "transport" {
			found = true
			// The bureau's other projects: three green (nothing planned or
			// owed yet) and one in operation, unlit.
			want := map[watch.Color]int{watch.Green: 3}
			want[color]++
			if d.Green != want[watch.Green] || d.Yellow != want[watch.Yellow] || d.Red != want[watch.Red] || d.NotLit != 1 {
				t.Errorf("%s bulletin: transport's lights %+v, want %v and one unlit", week, d, want)
			}
		}
	}
	if !found {
		t.Errorf("%s bulletin has no line for transport", week)
	}
	for dept, want := range scores {
		var got *oversight.RankedDept
		for i := range b.Ranking {
			if b.Ranking[i].Dept == dept {
				got = &b.Ranking[i]
			}
		}
		if got == nil || got.Score != want {
			t.Errorf("%s bulletin: %s scores %+v, want %.1f", week, dept, got, want)
		}
	}
	for i := 1; i < len(b.Ranking); i++ {
		if b.Ranking[i].Score > b.Ranking[i-1].Score {
			t.Errorf("%s ranking out of order at %d", week, i)
		}
	}
}

// checkDocx writes the bulletin as .docx, has LibreOffice convert it to
// text, and checks that the ranking shown on the page is in it, line by line.
func checkDocx(t *testing.T, b oversight.Bulletin) {
	t.Helper()
	var buf bytes.Buffer
	if err := oversight.WriteBulletin(&buf, b, "古交市人民政府督查室"); err != nil {
		t.Fatal(err)
	}
	lo := officetest.New(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "bulletin.docx")
	if err := os.WriteFile(in, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := lo.Convert("txt:Text", dir, in); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "bulletin.txt"))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.ReplaceAll(string(raw), "\r\n", "\n")
	for _, want := range []string{"重点工作督查通报", "（2024年第24周）", "红灯项目", "新建汽车客运站（交通局）", "征地拆迁尚有2户未签约", "单位评分排名"} {
		if !strings.Contains(text, want) {
			t.Errorf("the bulletin's text lacks %q", want)
		}
	}
	// The ranking table: rank, name and score of each line, in order.
	at := strings.Index(text, "单位评分排名")
	for _, r := range b.Ranking {
		line := []string{strconv.Itoa(r.Rank), r.Name, oversight.FormatScore(r.Score)}
		for _, cell := range line {
			i := strings.Index(text[at:], cell)
			if i < 0 {
				t.Fatalf("the ranking in the .docx lacks %q of %v", cell, line)
			}
			at += i + len(cell)
		}
	}
}
