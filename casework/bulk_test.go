package casework_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/cases"
	"github.com/lantu/lantu/casework"
	"github.com/lantu/lantu/dataset"
	"github.com/lantu/lantu/datasets"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/storage"
	"github.com/lantu/lantu/storage/storagetest"
)

// npcOffice registers the deputies' suggestions.
var npcOffice = auth.Subject{UserID: 11, Name: "rd1", Role: auth.CaseOfficer, Department: "npc-office"}

// bulkService is a service over the Gujiao departments whose clock stands
// at Friday 27 September 2024, before the National Day holiday: the
// working days after it are 29 and 30 September (29 is a make-up
// workday), then 8, 9, 10 October.
func bulkService(t *testing.T, db *storage.DB) *casework.Service {
	t.Helper()
	b, err := dataset.Read(datasets.Gujiao())
	if err != nil {
		t.Fatal(err)
	}
	if err := dataset.Load(context.Background(), db, audit.Actor{Name: "test"}, b); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2024, 9, 27, 10, 0, 0, 0, indicator.Beijing)
	return &casework.Service{DB: db, Now: func() time.Time { return now }}
}

func day(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, indicator.Beijing)
}

func sameDay(a, b time.Time) bool {
	return a.In(indicator.Beijing).Format(time.DateOnly) == b.In(indicator.Beijing).Format(time.DateOnly)
}

