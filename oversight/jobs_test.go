package oversight_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/notify"
	"github.com/lantu/lantu/oversight"
	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/project"
	"github.com/lantu/lantu/storage"
	"github.com/lantu/lantu/storage/storagetest"
)

// Notifications leave through the department's robots: one that answers
// is recorded sent; one that is throttled is retried after a back-off and
// shown as failing meanwhile; a channel Lantu has no sender for is given
// up at once. The order itself was issued regardless.
func TestDeliveriesRetryAndGiveUp(t *testing.T) {
	var now time.Time // the database's clock too: deliveries are due from when they were queued
	storagetest.Each(t, func() time.Time { return now }, func(t *testing.T, db *storage.DB) {
		now = beijing(2024, 9, 27, 10)
		svc, p := setup(t, db, &now)
		var mu sync.Mutex
		var wecomBodies []string
		wecom := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			mu.Lock()
			wecomBodies = append(wecomBodies, string(b))
			mu.Unlock()
			_, _ = io.WriteString(w, `{"errcode":0,"errmsg":"ok"}`)
		}))
		defer wecom.Close()
		throttled := 0
		ding := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			throttled++
			_, _ = io.WriteString(w, `{"errcode":130101,"errmsg":"send too fast, exceed 20 times per minute"}`)
		}))
		defer ding.Close()
		err := db.Write(ctx, audit.Actor{Name: "test"}, func(tx *storage.Tx) error {
			for _, c := range []storage.Channel{
				{Channel: notify.ChannelWeCom, Target: wecom.URL + "/cgi-bin/webhook/send?key=k", Dept: "transport", Active: true},
				{Channel: notify.ChannelDingTalk, Target: ding.URL + "/robot/send?access_token=t", Dept: "transport", Active: true},
				{Channel: notify.ChannelEmail, Target: "jt1@example.org", UserID: p.lead1.UserID, Active: true},
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
		if _, err := svc.IssueOrder(ctx, p.office1, coachOrder()); err != nil {
			t.Fatalf("the order must be issued whatever becomes of its notifications: %v", err)
		}
		d := oversight.Delivery{BaseURL: "https://lantu.example.org", Senders: map[string]notify.Sender{
			notify.ChannelWeCom: &notify.WeCom{AllowHTTP: true}, notify.ChannelDingTalk: &notify.DingTalk{AllowHTTP: true}}}
		// Two transport users: each gets the department's two robots, and
		// jt1 its e-mail too: 5 deliveries.
		sent, failed, err := svc.Deliver(ctx, now, d)
		if err != nil || sent != 2 || failed != 3 {
			t.Fatalf("first round: %d sent, %d failed, %v; want 2 and 3", sent, failed, err)
		}
		if len(wecomBodies) != 2 || !strings.Contains(wecomBodies[0], "督办〔2024〕1号") || !strings.Contains(wecomBodies[0], "https://lantu.example.org/supervision/orders/") {
			t.Errorf("WeCom received %v", wecomBodies)
		}
		var body struct{ Msgtype string }
		if err := json.Unmarshal([]byte(wecomBodies[0]), &body); err != nil || body.Msgtype != "markdown" {
			t.Errorf("WeCom body %s", wecomBodies[0])
		}
		failing, err := db.FailedDeliveries(ctx, 10)
		if err != nil || len(failing) != 3 {
			t.Fatalf("failing deliveries shown: %d, %v", len(failing), err)
		}
		var retrying, givenUp int
		for _, f := range failing {
			switch {
			case !f.GivenUpAt.IsZero() && f.Channel.Channel == notify.ChannelEmail && strings.Contains(f.LastError, "未配置"):
				givenUp++
			case f.GivenUpAt.IsZero() && f.NextAt.Equal(now.Add(notify.Backoff(1))) && strings.Contains(f.LastError, "130101"):
				retrying++
			default:
				t.Errorf("unexpected failure %+v", f)
			}
		}
		if retrying != 2 || givenUp != 1 {
			t.Errorf("%d retrying and %d given up, want 2 and 1", retrying, givenUp)
		}
		// Nothing is due before the back-off; after it, the robot is tried again.
		if sent, failed, _ := svc.Deliver(ctx, now.Add(30*time.Second), d); sent+failed != 0 {
			t.Errorf("retried before the back-off: %d %d", sent, failed)
		}
		if _, failed, _ := svc.Deliver(ctx, now.Add(notify.Backoff(1)), d); failed != 2 || throttled != 4 {
			t.Errorf("second round: %d failed, robot called %d times; want 2 and 4", failed, throttled)
		}
	})
}

