package oversight

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/notify"
	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/scheduler"
	"github.com/lantu/lantu/storage"
)

// Delivery is how notifications leave the app: the senders by channel
// ("email", "wecom", "dingtalk"; a missing one means the channel is not
// configured) and the address of Lantu for the links they carry.
type Delivery struct {
	Senders map[string]notify.Sender
	BaseURL string // e.g. https://lantu.gujiao.gov.cn
}

// Jobs are the supervision office's scheduled jobs, each run once per slot
// by one server:
//
//   - lights: every evening from 18:00 (Beijing), this week's lights;
//   - orders: every morning from 08:00, escalation of overdue orders,
//     reminders of near deadlines, and of weekly reports due that day;
//   - bulletin: from Monday 09:00, last week's final lights and bulletin,
//     announced in the inbox of the office, the leaders and the departments;
//   - deliveries: every 5 minutes when some are due, notifications sent
//     by e-mail and group robots, failures retried with back-off.
func (s *Service) Jobs(d Delivery) []scheduler.Job {
	beijing := func(t time.Time) time.Time { return t.In(indicator.Beijing) }
	daily := func(fromHour int) func(time.Time) string {
		return func(now time.Time) string {
			if t := beijing(now); t.Hour() >= fromHour {
				return t.Format(time.DateOnly)
			}
			return ""
		}
	}
	return []scheduler.Job{
		{Name: "lights", Slot: daily(18), Lease: 30 * time.Minute,
			Run: func(ctx context.Context, now time.Time, _ string) (string, error) {
				week := period.Of(period.Week, beijing(now))
				list, err := s.ComputeLights(ctx, week, now)
				return fmt.Sprintf("%s: %d 个项目 (projects)", week, len(list)), err
			}},
		{Name: "orders", Slot: daily(8), Lease: 30 * time.Minute,
			Run: func(ctx context.Context, now time.Time, _ string) (string, error) {
				escalated, reminded, err := s.CheckOrders(ctx, now)
				if err != nil {
					return "", err
				}
				reports, err := s.RemindReports(ctx, now)
				return fmt.Sprintf("升级 %d，提醒 %d，周报提醒 %d (escalated, reminded, reports due)", escalated, reminded, reports), err
			}},
		{Name: "bulletin", Lease: 30 * time.Minute,
			Slot: func(now time.Time) string {
				t := beijing(now)
				week := period.Of(period.Week, t)
				monday9 := time.Date(week.Start().Year(), week.Start().Month(), week.Start().Day(), 9, 0, 0, 0, indicator.Beijing)
				if t.Before(monday9) {
					return ""
				}
				return week.Prev().String()
			},
			Run: func(ctx context.Context, now time.Time, slot string) (string, error) {
				week, err := period.Parse(slot)
				if err != nil {
					return "", err
				}
				n, err := s.PublishBulletin(ctx, week, now)
				return fmt.Sprintf("%s: %d 人收到 (recipients)", slot, n), err
			}},
		{Name: "deliveries", Lease: 10 * time.Minute,
			Slot: func(now time.Time) string {
				due, err := s.DB.DueDeliveries(context.Background(), now, 1)
				if err != nil || len(due) == 0 {
					return ""
				}
				return beijing(now).Truncate(5 * time.Minute).Format("2006-01-02T15:04")
			},
			Run: func(ctx context.Context, now time.Time, _ string) (string, error) {
				sent, failed, err := s.Deliver(ctx, now, d)
				return fmt.Sprintf("发出 %d，失败 %d (sent, failed)", sent, failed), err
			}},
	}
}

// PublishBulletin computes week's final lights as things stood at the end
// of the week and puts the bulletin in the inbox of the office, the city
// leaders and the departments' users; it returns how many received it.
func (s *Service) PublishBulletin(ctx context.Context, week period.Period, now time.Time) (int, error) {
	end := week.End()
	at := time.Date(end.Year(), end.Month(), end.Day(), 0, 0, 0, 0, indicator.Beijing).Add(-time.Second)
	if now.Before(at) {
		at = now
	}
	if _, err := s.ComputeLights(ctx, week, at); err != nil {
		return 0, err
	}
	b, err := s.Bulletin(ctx, week, now)
	if err != nil {
		return 0, err
	}
	n := storage.Notification{Kind: "bulletin", Link: "/supervision/bulletins/" + week.String(), Ref: "bulletin/" + week.String(),
		TitleZH: fmt.Sprintf("督查通报（%d年第%d周）", week.Year, week.N), TitleEN: fmt.Sprintf("Supervision bulletin, %s", week.String()),
		BodyZH: fmt.Sprintf("绿灯 %d，黄灯 %d，红灯 %d；逾期督办事项 %d 件", b.Counts["green"], b.Counts["yellow"], b.Counts["red"], len(b.Overdue)),
		BodyEN: fmt.Sprintf("green %d, yellow %d, red %d; overdue orders %d", b.Counts["green"], b.Counts["yellow"], b.Counts["red"], len(b.Overdue))}
	var sent int
	err = s.DB.Write(ctx, auditActor("scheduler", "发布督查通报 (publish the bulletin)"), func(tx *storage.Tx) error {
		var err error
		sent, err = s.notifyUsers(ctx, tx, n, func(u auth.User) bool { return u.Role.Has(auth.ReadInternal) })
		return err
	})
	return sent, err
}

// Deliver sends the deliveries due at now through the configured senders:
// a success is recorded, a retryable failure tried again after a back-off,
// and a permanent one (or one past notify.MaxAttempts) given up; all of it
// is kept and shown to the office, and none of it blocks anyone's work.
func (s *Service) Deliver(ctx context.Context, now time.Time, d Delivery) (sent, failed int, err error) {
	due, err := s.DB.DueDeliveries(ctx, now, 100)
	if err != nil {
		return 0, 0, err
	}
	for _, dl := range due {
		outcome := storage.DeliveryOutcome{Sent: true}
		if sendErr := s.send(ctx, dl, d); sendErr != nil {
			failed++
			outcome = storage.DeliveryOutcome{Err: sendErr.Error()}
			if attempt := dl.Attempts + 1; notify.Retryable(sendErr) && attempt < notify.MaxAttempts {
				outcome.NextAt = now.Add(notify.Backoff(attempt))
			}
		} else {
			sent++
		}
		err := s.DB.Write(ctx, auditActor("scheduler", "发送通知 (deliver a notification)"), func(tx *storage.Tx) error {
			return tx.RecordDelivery(ctx, dl.ID, outcome)
		})
		if err != nil {
			return sent, failed, err
		}
	}
	return sent, failed, nil
}

func (s *Service) send(ctx context.Context, dl storage.Delivery, d Delivery) error {
	sender := d.Senders[dl.Channel.Channel]
	if sender == nil {
		return fmt.Errorf("渠道 %s 未配置 (channel not configured)", dl.Channel.Channel)
	}
	n := dl.Notification
	m := notify.Message{Title: n.TitleZH, Body: n.BodyZH}
	if n.Link != "" && d.BaseURL != "" {
		m.Link = strings.TrimSuffix(d.BaseURL, "/") + n.Link
	}
	target := dl.Channel.Target
	if dl.Channel.Channel == notify.ChannelDingTalk && dl.Channel.Secret != "" {
		target = notify.DingTalkTarget(target, dl.Channel.Secret)
	}
	return sender.Send(ctx, target, m)
}
