package casework

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/calendar"
	"github.com/lantu/lantu/cases"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/storage"
)

// Bulk registration: the NPC and CPPCC offices keep their register (登记表)
// of suggestions and proposals in Excel and hand it over whole. Every case
// of it is registered, and assigned where the register names a lead, by
// the same steps as the case page takes one at a time — or, if any entry
// has a problem, none is.

// Entry is one case of an office's register: the draft's Number, Type,
// Category, Title, Submitter and SubmitterContact, when the office received
// it, and the departments to assign it to right away.
type Entry struct {
	Draft      cases.Case
	ReceivedAt time.Time // zero: now
	LeadDept   string    // empty: the case is registered only
	CoDepts    []string
	// Source names the entry where another entry's problem refers to it,
	// e.g. "事项登记!B7"; empty, it is called by its position.
	Source string
}

// The fields of an Entry a problem names.
const (
	FieldEntry    = "" // the entry as a whole
	FieldType     = "type"
	FieldNumber   = "number"
	FieldTitle    = "title"
	FieldCategory = "category"
	FieldReceived = "received"
	FieldLead     = "lead_dept"
	FieldCo       = "co_depts"
	FieldConsent  = "consent"
)

// EntryProblem is one thing wrong with one entry of a register.
type EntryProblem struct {
	Entry  int    // index into the entries
	Field  string // one of the Field constants
	ZH, EN string
}

// EntryProblems is RegisterAll's refusal: every problem of every entry, so
// that the office can fix them all at once. It reads as an *apperr.Error
// with code Invalid.
type EntryProblems []EntryProblem

func (ps EntryProblems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = fmt.Sprintf("entry %d %s: %s", p.Entry+1, p.Field, p.EN)
	}
	return strings.Join(lines, "\n")
}

// As lets apperr.Code and apperr.Message treat the problems as invalid
// input.
func (ps EntryProblems) As(target any) bool {
	t, ok := target.(**apperr.Error)
	if !ok {
		return false
	}
	zh := make([]string, len(ps))
	en := make([]string, len(ps))
	for i, p := range ps {
		zh[i], en[i] = fmt.Sprintf("第%d项：%s", p.Entry+1, p.ZH), fmt.Sprintf("entry %d: %s", p.Entry+1, p.EN)
	}
	*t = apperr.New(apperr.Invalid, strings.Join(zh, "\n"), strings.Join(en, "\n"))
	return true
}

