package oversight

import (
	"context"
	"fmt"
	"strconv"

	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/storage"
	"github.com/lantu/lantu/supervision"
)

// notifyOrder tells whoever must act next about an order's event: the
// departments when the office acted, the office when a department did.
func (s *Service) notifyOrder(ctx context.Context, tx *storage.Tx, o supervision.Order, ev supervision.Event, cfg Config) error {
	zh, en := s.orderMessage(o, ev)
	n := storage.Notification{Kind: "order_" + string(ev.Kind), Link: orderLink(o.ID), TitleZH: zh, TitleEN: en,
		BodyZH: o.Title, BodyEN: o.Title, Ref: "order/" + strconv.FormatInt(o.ID, 10) + "/v" + strconv.Itoa(ev.Version)}
	var err error
	switch ev.ByRole {
	case supervision.Lead, supervision.Co:
		_, err = s.notifyOffice(ctx, tx, n)
	default: // the office, or the scheduler
		depts := []string{o.LeadDept}
		if ev.Kind == supervision.Assign || ev.Kind == supervision.Remind || ev.Kind == supervision.Escalate {
			depts = append(depts, o.CoDepts...)
		}
		_, err = s.notifyDepts(ctx, tx, n, depts)
	}
	return err
}

func (s *Service) orderMessage(o supervision.Order, ev supervision.Event) (zh, en string) {
	switch ev.Kind {
	case supervision.Assign:
		dzh, den := o.DeadlineExplained()
		return fmt.Sprintf("新督办单 %s：%s（%s）", o.Number, o.Title, dzh), fmt.Sprintf("New order %s: %s (%s)", o.Number, o.Title, den)
	case supervision.Escalate:
		return fmt.Sprintf("督办单 %s 升级为「%s」", o.Number, o.Level.LabelZH()), fmt.Sprintf("Order %s escalated to %s", o.Number, o.Level.LabelEN())
	}
	verdict := map[bool][2]string{true: {"（同意）", " (accepted)"}, false: {"（不同意）", " (refused)"}}
	zh, en = fmt.Sprintf("督办单 %s：%s", o.Number, ev.Kind.LabelZH()), fmt.Sprintf("Order %s: %s", o.Number, ev.Kind.LabelEN())
	switch ev.Kind {
	case supervision.Review, supervision.DecideReturn, supervision.DecideExtension:
		zh, en = zh+verdict[ev.Accepted][0], en+verdict[ev.Accepted][1]
	}
	return zh, en
}

// notifyDepts puts n in the inbox of every active user of the departments
// who may act on orders; it returns how many it added.
func (s *Service) notifyDepts(ctx context.Context, tx *storage.Tx, n storage.Notification, depts []string) (int, error) {
	return s.notifyUsers(ctx, tx, n, func(u auth.User) bool {
		if !u.Role.Has(auth.RespondOrders) {
			return false
		}
		for _, d := range depts {
			if u.Department == d {
				return true
			}
		}
		return false
	})
}

// notifyOffice puts n in the inbox of every active user of the supervision
// office.
func (s *Service) notifyOffice(ctx context.Context, tx *storage.Tx, n storage.Notification) (int, error) {
	return s.notifyUsers(ctx, tx, n, func(u auth.User) bool { return u.Role.Has(auth.Supervise) })
}

func (s *Service) notifyUsers(ctx context.Context, tx *storage.Tx, n storage.Notification, who func(auth.User) bool) (int, error) {
	users, err := s.DB.Users(ctx)
	if err != nil {
		return 0, err
	}
	added := 0
	for _, u := range users {
		if u.Disabled || !who(u) {
			continue
		}
		n.UserID = u.ID
		ok, err := tx.Notify(ctx, n)
		if err != nil {
			return added, err
		}
		if ok {
			added++
		}
	}
	return added, nil
}
