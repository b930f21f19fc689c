package oversight_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/dataset"
	"github.com/lantu/lantu/datasets"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/oversight"
	"github.com/lantu/lantu/storage"
	"github.com/lantu/lantu/storage/storagetest"
	"github.com/lantu/lantu/supervision"
)

var ctx = context.Background()

// people of the tests: two officers of the supervision office, two users
// of the transport bureau (which leads the coach-station project) and one
// of the housing bureau (a co-handler).
type people struct {
	office1, office2, lead1, lead2, co auth.Subject
}

// setup loads Gujiao and its people, with the clock at *now.
func setup(t *testing.T, db *storage.DB, now *time.Time) (*oversight.Service, people) {
	t.Helper()
	b, err := dataset.Read(datasets.Gujiao())
	if err != nil {
		t.Fatal(err)
	}
	if err := dataset.Load(ctx, db, audit.Actor{Name: "test"}, b); err != nil {
		t.Fatal(err)
	}
	var p people
	err = db.Write(ctx, audit.Actor{Name: "test"}, func(tx *storage.Tx) error {
		for _, u := range []struct {
			s    *auth.Subject
			name string
			role auth.Role
			dept string
		}{
			{&p.office1, "du1", auth.Supervisor, ""}, {&p.office2, "du2", auth.Supervisor, ""},
			{&p.lead1, "jt1", auth.Reporter, "transport"}, {&p.lead2, "jt2", auth.Reporter, "transport"},
			{&p.co, "zj1", auth.Reporter, "housing"},
		} {
			id, err := tx.CreateUser(ctx, auth.User{Name: u.name, DisplayName: u.name, Role: u.role, Department: u.dept, PasswordHash: "x"})
			if err != nil {
				return err
			}
			*u.s = auth.Subject{UserID: id, Name: u.name, Role: u.role, Department: u.dept}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return &oversight.Service{DB: db, Now: func() time.Time { return *now }}, p
}

func beijing(y int, m time.Month, d, h int) time.Time {
	return time.Date(y, m, d, h, 0, 0, 0, indicator.Beijing)
}

func coachOrder() supervision.Order {
	return supervision.Order{Subject: supervision.Subject{Kind: supervision.OnProject, Code: "coach-station"},
		Title: "汽车客运站进度滞后", Requirement: "倒排工期，确保主体验收", Level: supervision.General,
		LeadDept: "transport", CoDepts: []string{"housing"}, DeadlineDays: 5}
}

// Two officers (or two users of the lead department) act on the same order
// at once: exactly one succeeds and the other is told clearly that someone
// else acted first. On both engines.
func TestOrderConcurrentActions(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		now := beijing(2024, 9, 27, 10)
		svc, p := setup(t, db, &now)
		o, err := svc.IssueOrder(ctx, p.office1, coachOrder())
		if err != nil {
			t.Fatal(err)
		}
		race := func(a, b auth.Subject, act supervision.Action) {
			t.Helper()
			errs := make([]error, 2)
			var wg sync.WaitGroup
			for i, who := range []auth.Subject{a, b} {
				wg.Go(func() { _, errs[i] = svc.Act(ctx, who, o.ID, act) })
			}
			wg.Wait()
			won, lost := 0, 0
			for _, err := range errs {
				switch {
				case err == nil:
					won++
				case apperr.Code(err) == apperr.Conflict && strings.Contains(apperr.Message(err, "zh"), "已被他人处理，请刷新后重试"):
					lost++
				default:
					t.Errorf("%s: unexpected %v", act.Kind, err)
				}
			}
			if won != 1 || lost != 1 {
				t.Fatalf("%s at once: %d succeeded and %d conflicted, want 1 and 1 (%v)", act.Kind, won, lost, errs)
			}
			if o, err = db.Order(ctx, o.ID); err != nil {
				t.Fatal(err)
			}
		}
		race(p.lead1, p.lead2, supervision.Action{Kind: supervision.Sign, ExpectedVersion: o.Version})
		race(p.lead1, p.lead2, supervision.Action{Kind: supervision.Report, Note: "主体已验收", ExpectedVersion: o.Version})
		race(p.office1, p.office2, supervision.Action{Kind: supervision.Review, Accept: true, Note: "同意销号", ExpectedVersion: o.Version})
		if o.State != supervision.Closed || o.Version != 4 {
			t.Errorf("order after the races: %s, version %d; want closed, 4", o.State, o.Version)
		}
		events, err := db.OrderEvents(ctx, o.ID)
		if err != nil || len(events) != 4 {
			t.Fatalf("events = %d, %v; want assign, sign, report, review", len(events), err)
		}
		if _, p, err := db.VerifyAudit(ctx); err != nil || p != nil {
			t.Errorf("audit chain: %v %v", p, err)
		}
	})
}
