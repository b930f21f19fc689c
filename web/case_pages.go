package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/calendar"
	"github.com/lantu/lantu/cases"
	"github.com/lantu/lantu/casework"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/storage"
)

// caseRoutes are the cases with legal clocks (事项): the desk, registration,
// the case page and its steps. Who sees a case, and its submitter, is
// decided by casework; these pages only show what it hands out.
func (s *Server) caseRoutes() []route {
	return []route{
		{Method: "GET", Pattern: "/cases", Name: "cases", Summary: "the cases the visitor may see (open ones unless ?state=all), by working days left on the first clock, with the deadline and how it was computed, and the light", Permission: auth.ReadInternal, Handle: s.casesPage},
		{Method: "GET", Pattern: "/cases/new", Name: "case_new", Summary: "the form to register a case received by the visitor's office", Permission: auth.RespondOrders, Handle: s.caseNew},
		{Method: "POST", Pattern: "/cases", Name: "case_register", Summary: "registers a case for the visitor's office (audited); a refusal shows the form again with the message", Permission: auth.RespondOrders, Handle: s.caseRegister},
		{Method: "GET", Pattern: "/cases/{id}", Name: "case", Summary: "one case: its facts, every clock with how its deadline was computed and its light, the submitter where the visitor may see it, the timeline, and a form per step the visitor may take", Permission: auth.ReadInternal, Handle: s.casePage},
		{Method: "POST", Pattern: "/cases/{id}/act", Name: "case_act", Summary: "a step on a case if its type's transition table allows it (audited; a stale version is a conflict)", Permission: auth.ReadInternal, Handle: s.caseAct},
	}
}

func (s *Server) caseService() *casework.Service {
	svc := casework.New(s.db)
	svc.Now = s.now
	return svc
}

// caseRow is a case as lists show it.
type caseRow struct {
	Case     cases.Case
	Category string // the category's name in the page's language; "" without
	Lead     named
	Deadline string // the first clock's deadline and how it was computed
	DaysLeft int
	Timed    bool // the first clock is running, so DaysLeft means something
	Light    cases.Light
}

func (s *Server) caseRows(r *http.Request, list []cases.Case, cal *calendar.Calendar) ([]caseRow, error) {
	n, err := s.names(r.Context())
	if err != nil {
		return nil, err
	}
	now, lang := s.now(), languageOf(r)
	rows := make([]caseRow, 0, len(list))
	for _, c := range list {
		row := caseRow{Case: c, Light: c.Light(now, cal)}
		if cat, ok := c.Type.Category(c.Category); ok {
			row.Category = pick(lang, cat.NameZH, cat.NameEN)
		}
		if a, ok := c.Assignment(); ok {
			row.Lead = n.dept(a.LeadDept)
		}
		if clocks := c.Clocks(now, cal); len(clocks) > 0 && clocks[0].Started {
			zh, en := clocks[0].Explained()
			row.Deadline = pick(lang, zh, en)
			row.Timed = clocks[0].Running()
			row.DaysLeft = clocks[0].WorkingDaysLeft(now, cal)
		}
		rows = append(rows, row)
	}
	// Running clocks first, the least time left first; the rest keep
	// their order (oldest first).
	slices.SortStableFunc(rows, func(a, b caseRow) int {
		switch {
		case a.Timed && b.Timed:
			return a.DaysLeft - b.DaysLeft
		case a.Timed:
			return -1
		case b.Timed:
			return 1
		}
		return 0
	})
	return rows, nil
}

type casesPage struct {
	All  bool
	Rows []caseRow
}

func (s *Server) casesPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	page := casesPage{All: r.URL.Query().Get("state") == "all"}
	list, err := s.caseService().Cases(ctx, subjectOf(r), storage.CaseFilter{OpenOnly: !page.All})
	if err != nil {
		return err
	}
	cal, err := s.db.Calendar(ctx)
	if err != nil {
		return err
	}
	if page.Rows, err = s.caseRows(r, list, cal); err != nil {
		return err
	}
	return s.renderPrivate(w, r, http.StatusOK, "cases", page)
}

