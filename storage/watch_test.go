package storage_test

import (
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/project"
	"github.com/lantu/lantu/storage"
	"github.com/lantu/lantu/storage/storagetest"
)

func withProject(t *testing.T, db *storage.DB) {
	t.Helper()
	base(t, db)
	err := db.Write(ctx, actor, func(tx *storage.Tx) error {
		return tx.PutProject(ctx, project.Project{Code: "wind", NameZH: "风电", OwnerDept: "forestry", OrgUnitCode: "city", Stage: project.Construction})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Of two people saving the same weekly report from the same version,
// exactly one succeeds and the other is told to reload.
func TestWeeklyReportVersions(t *testing.T) {
	storagetest.Each(t, clock, func(t *testing.T, db *storage.DB) {
		withProject(t, db)
		w := period.MustParse("2024W18")
		r := project.WeeklyReport{ProjectCode: "wind", Week: w, Status: project.ReportDraft, InvestWeek: 10, InvestToDate: 100,
			MilestonesReached: []project.MilestoneUpdate{{Seq: 1, Actual: time.Date(2024, 5, 2, 0, 0, 0, 0, time.UTC)}}}
		var saved project.WeeklyReport
		err := db.Write(ctx, actor, func(tx *storage.Tx) (err error) { saved, err = tx.PutWeeklyReport(ctx, r); return err })
		if err != nil || saved.Version != 1 {
			t.Fatalf("first save: %+v, %v", saved, err)
		}
		errs := make([]error, 2)
		var wg sync.WaitGroup
		for i := range 2 {
			wg.Go(func() {
				edit := saved
				edit.ProgressZH = []string{"主体施工", "设备安装"}[i]
				errs[i] = db.Write(ctx, actor, func(tx *storage.Tx) error { _, err := tx.PutWeeklyReport(ctx, edit); return err })
			})
		}
		wg.Wait()
		ok, conflicts := 0, 0
		for _, err := range errs {
			switch apperr.Code(err) {
			case "":
				ok++
			case apperr.Conflict:
				conflicts++
				if msg := apperr.Message(err, "zh"); msg != "项目 wind 第 2024W18 周的周报已被他人修改，请刷新后重试" {
					t.Errorf("conflict message %q", msg)
				}
			default:
				t.Errorf("unexpected error %v", err)
			}
		}
		if ok != 1 || conflicts != 1 {
			t.Errorf("%d saved and %d conflicts, want 1 and 1", ok, conflicts)
		}
		got, found, err := db.WeeklyReport(ctx, "wind", w)
		if err != nil || !found || got.Version != 2 || len(got.MilestonesReached) != 1 || got.MilestonesReached[0].Seq != 1 {
			t.Errorf("stored report %+v, %v", got, err)
		}
		// A new report must start from version 0.
		r.Week, r.Version = period.MustParse("2024W19"), 3
		err = db.Write(ctx, actor, func(tx *storage.Tx) error { _, err := tx.PutWeeklyReport(ctx, r); return err })
		if apperr.Code(err) != apperr.Conflict {
			t.Errorf("new report with a version: %v", err)
		}
	})
}

// A week's light is kept with its facts; recomputing it unchanged writes
// nothing, and a new week adds a row of history.
func TestLightsHistory(t *testing.T) {
	storagetest.Each(t, clock, func(t *testing.T, db *storage.DB) {
		withProject(t, db)
		put := func(l storage.Light) {
			t.Helper()
			if err := db.Write(ctx, actor, func(tx *storage.Tx) error { return tx.PutLight(ctx, l) }); err != nil {
				t.Fatal(err)
			}
		}
		red := storage.Light{ProjectCode: "wind", Week: period.MustParse("2024W18"), Color: "red", Ladder: 1,
			Reasons: json.RawMessage(`[{"code":"behind","zh":"落后 35.0 个百分点"}]`), ComputedAt: clock()}
		put(red)
		n := auditCount(t, db)
		red.ComputedAt = clock().Add(time.Hour)
		put(red)
		if auditCount(t, db) != n {
			t.Error("recomputing an unchanged light wrote an audit row")
		}
		put(storage.Light{ProjectCode: "wind", Week: period.MustParse("2024W19"), Color: "green", Reasons: json.RawMessage(`[]`), ComputedAt: clock()})
		got, err := db.Lights(ctx, "wind")
		if err != nil || len(got) != 2 || got[0].Color != "red" || string(got[0].Reasons) != string(red.Reasons) || got[1].Color != "green" {
			t.Errorf("history = %+v, %v", got, err)
		}
	})
}

// Two servers on one database: of two claims of the same job slot at once
// exactly one wins; a finished slot is not run again, a failed one or one
// whose lease ran out is taken over.
func TestJobClaims(t *testing.T) {
	storagetest.Each(t, clock, func(t *testing.T, db *storage.DB) {
		claim := func(node string, slot string, lease time.Duration) (bool, error) {
			var got bool
			err := db.Write(ctx, actor, func(tx *storage.Tx) (err error) {
				got, err = tx.ClaimJob(ctx, "lights", slot, node, clock().Add(lease))
				return err
			})
			return got, err
		}
		wins := make([]bool, 2)
		var wg sync.WaitGroup
		for i, node := range []string{"a", "b"} {
			wg.Go(func() {
				var err error
				if wins[i], err = claim(node, "2024W18", time.Hour); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if wins[0] == wins[1] {
			t.Fatalf("claims %v: want exactly one", wins)
		}
		winner := map[bool]string{true: "a", false: "b"}[wins[0]]
		if again, _ := claim("c", "2024W18", time.Hour); again {
			t.Error("a running slot within its lease was claimed again")
		}
		if err := db.Write(ctx, actor, func(tx *storage.Tx) error { return tx.FinishJob(ctx, "lights", "2024W18", winner, true, "boom") }); err != nil {
			t.Fatal(err)
		}
		if retry, _ := claim("c", "2024W18", time.Hour); !retry {
			t.Error("a failed slot was not taken over")
		}
		if err := db.Write(ctx, actor, func(tx *storage.Tx) error { return tx.FinishJob(ctx, "lights", "2024W18", "c", false, "") }); err != nil {
			t.Fatal(err)
		}
		if again, _ := claim("d", "2024W18", time.Hour); again {
			t.Error("a finished slot was run again")
		}
		// A lease already over (negative): its server is taken to be dead.
		if got, _ := claim("e", "2024W19", -time.Minute); !got {
			t.Fatal("first claim of a new slot failed")
		}
		if got, _ := claim("f", "2024W19", time.Hour); !got {
			t.Error("a slot whose lease ran out was not taken over")
		}
		runs, err := db.JobRuns(ctx, 10)
		if err != nil || len(runs) != 2 {
			t.Errorf("runs = %+v, %v", runs, err)
		}
	})
}

// A notification reaches the inbox once per ref, and is queued for the
// user's and the department's active channels only.
func TestNotifyAndDeliveries(t *testing.T) {
	storagetest.Each(t, clock, func(t *testing.T, db *storage.DB) {
		base(t, db)
		var uid int64
		err := db.Write(ctx, actor, func(tx *storage.Tx) (err error) {
			uid, err = tx.CreateUser(ctx, auth.User{Name: "li", DisplayName: "李", Role: auth.Reporter, Department: "forestry", PasswordHash: "x"})
			if err != nil {
				return err
			}
			for _, c := range []storage.Channel{
				{Channel: "email", Target: "li@example.org", UserID: uid, Active: true},
				{Channel: "wecom", Target: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", Dept: "forestry", Active: true},
				{Channel: "dingtalk", Target: "https://oapi.dingtalk.com/robot/send?access_token=t", Secret: "s", Dept: "forestry", Active: false},
			} {
				if _, err := tx.PutChannel(ctx, c); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		n := storage.Notification{UserID: uid, Kind: "order_assigned", TitleZH: "新督办单", Ref: "order/1/assigned", Link: "/supervision/orders/1"}
		for i, want := range []bool{true, false} {
			var added bool
			if err := db.Write(ctx, actor, func(tx *storage.Tx) (err error) { added, err = tx.Notify(ctx, n); return err }); err != nil {
				t.Fatal(err)
			}
			if added != want {
				t.Errorf("notify #%d added = %v, want %v", i+1, added, want)
			}
		}
		if c, _ := db.UnreadCount(ctx, uid); c != 1 {
			t.Errorf("unread = %d, want 1", c)
		}
		due, err := db.DueDeliveries(ctx, clock(), 10)
		if err != nil || len(due) != 2 {
			t.Fatalf("due deliveries = %+v, %v", due, err)
		}
		if err := db.Write(ctx, actor, func(tx *storage.Tx) error {
			return tx.RecordDelivery(ctx, due[0].ID, storage.DeliveryOutcome{Err: "timeout", NextAt: clock().Add(time.Minute)})
		}); err != nil {
			t.Fatal(err)
		}
		if err := db.Write(ctx, actor, func(tx *storage.Tx) error {
			return tx.RecordDelivery(ctx, due[1].ID, storage.DeliveryOutcome{Sent: true})
		}); err != nil {
			t.Fatal(err)
		}
		if due, _ := db.DueDeliveries(ctx, clock(), 10); len(due) != 0 {
			t.Errorf("after one retry scheduled and one sent, %d due now", len(due))
		}
		if due, _ := db.DueDeliveries(ctx, clock().Add(2*time.Minute), 10); len(due) != 1 || due[0].Attempts != 1 || due[0].LastError != "timeout" {
			t.Errorf("due later = %+v", due)
		}
		if failed, _ := db.FailedDeliveries(ctx, 10); len(failed) != 1 {
			t.Errorf("failed deliveries shown = %d, want 1", len(failed))
		}
		if err := db.MarkRead(ctx, uid, 0, clock()); err != nil {
			t.Fatal(err)
		}
		if c, _ := db.UnreadCount(ctx, uid); c != 0 {
			t.Errorf("unread after marking all read = %d", c)
		}
		rows, _ := db.AuditEntries(ctx, storage.AuditFilter{ObjectType: "notify_channel"})
		for _, r := range rows {
			if json.Valid(r.After) && string(r.After) != "" && containsSecret(r.After) {
				t.Errorf("a channel's secret reached the audit trail: %s", r.After)
			}
		}
	})
}

func containsSecret(b []byte) bool {
	var c struct{ Secret string }
	_ = json.Unmarshal(b, &c)
	return c.Secret == "s"
}

// A project's linked indicators are replaced whole and audited once; an
// unknown indicator is refused and changes nothing.
func TestProjectIndicators(t *testing.T) {
	storagetest.Each(t, clock, func(t *testing.T, db *storage.DB) {
		withProject(t, db)
		set := func(codes ...string) error {
			return db.Write(ctx, actor, func(tx *storage.Tx) error { return tx.SetProjectIndicators(ctx, "wind", codes) })
		}
		if err := set("forest-cover", "forest-cover"); err != nil {
			t.Fatal(err)
		}
		n := auditCount(t, db)
		if err := set("forest-cover"); err != nil || auditCount(t, db) != n {
			t.Errorf("setting the same set again: %v, %d new audit rows", err, auditCount(t, db)-n)
		}
		if err := set("forest-cover", "ghost"); apperr.Code(err) != apperr.Invalid {
			t.Errorf("an unknown indicator: %v", err)
		}
		if got, err := db.ProjectIndicators(ctx, "wind"); err != nil || len(got) != 1 || got[0] != "forest-cover" {
			t.Errorf("linked = %v, %v", got, err)
		}
	})
}
