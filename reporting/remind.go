package reporting

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/storage"
)

// RemindWorkingDays is how close a round's due date must be for the
// departments that have figures still to send to be reminded.
const RemindWorkingDays = 3

// Remind puts a reminder in the inbox of the reporters of every department
// that has figures still to send in an open round due within
// RemindWorkingDays working days (the due date counted) — once a day, on
// the working-day calendar. It returns how many reminders it added.
func (s *Service) Remind(ctx context.Context, now time.Time) (int, error) {
	cal, err := s.DB.Calendar(ctx)
	if err != nil {
		return 0, err
	}
	rounds, err := s.DB.Rounds(ctx)
	if err != nil {
		return 0, err
	}
	users, err := s.DB.Users(ctx)
	if err != nil {
		return 0, err
	}
	today := now.In(indicator.Beijing)
	day := today.Format(time.DateOnly)
	added := 0
	for _, r := range rounds {
		due := time.Date(r.DueDate.Year(), r.DueDate.Month(), r.DueDate.Day(), 0, 0, 0, 0, indicator.Beijing)
		if !r.Open() || due.Before(time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, indicator.Beijing)) {
			continue
		}
		left := cal.WorkingDaysBetween(today, due)
		if left > RemindWorkingDays {
			continue
		}
		progress, err := s.Completeness(ctx, auth.Subject{UserID: -1, Name: "scheduler", Role: auth.Planner}, r.ID)
		if err != nil {
			return added, err
		}
		for _, p := range progress {
			if p.Reported >= p.Total {
				continue
			}
			n := storage.Notification{Kind: "round_due", Link: "/reporting/rounds/" + strconv.FormatInt(r.ID, 10) + "/departments/" + p.Department,
				Ref:     fmt.Sprintf("round/%d/due/%s", r.ID, day),
				TitleZH: fmt.Sprintf("%s 数据填报还剩 %d 个工作日截止（%s），尚有 %d 项未报送", r.Period.String(), left, r.DueDate.Format(time.DateOnly), p.Total-p.Reported),
				TitleEN: fmt.Sprintf("Reporting for %s is due in %d working days (%s); %d figures not yet submitted", r.Period.String(), left, r.DueDate.Format(time.DateOnly), p.Total-p.Reported)}
			err := s.DB.Write(ctx, audit.Actor{Name: "scheduler", Reason: "填报截止提醒 (reporting deadline reminder)"}, func(tx *storage.Tx) error {
				for _, u := range users {
					if u.Disabled || u.Department != p.Department || !u.Role.Has(auth.WriteValues) {
						continue
					}
					n.UserID = u.ID
					ok, err := tx.Notify(ctx, n)
					if err != nil {
						return err
					}
					if ok {
						added++
					}
				}
				return nil
			})
			if err != nil {
				return added, err
			}
		}
	}
	return added, nil
}