// caseForm is a case being registered, as typed.
type caseForm struct {
	Type, Category, Number, Title, Submitter, Contact string
	Consent                                           bool
}

type caseNewPage struct {
	Form  caseForm
	Error string
	Types []cases.Type
}

// registrableTypes are the types in force that an office registers
// directly; a 复查 or 复核 follows up an answered case instead.
func (s *Server) registrableTypes(ctx context.Context) ([]cases.Type, error) {
	types, err := s.caseService().Types(ctx)
	return slices.DeleteFunc(types, func(t cases.Type) bool { return t.FollowUpOf != "" }), err
}

func (s *Server) caseNew(w http.ResponseWriter, r *http.Request) error {
	types, err := s.registrableTypes(r.Context())
	if err != nil {
		return err
	}
	return s.renderPrivate(w, r, http.StatusOK, "case_new", caseNewPage{Types: types})
}

func (s *Server) caseRegister(w http.ResponseWriter, r *http.Request) error {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	f := caseForm{Type: v("type"), Category: v("category"), Number: v("number"), Title: v("title"), Submitter: v("submitter"), Contact: v("contact"),
		Consent: v("consent") == "1"}
	types, err := s.registrableTypes(r.Context())
	if err != nil {
		return err
	}
	c, err := func() (cases.Case, error) {
		i := slices.IndexFunc(types, func(t cases.Type) bool { return t.Code == f.Type })
		if i < 0 {
			return cases.Case{}, apperr.Invalidf("事项类型 %q 无效", "case type %q is invalid", f.Type)
		}
		t := types[i]
		draft := cases.Case{Type: t, Number: f.Number, Title: f.Title, Submitter: f.Submitter, SubmitterContact: f.Contact, PublishConsent: f.Consent}
		// The form offers every type's categories in one list: one of
		// another type is refused by the case's validation.
		if len(t.Categories) > 0 {
			draft.Category = f.Category
		}
		return s.caseService().Register(r.Context(), subjectOf(r), draft)
	}()
	if err != nil {
		if !userError(err) {
			return err
		}
		page := caseNewPage{Form: f, Types: types, Error: apperr.Message(err, languageOf(r))}
		return s.renderPrivate(w, r, http.StatusUnprocessableEntity, "case_new", page)
	}
	http.Redirect(w, r, "/cases/"+strconv.FormatInt(c.ID, 10)+"?done=registered", http.StatusSeeOther)
	return nil
}

// clockRow is one clock of a case as its page shows it.
type clockRow struct {
	Clock     cases.Clock
	Explained string
	Light     cases.Light
	DaysLeft  int
}

type coRow struct {
	Handler cases.CoHandler
	Dept    named
	Light   cases.Light
}

type caseEventRow struct {
	Event cases.Event
	Dept  named
}

type promiseRow struct {
	Index   int
	Promise cases.Promise
}

type casePage struct {
	caseRow
	Office   named
	Clocks   []clockRow
	Co       []coRow
	Events   []caseEventRow
	Actions  []cases.ActionKind
	Depts    []named
	Promises []promiseRow // kept or not, with their index for keep_promise
	Done     string
	Error    string
}

// Result is the case's result class with the code; nil for no class.
func (p casePage) Result(code string) *cases.Result {
	if r, ok := p.Case.Type.Result(code); ok {
		return &r
	}
	return nil
}

// Open reports whether the promise is still to be kept.
func (p promiseRow) Open() bool { return p.Promise.KeptAt.IsZero() }

// caseOf reads the case in the path through casework: one the visitor may
// not see is not found, and its submitter is empty unless casework shows it.
func (s *Server) caseOf(r *http.Request) (cases.Case, error) {
	id, err := pathID(r)
	if err != nil {
		return cases.Case{}, err
	}
	return s.caseService().Case(r.Context(), subjectOf(r), id)
}

