package storage_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/calendar"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/plan"
	"github.com/lantu/lantu/project"
	"github.com/lantu/lantu/storage"
	"github.com/lantu/lantu/storage/storagetest"
)

var (
	ctx   = context.Background()
	actor = audit.Actor{Name: "tester", Reason: "storage test"}
	clock = func() time.Time { return time.Date(2024, 10, 8, 9, 30, 0, 0, time.UTC) }
)

func ptr(f float64) *float64 { return &f }

// base writes a minimal plan and organisation that the other objects refer
// to, and returns the number of objects written.
func base(t *testing.T, db *storage.DB) int {
	t.Helper()
	err := db.Write(ctx, actor, func(tx *storage.Tx) error {
		return errors.Join(
			tx.PutSource(ctx, indicator.Source{Code: "report", TitleZH: "年度报告"}),
			tx.PutPlan(ctx, plan.Plan{Code: "p", NameZH: "十四五规划", BaseYear: 2020, StartYear: 2021, EndYear: 2025}),
			tx.PutGoal(ctx, plan.Goal{Code: "green", PlanCode: "p", NameZH: "绿色古交", Position: 2}),
			tx.PutArea(ctx, plan.Area{Code: "eco", GoalCode: "green", NameZH: "生态环境"}),
			tx.PutOrgUnit(ctx, plan.OrgUnit{Code: "city", Kind: plan.City, NameZH: "古交市"}),
			tx.PutOrgUnit(ctx, plan.OrgUnit{Code: "city.chakou", ParentCode: "city", Kind: plan.Township, NameZH: "岔口乡"}),
			tx.PutDepartment(ctx, plan.Department{Code: "forestry", OrgUnitCode: "city", NameZH: "林业局"}),
			tx.PutIndicator(ctx, forestCover()),
		)
	})
	if err != nil {
		t.Fatal(err)
	}
	return 8
}

func forestCover() indicator.Indicator {
	return indicator.Indicator{Code: "forest-cover", AreaCode: "eco", OwnerDept: "forestry", Definitions: []indicator.Definition{{
		EffectiveFrom: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), NameZH: "森林覆盖率", NameEN: "Forest cover", UnitZH: "%", UnitEN: "%",
		Direction: indicator.HigherBetter, Nature: indicator.Binding, Frequency: period.Year,
		TimeAgg: indicator.LastOverTime, PlaceAgg: indicator.NoPlaceAggregate, Decimals: 2,
	}}}
}

