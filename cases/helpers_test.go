package cases_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/calendar"
	"github.com/lantu/lantu/cases"
	"github.com/lantu/lantu/indicator"
)

var (
	cal = calendar.New(nil)

	npcOffice = cases.Actor{Name: "张主任", Dept: "npc_office", Office: true}
	bureau    = cases.Actor{Name: "王科长", Dept: "petition_bureau", Office: true}
	centre    = cases.Actor{Name: "刘坐席", Dept: "hotline_centre", Office: true}
	hall      = cases.Actor{Name: "陈窗口", Dept: "service_hall", Office: true}

	lead     = cases.Actor{Name: "李科长", Dept: "energy"}
	leadHead = cases.Actor{Name: "赵局长", Dept: "energy", Head: true}
	co1      = cases.Actor{Name: "孙科长", Dept: "natres"}
	co2      = cases.Actor{Name: "周科长", Dept: "housing"}
	other    = cases.Actor{Name: "钱主任", Dept: "education"}
	other2   = cases.Actor{Name: "吴局长", Dept: "transport"}
	otherOff = cases.Actor{Name: "郑主任", Dept: "cppcc_office", Office: true}
	system   = cases.Actor{Name: "系统", System: true}
)

// at is a Beijing time: at("2024-09-27 09:30") or at("2024-09-27").
func at(s string) time.Time {
	layout := "2006-01-02 15:04"
	if len(s) == len("2006-01-02") {
		layout = "2006-01-02"
	}
	t, err := time.ParseInLocation(layout, s, indicator.Beijing)
	if err != nil {
		panic(err)
	}
	return t
}

// date is t's Beijing date.
func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(indicator.Beijing).Format("2006-01-02")
}

// register registers a case of the type by the office at now.
func register(t *testing.T, typ cases.Type, category string, office cases.Actor, now string) cases.Case {
	t.Helper()
	c, e, err := cases.Register(cases.Case{Number: typ.NameZH + "〔2024〕1号", Type: typ, Category: category,
		Title: "古交市西曲村道路硬化", Submitter: "王某", SubmitterContact: "13800000000"}, office, at(now))
	if err != nil {
		t.Fatal(err)
	}
	if c.State != cases.Registered || c.Version != 1 || e.Kind != cases.Registration || e.ToState != cases.Registered || c.OfficeDept != office.Dept {
		t.Fatalf("registered %+v, event %+v", c, e)
	}
	return c
}

// step applies an action that must succeed, at the case's current
// version, and checks that the case it was given did not change.
func step(t *testing.T, c cases.Case, a cases.Action, by cases.Actor, now string) (cases.Case, cases.Event) {
	t.Helper()
	a.ExpectedVersion = c.Version
	before := deepCopy(c)
	next, e, err := cases.Apply(c, a, by, at(now), cal)
	if err != nil {
		t.Fatalf("%s by %s at %s: %v", a.Kind, by.Name, now, err)
	}
	if !reflect.DeepEqual(before, c) {
		t.Fatalf("%s changed the case it was given", a.Kind)
	}
	if next.Version != c.Version+1 || e.Version != next.Version || e.Kind != a.Kind || e.FromState != c.State || e.ToState != next.State {
		t.Fatalf("%s: version %d → %d, event %+v", a.Kind, c.Version, next.Version, e)
	}
	if err := next.Validate(); err != nil {
		t.Fatalf("%s: %v", a.Kind, err)
	}
	return next, e
}

// try applies an action that must be refused with the code, naming every
// one of words, and leave the case as it was.
func try(t *testing.T, c cases.Case, a cases.Action, by cases.Actor, now string, code string, words ...string) {
	t.Helper()
	a.ExpectedVersion = c.Version
	got, _, err := cases.Apply(c, a, by, at(now), cal)
	refused(t, err, code, words...)
	if !reflect.DeepEqual(got, c) {
		t.Errorf("refused %s changed the case", a.Kind)
	}
}

// deepCopy copies a case slice by slice, so that a change Apply made to
// the backing arrays of the case it was given would show.
func deepCopy(c cases.Case) cases.Case {
	n := c
	n.Assignments = slices.Clone(c.Assignments)
	for i := range n.Assignments {
		n.Assignments[i].CoHandlers = slices.Clone(n.Assignments[i].CoHandlers)
	}
	n.Pauses, n.Extensions = slices.Clone(c.Pauses), slices.Clone(c.Extensions)
	n.Answers = slices.Clone(c.Answers)
	for i := range n.Answers {
		n.Answers[i].Clocks = slices.Clone(n.Answers[i].Clocks)
	}
	n.Reopenings, n.Promises = slices.Clone(c.Reopenings), slices.Clone(c.Promises)
	if c.Draft != nil {
		d := *c.Draft
		d.Promises = slices.Clone(d.Promises)
		n.Draft = &d
	}
	if c.PendingExtension != nil {
		x := *c.PendingExtension
		n.PendingExtension = &x
	}
	return n
}

// refused checks that err has the code and that its Chinese message says
// every one of words.
func refused(t *testing.T, err error, code string, words ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("accepted, want %s error", code)
	}
	if got := apperr.Code(err); got != code {
		t.Fatalf("code = %s, want %s (%v)", got, code, err)
	}
	msg := apperr.Message(err, "zh")
	for _, w := range words {
		if !strings.Contains(msg, w) {
			t.Errorf("message %q does not say %q", msg, w)
		}
	}
	if apperr.Message(err, "en") == msg {
		t.Errorf("message %q has no English", msg)
	}
}

// clock is the case's first (or i-th) clock at now.
func clock(c cases.Case, now string, i int) cases.Clock { return c.Clocks(at(now), cal)[i] }

// explained is a clock's explanation in Chinese.
func explained(k cases.Clock) string {
	zh, _ := k.Explained()
	return zh
}