func (s *Server) casePageData(r *http.Request, c cases.Case) (casePage, error) {
	ctx := r.Context()
	cal, err := s.db.Calendar(ctx)
	if err != nil {
		return casePage{}, err
	}
	rows, err := s.caseRows(r, []cases.Case{c}, cal)
	if err != nil {
		return casePage{}, err
	}
	n, err := s.names(ctx)
	if err != nil {
		return casePage{}, err
	}
	now, lang, sub := s.now(), languageOf(r), subjectOf(r)
	page := casePage{caseRow: rows[0], Office: n.dept(c.OfficeDept)}
	for _, k := range c.Clocks(now, cal) {
		zh, en := k.Explained()
		page.Clocks = append(page.Clocks, clockRow{Clock: k, Explained: pick(lang, zh, en), Light: k.Light(now, cal, c.Type.YellowDays), DaysLeft: k.WorkingDaysLeft(now, cal)})
	}
	if a, ok := c.Assignment(); ok {
		for _, h := range a.CoHandlers {
			page.Co = append(page.Co, coRow{Handler: h, Dept: n.dept(h.Dept), Light: h.Light(now, cal, c.Type.YellowDays)})
		}
	}
	for i, p := range c.Promises {
		page.Promises = append(page.Promises, promiseRow{Index: i, Promise: p})
	}
	if casework.MayAct(sub) {
		page.Actions = c.Allowed(casework.ActorOf(sub))
	}
	if slices.Contains(page.Actions, cases.Assign) {
		depts, err := s.db.Departments(ctx)
		if err != nil {
			return page, err
		}
		for _, d := range depts {
			page.Depts = append(page.Depts, named{Code: d.Code, NameZH: d.NameZH, NameEN: d.NameEN})
		}
	}
	events, err := s.db.CaseEvents(ctx, c.ID)
	if err != nil {
		return page, err
	}
	for i := len(events) - 1; i >= 0; i-- {
		page.Events = append(page.Events, caseEventRow{Event: events[i], Dept: n.dept(events[i].ByDept)})
	}
	return page, nil
}

func (s *Server) casePage(w http.ResponseWriter, r *http.Request) error {
	c, err := s.caseOf(r)
	if err != nil {
		return err
	}
	page, err := s.casePageData(r, c)
	if err != nil {
		return err
	}
	switch done := r.URL.Query().Get("done"); done {
	case "":
	case "registered":
		page.Done = pick(languageOf(r), "事项已登记。", "The case was registered.")
	default:
		page.Done = pick(languageOf(r), "已办理。", "Done.")
	}
	return s.renderPrivate(w, r, http.StatusOK, "case", page)
}

// caseAction reads a step from the case page's form.
func caseAction(r *http.Request) (cases.Action, error) {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	a := cases.Action{Kind: cases.ActionKind(v("kind")), Note: v("note"), LeadDept: v("lead_dept"), Result: v("result"),
		Rating: cases.Rating(v("rating")), Pause: cases.PauseKind(v("pause")), Accept: v("accept") == "1"}
	for _, d := range r.PostForm["co_depts"] {
		if d != "" && d != a.LeadDept && !slices.Contains(a.CoDepts, d) {
			a.CoDepts = append(a.CoDepts, d)
		}
	}
	var err error
	if a.ExpectedVersion, err = strconv.Atoi(v("version")); err != nil {
		return a, apperr.New(apperr.Invalid, "表单缺少版本号，请刷新后重试", "the form has no version; reload and try again")
	}
	if d := v("days"); d != "" {
		if a.Days, err = strconv.Atoi(d); err != nil {
			return a, apperr.Invalidf("延期天数应为整数，填写的是 %q", "the extension must be a whole number of days, not %q", d)
		}
	}
	if p := v("promise"); p != "" {
		if a.Promise, err = strconv.Atoi(p); err != nil {
			return a, apperr.Invalidf("承诺事项 %q 无效", "promise %q is invalid", p)
		}
	}
	if text := v("promise_text"); text != "" {
		due, err := time.ParseInLocation(time.DateOnly, v("promise_due"), indicator.Beijing)
		if err != nil {
			return a, apperr.Invalidf("承诺事项的期限 %q 应为 2024-06-21 这样的日期", "the promise's due date %q must be a date such as 2024-06-21", v("promise_due"))
		}
		a.Promises = []cases.Promise{{Text: text, Due: due}}
	}
	return a, nil
}