// RegisterAll registers the entries for the visitor's office in one
// transaction, each case audited as the form registers it, and assigns
// those with a lead by the steps the type's table asks (a petition is
// accepted first). Any problem, of any entry, refuses them all: nothing
// is written and the problems come back as EntryProblems. The cases come
// back in the order of the entries, without their submitters.
func (s *Service) RegisterAll(ctx context.Context, sub auth.Subject, entries []Entry) ([]cases.Case, error) {
	bc, plans, err := s.planAll(ctx, sub, entries)
	if err != nil {
		return nil, err
	}
	out := make([]cases.Case, len(plans))
	err = s.DB.Write(ctx, sub.Actor("导入事项登记表 (import a case register)"), func(tx *storage.Tx) error {
		for i, p := range plans {
			c, err := tx.CreateCase(ctx, p.c, p.ev)
			if err != nil {
				return err
			}
			for _, a := range p.steps {
				a.ExpectedVersion = c.Version
				after, ev, err := cases.Apply(c, a, bc.actor, bc.now, bc.cal)
				if err != nil {
					return err
				}
				if err := tx.UpdateCase(ctx, c, after, ev); err != nil {
					return err
				}
				c = after
			}
			c.Submitter, c.SubmitterContact = "", ""
			out[i] = c
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// CheckAll checks the entries as RegisterAll does and writes nothing: it
// returns nil, EntryProblems, or the error that stops RegisterAll. A
// reader of a register uses it to report the problems of the entries with
// its own (a cell that is not a date), all at once.
func (s *Service) CheckAll(ctx context.Context, sub auth.Subject, entries []Entry) error {
	_, _, err := s.planAll(ctx, sub, entries)
	return err
}

// planAll checks every entry and registers it in memory.
func (s *Service) planAll(ctx context.Context, sub auth.Subject, entries []Entry) (*bulkCheck, []plannedCase, error) {
	if !sub.Can(auth.RespondOrders) || sub.Department == "" {
		return nil, nil, apperr.New(apperr.Forbidden, "只有受理部门的办理人员可以登记事项", "only an office's case officers register cases")
	}
	if len(entries) == 0 {
		return nil, nil, apperr.New(apperr.Invalid, "登记表中没有事项", "the register holds no case")
	}
	bc, err := s.bulkCheck(ctx, sub)
	if err != nil {
		return nil, nil, err
	}
	plans := make([]plannedCase, len(entries))
	for i, e := range entries {
		if plans[i], err = bc.plan(i, e); err != nil {
			return nil, nil, err
		}
	}
	if len(bc.problems) > 0 {
		return nil, nil, bc.problems
	}
	return bc, plans, nil
}

// bulkCheck holds what the entries of one register are checked against.
type bulkCheck struct {
	actor    cases.Actor
	now      time.Time
	cal      *calendar.Calendar
	depts    map[string]bool
	stored   map[string]bool   // the numbers of the cases stored
	seen     map[string]string // the numbers of the entries so far, and where
	problems EntryProblems
}

// plannedCase is a case registered in memory and the steps to take on it
// once stored.
type plannedCase struct {
	c     cases.Case
	ev    cases.Event
	steps []cases.Action
}

func (s *Service) bulkCheck(ctx context.Context, sub auth.Subject) (*bulkCheck, error) {
	bc := &bulkCheck{actor: ActorOf(sub), now: s.Now(), depts: map[string]bool{}, stored: map[string]bool{}, seen: map[string]string{}}
	depts, err := s.DB.Departments(ctx)
	if err != nil {
		return nil, err
	}
	for _, d := range depts {
		bc.depts[d.Code] = true
	}
	// A number is unique among all cases, not only the office's own.
	all, err := s.DB.Cases(ctx, storage.CaseFilter{})
	if err != nil {
		return nil, err
	}
	for _, c := range all {
		bc.stored[c.Number] = true
	}
	if bc.cal, err = s.DB.Calendar(ctx); err != nil {
		return nil, err
	}
	return bc, nil
}

func (bc *bulkCheck) problem(i int, field, zh, en string) {
	bc.problems = append(bc.problems, EntryProblem{Entry: i, Field: field, ZH: zh, EN: en})
}

// fail records a refusal of the cases package as a problem; an error that
// is not the user's stops the import.
func (bc *bulkCheck) fail(i int, field string, err error) error {
	if apperr.Code(err) == apperr.Internal {
		return err
	}
	bc.problem(i, field, apperr.Message(err, "zh"), apperr.Message(err, "en"))
	return nil
}

// plan checks entry i and registers it in memory; its problems are
// recorded, and only an internal error is returned.
func (bc *bulkCheck) plan(i int, e Entry) (plannedCase, error) {
	before := len(bc.problems)
	draft := e.Draft
	draft.Number = strings.TrimSpace(draft.Number)
	bc.checkType(i, draft.Type)
	bc.checkNumber(i, draft.Number, e.Source)
	if strings.TrimSpace(draft.Title) == "" {
		bc.problem(i, FieldTitle, "请填写标题（案由）", "the title is required")
	}
	bc.checkCategory(i, draft.Type, draft.Category)
	if draft.PublishConsent && draft.Type.Code != "" && !draft.Type.PublishAnswers {
		bc.problem(i, FieldConsent, draft.Type.NameZH+"的答复不公开，不能填写同意公开", "a "+draft.Type.NameEN+"'s answer is never published: no consent to record")
	}
	received := bc.receivedAt(i, e.ReceivedAt)
	bc.checkDepts(i, e)
	if len(bc.problems) > before {
		return plannedCase{}, nil
	}
	// The registration is dated when the office received the case; the
	// steps after it, now.
	c, ev, err := cases.Register(draft, bc.actor, received)
	if err != nil {
		return plannedCase{}, bc.fail(i, FieldEntry, err)
	}
	p := plannedCase{c: c, ev: ev}
	if e.LeadDept == "" {
		return p, nil
	}
	if p.steps, err = bc.assignSteps(c, e); err != nil {
		return plannedCase{}, bc.fail(i, FieldLead, err)
	}
	return p, nil
}

func (bc *bulkCheck) checkType(i int, t cases.Type) {
	switch {
	case t.Code == "":
		bc.problem(i, FieldType, "请填写事项类型", "the case type is required")
	case t.FollowUpOf != "":
		bc.problem(i, FieldType, t.NameZH+"须在原事项页面登记，不能批量导入", "a "+t.NameEN+" is registered from the case it follows up, not imported")
	}
}

func (bc *bulkCheck) checkCategory(i int, t cases.Type, code string) {
	if _, ok := t.Category(code); ok || t.Code == "" {
		return
	}
	if len(t.Categories) == 0 {
		if code != "" {
			bc.problem(i, FieldCategory, t.NameZH+"不分类别", "a "+t.NameEN+" has no categories")
		}
		return
	}
	var zh, en []string
	for _, c := range t.Categories {
		zh, en = append(zh, c.NameZH), append(en, c.Code)
	}
	if code == "" {
		bc.problem(i, FieldCategory, t.NameZH+"须填写类别："+strings.Join(zh, "、"), "a "+t.NameEN+" needs a category: "+strings.Join(en, ", "))
		return
	}
	bc.problem(i, FieldCategory, fmt.Sprintf("类别「%s」无效，应为：%s", code, strings.Join(zh, "、")),
		fmt.Sprintf("category %q is not valid: %s", code, strings.Join(en, ", ")))
}

func (bc *bulkCheck) checkNumber(i int, number, source string) {
	if source == "" {
		source = fmt.Sprintf("第%d项", i+1)
	}
	switch at, dup := bc.seen[number]; {
	case number == "":
		bc.problem(i, FieldNumber, "请填写事项编号", "the case number is required")
	case dup:
		bc.problem(i, FieldNumber, fmt.Sprintf("编号「%s」与 %s 重复", number, at), fmt.Sprintf("number %q is also in %s", number, at))
	case bc.stored[number]:
		bc.problem(i, FieldNumber, fmt.Sprintf("编号「%s」的事项已经登记", number), fmt.Sprintf("a case numbered %q is already registered", number))
	default:
		bc.seen[number] = source
	}
}

// receivedAt is when the office received the case: now when the register
// does not say or says today, and never a day to come.
func (bc *bulkCheck) receivedAt(i int, at time.Time) time.Time {
	switch {
	case at.IsZero() || dateIn(at).Equal(dateIn(bc.now)):
		return bc.now
	case at.After(bc.now):
		day := dateIn(at).Format(time.DateOnly)
		bc.problem(i, FieldReceived, "登记日期 "+day+" 晚于今天", "the date received, "+day+", is after today")
		return bc.now
	}
	return at
}

func dateIn(t time.Time) time.Time {
	y, m, d := t.In(indicator.Beijing).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, indicator.Beijing)
}

func (bc *bulkCheck) checkDepts(i int, e Entry) {
	if e.LeadDept != "" && !bc.depts[e.LeadDept] {
		bc.problem(i, FieldLead, fmt.Sprintf("主办单位编码「%s」不存在", e.LeadDept), fmt.Sprintf("there is no department %q to lead", e.LeadDept))
	}
	if len(e.CoDepts) > 0 && e.LeadDept == "" {
		bc.problem(i, FieldCo, "填写协办单位时须同时填写主办单位", "co-handling departments need a lead department")
	}
	for j, d := range e.CoDepts {
		switch {
		case !bc.depts[d]:
			bc.problem(i, FieldCo, fmt.Sprintf("协办单位编码「%s」不存在", d), fmt.Sprintf("there is no department %q to co-handle", d))
		case d == e.LeadDept || slices.Contains(e.CoDepts[:j], d):
			bc.problem(i, FieldCo, fmt.Sprintf("协办单位「%s」重复或与主办单位相同", d), fmt.Sprintf("co-handling department %q is listed twice or is also the lead", d))
		}
	}
}

// assignSteps are the steps from registered to assigned that the type's
// table lets the office take: the assignment, after the acceptance where
// the type's clock starts at it (petitions, licences). They are tried on
// the case in memory, so that a refusal is a problem of the entry.
func (bc *bulkCheck) assignSteps(c cases.Case, e Entry) ([]cases.Action, error) {
	var steps []cases.Action
	for _, kind := range []cases.ActionKind{cases.Accept, cases.Assign} {
		allowed := c.Allowed(bc.actor)
		if kind == cases.Accept && (slices.Contains(allowed, cases.Assign) || !slices.Contains(allowed, cases.Accept)) {
			continue
		}
		a := cases.Action{Kind: kind, ExpectedVersion: c.Version}
		if kind == cases.Assign {
			a.LeadDept, a.CoDepts = e.LeadDept, e.CoDepts
		}
		next, _, err := cases.Apply(c, a, bc.actor, bc.now, bc.cal)
		if err != nil {
			return nil, err
		}
		steps, c = append(steps, a), next
	}
	return steps, nil
}