// The NPC office's register: three suggestions, two with a lead (one
// with co-handlers), and a petition with a lead, which is accepted on the
// way. Each is stored as the form and the case page would leave it, with
// deadlines counted from today on the working-day calendar.
func TestRegisterAllAssignsAtOnce(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		svc := bulkService(t, db)
		entries := []casework.Entry{
			{Draft: cases.Case{Number: "建议〔2024〕1号", Type: cases.NPCSuggestion(), Title: "改造东曲小区供暖管网", Submitter: "王代表"},
				ReceivedAt: day(2024, 9, 20), LeadDept: "housing", CoDepts: []string{"transport", "water"}},
			{Draft: cases.Case{Number: "建议〔2024〕2号", Type: cases.NPCSuggestion(), Title: "增开城乡公交线路", PublishConsent: true}, LeadDept: "transport"},
			{Draft: cases.Case{Number: "建议〔2024〕3号", Type: cases.NPCSuggestion(), Title: "加强河道治理"}},
			{Draft: cases.Case{Number: "信访〔2024〕9号", Type: cases.Petition(), Title: "楼道照明", Submitter: "张三丰", SubmitterContact: "13912345678"},
				LeadDept: "housing"},
		}
		got, err := svc.RegisterAll(ctx, npcOffice, entries)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 4 {
			t.Fatalf("%d cases registered, want 4", len(got))
		}
		for i, want := range []cases.State{cases.Assigned, cases.Assigned, cases.Registered, cases.Assigned} {
			c, err := db.Case(ctx, got[i].ID)
			if err != nil || c.State != want || c.Number != entries[i].Draft.Number || c.OfficeDept != "npc-office" {
				t.Errorf("case %d: %s %s %s, %v; want %s", i, c.Number, c.State, c.OfficeDept, err, want)
			}
			if got[i].Submitter != "" || got[i].SubmitterContact != "" {
				t.Errorf("case %d comes back with its submitter", i)
			}
		}

		first, err := db.Case(ctx, got[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if second, err := db.Case(ctx, got[1].ID); err != nil || !second.PublishConsent || first.PublishConsent {
			t.Errorf("consent: %v for the second, %v for the first, %v", second.PublishConsent, first.PublishConsent, err)
		}
		cal, err := db.Calendar(ctx)
		if err != nil {
			t.Fatal(err)
		}
		a, _ := first.Assignment()
		clocks := first.Clocks(svc.Now(), cal)
		switch {
		case !sameDay(first.ReceivedAt, day(2024, 9, 20)):
			t.Errorf("received %s, want the register's 2024-09-20", first.ReceivedAt)
		case a.LeadDept != "housing" || !sameDay(a.AssignedAt, day(2024, 9, 27)):
			t.Errorf("assignment %+v", a)
		// 5 working days: 29, 30 September, 8, 9, 10 October.
		case !sameDay(a.SignBy, day(2024, 10, 10)):
			t.Errorf("sign by %s, want 2024-10-10", a.SignBy)
		// 1 month: 27 October is a Sunday, rolled over to Monday.
		case len(a.CoHandlers) != 2 || a.CoHandlers[0].Dept != "transport" || !sameDay(a.CoHandlers[1].Deadline, day(2024, 10, 28)):
			t.Errorf("co-handlers %+v, want transport and water by 2024-10-28", a.CoHandlers)
		// 3 months from the assignment: Friday 27 December.
		case len(clocks) == 0 || !sameDay(clocks[0].Deadline, day(2024, 12, 27)):
			t.Errorf("answer clocks %+v, want a deadline of 2024-12-27", clocks)
		}

		// The petition was accepted, then assigned; its petitioner is kept
		// apart and reaches only the office.
		petition, err := db.Case(ctx, got[3].ID)
		if err != nil || !sameDay(petition.AcceptedAt, day(2024, 9, 27)) {
			t.Errorf("petition accepted at %s, %v", petition.AcceptedAt, err)
		}
		if name, phone, err := db.CaseSubmitter(ctx, got[3].ID, storage.GrantSubmitter(true)); err != nil || name != "张三丰" || phone != "13912345678" {
			t.Errorf("petitioner %q %q, %v", name, phone, err)
		}

		var kinds []cases.ActionKind
		events, err := db.CaseEvents(ctx, got[3].ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range events {
			kinds = append(kinds, ev.Kind)
		}
		if !slices.Equal(kinds, []cases.ActionKind{cases.Registration, cases.Accept, cases.Assign}) {
			t.Errorf("the petition's history: %v", kinds)
		}

		// The housing bureau finds both cases it leads on its desk.
		led, err := svc.Cases(ctx, auth.Subject{UserID: 12, Name: "zj", Role: auth.CaseOfficer, Department: "housing"}, storage.CaseFilter{})
		if err != nil || len(led) != 2 {
			t.Errorf("the housing bureau sees %d cases, %v; want 2", len(led), err)
		}

		// Every registration and step is audited, under the import.
		rows, err := db.AuditEntries(ctx, storage.AuditFilter{ObjectType: "case", Actor: npcOffice.Name})
		if err != nil {
			t.Fatal(err)
		}
		created := 0
		for _, r := range rows {
			if r.Action == audit.Create {
				created++
			}
			if r.Reason != "导入事项登记表 (import a case register)" {
				t.Errorf("audit row %d: reason %q", r.ID, r.Reason)
			}
		}
		// 4 registrations, 3 assignments, 1 acceptance.
		if created != 4 || len(rows) != 8 {
			t.Errorf("%d audit rows, %d of them creations; want 8 and 4", len(rows), created)
		}
	})
}

// A register with problems is refused whole: every problem is named by
// its entry and field, and no case is written.
func TestRegisterAllRefusesAllOrNothing(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		svc := bulkService(t, db)
		if _, err := svc.RegisterAll(ctx, npcOffice, []casework.Entry{{Draft: cases.Case{Number: "建议〔2024〕1号", Type: cases.NPCSuggestion(), Title: "已登记"}}}); err != nil {
			t.Fatal(err)
		}
		suggestion := func(number, title string) cases.Case {
			return cases.Case{Number: number, Type: cases.NPCSuggestion(), Title: title}
		}
		entries := []casework.Entry{
			{Draft: suggestion("建议〔2024〕2号", "好的一行"), LeadDept: "housing"},
			{Draft: suggestion("建议〔2024〕1号", "已经登记过的编号")},
			{Draft: suggestion("建议〔2024〕2号", "文件内重复的编号"), Source: "事项登记!B4"},
			{Draft: suggestion("建议〔2024〕5号", "不存在的主办单位"), LeadDept: "no-such-bureau"},
			{Draft: suggestion("建议〔2024〕6号", "")},
			{Draft: cases.Case{Number: "信访〔2024〕6号", Type: cases.Petition(), Title: "信访不公开答复", PublishConsent: true}},
			{Draft: suggestion("建议〔2024〕7号", "明天才收到"), ReceivedAt: day(2024, 9, 28)},
			{Draft: suggestion("建议〔2024〕8号", "协办与主办相同"), LeadDept: "housing", CoDepts: []string{"housing"}},
			{Draft: cases.Case{Number: "12345-1", Type: cases.Hotline(), Title: "路灯不亮", Category: "gossip"}},
			{Draft: cases.Case{Number: "复查-1", Type: cases.PetitionReview(), Title: "复查"}},
		}
		entries[0].Source = "事项登记!B2"
		_, err := svc.RegisterAll(ctx, npcOffice, entries)
		var probs casework.EntryProblems
		if !errors.As(err, &probs) || apperr.Code(err) != apperr.Invalid {
			t.Fatalf("RegisterAll: %v, want EntryProblems", err)
		}
		type at struct {
			entry int
			field string
		}
		var got []at
		for _, p := range probs {
			got = append(got, at{p.Entry, p.Field})
			if p.ZH == "" || p.EN == "" {
				t.Errorf("problem %+v lacks a language", p)
			}
		}
		want := []at{{1, casework.FieldNumber}, {2, casework.FieldNumber}, {3, casework.FieldLead}, {4, casework.FieldTitle},
			{5, casework.FieldConsent}, {6, casework.FieldReceived}, {7, casework.FieldCo}, {8, casework.FieldCategory}, {9, casework.FieldType}}
		if !slices.Equal(got, want) {
			t.Errorf("problems at %v\nwant %v\n%v", got, want, err)
		}
		if probs[1].ZH != "编号「建议〔2024〕2号」与 事项登记!B2 重复" {
			t.Errorf("the duplicate is told %q", probs[1].ZH)
		}
		list, err := db.Cases(ctx, storage.CaseFilter{})
		if err != nil || len(list) != 1 {
			t.Errorf("%d cases stored after a refused register, %v; want the 1 registered before", len(list), err)
		}
	})
}

// Only a department's case officers register, and a register must hold a
// case.
func TestRegisterAllRefusals(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		svc := bulkService(t, db)
		one := []casework.Entry{{Draft: cases.Case{Number: "建议〔2024〕1号", Type: cases.NPCSuggestion(), Title: "x"}}}
		for name, c := range map[string]struct {
			sub     auth.Subject
			entries []casework.Entry
			code    string
		}{
			"leader":        {auth.Subject{UserID: 5, Name: "ld", Role: auth.Leader}, one, apperr.Forbidden},
			"viewer":        {auth.Subject{UserID: 6, Name: "v", Role: auth.Viewer, Department: "npc-office"}, one, apperr.Forbidden},
			"empty":         {npcOffice, nil, apperr.Invalid},
			"no department": {auth.Subject{UserID: 7, Name: "x", Role: auth.CaseOfficer}, one, apperr.Forbidden},
		} {
			if _, err := svc.RegisterAll(ctx, c.sub, c.entries); apperr.Code(err) != c.code {
				t.Errorf("%s: %v, want %s", name, err, c.code)
			}
		}
		if list, _ := db.Cases(ctx, storage.CaseFilter{}); len(list) != 0 {
			t.Errorf("%d cases stored", len(list))
		}
	})
}