func auditCount(t *testing.T, db *storage.DB) int64 {
	t.Helper()
	n, err := db.AuditCount(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestMigrateIsIdempotent(t *testing.T) {
	storagetest.Each(t, clock, func(t *testing.T, db *storage.DB) {
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		current, latest, err := db.SchemaVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if current != latest || current < 1 {
			t.Errorf("schema version %d, latest %d", current, latest)
		}
	})
}

func TestPlanRoundTrip(t *testing.T) {
	storagetest.Each(t, clock, func(t *testing.T, db *storage.DB) {
		base(t, db)
		g, err := db.Goal(ctx, "green")
		if err != nil {
			t.Fatal(err)
		}
		if g.NameZH != "绿色古交" || g.PlanCode != "p" || g.Position != 2 {
			t.Errorf("goal = %+v", g)
		}
		ind, err := db.Indicator(ctx, "forest-cover")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := fmt.Sprintf("%+v", ind), fmt.Sprintf("%+v", forestCover()); got != want {
			t.Errorf("indicator\n got %s\nwant %s", got, want)
		}
		units, err := db.OrgUnits(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(units) != 2 || units[0].Code != "city" || units[1].ParentCode != "city" {
			t.Errorf("org units = %+v", units)
		}
	})
}

func TestNotFound(t *testing.T) {
	storagetest.Each(t, clock, func(t *testing.T, db *storage.DB) {
		_, err := db.Indicator(ctx, "nope")
		if apperr.Code(err) != apperr.NotFound {
			t.Errorf("Indicator(nope) = %v, want not found", err)
		}
		_, err = db.Goal(ctx, "nope")
		if apperr.Code(err) != apperr.NotFound {
			t.Errorf("Goal(nope) = %v, want not found", err)
		}
		_, err = db.Value(ctx, auth.SystemScope(), "nope", "city", period.MustParse("2020"))
		if apperr.Code(err) != apperr.NotFound {
			t.Errorf("Value(nope) = %v, want not found", err)
		}
	})
}

func TestValueRoundTripAndAudit(t *testing.T) {
	storagetest.Each(t, clock, func(t *testing.T, db *storage.DB) {
		written := base(t, db)
		if got := auditCount(t, db); got != int64(written) {
			t.Fatalf("audit rows after base = %d, want %d (one per write)", got, written)
		}
		v := indicator.Value{IndicatorCode: "forest-cover", OrgUnitCode: "city", Period: period.MustParse("2020"),
			Number: 18.77, Status: indicator.Published, EnteredBy: "seed", Source: "report", Quote: "森林覆盖率达到18.77%。",
			EnteredAt: time.Date(2021, 3, 1, 8, 0, 0, 123456789, time.FixedZone("CST", 8*3600))}
		if err := db.Write(ctx, actor, func(tx *storage.Tx) error { return tx.PutValue(ctx, v) }); err != nil {
			t.Fatal(err)
		}
		got, err := db.Value(ctx, auth.SystemScope(), "forest-cover", "city", period.MustParse("2020"))
		if err != nil {
			t.Fatal(err)
		}
		if got.Number != 18.77 || got.Quote != v.Quote || got.Status != indicator.Published {
			t.Errorf("value = %+v", got)
		}
		// Times come back in UTC with microsecond precision.
		if want := time.Date(2021, 3, 1, 0, 0, 0, 123456000, time.UTC); !got.EnteredAt.Equal(want) || got.EnteredAt.Location() != time.UTC {
			t.Errorf("entered at %v, want %v", got.EnteredAt, want)
		}

		entries, err := db.AuditEntries(ctx, storage.AuditFilter{ObjectType: "value"})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 1 {
			t.Fatalf("value audit rows = %d, want 1", len(entries))
		}
		e := entries[0]
		if e.Actor != "tester" || e.Action != audit.Create || e.ObjectID != "forest-cover/city/2020" || e.Reason != "storage test" ||
			!e.At.Equal(clock()) || e.Before != nil || len(e.After) == 0 {
			t.Errorf("audit entry = %+v", e)
		}

		// Writing the same value again changes nothing and records nothing.
		if err := db.Write(ctx, actor, func(tx *storage.Tx) error { return tx.PutValue(ctx, got) }); err != nil {
			t.Fatal(err)
		}
		if n := auditCount(t, db); n != int64(written)+1 {
			t.Errorf("audit rows after unchanged write = %d, want %d", n, written+1)
		}

		// A change records before and after.
		changed := got
		changed.Number = 18.8
		if err := db.Write(ctx, actor, func(tx *storage.Tx) error { return tx.PutValue(ctx, changed) }); err != nil {
			t.Fatal(err)
		}
		entries, _ = db.AuditEntries(ctx, storage.AuditFilter{ObjectType: "value", Limit: 1})
		if len(entries) != 1 || entries[0].Action != audit.Update || !strings.Contains(string(entries[0].Before), "18.77") || !strings.Contains(string(entries[0].After), "18.8") {
			t.Errorf("update audit = %+v", entries)
		}
	})
}

// A failing write leaves neither data nor audit rows behind.
func TestWriteIsAtomic(t *testing.T) {
	storagetest.Each(t, clock, func(t *testing.T, db *storage.DB) {
		written := base(t, db)
		err := db.Write(ctx, actor, func(tx *storage.Tx) error {
			if err := tx.PutProject(ctx, project.Project{Code: "wind", NameZH: "风电", OwnerDept: "forestry", OrgUnitCode: "city", Stage: project.Operating}); err != nil {
				return err
			}
			// refers to a department that does not exist
			return tx.PutProject(ctx, project.Project{Code: "road", NameZH: "公路", OwnerDept: "ghost", OrgUnitCode: "city", Stage: project.Construction})
		})
		if apperr.Code(err) != apperr.Invalid {
			t.Fatalf("write with a broken reference: %v, want invalid", err)
		}
		list, err := db.Projects(ctx, storage.ProjectFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 0 {
			t.Errorf("projects after failed write = %v, want none", list)
		}
		if n := auditCount(t, db); n != int64(written) {
			t.Errorf("audit rows after failed write = %d, want %d", n, written)
		}
	})
}

func TestWriteNeedsActor(t *testing.T) {
	storagetest.Each(t, clock, func(t *testing.T, db *storage.DB) {
		if err := db.Write(ctx, audit.Actor{}, func(*storage.Tx) error { return nil }); err == nil {
			t.Error("write without actor succeeded")
		}
	})
}

func TestValidationRefusesBadObjects(t *testing.T) {
	storagetest.Each(t, clock, func(t *testing.T, db *storage.DB) {
		base(t, db)
		cases := map[string]func(*storage.Tx) error{
			"ErrOrgParentLevel": func(tx *storage.Tx) error {
				return tx.PutOrgUnit(ctx, plan.OrgUnit{Code: "x", ParentCode: "city.chakou", Kind: plan.Town, NameZH: "镇"})
			},
			"ErrOrgParentMissing": func(tx *storage.Tx) error {
				return tx.PutOrgUnit(ctx, plan.OrgUnit{Code: "x", ParentCode: "nowhere", Kind: plan.Village, NameZH: "村"})
			},
			"ErrBadStatus": func(tx *storage.Tx) error {
				return tx.PutValue(ctx, indicator.Value{IndicatorCode: "forest-cover", OrgUnitCode: "city", Period: period.MustParse("2021"), Status: "final"})
			},
			"ErrApprovedWithoutProvenance": func(tx *storage.Tx) error {
				return tx.PutValue(ctx, indicator.Value{IndicatorCode: "forest-cover", OrgUnitCode: "city", Period: period.MustParse("2021"), Status: indicator.Approved})
			},
			"ErrNegativeInvestment": func(tx *storage.Tx) error {
				return tx.PutProject(ctx, project.Project{Code: "p1", NameZH: "项目", OwnerDept: "forestry", OrgUnitCode: "city", Stage: project.Started, PlannedInvestment: ptr(-1)})
			},
			"ErrUnknownIndicator": func(tx *storage.Tx) error {
				return tx.PutValue(ctx, indicator.Value{IndicatorCode: "ghost", OrgUnitCode: "city", Period: period.MustParse("2021"), Status: indicator.Draft})
			},
			"ErrUnknownOrgUnit": func(tx *storage.Tx) error {
				return tx.PutValue(ctx, indicator.Value{IndicatorCode: "forest-cover", OrgUnitCode: "ghost", Period: period.MustParse("2021"), Status: indicator.Draft})
			},
			"ErrUnknownIndicatorInBulk": func(tx *storage.Tx) error {
				return tx.PutValues(ctx, []indicator.Value{
					{IndicatorCode: "forest-cover", OrgUnitCode: "city", Period: period.MustParse("2022"), Status: indicator.Draft},
					{IndicatorCode: "ghost", OrgUnitCode: "city", Period: period.MustParse("2022"), Status: indicator.Draft}})
			},
			"ErrUnknownOrgUnitInBulk": func(tx *storage.Tx) error {
				return tx.PutValues(ctx, []indicator.Value{
					{IndicatorCode: "forest-cover", OrgUnitCode: "ghost", Period: period.MustParse("2022"), Status: indicator.Draft}})
			},
		}
		before := auditCount(t, db)
		for name, fn := range cases {
			t.Run(name, func(t *testing.T) {
				err := db.Write(ctx, actor, fn)
				if apperr.Code(err) != apperr.Invalid {
					t.Errorf("got %v, want an invalid error", err)
				}
				if msg := apperr.Message(err, "zh"); msg == "" || msg == "内部错误" {
					t.Errorf("message %q is not a user message", msg)
				}
			})
		}
		if after := auditCount(t, db); after != before {
			t.Errorf("refused writes left %d audit rows", after-before)
		}
	})
}

func TestCalendarOverrides(t *testing.T) {
	storagetest.Each(t, clock, func(t *testing.T, db *storage.DB) {
		flood := time.Date(2024, 7, 10, 0, 0, 0, 0, time.UTC) // a Wednesday
		err := db.Write(ctx, actor, func(tx *storage.Tx) error {
			return tx.PutCalendarOverride(ctx, calendar.Override{Date: flood, Working: false, NameZH: "防汛放假", Reason: "暴雨"})
		})
		if err != nil {
			t.Fatal(err)
		}
		cal, err := db.Calendar(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if cal.IsWorkingDay(flood) {
			t.Error("overridden day off is still a working day")
		}
		// Tuesday 2024-07-09 + 1 working day skips the flood day.
		if got := cal.AddWorkingDays(time.Date(2024, 7, 9, 0, 0, 0, 0, time.UTC), 1); got.Format(time.DateOnly) != "2024-07-11" {
			t.Errorf("AddWorkingDays over the override = %s, want 2024-07-11", got.Format(time.DateOnly))
		}
		if err := db.Write(ctx, actor, func(tx *storage.Tx) error { return tx.DeleteCalendarOverride(ctx, "2024-07-10") }); err != nil {
			t.Fatal(err)
		}
		cal, _ = db.Calendar(ctx)
		if !cal.IsWorkingDay(flood) {
			t.Error("removed override still applies")
		}
		if n := auditCount(t, db); n != 2 {
			t.Errorf("audit rows = %d, want 2 (set, unset)", n)
		}
	})
}

// Many writers at once: none may fail with SQLITE_BUSY or a serialization
// error, and every write is audited.
func TestConcurrentWrites(t *testing.T) {
	storagetest.Each(t, clock, func(t *testing.T, db *storage.DB) {
		written := base(t, db)
		const writers, each = 8, 25
		var wg sync.WaitGroup
		errs := make(chan error, writers*each)
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					v := indicator.Value{IndicatorCode: "forest-cover", OrgUnitCode: "city", Period: period.Period{Kind: period.Month, Year: 2000 + w, N: i%12 + 1},
						Number: float64(i), Status: indicator.Draft, EnteredBy: "w"}
					if i >= 12 {
						v.OrgUnitCode = "city.chakou"
					}
					errs <- db.Write(ctx, actor, func(tx *storage.Tx) error { return tx.PutValue(ctx, v) })
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		vals, err := db.Values(ctx, storage.ValueFilter{Scope: auth.SystemScope()})
		if err != nil {
			t.Fatal(err)
		}
		if want := writers * 24; len(vals) != want {
			t.Errorf("values = %d, want %d", len(vals), want)
		}
		// Each writer wrote 25 values over 24 distinct keys: one was an
		// update of the same key with a new number, so 25 audit rows each.
		if n := auditCount(t, db); n != int64(written+writers*each) {
			t.Errorf("audit rows = %d, want %d", n, written+writers*each)
		}
	})
}

// Unpublished values are seen only within the reader's scope; the zero
// scope sees only what is published.
func TestValueScopes(t *testing.T) {
	storagetest.Each(t, clock, func(t *testing.T, db *storage.DB) {
		base(t, db)
		err := db.Write(ctx, actor, func(tx *storage.Tx) error {
			return errors.Join(
				tx.PutDepartment(ctx, plan.Department{Code: "water", OrgUnitCode: "city", NameZH: "水利局"}),
				tx.PutIndicator(ctx, indicator.Indicator{Code: "river", AreaCode: "eco", OwnerDept: "water", Definitions: forestCover().Definitions}),
				tx.PutValue(ctx, indicator.Value{IndicatorCode: "forest-cover", OrgUnitCode: "city", Period: period.MustParse("2020"), Number: 1,
					Status: indicator.Published, Source: "report", Quote: "q"}),
				tx.PutValue(ctx, indicator.Value{IndicatorCode: "forest-cover", OrgUnitCode: "city", Period: period.MustParse("2021"), Number: 2, Status: indicator.Draft}),
				tx.PutValue(ctx, indicator.Value{IndicatorCode: "river", OrgUnitCode: "city", Period: period.MustParse("2021"), Number: 3, Status: indicator.Submitted}),
			)
		})
		if err != nil {
			t.Fatal(err)
		}
		count := func(s auth.Scope) []float64 {
			vals, err := db.Values(ctx, storage.ValueFilter{Scope: s})
			if err != nil {
				t.Fatal(err)
			}
			var out []float64
			for _, v := range vals {
				out = append(out, v.Number)
			}
			return out
		}
		for name, c := range map[string]struct {
			scope auth.Scope
			want  string
		}{
			"public":   {auth.PublicScope(), "[1]"},
			"forestry": {auth.DepartmentScope("forestry"), "[1 2]"},
			"water":    {auth.DepartmentScope("water"), "[1 3]"},
			"system":   {auth.SystemScope(), "[1 2 3]"},
		} {
			if got := fmt.Sprint(count(c.scope)); got != c.want {
				t.Errorf("%s sees %s, want %s", name, got, c.want)
			}
		}
		if _, err := db.Value(ctx, auth.DepartmentScope("water"), "forest-cover", "city", period.MustParse("2021")); apperr.Code(err) != apperr.NotFound {
			t.Errorf("another department's draft: %v, want not found", err)
		}
	})
}

// PutValues writes what PutValue would, with one audit row per org unit
// and period holding every changed figure's states, the chain intact, and
// each figure's history readable from those rows.
func TestPutValuesBulk(t *testing.T) {
	storagetest.Each(t, clock, func(t *testing.T, db *storage.DB) {
		written := base(t, db)
		second := forestCover()
		second.Code = "forest-stock"
		if err := db.Write(ctx, actor, func(tx *storage.Tx) error { return tx.PutIndicator(ctx, second) }); err != nil {
			t.Fatal(err)
		}
		written++
		// 2 indicators × 2 places × 300 months: 600 (place, month) rows.
		var vals []indicator.Value
		for _, org := range []string{"city", "city.chakou"} {
			for m := 1; m <= 12; m++ {
				for y := 2000; y < 2025; y++ {
					for _, ind := range []string{"forest-cover", "forest-stock"} {
						vals = append(vals, indicator.Value{IndicatorCode: ind, OrgUnitCode: org, Period: period.Period{Kind: period.Month, Year: y, N: m},
							Number: float64(y*100 + m), Status: indicator.Draft, EnteredBy: "bulk"})
					}
				}
			}
		}
		if err := db.Write(ctx, actor, func(tx *storage.Tx) error { return tx.PutValues(ctx, vals) }); err != nil {
			t.Fatal(err)
		}
		if n := auditCount(t, db); n != int64(written+600) {
			t.Errorf("audit rows = %d, want %d", n, written+600)
		}
		// Change 3 figures of two months, leave the rest: 2 more audit rows.
		vals[0].Number, vals[1].Number, vals[2].Number = -1, -2, -3 // 2000-01 twice, then 2001-01
		if err := db.Write(ctx, actor, func(tx *storage.Tx) error { return tx.PutValues(ctx, vals) }); err != nil {
			t.Fatal(err)
		}
		if n := auditCount(t, db); n != int64(written+602) {
			t.Errorf("audit rows after 3 changes = %d, want %d", n, written+602)
		}
		if _, p, err := db.VerifyAudit(ctx); err != nil || p != nil {
			t.Fatalf("chain after bulk writes: %v %v", p, err)
		}
		got, err := db.Value(ctx, auth.SystemScope(), "forest-stock", "city", vals[1].Period)
		if err != nil || got.Number != -2 {
			t.Errorf("updated value = %+v, %v", got, err)
		}
		rows, _ := db.AuditEntries(ctx, storage.AuditFilter{ObjectType: storage.ImportedValues, ObjectID: "city/2000-01"})
		if len(rows) != 2 || rows[0].Action != audit.Import || rows[1].Before != nil {
			t.Fatalf("import rows of city/2000-01 = %+v", rows)
		}
		before, after := importedFigures(t, rows[0].Before), importedFigures(t, rows[0].After)
		if len(before) != 2 || len(after) != 2 || before[1].Number != 200001 || after[1].Number != -2 || after[0].IndicatorCode != "forest-cover" ||
			after[1].IndicatorCode != "forest-stock" || after[1].OrgUnitCode != "city" || after[1].EnteredBy != "bulk" || before[0].Number != 200001 {
			t.Errorf("second import row: before %+v after %+v", before, after)
		}
		if first := importedFigures(t, rows[1].After); len(first) != 2 || first[1].Number != 200001 || first[1].Status != indicator.Draft {
			t.Errorf("first import row: %+v", first)
		}
		// One figure's history: created, then changed, from the two rows.
		hist, err := db.ValueHistory(ctx, indicator.Key{Indicator: "forest-stock", OrgUnit: "city", Period: vals[1].Period}, 0)
		if err != nil || len(hist) != 2 {
			t.Fatalf("history = %+v, %v", hist, err)
		}
		var newest, oldest indicator.Value
		if err := json.Unmarshal(hist[0].After, &newest); err != nil || newest.Number != -2 || newest.IndicatorCode != "forest-stock" {
			t.Errorf("newest state %s, %v", hist[0].After, err)
		}
		if err := json.Unmarshal(hist[0].Before, &oldest); err != nil || oldest.Number != 200001 {
			t.Errorf("state before %s, %v", hist[0].Before, err)
		}
		if hist[1].Before != nil || hist[1].ObjectID != "forest-stock/city/2000-01" {
			t.Errorf("first step %+v", hist[1])
		}
		// A figure untouched by the second import has one step.
		if hist, err := db.ValueHistory(ctx, indicator.Key{Indicator: "forest-stock", OrgUnit: "city.chakou", Period: vals[1].Period}, 0); err != nil || len(hist) != 1 {
			t.Errorf("history of an unchanged figure = %d steps, %v", len(hist), err)
		}
	})
}

// On PostgreSQL a figure's references are checked per statement by
// triggers rather than foreign keys (migration 00004). They must hold as a
// foreign key does, also when a figure and the deletion of its org unit
// race: whichever commits first wins and the other is refused.
func TestValueReferencesHoldUnderRaces(t *testing.T) {
	if storagetest.PostgresURL(t) == "" {
		t.Skip("PostgreSQL only; set LANTU_TEST_POSTGRES")
	}
	db := storagetest.OpenPostgres(t, clock)
	base(t, db)
	for _, code := range []string{"city.a", "city.b"} {
		if err := db.Write(ctx, actor, func(tx *storage.Tx) error {
			return tx.PutOrgUnit(ctx, plan.OrgUnit{Code: code, ParentCode: "city", Kind: plan.Township, NameZH: "乡" + code})
		}); err != nil {
			t.Fatal(err)
		}
	}
	raw := storagetest.Raw(t, db)
	insert := `INSERT INTO indicator_values (indicator_code, org_unit_code, period, period_start, number, status) VALUES ('forest-cover', $1, '2021', '2021-01-01', 1, 'draft')`
	isFK := func(err error) bool { return err != nil && strings.Contains(err.Error(), "23503") }

	// A parent still in use cannot go.
	if _, err := raw.ExecContext(ctx, insert, "city.chakou"); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.ExecContext(ctx, `DELETE FROM org_units WHERE code = 'city.chakou'`); !isFK(err) {
		t.Errorf("deleting an org unit with figures: %v, want a foreign key violation", err)
	}
	if _, err := raw.ExecContext(ctx, `UPDATE indicators SET code = 'renamed' WHERE code = 'forest-cover'`); !isFK(err) {
		t.Errorf("renaming an indicator with figures: %v, want a foreign key violation", err)
	}

	// waitForLock returns once some other session waits for a lock.
	waitForLock := func() {
		t.Helper()
		for range 500 {
			var n int
			if err := raw.QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n > 0 {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Fatal("the other session never waited")
	}
	race := func(first, second string, firstArgs, secondArgs []any) error {
		t.Helper()
		tx, err := raw.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		if _, err := tx.ExecContext(ctx, first, firstArgs...); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { _, err := raw.ExecContext(ctx, second, secondArgs...); done <- err }()
		waitForLock()
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		return <-done
	}
	// The figure commits first: the deletion waits, then is refused.
	if err := race(insert, `DELETE FROM org_units WHERE code = $1`, []any{"city.a"}, []any{"city.a"}); !isFK(err) {
		t.Errorf("deletion after a figure committed: %v, want a foreign key violation", err)
	}
	// The deletion commits first: the figure waits, then is refused.
	if err := race(`DELETE FROM org_units WHERE code = $1`, insert, []any{"city.b"}, []any{"city.b"}); !isFK(err) {
		t.Errorf("figure after its org unit was deleted: %v, want a foreign key violation", err)
	}
	// The same races with an import, which checks its parents at once and
	// skips the per-row check for its COPY.
	for _, code := range []string{"city.c", "city.d"} {
		if err := db.Write(ctx, actor, func(tx *storage.Tx) error {
			return tx.PutOrgUnit(ctx, plan.OrgUnit{Code: code, ParentCode: "city", Kind: plan.Township, NameZH: "乡" + code})
		}); err != nil {
			t.Fatal(err)
		}
	}
	bulk := func(org string) []indicator.Value {
		return []indicator.Value{{IndicatorCode: "forest-cover", OrgUnitCode: org, Period: period.MustParse("2022"), Status: indicator.Draft}}
	}
	// The import holds its transaction open; the deletion waits, then is refused.
	locked, hold, imported := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		imported <- db.Write(ctx, actor, func(tx *storage.Tx) error {
			err := tx.PutValues(ctx, bulk("city.c"))
			close(locked)
			if err != nil {
				return err
			}
			<-hold
			return nil
		})
	}()
	deleted := make(chan error, 1)
	go func() {
		<-locked // the import has its parents locked
		_, err := raw.ExecContext(ctx, `DELETE FROM org_units WHERE code = 'city.c'`)
		deleted <- err
	}()
	waitForLock()
	close(hold)
	if err := <-imported; err != nil {
		t.Fatalf("the import: %v", err)
	}
	if err := <-deleted; !isFK(err) {
		t.Errorf("deletion during an import: %v, want a foreign key violation", err)
	}
	// The deletion holds its transaction open; the import waits, then is refused.
	tx, err := raw.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM org_units WHERE code = 'city.d'`); err != nil {
		t.Fatal(err)
	}
	go func() {
		imported <- db.Write(ctx, actor, func(tx *storage.Tx) error { return tx.PutValues(ctx, bulk("city.d")) })
	}()
	waitForLock()
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-imported; apperr.Code(err) != apperr.Invalid {
		t.Errorf("an import after its org unit was deleted: %v, want invalid", err)
	}
	var orphans int
	if err := raw.QueryRowContext(ctx, `SELECT count(*) FROM indicator_values v WHERE NOT EXISTS (SELECT 1 FROM org_units o WHERE o.code = v.org_unit_code)`).Scan(&orphans); err != nil || orphans != 0 {
		t.Errorf("%d figures without their org unit (%v)", orphans, err)
	}
}

// importedFigures reads one side of an ImportedValues audit row as its
// documented format says: each figure is its difference from Common.
func importedFigures(t *testing.T, raw []byte) []indicator.Value {
	t.Helper()
	var state struct {
		Common  json.RawMessage
		Figures []json.RawMessage
	}
	if err := json.Unmarshal(raw, &state); err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	var out []indicator.Value
	for _, f := range state.Figures {
		var v indicator.Value
		if string(f) != "null" {
			if err := json.Unmarshal(state.Common, &v); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(f, &v); err != nil {
				t.Fatal(err)
			}
		}
		out = append(out, v)
	}
	return out
}