func (s *Server) caseAct(w http.ResponseWriter, r *http.Request) error {
	c, err := s.caseOf(r)
	if err != nil {
		return err
	}
	a, err := caseAction(r)
	if err == nil {
		_, err = s.caseService().Act(r.Context(), subjectOf(r), c.ID, a)
	}
	if err != nil {
		if !userError(err) {
			return err
		}
		page, perr := s.casePageData(r, c)
		if perr != nil {
			return perr
		}
		page.Error = apperr.Message(err, languageOf(r))
		status := http.StatusUnprocessableEntity
		if apperr.Code(err) == apperr.Conflict {
			status = http.StatusConflict
		}
		return s.renderPrivate(w, r, status, "case", page)
	}
	http.Redirect(w, r, "/cases/"+strconv.FormatInt(c.ID, 10)+"?done="+url.QueryEscape(string(a.Kind)), http.StatusSeeOther)
	return nil
}

// caseDesk is the cases' part of a department's desk: the open cases with
// a step for the visitor now, by time left, and the promises the
// department made in its answers and has not kept, the overdue first.
type caseDesk struct {
	Rows     []deskCaseRow
	Promises []deskPromise
}

type deskCaseRow struct {
	caseRow
	Steps []cases.ActionKind
}

type deskPromise struct {
	Case    cases.Case
	Promise cases.Promise
	Overdue bool
}

// standingSteps are offered on a case for as long as it lives, so they do
// not put it on the desk: consent is the office's to record when it comes,
// promises are listed apart.
var standingSteps = []cases.ActionKind{cases.Consent, cases.KeepPromise}

func (s *Server) caseDesk(r *http.Request, sub auth.Subject) (caseDesk, error) {
	var desk caseDesk
	ctx := r.Context()
	list, err := s.caseService().Cases(ctx, sub, storage.CaseFilter{Dept: sub.Department})
	if err != nil {
		return desk, err
	}
	cal, err := s.db.Calendar(ctx)
	if err != nil {
		return desk, err
	}
	now, by := s.now(), casework.ActorOf(sub)
	var open []cases.Case
	steps := map[int64][]cases.ActionKind{} // what puts each open case on the desk
	for _, c := range list {
		if a, ok := c.Assignment(); ok && a.LeadDept == sub.Department {
			for _, p := range c.Promises {
				if p.KeptAt.IsZero() {
					desk.Promises = append(desk.Promises, deskPromise{Case: c, Promise: p, Overdue: p.Overdue(now)})
				}
			}
		}
		if c.State.Final() {
			continue
		}
		if todo := slices.DeleteFunc(c.Allowed(by), func(k cases.ActionKind) bool { return slices.Contains(standingSteps, k) }); len(todo) > 0 {
			steps[c.ID] = todo
			open = append(open, c)
		}
	}
	slices.SortStableFunc(desk.Promises, func(a, b deskPromise) int { return a.Promise.Due.Compare(b.Promise.Due) })
	rows, err := s.caseRows(r, open, cal)
	if err != nil {
		return desk, err
	}
	for _, row := range rows {
		desk.Rows = append(desk.Rows, deskCaseRow{caseRow: row, Steps: steps[row.Case.ID]})
	}
	return desk, nil
}
