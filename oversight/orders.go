package oversight

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/storage"
	"github.com/lantu/lantu/supervision"
)

// actorOf is who sub is to an order: the office if it supervises, else its
// department (the order then says whether that is the lead or a co-handler).
func actorOf(sub auth.Subject) supervision.Actor {
	return supervision.Actor{Name: sub.Name, Dept: sub.Department, Office: sub.Can(auth.Supervise)}
}

// IssueOrder issues (交办) a supervision order drafted by the office: it is
// numbered, its deadline counted on the working-day calendar, and its lead
// and co-handling departments notified.
func (s *Service) IssueOrder(ctx context.Context, sub auth.Subject, draft supervision.Order) (supervision.Order, error) {
	if !sub.Can(auth.Supervise) {
		return draft, apperr.New(apperr.Forbidden, "只有督查室可以交办督办单", "only the supervision office may issue orders")
	}
	cfg, err := s.Config(ctx)
	if err != nil {
		return draft, err
	}
	now := s.Now()
	var out supervision.Order
	err = s.DB.Write(ctx, sub.Actor("交办督办单 (issue a supervision order)"), func(tx *storage.Tx) error {
		var err error
		if draft.Number, err = tx.NextOrderNumber(ctx, now.In(indicator.Beijing).Year()); err != nil {
			return err
		}
		o, ev, err := supervision.Issue(draft, actorOf(sub), now, cfg.Calendar)
		if err != nil {
			return err
		}
		if out, err = tx.CreateOrder(ctx, o, ev); err != nil {
			return err
		}
		return s.notifyOrder(ctx, tx, out, ev, cfg)
	})
	return out, err
}

// Act applies an action to an order on behalf of sub: the transition table
// decides whether it may, and of two people acting on the same order at
// once exactly one succeeds.
func (s *Service) Act(ctx context.Context, sub auth.Subject, id int64, a supervision.Action) (supervision.Order, error) {
	if !sub.Can(auth.Supervise) && !sub.Can(auth.RespondOrders) {
		return supervision.Order{}, apperr.New(apperr.Forbidden, "没有办理督办单的权限", "you may not act on supervision orders")
	}
	cfg, err := s.Config(ctx)
	if err != nil {
		return supervision.Order{}, err
	}
	var out supervision.Order
	err = s.DB.Write(ctx, sub.Actor(fmt.Sprintf("督办单：%s (order: %s)", a.Kind.LabelZH(), a.Kind)), func(tx *storage.Tx) error {
		before, err := tx.Order(ctx, id)
		if err != nil {
			return err
		}
		after, ev, err := supervision.Apply(before, a, actorOf(sub), s.Now(), cfg.Calendar)
		if err != nil {
			return err
		}
		if err := tx.UpdateOrder(ctx, before, after, ev); err != nil {
			return err
		}
		out = after
		return s.notifyOrder(ctx, tx, after, ev, cfg)
	})
	return out, err
}

// CheckOrders is the scheduler's daily look at open orders: an overdue one
// still with its lead is escalated one level (once per missed deadline),
// and the lead of one whose deadline is near is reminded once a day.
func (s *Service) CheckOrders(ctx context.Context, now time.Time) (escalated, reminded int, err error) {
	cfg, err := s.Config(ctx)
	if err != nil {
		return 0, 0, err
	}
	open, err := s.DB.Orders(ctx, storage.OrderFilter{OpenOnly: true})
	if err != nil {
		return 0, 0, err
	}
	system := supervision.Actor{Name: "scheduler", System: true}
	for _, o := range open {
		if o.DueForEscalation(now) {
			err := s.DB.Write(ctx, auditActor("scheduler", "逾期自动升级督办 (overdue: escalated)"), func(tx *storage.Tx) error {
				before, err := tx.Order(ctx, o.ID)
				if err != nil {
					return err
				}
				after, ev, err := supervision.Apply(before, supervision.Action{Kind: supervision.Escalate, ExpectedVersion: before.Version,
					Note: "逾期未办结，自动升级 (overdue; escalated automatically)"}, system, now, cfg.Calendar)
				if err != nil {
					return err
				}
				if err := tx.UpdateOrder(ctx, before, after, ev); err != nil {
					return err
				}
				return s.notifyOrder(ctx, tx, after, ev, cfg)
			})
			if err != nil {
				return escalated, reminded, err
			}
			escalated++
			continue
		}
		left := o.WorkingDaysLeft(now, cfg.Calendar)
		if o.Light(now, cfg.Calendar, OrderYellowDays) != supervision.Yellow || o.State == supervision.Reported {
			continue
		}
		day := now.In(indicator.Beijing).Format(time.DateOnly)
		err := s.DB.Write(ctx, auditActor("scheduler", "督办单到期提醒 (deadline reminder)"), func(tx *storage.Tx) error {
			n := storage.Notification{Kind: "order_due", Link: orderLink(o.ID), Ref: "order/" + strconv.FormatInt(o.ID, 10) + "/due/" + day,
				TitleZH: fmt.Sprintf("督办单 %s 还剩 %d 个工作日到期", o.Number, left),
				TitleEN: fmt.Sprintf("Order %s is due in %d working days", o.Number, left),
				BodyZH:  o.Title + "：办理期限 " + o.Deadline.Format(time.DateOnly), BodyEN: o.Title + ": due " + o.Deadline.Format(time.DateOnly)}
			added, err := s.notifyDepts(ctx, tx, n, []string{o.LeadDept})
			if added > 0 {
				reminded++
			}
			return err
		})
		if err != nil {
			return escalated, reminded, err
		}
	}
	return escalated, reminded, nil
}

// OrderYellowDays is when an order's light turns yellow: this many working
// days or fewer left.
const OrderYellowDays = 3

func orderLink(id int64) string { return "/supervision/orders/" + strconv.FormatInt(id, 10) }

func auditActor(name, reason string) audit.Actor { return audit.Actor{Name: name, Reason: reason} }
