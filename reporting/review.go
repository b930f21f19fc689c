package reporting

import (
	"context"
	"strings"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/storage"
)

// Action is a step of the planning office's review.
type Action string

const (
	Approve Action = "approve" // submitted → approved, locked
	Return  Action = "return"  // submitted → draft, with a comment to the department
	Reopen  Action = "reopen"  // approved → draft, with a reason: the only way to correct a locked figure
	Publish Action = "publish" // approved → published, on the public portal
)

// transitions is the review's state table: what each action needs and
// leads to. Anything else is refused.
var transitions = map[Action]struct{ from, to indicator.Status }{
	Approve: {indicator.Submitted, indicator.Approved},
	Return:  {indicator.Submitted, indicator.Draft},
	Reopen:  {indicator.Approved, indicator.Draft},
	Publish: {indicator.Approved, indicator.Published},
}

// LabelZH names the action.
func (a Action) LabelZH() string {
	return map[Action]string{Approve: "审核通过", Return: "退回", Reopen: "重新打开", Publish: "公开"}[a]
}

// Review applies one action to values, all or none, on behalf of the
// planning office. Return needs a comment and reopen a reason, which go to
// the department and the audit trail.
func (s *Service) Review(ctx context.Context, sub auth.Subject, action Action, keys []indicator.Key, comment, ip string) error {
	tr, ok := transitions[action]
	if !ok {
		return apperr.Invalidf("未知的审核操作 %q", "unknown review action %q", string(action))
	}
	if !sub.Can(auth.ApproveValues) {
		return apperr.New(apperr.Forbidden, "只有规划部门可以审核和公开数据", "only the planning office reviews and publishes figures")
	}
	comment = strings.TrimSpace(comment)
	if (action == Return || action == Reopen) && comment == "" {
		return apperr.New(apperr.Invalid, action.LabelZH()+"需要填写原因", string(action)+" needs a reason")
	}
	if len(keys) == 0 {
		return apperr.Invalidf("没有选择数据", "no figure selected")
	}
	now := s.Now()
	reason := action.LabelZH()
	if comment != "" {
		reason += "：" + comment
	}
	a := sub.Actor(reason)
	a.IP = ip
	c, err := s.context(ctx)
	if err != nil {
		return err
	}
	return s.DB.Write(ctx, a, func(tx *storage.Tx) error {
		changed := make([]indicator.Value, 0, len(keys))
		for _, k := range keys {
			v, err := tx.Value(ctx, k)
			if err != nil {
				return err
			}
			if v.Status != tr.from {
				return apperr.New(apperr.Conflict, "数据 "+k.String()+" 的状态是「"+v.Status.LabelZH()+"」，不能"+action.LabelZH(),
					"value "+k.String()+" is "+v.Status.LabelEN()+"; it cannot take the action "+string(action))
			}
			v.Status = tr.to
			switch action {
			case Approve:
				v.ApprovedBy, v.ApprovedAt, v.ReviewComment = sub.Name, now, ""
			case Return:
				v.ReviewComment = comment
			case Reopen:
				v.ApprovedBy, v.ApprovedAt, v.PublishedAt, v.ReviewComment = "", timeZero, timeZero, comment
			case Publish:
				v.PublishedAt = now
			}
			if err := tx.PutValue(ctx, v); err != nil {
				return err
			}
			changed = append(changed, v)
		}
		// Computed figures follow their inputs' status.
		_, err := s.recompute(ctx, tx, c, changed)
		return err
	})
}
