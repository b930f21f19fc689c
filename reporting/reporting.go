// Package reporting is how figures enter Lantu: a department enters and
// submits the values of its indicators; the planning office approves and
// publishes them. It enforces who may write which value and which status,
// on top of storage.
package reporting

import (
	"context"
	"strings"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/storage"
)

// Service enters figures. Now is the clock.
type Service struct {
	DB  *storage.DB
	Now func() time.Time
}

// New returns a service with the real clock.
func New(db *storage.DB) *Service { return &Service{DB: db, Now: time.Now} }

// Entry is what a reporter sends for one value: the figure and where it
// came from. Who entered it, when, and who approved it are never taken from
// the sender.
type Entry struct {
	Indicator string
	OrgUnit   string
	Period    string
	Number    float64
	Qualifier indicator.Qualifier
	Status    indicator.Status // draft or submitted; empty means draft
	Source    string
	Quote     string
	Note      string
	Reason    string // why, for the audit trail (required to change a value)
}

// Put enters or changes one value on behalf of sub. A reporter may write
// only the values of their department's indicators, only as draft or
// submitted, and not once a value is approved; the planning office may
// write any department's. The value before and after is in the audit
// trail.
func (s *Service) Put(ctx context.Context, sub auth.Subject, e Entry, ip string) (indicator.Value, error) {
	p, err := period.Parse(strings.TrimSpace(e.Period))
	if err != nil {
		return indicator.Value{}, err
	}
	ind, err := s.DB.Indicator(ctx, e.Indicator)
	if err != nil {
		return indicator.Value{}, err
	}
	if !sub.CanWriteFor(auth.WriteValues, ind.OwnerDept) {
		return indicator.Value{}, apperr.New(apperr.Forbidden, "无权填报指标 "+ind.Code+"：它属于其他部门", "you may not report indicator "+ind.Code+": it belongs to another department")
	}
	if _, err := s.DB.OrgUnit(ctx, e.OrgUnit); err != nil {
		return indicator.Value{}, err
	}
	status := e.Status
	if status == "" {
		status = indicator.Draft
	}
	if status != indicator.Draft && status != indicator.Submitted {
		return indicator.Value{}, apperr.New(apperr.Forbidden, "填报时状态只能是 draft（填报）或 submitted（报送）；审核与公开另有步骤",
			"a value can only be entered as draft or submitted; approval and publication are separate steps")
	}
	old, err := s.DB.Value(ctx, sub.Scope(), ind.Code, e.OrgUnit, p)
	exists := err == nil
	if err != nil && apperr.Code(err) != apperr.NotFound {
		return indicator.Value{}, err
	}
	if exists && (old.Status == indicator.Approved || old.Status == indicator.Published) {
		return indicator.Value{}, apperr.Conflictf("数据 %s/%s/%s 已审核，已锁定；如需更正，请规划部门退回",
			"value %s/%s/%s is approved and locked; the planning office must reopen it to correct it", ind.Code, e.OrgUnit, p.String())
	}
	if exists && strings.TrimSpace(e.Reason) == "" && old.Number != e.Number {
		return indicator.Value{}, apperr.Invalidf("修改已有数据需要填写原因", "changing an existing value needs a reason")
	}
	v := indicator.Value{IndicatorCode: ind.Code, OrgUnitCode: e.OrgUnit, Period: p, Number: e.Number, Qualifier: e.Qualifier,
		Status: status, EnteredBy: sub.Name, EnteredAt: s.Now(), Source: e.Source, Quote: e.Quote, Note: e.Note}
	reason := e.Reason
	if reason == "" {
		reason = "填报 (report a value)"
	}
	a := sub.Actor(reason)
	a.IP = ip
	err = s.DB.Write(ctx, a, func(tx *storage.Tx) error { return tx.PutValue(ctx, v) })
	if err != nil {
		return indicator.Value{}, err
	}
	return s.DB.Value(ctx, sub.Scope(), ind.Code, e.OrgUnit, p)
}