// Each job's slot: lights from 18:00 each evening, orders from 08:00, the
// bulletin of last week from Monday 09:00 (Beijing), deliveries only when due.
func TestJobSlots(t *testing.T) {
	db := storagetest.OpenSQLite(t, nil)
	svc := oversight.New(db)
	slots := map[string]func(time.Time) string{}
	for _, j := range svc.Jobs(oversight.Delivery{}) {
		slots[j.Name] = j.Slot
	}
	for _, c := range []struct {
		job  string
		at   time.Time
		want string
	}{
		{"lights", beijing(2024, 5, 17, 17), ""},
		{"lights", beijing(2024, 5, 17, 18), "2024-05-17"},
		{"orders", beijing(2024, 5, 17, 7), ""},
		{"orders", beijing(2024, 5, 17, 8), "2024-05-17"},
		{"bulletin", beijing(2024, 5, 20, 8), ""},         // Monday of W21, before 09:00
		{"bulletin", beijing(2024, 5, 20, 9), "2024W20"},  // from 09:00: last week's
		{"bulletin", beijing(2024, 5, 26, 23), "2024W20"}, // all week long, the same slot
		{"deliveries", beijing(2024, 5, 20, 9), ""},       // nothing queued
	} {
		if got := slots[c.job](c.at); got != c.want {
			t.Errorf("%s at %s: slot %q, want %q", c.job, c.at, got, c.want)
		}
	}
}

// The morning a weekly report is due, the departments of projects under
// weekly watch that have not filed it are reminded, once. In the National
// Day week of 2024 the report of W40 is due on Tuesday 8 October (Friday
// 4 October is a holiday, as are the 5th to the 7th), so Friday brings no
// reminder and Tuesday does.
func TestRemindReports(t *testing.T) {
	var now time.Time
	storagetest.Each(t, func() time.Time { return now }, func(t *testing.T, db *storage.DB) {
		now = beijing(2024, 9, 27, 10)
		svc, p := setup(t, db, &now)
		// Under weekly watch since W39: its report filed.
		if _, err := svc.SaveReport(ctx, p.lead1, project.WeeklyReport{ProjectCode: "coach-station", Week: period.MustParse("2024W39"),
			ProgressZH: "主体施工", InvestWeek: 10, InvestToDate: 100}, true); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			at   time.Time
			want int
		}{
			{beijing(2024, 10, 4, 8), 0},  // a holiday: not the due day
			{beijing(2024, 10, 8, 8), 2},  // due 17:00 today: both transport users
			{beijing(2024, 10, 8, 9), 0},  // once a day
			{beijing(2024, 10, 8, 18), 0}, // past the due time: missing, no longer a reminder
		} {
			now = c.at
			got, err := svc.RemindReports(ctx, c.at)
			if err != nil || got != c.want {
				t.Errorf("at %s: %d reminders, %v; want %d", c.at, got, err, c.want)
			}
		}
		// W41's report filed before its due day leaves nothing to remind.
		now = beijing(2024, 10, 10, 10)
		if _, err := svc.SaveReport(ctx, p.lead1, project.WeeklyReport{ProjectCode: "coach-station", Week: period.MustParse("2024W41"),
			ProgressZH: "主体施工", InvestWeek: 10, InvestToDate: 110}, true); err != nil {
			t.Fatal(err)
		}
		if got, _ := svc.RemindReports(ctx, beijing(2024, 10, 11, 8)); got != 0 {
			t.Errorf("a filed report was reminded: %d", got)
		}
	})
}
