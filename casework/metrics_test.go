package casework_test

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/calendar"
	"github.com/lantu/lantu/cases"
	"github.com/lantu/lantu/casework"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/storage"
	"github.com/lantu/lantu/storage/storagetest"
)

// generated is a case driven along its path, with the times of the facts
// the feeds count, noted here as they happen.
type generated struct {
	c                                cases.Case
	first                            cases.Event
	rejectedAt, answeredAt, closedAt time.Time
}

// generateCases makes petitions (some from 2023, the backlog),
// suggestions, proposals and licences (three versions of the licence
// type) registered through 2024, each taken a random number of steps
// along its path, some spilling into 2025.
func generateCases(t *testing.T, cal *calendar.Calendar) []generated {
	t.Helper()
	rng := rand.New(rand.NewPCG(2024, 6))
	licences := []cases.Type{
		cases.DefaultLicence(), // 20 / 14
		cases.Licence("licence", "行政许可", "administrative licence", 30, 20, false),
		cases.Licence("licence", "行政许可", "administrative licence", 20, 0, false), // no promise
	}
	var out []generated
	for i := range 120 {
		var typ cases.Type
		office := cases.Actor{Name: "登记员", Office: true}
		switch k := rng.IntN(100); {
		case i < 3:
			typ, office.Dept = licences[i], "approval"
		case k < 40:
			typ, office.Dept = cases.Petition(), "petition"
		case k < 60:
			typ, office.Dept = cases.NPCSuggestion(), "npc-office"
		case k < 75:
			typ, office.Dept = cases.CPPCCProposal(), "cppcc-office"
		default:
			typ, office.Dept = licences[rng.IntN(len(licences))], "approval"
		}
		from := time.Date(2024, 1, 1, 8, 0, 0, 0, indicator.Beijing)
		if typ.Code == "petition" && rng.IntN(3) == 0 {
			from = from.AddDate(-1, 0, 0)
		}
		now := from.Add(time.Duration(rng.IntN(365*24)) * time.Hour)
		c, ev, err := cases.Register(cases.Case{Number: fmt.Sprintf("G%03d", i), Type: typ, Title: "生成的事项"}, office, now)
		if err != nil {
			t.Fatal(err)
		}
		g := generated{c: c, first: ev}
		lead := cases.Actor{Name: "科员", Dept: "housing"}
		head := cases.Actor{Name: "局长", Dept: "housing", Head: true}
		result := typ.Results[0].Code
		steps := []struct {
			a  cases.Action
			by cases.Actor
			at *time.Time
		}{
			{cases.Action{Kind: cases.Accept}, office, nil},
			{cases.Action{Kind: cases.Assign, LeadDept: "housing"}, office, nil},
			{cases.Action{Kind: cases.Sign}, lead, nil},
			{cases.Action{Kind: cases.DraftAnswer, Note: "答复", Result: result}, lead, nil},
			{cases.Action{Kind: cases.Approve, Accept: true}, head, nil},
			{cases.Action{Kind: cases.SendAnswer}, lead, &g.answeredAt},
			{cases.Action{Kind: cases.Rate, Rating: cases.Satisfied}, office, nil},
			{cases.Action{Kind: cases.Close}, office, &g.closedAt},
		}
		if typ.Code == "petition" && rng.IntN(10) == 0 {
			steps = steps[:0]
			steps = append(steps, struct {
				a  cases.Action
				by cases.Actor
				at *time.Time
			}{cases.Action{Kind: cases.Reject, Note: "不予受理"}, office, &g.rejectedAt})
		}
		stop := len(steps)
		if rng.IntN(3) == 0 {
			stop = rng.IntN(len(steps))
		}
		for _, s := range steps[:stop] {
			if !g.c.Type.Uses(s.a.Kind) || !allowed(g.c, s.a.Kind, s.by) {
				continue
			}
			if s.a.Kind == cases.SendAnswer && !g.c.Type.Uses(cases.Rate) {
				s.by = office // a licence's decision is served by the hall
			}
			wait := 96
			if g.c.ReceivedAt.Year() < 2024 {
				wait = 24 * 60 // the backlog: long-standing cases
			}
			now = now.Add(time.Duration(1+rng.IntN(wait)) * time.Hour)
			s.a.ExpectedVersion = g.c.Version
			next, _, err := cases.Apply(g.c, s.a, s.by, now, cal)
			if err != nil {
				t.Fatalf("%s %s: %v", g.c.Number, s.a.Kind, err)
			}
			g.c = next
			if s.at != nil {
				*s.at = now
			}
		}
		out = append(out, g)
	}
	return out
}

