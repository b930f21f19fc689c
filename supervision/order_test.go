package supervision_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/supervision"
)

func TestOrderValidate(t *testing.T) {
	ok := issued(t, "2024-02-08 09:30", 5)
	cases := []struct {
		name   string
		edit   func(*supervision.Order)
		zh, en string // the field named in each language
	}{
		{"OK", func(*supervision.Order) {}, "", ""},
		{"OKNoCoDepts", func(o *supervision.Order) { o.CoDepts = nil }, "", ""},
		{"ErrNumberRequired", func(o *supervision.Order) { o.Number = "" }, "编号", "number"},
		{"ErrSubjectKind", func(o *supervision.Order) { o.Subject.Kind = "meeting" }, "督办对象类型", "subject kind"},
		{"ErrSubjectCode", func(o *supervision.Order) { o.Subject.Code = "" }, "督办对象", "subject"},
		{"ErrTitleRequired", func(o *supervision.Order) { o.Title = " " }, "标题", "title"},
		{"ErrTitleTooLong", func(o *supervision.Order) { o.Title = strings.Repeat("长", 201) }, "标题", "title"},
		{"ErrRequirement", func(o *supervision.Order) { o.Requirement = "" }, "督办要求", "requirement"},
		{"ErrLevel", func(o *supervision.Order) { o.Level = 4 }, "督办级别", "level"},
		{"ErrLeadDept", func(o *supervision.Order) { o.LeadDept = "" }, "牵头单位", "lead department"},
		{"ErrCoDeptIsLead", func(o *supervision.Order) { o.CoDepts = []string{"energy"} }, "协办单位", "co-handling"},
		{"ErrCoDeptTwice", func(o *supervision.Order) { o.CoDepts = []string{"natres", "natres"} }, "协办单位", "co-handling"},
		{"ErrCoDeptCode", func(o *supervision.Order) { o.CoDepts = []string{"自然资源 局"} }, "协办单位", "co-handling"},
		{"ErrIssuedBy", func(o *supervision.Order) { o.IssuedBy = "" }, "交办人", "issuer"},
		{"ErrIssuedAt", func(o *supervision.Order) { o.IssuedAt = time.Time{} }, "交办时间", "issue time"},
		{"ErrDeadlineDays", func(o *supervision.Order) { o.DeadlineDays = supervision.MaxDeadlineDays + 1 }, "办理时限", "deadline"},
		{"ErrReturnWindow", func(o *supervision.Order) { o.ReturnWindowDays = 0 }, "退办时限", "return window"},
		{"ErrOriginalDeadline", func(o *supervision.Order) { o.OriginalDeadline = at("2024-02-08") }, "原定期限", "original deadline"},
		{"ErrDeadlineEarlier", func(o *supervision.Order) { o.Deadline = at("2024-02-20") }, "办理期限", "deadline"},
		{"ErrExtensionCount", func(o *supervision.Order) { o.Deadline = at("2024-02-28") }, "延期次数", "extension count"},
		{"ErrState", func(o *supervision.Order) { o.State = "done" }, "状态", "state"},
		{"ErrVersion", func(o *supervision.Order) { o.Version = 0 }, "版本", "version"},
		{"ErrReturnWithoutRequest", func(o *supervision.Order) { o.State = supervision.ReturnRequested }, "退办申请", "return request"},
		{"ErrExtensionNotLater", func(o *supervision.Order) {
			o.PendingExtension = &supervision.ExtensionRequest{NewDeadline: at("2024-02-21"), Reason: "推迟"}
		}, "申请延期的日期", "requested deadline"},
		{"ErrExtensionReason", func(o *supervision.Order) {
			o.PendingExtension = &supervision.ExtensionRequest{NewDeadline: at("2024-02-28")}
		}, "延期理由", "extension reason"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := ok
			o.CoDepts = append([]string(nil), ok.CoDepts...)
			c.edit(&o)
			err := o.Validate()
			if c.zh == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if apperr.Code(err) != apperr.Invalid {
				t.Fatalf("got %v, want an invalid error", err)
			}
			if zh := apperr.Message(err, "zh"); !strings.Contains(zh, c.zh) {
				t.Errorf("zh %q does not name %q", zh, c.zh)
			}
			if en := apperr.Message(err, "en"); !strings.Contains(en, c.en) {
				t.Errorf("en %q does not name %q", en, c.en)
			}
		})
	}
}

func TestLevel(t *testing.T) {
	var zh, tokens []string
	for _, l := range supervision.Levels {
		zh, tokens = append(zh, l.LabelZH()), append(tokens, l.String())
	}
	if got := strings.Join(zh, " → "); got != "一般 → 重点 → 市长督办" {
		t.Errorf("levels = %s", got)
	}
	if !(supervision.General < supervision.Key && supervision.Key < supervision.Mayor) {
		t.Error("levels are not ordered")
	}
	b, err := json.Marshal(map[string]supervision.Level{"level": supervision.Mayor})
	if err != nil || string(b) != `{"level":"mayor"}` {
		t.Errorf("json = %s, %v", b, err)
	}
	for _, tok := range tokens {
		var l supervision.Level
		if err := l.UnmarshalText([]byte(tok)); err != nil || l.String() != tok {
			t.Errorf("%s read back as %s, %v", tok, l, err)
		}
	}
	var l supervision.Level
	if err := l.UnmarshalText([]byte("urgent")); apperr.Code(err) != apperr.Invalid {
		t.Errorf("urgent: %v", err)
	}
	// The zero level (no level: an event's OldLevel when an order is
	// issued) is written as "" and read back; other invalid levels are not.
	if b, err := supervision.Level(0).MarshalText(); err != nil || len(b) != 0 {
		t.Errorf("the zero level marshalled as %q, %v", b, err)
	}
	if err := l.UnmarshalText(nil); err != nil || l != 0 {
		t.Errorf("empty level read as %v, %v", l, err)
	}
	if _, err := supervision.Level(7).MarshalText(); err == nil {
		t.Error("level 7 marshalled")
	}
}

func TestFormatNumber(t *testing.T) {
	if got := supervision.FormatNumber(2024, 12); got != "督办〔2024〕12号" {
		t.Errorf("number = %s", got)
	}
}
