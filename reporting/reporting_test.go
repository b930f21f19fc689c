package reporting_test

import (
	"context"
	"testing"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/dataset"
	"github.com/lantu/lantu/datasets"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/reporting"
	"github.com/lantu/lantu/storage"
	"github.com/lantu/lantu/storage/storagetest"
)

var ctx = context.Background()

func TestPut(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		b, err := dataset.Read(datasets.Gujiao())
		if err != nil {
			t.Fatal(err)
		}
		if err := dataset.Load(ctx, db, audit.Actor{Name: "test"}, b); err != nil {
			t.Fatal(err)
		}
		at := time.Date(2022, 1, 10, 9, 0, 0, 0, time.UTC)
		svc := &reporting.Service{DB: db, Now: func() time.Time { return at }}
		forestry := auth.Subject{UserID: 1, Name: "li", Role: auth.Reporter, Department: "forestry"}
		planner := auth.Subject{UserID: 2, Name: "wang", Role: auth.Planner, Department: "dev-reform"}
		entry := reporting.Entry{Indicator: "forest-cover", OrgUnit: "gujiao", Period: "2021", Number: 19.1, Status: indicator.Submitted}

		v, err := svc.Put(ctx, forestry, entry, "10.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		if v.Status != indicator.Submitted || v.EnteredBy != "li" || !v.EnteredAt.Equal(at) || v.ApprovedBy != "" {
			t.Errorf("stored %+v", v)
		}
		cases := []struct {
			name string
			sub  auth.Subject
			edit func(*reporting.Entry)
			code string
		}{
			{"ErrOtherDepartment", forestry, func(e *reporting.Entry) { e.Indicator = "urban-jobs-new" }, apperr.Forbidden},
			{"ErrApproveByEntering", forestry, func(e *reporting.Entry) { e.Status = indicator.Approved }, apperr.Forbidden},
			{"ErrPublishByEntering", planner, func(e *reporting.Entry) { e.Status = indicator.Published }, apperr.Forbidden},
			{"ErrChangeWithoutReason", forestry, func(e *reporting.Entry) { e.Number = 19.2 }, apperr.Invalid},
			{"ErrBadPeriod", forestry, func(e *reporting.Entry) { e.Period = "2021-13" }, apperr.Invalid},
			{"ErrUnknownPlace", forestry, func(e *reporting.Entry) { e.OrgUnit = "nowhere" }, apperr.NotFound},
			{"ErrLeaderCannotWrite", auth.Subject{UserID: 3, Name: "zhao", Role: auth.Leader}, func(*reporting.Entry) {}, apperr.Forbidden},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				e := entry
				c.edit(&e)
				if _, err := svc.Put(ctx, c.sub, e, ""); apperr.Code(err) != c.code {
					t.Errorf("got %v, want %s", err, c.code)
				}
			})
		}
		// A change with a reason is kept, and the planning office may
		// write any department's figure.
		entry.Number, entry.Reason = 19.2, "更正笔误"
		if _, err := svc.Put(ctx, forestry, entry, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Put(ctx, planner, reporting.Entry{Indicator: "urban-jobs-new", OrgUnit: "gujiao", Period: "2021", Number: 3700}, ""); err != nil {
			t.Errorf("planner: %v", err)
		}
		// An approved value is locked against entry.
		approved := v
		approved.Number, approved.Status, approved.ApprovedBy, approved.ApprovedAt = 19.2, indicator.Approved, "wang", at
		if err := db.Write(ctx, audit.Actor{Name: "wang"}, func(tx *storage.Tx) error { return tx.PutValue(ctx, approved) }); err != nil {
			t.Fatal(err)
		}
		entry.Number, entry.Reason = 19.3, "再改"
		if _, err := svc.Put(ctx, forestry, entry, ""); apperr.Code(err) != apperr.Conflict {
			t.Errorf("changing an approved value: %v", err)
		}
		got, _ := db.Value(ctx, auth.SystemScope(), "forest-cover", "gujiao", period.MustParse("2021"))
		if got.Number != 19.2 {
			t.Errorf("the approved value changed to %v", got.Number)
		}
		entries, _ := db.AuditEntries(ctx, storage.AuditFilter{ObjectType: "value", ObjectID: "forest-cover/gujiao/2021"})
		if len(entries) != 3 || entries[1].Reason != "更正笔误" || entries[2].IP != "10.0.0.1" {
			t.Errorf("history = %+v", entries)
		}
	})
}
