package reporting_test

import (
	"context"
	"errors"
	"strings"
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
	"github.com/lantu/lantu/rules"
	"github.com/lantu/lantu/storage"
	"github.com/lantu/lantu/storage/storagetest"
)

var (
	ctx      = context.Background()
	forestry = auth.Subject{UserID: 1, Name: "li", Role: auth.Reporter, Department: "forestry"}
	hr       = auth.Subject{UserID: 2, Name: "zhou", Role: auth.Reporter, Department: "hr-social"}
	civil    = auth.Subject{UserID: 3, Name: "wu", Role: auth.Reporter, Department: "civil-affairs"}
	planner  = auth.Subject{UserID: 4, Name: "wang", Role: auth.Planner, Department: "dev-reform"}
	y2021    = period.MustParse("2021")
)

// setup loads Gujiao, two rules and a computed indicator, and opens 2021.
func setup(t *testing.T, db *storage.DB, now *time.Time) *reporting.Service {
	t.Helper()
	b, err := dataset.Read(datasets.Gujiao())
	if err != nil {
		t.Fatal(err)
	}
	if err := dataset.Load(ctx, db, audit.Actor{Name: "test"}, b); err != nil {
		t.Fatal(err)
	}
	dibao, err := db.Indicator(ctx, "rural-dibao-standard")
	if err != nil {
		t.Fatal(err)
	}
	ratio := dibao
	ratio.Code, ratio.Position = "dibao-ratio", 99
	ratio.Definitions = []indicator.Definition{ratio.Current()}
	ratio.Definitions[0].NameZH, ratio.Definitions[0].UnitZH, ratio.Definitions[0].Decimals = "城乡低保标准比", "%", 1
	ratio.Definitions[0].Formula = `v("rural-dibao-standard") / v("urban-dibao-standard") * 100`
	err = db.Write(ctx, audit.Actor{Name: "test"}, func(tx *storage.Tx) error {
		return errors.Join(
			tx.PutIndicator(ctx, ratio),
			tx.PutValidationRule(ctx, rules.Rule{Code: "forest-range", Expression: `v("forest-cover") >= 0 && v("forest-cover") <= 100`,
				Severity: rules.SeverityError, MessageZH: "森林覆盖率 应在 0–100 之间，填写的是 {forest-cover}", MessageEN: "forest cover must be within 0–100, not {forest-cover}", Active: true}),
			tx.PutValidationRule(ctx, rules.Rule{Code: "jobs-growth", Expression: `abs(v("urban-jobs-new") / prev("urban-jobs-new") - 1) <= 0.5`,
				Severity: rules.SeverityWarning, MessageZH: "城镇新增就业 {urban-jobs-new} 人，比上期 {prev:urban-jobs-new} 人变化超过 50%", MessageEN: "new urban jobs changed by more than 50%", Active: true}),
		)
	})
	if err != nil {
		t.Fatal(err)
	}
	svc := &reporting.Service{DB: db, Now: func() time.Time { return *now }}
	// 2022-01-01 is New Year's Day: not a due date.
	if _, err := svc.OpenRound(ctx, planner, reporting.NewRound{Period: "2021", DueDate: "2022-01-01"}, ""); err == nil || !strings.Contains(apperr.Message(err, "zh"), "2022-01-04") {
		t.Errorf("due date on a holiday: %v, want a refusal naming the next working day 2022-01-04", err)
	}
	if _, err := svc.OpenRound(ctx, forestry, reporting.NewRound{Period: "2021", DueDate: "2022-01-14"}, ""); apperr.Code(err) != apperr.Forbidden {
		t.Errorf("a reporter opened a round: %v", err)
	}
	r, err := svc.OpenRound(ctx, planner, reporting.NewRound{Period: "2021", DueDate: "2022-01-14"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Indicators) != 47 { // every yearly Gujiao indicator; not the computed one
		t.Errorf("round has %d indicators, want 47", len(r.Indicators))
	}
	return svc
}

func entry(ind string, x float64) reporting.Entry {
	return reporting.Entry{Indicator: ind, OrgUnit: "gujiao", Period: "2021", Number: x}
}

func value(t *testing.T, db *storage.DB, ind string) indicator.Value {
	t.Helper()
	v, err := db.Value(ctx, auth.SystemScope(), ind, "gujiao", y2021)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func problems(err error) string {
	var r *reporting.Refused
	if errors.As(err, &r) {
		return r.Error()
	}
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestReportingWorkflow(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		now := time.Date(2022, 1, 10, 9, 0, 0, 0, indicator.Beijing)
		svc := setup(t, db, &now)

		// An impossible figure is refused with the rule's message and the figure.
		_, err := svc.Save(ctx, forestry, []reporting.Entry{entry("forest-cover", 187.7)}, false, "")
		if apperr.Code(err) != apperr.Invalid || !strings.Contains(problems(err), "森林覆盖率 应在 0–100 之间，填写的是 187.7") {
			t.Fatalf("187.7%%: %v", err)
		}
		// Everything else that can be wrong with an entry, at once.
		_, err = svc.Save(ctx, forestry, []reporting.Entry{
			entry("urban-jobs-new", 3700), // another department's
			{Indicator: "forest-cover", OrgUnit: "gujiao", Period: "2022", Number: 1}, // period not open
			entry("nope", 1),
			{Indicator: "afforestation", OrgUnit: "mars", Period: "2021", Number: 1},
		}, false, "")
		for _, want := range []string{"属于其他部门", "2022 尚未开放填报", "指标 nope 不存在", "组织 mars 不存在"} {
			if !strings.Contains(problems(err), want) {
				t.Errorf("missing %q in %v", want, err)
			}
		}
		if _, err := db.Value(ctx, auth.SystemScope(), "afforestation", "gujiao", y2021); apperr.Code(err) != apperr.NotFound {
			t.Error("a refused save wrote something")
		}

		// Draft, then submit.
		if _, err := svc.Save(ctx, forestry, []reporting.Entry{entry("forest-cover", 19.1), entry("afforestation", 3.5)}, false, "10.0.0.1"); err != nil {
			t.Fatal(err)
		}
		if v := value(t, db, "forest-cover"); v.Status != indicator.Draft || v.EnteredBy != "li" {
			t.Errorf("draft = %+v", v)
		}
		if _, err := svc.Save(ctx, forestry, []reporting.Entry{entry("forest-cover", 19.1), entry("afforestation", 3.5)}, true, ""); err != nil {
			t.Fatal(err)
		}
		if v := value(t, db, "forest-cover"); v.Status != indicator.Submitted || v.SubmittedBy != "li" || !v.SubmittedAt.Equal(now) {
			t.Errorf("submitted = %+v", v)
		}

		// A warning needs an explanation to submit: 9000 against 3610 in 2020 is +149%.
		_, err = svc.Save(ctx, hr, []reporting.Entry{entry("urban-jobs-new", 9000)}, true, "")
		if !strings.Contains(problems(err), "城镇新增就业 9000 人，比上期 3610 人变化超过 50%；报送前请填写说明") {
			t.Errorf("unexplained warning: %v", err)
		}
		jobs := entry("urban-jobs-new", 9000)
		jobs.Explanation = "新增两个产业园区，招工集中"
		saved, err := svc.Save(ctx, hr, []reporting.Entry{jobs}, true, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(saved.Warnings) != 1 || value(t, db, "urban-jobs-new").Explanation != jobs.Explanation {
			t.Errorf("explained warning: %+v", saved)
		}

		// The planning office returns a figure with a comment; the
		// department corrects and resubmits; it is approved and published.
		k := indicator.Key{Indicator: "forest-cover", OrgUnit: "gujiao", Period: y2021}
		if err := svc.Review(ctx, planner, reporting.Return, []indicator.Key{k}, "", ""); apperr.Code(err) != apperr.Invalid {
			t.Errorf("return without a comment: %v", err)
		}
		if err := svc.Review(ctx, forestry, reporting.Approve, []indicator.Key{k}, "", ""); apperr.Code(err) != apperr.Forbidden {
			t.Errorf("a reporter approved: %v", err)
		}
		if err := svc.Review(ctx, planner, reporting.Return, []indicator.Key{k}, "与林业普查数不符，请核实", ""); err != nil {
			t.Fatal(err)
		}
		if v := value(t, db, "forest-cover"); v.Status != indicator.Draft || v.ReviewComment != "与林业普查数不符，请核实" {
			t.Errorf("returned = %+v", v)
		}
		now = now.Add(24 * time.Hour)
		if _, err := svc.Save(ctx, forestry, []reporting.Entry{entry("forest-cover", 19.05)}, true, ""); err != nil {
			t.Fatal(err)
		}
		if err := svc.Review(ctx, planner, reporting.Publish, []indicator.Key{k}, "", ""); apperr.Code(err) != apperr.Conflict {
			t.Errorf("published before approval: %v", err)
		}
		for _, a := range []reporting.Action{reporting.Approve, reporting.Publish} {
			if err := svc.Review(ctx, planner, a, []indicator.Key{k}, "", ""); err != nil {
				t.Fatal(err)
			}
		}
		if v := value(t, db, "forest-cover"); v.Status != indicator.Published || v.Number != 19.05 || v.ApprovedBy != "wang" || v.ReviewComment != "" {
			t.Errorf("published = %+v", v)
		}
		public, _ := db.Values(ctx, storage.ValueFilter{IndicatorCode: "forest-cover", Period: y2021})
		if len(public) != 1 || public[0].Number != 19.05 {
			t.Errorf("the public does not see the published figure: %+v", public)
		}
		// Approved figures are locked; a correction needs a reopening with a reason.
		if _, err := svc.Save(ctx, forestry, []reporting.Entry{entry("forest-cover", 19.2)}, false, ""); apperr.Code(err) != apperr.Invalid || !strings.Contains(problems(err), "已锁定") {
			t.Errorf("changing a published figure: %v", err)
		}
		if err := svc.Review(ctx, planner, reporting.Reopen, []indicator.Key{k}, "", ""); apperr.Code(err) != apperr.Invalid {
			t.Errorf("reopen without a reason: %v", err)
		}

		// The history of the figure is in the audit trail: who, when, old → new, why.
		entries, _ := db.AuditEntries(ctx, storage.AuditFilter{ObjectType: "value", ObjectID: "forest-cover/gujiao/2021"})
		var reasons []string
		for _, e := range entries {
			reasons = append(reasons, e.Reason)
		}
		if len(entries) != 6 || !strings.Contains(strings.Join(reasons, "|"), "退回：与林业普查数不符，请核实") {
			t.Errorf("history: %d rows: %q", len(entries), reasons)
		}

		// Completeness, counted by hand from indicators.csv: forestry owns 4
		// indicators and reported 2, on time, 1 approved; hr-social owns 2
		// (urban-jobs-new, vocational-training) and reported 1.
		progress, err := svc.Completeness(ctx, planner, 1)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range progress {
			if p.Department == "forestry" && (p.Total != 4 || p.Reported != 2 || p.OnTime != 2 || p.Approved != 1 || p.Rate() != 50) {
				t.Errorf("forestry progress = %+v", p)
			}
			if p.Department == "hr-social" && (p.Total != 2 || p.Reported != 1 || p.OnTimeRate() != 50) {
				t.Errorf("hr-social progress = %+v", p)
			}
		}
		_, tasks, err := svc.Tasks(ctx, forestry, 1, "forestry")
		if err != nil || len(tasks) != 4 {
			t.Fatalf("forestry tasks: %d, %v", len(tasks), err)
		}
		for _, task := range tasks {
			if task.Indicator.Code == "forest-cover" && (task.Value == nil || task.Value.Number != 19.05 || !task.Locked() || task.Last == nil || task.Last.Number != 18.77) {
				t.Errorf("forest-cover task = %+v", task)
			}
		}
		if _, _, err := svc.Tasks(ctx, forestry, 1, "hr-social"); apperr.Code(err) != apperr.Forbidden {
			t.Errorf("forestry saw hr-social's tasks: %v", err)
		}
		if _, err := svc.Completeness(ctx, forestry, 1); apperr.Code(err) != apperr.Forbidden {
			t.Errorf("a department saw everyone's progress: %v", err)
		}
	})
}

func TestComputedIndicator(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		now := time.Date(2022, 1, 10, 9, 0, 0, 0, indicator.Beijing)
		svc := setup(t, db, &now)
		if _, err := svc.Save(ctx, civil, []reporting.Entry{entry("rural-dibao-standard", 600)}, false, ""); err != nil {
			t.Fatal(err)
		}
		// One input alone computes nothing.
		if _, err := db.Value(ctx, auth.SystemScope(), "dibao-ratio", "gujiao", y2021); apperr.Code(err) != apperr.NotFound {
			t.Errorf("computed from one input: %v", err)
		}
		if _, err := svc.Save(ctx, civil, []reporting.Entry{entry("urban-dibao-standard", 750)}, true, ""); err != nil {
			t.Fatal(err)
		}
		v := value(t, db, "dibao-ratio")
		if v.Number != 80 || !v.Computed || v.Status != indicator.Draft { // 600/750 = 80%; rural is still a draft
			t.Errorf("computed = %+v", v)
		}
		if _, err := svc.Save(ctx, civil, []reporting.Entry{entry("rural-dibao-standard", 630)}, true, ""); err != nil {
			t.Fatal(err)
		}
		if v := value(t, db, "dibao-ratio"); v.Number != 84 || v.Status != indicator.Submitted { // 630/750
			t.Errorf("recomputed = %+v", v)
		}
		if _, err := svc.Save(ctx, planner, []reporting.Entry{entry("dibao-ratio", 1)}, false, ""); !strings.Contains(problems(err), "由公式计算") {
			t.Errorf("entering a computed figure: %v", err)
		}
	})
}
