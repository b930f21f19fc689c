package casework_test

import (
	"context"
	"strings"
	"sync"
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

var ctx = context.Background()

const (
	petitionerName  = "张三丰"
	petitionerPhone = "13912345678"
)

// people: two officers of the petition bureau (the registering office),
// two of the housing bureau (the lead), a city leader, and an officer of
// the 12345 centre's neighbour, the transport bureau.
type people struct{ bureau, bureau2, housing1, housing2, leader, other auth.Subject }

func setup(t *testing.T, db *storage.DB, now *time.Time) (*casework.Service, people) {
	t.Helper()
	b, err := dataset.Read(datasets.Gujiao())
	if err != nil {
		t.Fatal(err)
	}
	if err := dataset.Load(ctx, db, audit.Actor{Name: "test"}, b); err != nil {
		t.Fatal(err)
	}
	p := people{
		bureau:   auth.Subject{UserID: 1, Name: "xf1", Role: auth.CaseOfficer, Department: "petition"},
		bureau2:  auth.Subject{UserID: 2, Name: "xf2", Role: auth.CaseOfficer, Department: "petition"},
		housing1: auth.Subject{UserID: 3, Name: "zj1", Role: auth.Reporter, Department: "housing"},
		housing2: auth.Subject{UserID: 4, Name: "zj2", Role: auth.CaseOfficer, Department: "housing"},
		leader:   auth.Subject{UserID: 5, Name: "ld", Role: auth.Leader},
		other:    auth.Subject{UserID: 6, Name: "jt", Role: auth.Reporter, Department: "transport"},
	}
	return &casework.Service{DB: db, Now: func() time.Time { return *now }}, p
}

// A petitioner's name and phone are kept by the petition bureau: the lead
// department and a city leader see the case but not them; the audit trail
// and the stored case hold neither. A deputy's name is not personal: the
// lead sees it.
func TestPetitionersStayWithTheBureau(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		now := time.Date(2024, 9, 27, 10, 0, 0, 0, indicator.Beijing)
		svc, p := setup(t, db, &now)
		c, err := svc.Register(ctx, p.bureau, cases.Case{Number: "信访〔2024〕1号", Type: cases.Petition(), Title: "小区供暖不达标",
			Submitter: petitionerName, SubmitterContact: petitionerPhone})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range []cases.Action{{Kind: cases.Accept}, {Kind: cases.Assign, LeadDept: "housing"}} {
			a.ExpectedVersion = c.Version
			if c, err = svc.Act(ctx, p.bureau, c.ID, a); err != nil {
				t.Fatalf("%s: %v", a.Kind, err)
			}
		}
		seen, err := svc.Case(ctx, p.bureau2, c.ID)
		if err != nil || seen.Submitter != petitionerName || seen.SubmitterContact != petitionerPhone {
			t.Errorf("the bureau's view: %q %q, %v", seen.Submitter, seen.SubmitterContact, err)
		}
		for name, sub := range map[string]auth.Subject{"lead": p.housing1, "leader": p.leader} {
			got, err := svc.Case(ctx, sub, c.ID)
			if err != nil || got.Title != "小区供暖不达标" || got.Submitter != "" || got.SubmitterContact != "" {
				t.Errorf("%s's view: %+v, %v", name, got, err)
			}
			list, err := svc.Cases(ctx, sub, storage.CaseFilter{})
			if err != nil || len(list) != 1 || list[0].Submitter != "" {
				t.Errorf("%s's list: %+v, %v", name, list, err)
			}
		}
		if _, err := svc.Case(ctx, p.other, c.ID); apperr.Code(err) != apperr.NotFound {
			t.Errorf("another department's view: %v, want not found", err)
		}
		if list, _ := svc.Cases(ctx, p.other, storage.CaseFilter{}); len(list) != 0 {
			t.Errorf("another department lists %d cases", len(list))
		}
		if _, _, err := db.CaseSubmitter(ctx, c.ID, storage.SubmitterAccess{}); apperr.Code(err) != apperr.Forbidden {
			t.Errorf("the submitter without access: %v", err)
		}
		// Neither the audit trail nor the stored case holds them.
		rows, err := db.AuditEntries(ctx, storage.AuditFilter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if strings.Contains(string(r.Before)+string(r.After), petitionerName) || strings.Contains(string(r.Before)+string(r.After), petitionerPhone) {
				t.Fatalf("audit row %d holds the petitioner: %s", r.ID, r.After)
			}
		}
		raw := storagetest.Raw(t, db)
		var data string
		if err := raw.QueryRowContext(ctx, `SELECT data FROM cases WHERE id = $1`, c.ID).Scan(&data); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(data, petitionerName) || strings.Contains(data, petitionerPhone) {
			t.Errorf("the stored case holds the petitioner: %s", data)
		}

		// A deputy's suggestion: the lead sees who made it.
		s, err := svc.Register(ctx, auth.Subject{UserID: 7, Name: "rd", Role: auth.CaseOfficer, Department: "npc-office"},
			cases.Case{Number: "建议〔2024〕1号", Type: cases.NPCSuggestion(), Title: "加快老旧小区改造", Submitter: "王代表"})
		if err != nil {
			t.Fatal(err)
		}
		if s, err = svc.Act(ctx, auth.Subject{UserID: 7, Name: "rd", Role: auth.CaseOfficer, Department: "npc-office"}, s.ID,
			cases.Action{Kind: cases.Assign, LeadDept: "housing", ExpectedVersion: s.Version}); err != nil {
			t.Fatal(err)
		}
		if got, err := svc.Case(ctx, p.housing1, s.ID); err != nil || got.Submitter != "王代表" {
			t.Errorf("the lead's view of a suggestion: %q, %v", got.Submitter, err)
		}
	})
}

