// Package casework is the service of cases with legal clocks: offices
// register cases, departments act on them through the transition table of
// the case's type, and who may see what is decided here — above all, that
// a petitioner's or caller's name and contact never leave the office that
// registered the case (storage hands them out only with the access this
// package grants).
package casework

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/cases"
	"github.com/lantu/lantu/storage"
)

// Service is the cases service.
type Service struct {
	DB  *storage.DB
	Now func() time.Time
}

// New returns a service on db with the wall clock.
func New(db *storage.DB) *Service { return &Service{DB: db, Now: time.Now} }

// ActorOf is who sub is to a case. A user acts for its department: as the
// office when it is the registering office, as lead or co-handler when the
// case is assigned to it, and as its head (负责人), who signs off answers,
// when the user's role approves answers (auth.DeptHead).
func ActorOf(sub auth.Subject) cases.Actor {
	return cases.Actor{Name: sub.Name, Dept: sub.Department, Office: sub.Department != "", Head: sub.Can(auth.ApproveAnswers)}
}

// MayAct reports whether sub's role acts on cases at all; which steps it
// may take on a case its part in that case decides (cases.Case.Allowed).
func MayAct(sub auth.Subject) bool { return sub.Can(auth.RespondOrders) }

// Register records a case received by the visitor's office.
func (s *Service) Register(ctx context.Context, sub auth.Subject, draft cases.Case) (cases.Case, error) {
	if !sub.Can(auth.RespondOrders) || sub.Department == "" {
		return draft, apperr.New(apperr.Forbidden, "只有受理部门的办理人员可以登记事项", "only an office's case officers register cases")
	}
	draft.Number = strings.TrimSpace(draft.Number)
	if draft.Number == "" {
		return draft, apperr.New(apperr.Invalid, "事项编号：请填写", "number: required")
	}
	c, ev, err := cases.Register(draft, ActorOf(sub), s.Now())
	if err != nil {
		return c, err
	}
	err = s.DB.Write(ctx, sub.Actor("登记事项 (register a case)"), func(tx *storage.Tx) error {
		var err error
		c, err = tx.CreateCase(ctx, c, ev)
		return err
	})
	return c, err
}

// Act applies an action to a case on behalf of sub; of two people acting
// on one case at once exactly one succeeds.
func (s *Service) Act(ctx context.Context, sub auth.Subject, id int64, a cases.Action) (cases.Case, error) {
	if !MayAct(sub) {
		return cases.Case{}, apperr.New(apperr.Forbidden, "没有办理事项的权限", "you may not act on cases")
	}
	cal, err := s.DB.Calendar(ctx)
	if err != nil {
		return cases.Case{}, err
	}
	var out cases.Case
	err = s.DB.Write(ctx, sub.Actor(fmt.Sprintf("事项：%s (case: %s)", a.Kind.LabelZH(), a.Kind)), func(tx *storage.Tx) error {
		before, err := tx.Case(ctx, id)
		if err != nil {
			return err
		}
		if !Visible(sub, before) {
			return apperr.NotFoundf("事项 %d 不存在", "case %d not found", id)
		}
		after, ev, err := cases.Apply(before, a, ActorOf(sub), s.Now(), cal)
		if err != nil {
			return err
		}
		out = after
		return tx.UpdateCase(ctx, before, after, ev)
	})
	return out, err
}

// Visible reports whether sub may see the case at all: city-wide roles
// every case; a department the cases it registered or was ever assigned.
func Visible(sub auth.Subject, c cases.Case) bool {
	if !sub.Can(auth.ReadInternal) {
		return false
	}
	if sub.Scope().All() {
		return true
	}
	if sub.Department == "" {
		return false
	}
	if c.OfficeDept == sub.Department {
		return true
	}
	for _, a := range c.Assignments {
		if a.LeadDept == sub.Department {
			return true
		}
		for _, co := range a.CoHandlers {
			if co.Dept == sub.Department {
				return true
			}
		}
	}
	return false
}

// MaySeeSubmitter reports whether sub may see who submitted the case: for
// a type whose submitters are personal (petitioners, callers) only the
// registering office's own users, whatever their role elsewhere; for the
// others, whoever may see the case.
func MaySeeSubmitter(sub auth.Subject, c cases.Case) bool {
	if !Visible(sub, c) {
		return false
	}
	if c.Type.PersonalSubmitter {
		return sub.Department != "" && sub.Department == c.OfficeDept
	}
	return true
}

// Case returns a case the visitor may see, with its submitter filled in
// only when the visitor may see that too; a case it may not see is not
// found, so that its existence does not leak either.
func (s *Service) Case(ctx context.Context, sub auth.Subject, id int64) (cases.Case, error) {
	c, err := s.DB.Case(ctx, id)
	if err != nil {
		return c, err
	}
	if !Visible(sub, c) {
		return cases.Case{}, apperr.NotFoundf("事项 %d 不存在", "case %d not found", id)
	}
	c.Submitter, c.SubmitterContact = "", ""
	if MaySeeSubmitter(sub, c) {
		if c.Submitter, c.SubmitterContact, err = s.DB.CaseSubmitter(ctx, id, storage.GrantSubmitter(true)); err != nil {
			return c, err
		}
	}
	return c, nil
}

// Cases returns the cases the visitor may see, without submitters.
func (s *Service) Cases(ctx context.Context, sub auth.Subject, f storage.CaseFilter) ([]cases.Case, error) {
	if !sub.Can(auth.ReadInternal) {
		return nil, nil
	}
	if !sub.Scope().All() {
		if sub.Department == "" {
			return nil, nil
		}
		f.Dept = sub.Department
	}
	list, err := s.DB.Cases(ctx, f)
	if err != nil {
		return nil, err
	}
	for i := range list {
		list[i].Submitter, list[i].SubmitterContact = "", ""
	}
	return slices.DeleteFunc(list, func(c cases.Case) bool { return !Visible(sub, c) }), nil
}