func allowed(c cases.Case, k cases.ActionKind, by cases.Actor) bool {
	for _, tr := range c.Type.Flow {
		if tr.Action == k {
			for _, s := range tr.From {
				if s == c.State {
					return true
				}
			}
		}
	}
	return false
}

// storeCases stores each generated case as it ended, in one write.
func storeCases(t *testing.T, db *storage.DB, list []generated) {
	t.Helper()
	err := db.Write(ctx, audit.Actor{Name: "test"}, func(tx *storage.Tx) error {
		for _, g := range list {
			if _, err := tx.CreateCase(ctx, g.c, g.first); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func valuesJSON(t *testing.T, db *storage.DB, p period.Period) string {
	t.Helper()
	vals, err := db.Values(ctx, storage.ValueFilter{Period: p, Scope: auth.SystemScope()})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(vals)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The Gujiao figures of 2020 come from its work report; Lantu holds no
// case of 2020 (only of 2023 and 2024), so feeding 2020 leaves every one
// of them as it was, byte for byte.
func TestFeedLeavesAYearWithoutCases(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		now := time.Date(2025, 1, 5, 9, 0, 0, 0, indicator.Beijing)
		svc, _ := setup(t, db, &now)
		cal, err := db.Calendar(ctx)
		if err != nil {
			t.Fatal(err)
		}
		storeCases(t, db, generateCases(t, cal))
		y2020 := period.Period{Kind: period.Year, Year: 2020}
		before := valuesJSON(t, db, y2020)
		if !strings.Contains(before, `"npc-suggestions-handled"`) || !strings.Contains(before, `"Number":146`) {
			t.Fatalf("the Gujiao 2020 figures are not loaded: %.300s", before)
		}
		rep, err := svc.FeedIndicators(ctx, 2020, time.Date(2021, 1, 1, 0, 0, 0, 0, indicator.Beijing))
		if err != nil {
			t.Fatal(err)
		}
		if after := valuesJSON(t, db, y2020); after != before {
			t.Errorf("the 2020 figures changed:\nbefore %s\nafter  %s", before, after)
		}
		if len(rep.Lines) != len(casework.DefaultFeeds()) {
			t.Fatalf("report: %+v", rep)
		}
		for _, l := range rep.Lines {
			if l.Outcome != casework.NoCases {
				t.Errorf("%s: %s, want %s", l.Feed.IndicatorCode, l.Outcome, casework.NoCases)
			}
		}
	})
}

// A generated 2024 is fed, and each figure written is checked against a
// count made here from the times noted while generating.
func TestFeedFromAGeneratedYear(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		now := time.Date(2025, 1, 5, 9, 0, 0, 0, indicator.Beijing)
		svc, _ := setup(t, db, &now)
		cal, err := db.Calendar(ctx)
		if err != nil {
			t.Fatal(err)
		}
		list := generateCases(t, cal)
		storeCases(t, db, list)
		from := time.Date(2024, 1, 1, 0, 0, 0, 0, indicator.Beijing)
		asOf := from.AddDate(1, 0, 0)
		in2024 := func(t time.Time) bool { return !t.IsZero() && !t.Before(from) && t.Before(asOf) }

		var suggestions, proposals, petitions, completed, backlog int
		for _, g := range list {
			switch g.c.Type.Code {
			case "npc_suggestion":
				if in2024(g.c.ReceivedAt) {
					suggestions++
				}
			case "cppcc_proposal":
				if in2024(g.c.ReceivedAt) {
					proposals++
				}
			case "petition":
				switch {
				case in2024(g.c.ReceivedAt) && !(g.rejectedAt.Before(asOf) && !g.rejectedAt.IsZero()):
					petitions++
					if !g.answeredAt.IsZero() && g.answeredAt.Before(asOf) {
						completed++
					}
				case g.c.ReceivedAt.Before(from) && in2024(g.closedAt):
					backlog++
				}
			}
		}
		if suggestions == 0 || proposals == 0 || completed == 0 || completed == petitions || backlog == 0 {
			t.Fatalf("a poor sample: %d suggestions, %d proposals, %d/%d petitions, %d backlog", suggestions, proposals, completed, petitions, backlog)
		}
		t.Logf("2024: %d suggestions, %d proposals, %d/%d petitions completed, %d backlog resolved", suggestions, proposals, completed, petitions, backlog)
		rate := math.Round(float64(completed)/float64(petitions)*10000) / 100
		want := map[string]float64{
			"npc-suggestions-handled":        float64(suggestions),
			"cppcc-proposals-handled":        float64(proposals),
			"assigned-petition-closure-rate": rate,
			"petition-backlog-resolved":      float64(backlog),
			// Two licence types with both clocks: 20/14 and 30/20;
			// the one without a promise is left out.
			"approval-time-cut": 32,
		}
		rep, err := svc.FeedIndicators(ctx, 2024, asOf)
		if err != nil {
			t.Fatal(err)
		}
		y2024 := period.Period{Kind: period.Year, Year: 2024}
		for _, l := range rep.Lines {
			if l.Outcome != casework.Written {
				t.Errorf("%s: %s (%s)", l.Feed.IndicatorCode, l.Outcome, l.Formula)
			}
		}
		for code, n := range want {
			v, err := db.Value(ctx, auth.SystemScope(), code, rep.OrgUnit, y2024)
			if err != nil {
				t.Errorf("%s: %v", code, err)
				continue
			}
			if v.Number != n || v.Status != indicator.Submitted || !v.Computed || v.EnteredBy != "system:cases" || v.Note == "" {
				t.Errorf("%s: %+v, want %v submitted and computed by system:cases", code, v, n)
			}
		}
		if v, _ := db.Value(ctx, auth.SystemScope(), "assigned-petition-closure-rate", rep.OrgUnit, y2024); !strings.Contains(v.Note, fmt.Sprintf("办结 %d / 受理 %d", completed, petitions)) {
			t.Errorf("the closure rate's note: %q", v.Note)
		}

		// Fed again, nothing changes and nothing is written.
		audited := auditCount(t, db)
		rep, err = svc.FeedIndicators(ctx, 2024, asOf)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range rep.Lines {
			if l.Outcome != casework.Unchanged {
				t.Errorf("fed again, %s: %s", l.Feed.IndicatorCode, l.Outcome)
			}
		}
		if n := auditCount(t, db); n != audited {
			t.Errorf("fed again, %d audit rows written", n-audited)
		}

		// A city without one of the indicators: that feed is skipped.
		rep, err = svc.FeedIndicatorsWith(ctx, []casework.Feed{{IndicatorCode: "no-such-indicator", TypeCode: "petition", Metric: casework.Registered}}, 2024, asOf)
		if err != nil || len(rep.Lines) != 1 || rep.Lines[0].Outcome != casework.NoIndicator {
			t.Errorf("an absent indicator: %+v, %v", rep, err)
		}
	})
}

func auditCount(t *testing.T, db *storage.DB) int {
	t.Helper()
	rows, err := db.AuditEntries(ctx, storage.AuditFilter{Limit: 100000})
	if err != nil {
		t.Fatal(err)
	}
	return len(rows)
}