// An answer is signed off by the head of the lead department — a user
// whose role approves answers, of that department — and by nobody else:
// not the officer who drafted it, not a city leader, not another
// department's head (to whom the case does not exist).
func TestOnlyTheLeadsHeadApproves(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		now := time.Date(2024, 9, 27, 10, 0, 0, 0, indicator.Beijing)
		svc, p := setup(t, db, &now)
		head := auth.Subject{UserID: 8, Name: "局长", Role: auth.DeptHead, Department: "housing"}
		otherHead := auth.Subject{UserID: 9, Name: "交通局长", Role: auth.DeptHead, Department: "transport"}
		c, err := svc.Register(ctx, p.bureau, cases.Case{Number: "信访〔2024〕3号", Type: cases.Petition(), Title: "楼道照明"})
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range []struct {
			by auth.Subject
			a  cases.Action
		}{
			{p.bureau, cases.Action{Kind: cases.Accept}},
			{p.bureau, cases.Action{Kind: cases.Assign, LeadDept: "housing"}},
			{p.housing1, cases.Action{Kind: cases.Sign}},
			{p.housing1, cases.Action{Kind: cases.DraftAnswer, Note: "已更换楼道灯具", Result: "support"}},
		} {
			st.a.ExpectedVersion = c.Version
			if c, err = svc.Act(ctx, st.by, c.ID, st.a); err != nil {
				t.Fatalf("%s: %v", st.a.Kind, err)
			}
		}
		approve := cases.Action{Kind: cases.Approve, Accept: true, ExpectedVersion: c.Version}
		for name, want := range map[string]struct {
			sub  auth.Subject
			code string
		}{
			"the drafting officer":    {p.housing1, apperr.Forbidden},
			"a city leader":           {p.leader, apperr.Forbidden},
			"another department head": {otherHead, apperr.NotFound},
		} {
			if _, err := svc.Act(ctx, want.sub, c.ID, approve); apperr.Code(err) != want.code {
				t.Errorf("%s approves: %v, want %s", name, err, want.code)
			}
		}
		if c, err = svc.Act(ctx, head, c.ID, approve); err != nil {
			t.Fatalf("the head approves: %v", err)
		}
		if c.State != cases.Approved || c.Draft.ApprovedBy != "局长" {
			t.Errorf("after the head: %s, approved by %q", c.State, c.Draft.ApprovedBy)
		}
	})
}

