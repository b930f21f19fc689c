package supervision_test

import (
	"strings"
	"testing"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/calendar"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/supervision"
)

var (
	cal    = calendar.New(nil)
	office = supervision.Actor{Name: "王督查", Dept: "dcs", Office: true}
	lead   = supervision.Actor{Name: "李局长", Dept: "energy"}
	co     = supervision.Actor{Name: "赵科长", Dept: "natres"}
	other  = supervision.Actor{Name: "钱主任", Dept: "education"}
	system = supervision.Actor{Name: "系统", System: true}
)

// at is a Beijing time: at("2024-02-08 09:30").
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

func date(t time.Time) string { return t.In(indicator.Beijing).Format("2006-01-02") }

func draft(deadlineDays int) supervision.Order {
	return supervision.Order{
		Number:       supervision.FormatNumber(2024, 12),
		Subject:      supervision.Subject{Kind: supervision.OnProject, Code: "chakou-wind"},
		Title:        "中电投岔口风电项目进度滞后",
		Requirement:  "两周内完成升压站主体施工并报送进度",
		Level:        supervision.General,
		LeadDept:     "energy",
		CoDepts:      []string{"natres"},
		DeadlineDays: deadlineDays,
	}
}

// issued is an order issued by the office at issuedAt with the given
// working days to do it.
func issued(t *testing.T, issuedAt string, deadlineDays int) supervision.Order {
	t.Helper()
	o, _, err := supervision.Issue(draft(deadlineDays), office, at(issuedAt), cal)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// step applies an action that must succeed, at the order's current version.
func step(t *testing.T, o supervision.Order, a supervision.Action, by supervision.Actor, now string) (supervision.Order, supervision.Event) {
	t.Helper()
	a.ExpectedVersion = o.Version
	next, e, err := supervision.Apply(o, a, by, at(now), cal)
	if err != nil {
		t.Fatalf("%s by %s at %s: %v", a.Kind, by.Name, now, err)
	}
	return next, e
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