// Two officers of the lead department sign the same case at once: one
// succeeds, the other is told someone else acted first. On both engines.
func TestCaseConcurrentSigning(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		now := time.Date(2024, 9, 27, 10, 0, 0, 0, indicator.Beijing)
		svc, p := setup(t, db, &now)
		c, err := svc.Register(ctx, p.bureau, cases.Case{Number: "信访〔2024〕2号", Type: cases.Petition(), Title: "道路积水"})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range []cases.Action{{Kind: cases.Accept}, {Kind: cases.Assign, LeadDept: "housing"}} {
			a.ExpectedVersion = c.Version
			if c, err = svc.Act(ctx, p.bureau, c.ID, a); err != nil {
				t.Fatal(err)
			}
		}
		errs := make([]error, 2)
		var wg sync.WaitGroup
		for i, who := range []auth.Subject{p.housing1, p.housing2} {
			wg.Go(func() {
				_, errs[i] = svc.Act(ctx, who, c.ID, cases.Action{Kind: cases.Sign, ExpectedVersion: c.Version})
			})
		}
		wg.Wait()
		won, lost := 0, 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case apperr.Code(err) == apperr.Conflict:
				lost++
			default:
				t.Errorf("unexpected %v", err)
			}
		}
		if won != 1 || lost != 1 {
			t.Errorf("%d signed and %d conflicted, want 1 and 1", won, lost)
		}
		events, err := db.CaseEvents(ctx, c.ID)
		if err != nil || len(events) != 4 {
			t.Errorf("events = %d, %v; want registration, accept, assign, sign", len(events), err)
		}
	})
}

// A city puts its own case types in force: new cases take them, a case
// registered before keeps the rules it was registered with, and a faulty
// set changes nothing.
func TestCityCaseTypes(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		now := time.Date(2024, 9, 27, 10, 0, 0, 0, indicator.Beijing)
		svc, p := setup(t, db, &now)
		if types, err := svc.Types(ctx); err != nil || len(types) != len(cases.DefaultTypes()) {
			t.Fatalf("the defaults: %d types, %v", len(types), err)
		}
		before, err := svc.Register(ctx, p.bureau, cases.Case{Number: "信访〔2024〕7号", Type: cases.Petition(), Title: "噪声扰民"})
		if err != nil {
			t.Fatal(err)
		}
		local := cases.DefaultTypes()
		for i := range local {
			if local[i].Code == "petition" {
				local[i].YellowDays = 12
			}
		}
		actor := audit.Actor{Name: "cli:test", Reason: "本市规定"}
		if err := svc.SaveTypes(ctx, actor, local); err != nil {
			t.Fatal(err)
		}
		petition, ok, err := svc.Type(ctx, "petition")
		if err != nil || !ok || petition.YellowDays != 12 {
			t.Fatalf("the city's petition type: %+v, %v, %v", petition.YellowDays, ok, err)
		}
		if kept, err := db.Case(ctx, before.ID); err != nil || kept.Type.YellowDays != cases.Petition().YellowDays {
			t.Errorf("a case registered before took the new rules: %d, %v", kept.Type.YellowDays, err)
		}

		broken := append(local, local[0]) // a code twice
		if err := svc.SaveTypes(ctx, actor, broken); apperr.Code(err) != apperr.Invalid {
			t.Errorf("a faulty set: %v", err)
		}
		if petition, _, _ := svc.Type(ctx, "petition"); petition.YellowDays != 12 {
			t.Error("a faulty set changed the types in force")
		}
		if err := svc.SaveTypes(ctx, actor, nil); err != nil {
			t.Fatal(err)
		}
		if petition, _, _ := svc.Type(ctx, "petition"); petition.YellowDays != cases.Petition().YellowDays {
			t.Error("the defaults are not back")
		}
	})
}
