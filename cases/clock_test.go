package cases_test

import (
	"slices"
	"testing"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/cases"
)

// Every expected date below is counted by hand from the State Council's
// notices: 2024 National Day off Tue Oct 1 – Mon Oct 7, worked Sun Sep 29
// and Sat Oct 12; 2024 Mid-Autumn off Sun Sep 15 – Tue Sep 17; 2025
// Spring Festival off Tue Jan 28 – Tue Feb 4, worked Sun Jan 26 and Sat
// Feb 8. The start date is never counted.

// A petition accepted Fri 2024-09-27, 60 calendar days. Counting from the
// next day: Sep 28–30 are days 1–3, Oct 1–31 days 4–34, Nov 1–26 days
// 35–60. Tue 2024-11-26 is a working day, so it stands: the issue's
// "受理 2024-09-27 + 60日 = 2024-11-26" is right (counting the acceptance
// day itself would give Nov 25). An approved extension of 30 days makes
// it day 90: Nov 27–30 are days 61–64, Dec 1–26 days 65–90, Thu
// 2024-12-26, a working day.
func TestPetitionSixtyDaysAndExtension(t *testing.T) {
	c := register(t, cases.Petition(), "", bureau, "2024-09-27 09:00")
	if k := clock(c, "2024-09-27 09:30", 0); k.Started {
		t.Fatalf("clock started before acceptance: %+v", k)
	}
	c, _ = step(t, c, cases.Action{Kind: cases.Accept}, bureau, "2024-09-27 10:00")
	k := clock(c, "2024-09-27 10:00", 0)
	if date(k.Deadline) != "2024-11-26" || explained(k) != "受理 2024-09-27 + 60日 = 2024-11-26" {
		t.Fatalf("deadline %s, %q", date(k.Deadline), explained(k))
	}
	if _, en := k.Explained(); en != "accepted 2024-09-27 + 60 days = 2024-11-26" {
		t.Errorf("en = %q", en)
	}
	c, _ = step(t, c, cases.Action{Kind: cases.Assign, LeadDept: "energy"}, bureau, "2024-09-27 11:00")
	c, _ = step(t, c, cases.Action{Kind: cases.Sign}, lead, "2024-09-29 09:00")

	// Lights with 5 yellow days. On Mon Nov 18 six working days remain
	// (Nov 19, 20, 21, 22, 25, 26): green; on Tue Nov 19 five: yellow;
	// on Wed Nov 27 the deadline has passed: red.
	for now, want := range map[string]cases.Light{"2024-11-18 09:00": cases.Green, "2024-11-19 09:00": cases.Yellow,
		"2024-11-26 23:59": cases.Yellow, "2024-11-27 00:00": cases.Red} {
		if got := c.Light(at(now), cal); got != want {
			t.Errorf("light at %s = %s, want %s", now, got, want)
		}
	}

	ext := cases.Action{Kind: cases.RequestExtension, Note: "涉及多个部门，需联合调查", Days: 31}
	try(t, c, ext, lead, "2024-11-20 10:00", apperr.Invalid, "1 至 30日")
	ext.Days = 30
	try(t, c, ext, lead, "2024-11-27 08:00", apperr.Conflict, "2024-11-26 已过")
	c, e := step(t, c, ext, lead, "2024-11-20 10:00")
	if e.Days != 30 || c.PendingExtension == nil || date(clock(c, "2024-11-20", 0).Deadline) != "2024-11-26" {
		t.Fatalf("request: %+v, %+v", e, c.PendingExtension)
	}
	// 经本机关负责人批准: the office cannot approve it, the head can.
	try(t, c, cases.Action{Kind: cases.DecideExtension, Accept: true}, bureau, "2024-11-22 10:00", apperr.Forbidden, "承办单位负责人")
	c, e = step(t, c, cases.Action{Kind: cases.DecideExtension, Accept: true}, leadHead, "2024-11-22 10:00")
	k = clock(c, "2024-11-22 10:00", 0)
	if date(k.Deadline) != "2024-12-26" || date(e.Deadline) != "2024-12-26" || !e.Accepted {
		t.Fatalf("extended to %s (event %s)", date(k.Deadline), date(e.Deadline))
	}
	if got := explained(k); got != "受理 2024-09-27 + 60日 + 延期 30日 = 2024-12-26" {
		t.Errorf("explained = %q", got)
	}
	if got := c.Light(at("2024-11-27 09:00"), cal); got != cases.Green {
		t.Errorf("light after the extension = %s", got)
	}
	// 30 days in all: nothing left to ask.
	ext.Days = 1
	try(t, c, ext, lead, "2024-12-02 10:00", apperr.Conflict, "达到上限")
}

// One request at a time, a refusal needs a reason, and a refused
// extension leaves the deadline.
func TestExtensionRefused(t *testing.T) {
	c := register(t, cases.Petition(), "", bureau, "2024-09-27 09:00")
	c, _ = step(t, c, cases.Action{Kind: cases.Accept}, bureau, "2024-09-27 10:00")
	c, _ = step(t, c, cases.Action{Kind: cases.Assign, LeadDept: "energy"}, bureau, "2024-09-27 11:00")
	c, _ = step(t, c, cases.Action{Kind: cases.Sign}, lead, "2024-09-29 09:00")
	ext := cases.Action{Kind: cases.RequestExtension, Note: "需要补充调查", Days: 10}
	c, _ = step(t, c, ext, lead, "2024-11-20 10:00")
	try(t, c, ext, lead, "2024-11-21 10:00", apperr.Conflict, "已有待审批", "10日")
	try(t, c, cases.Action{Kind: cases.DecideExtension}, leadHead, "2024-11-22 10:00", apperr.Invalid, "理由")
	c, e := step(t, c, cases.Action{Kind: cases.DecideExtension, Note: "可以按期办结"}, leadHead, "2024-11-22 10:00")
	if e.Accepted || len(c.Extensions) != 0 || c.PendingExtension != nil || date(clock(c, "2024-11-22", 0).Deadline) != "2024-11-26" {
		t.Errorf("refused extension: %+v", c.Extensions)
	}
	try(t, c, cases.Action{Kind: cases.DecideExtension, Accept: true}, leadHead, "2024-11-22 11:00", apperr.Conflict, "没有待审批")
}

// When the 60th day is not worked, the deadline moves to the next working
// day (民法典第二百零三条); a make-up Saturday is worked and stands.
func TestPetitionRollOver(t *testing.T) {
	tests := []struct {
		name, accepted, want, explained string
	}{
		// Aug 3–31 are days 1–29, Sep 1–30 days 30–59, Oct 1 day 60: National
		// Day, off to Oct 7; Tue Oct 8 is the first working day.
		{"NationalDay", "2024-08-02", "2024-10-08", "受理 2024-08-02 + 60日 = 2024-10-01，逢休息日顺延至 2024-10-08"},
		// Sep 25–30 days 1–6, Oct 1–31 days 7–37, Nov 1–23 days 38–60: Sat
		// Nov 23, so Mon Nov 25.
		{"Saturday", "2024-09-24", "2024-11-25", "受理 2024-09-24 + 60日 = 2024-11-23，逢休息日顺延至 2024-11-25"},
		// Aug 14–31 days 1–18, Sep 1–30 days 19–48, Oct 1–12 days 49–60: Sat
		// Oct 12 is a make-up workday: it stands.
		{"MakeUpSaturday", "2024-08-13", "2024-10-12", "受理 2024-08-13 + 60日 = 2024-10-12"},
		// Jul 19–31 days 1–13, Aug 1–31 days 14–44, Sep 1–16 days 45–60: Mon
		// Sep 16, Mid-Autumn (off Sep 15–17), so Wed Sep 18.
		{"MidAutumnMonday", "2024-07-18", "2024-09-18", "受理 2024-07-18 + 60日 = 2024-09-16，逢休息日顺延至 2024-09-18"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := register(t, cases.Petition(), "", bureau, tt.accepted+" 09:00")
			c, e := step(t, c, cases.Action{Kind: cases.Accept}, bureau, tt.accepted+" 10:00")
			k := clock(c, tt.accepted+" 10:00", 0)
			if date(k.Deadline) != tt.want || date(e.Deadline) != tt.want || explained(k) != tt.explained {
				t.Errorf("deadline %s (event %s), %q", date(k.Deadline), date(e.Deadline), explained(k))
			}
		})
	}
	// An extension lengthens the period, so it adds to the unrolled 60th
	// day: 2024-08-02 + 90 days is Aug 3–31 (29), Sep (59), Oct 1–31 (90):
	// Thu Oct 31. Counting 30 days from the rolled-over Oct 8 instead
	// would give Nov 7.
	t.Run("ExtensionFromUnrolledEnd", func(t *testing.T) {
		c := register(t, cases.Petition(), "", bureau, "2024-08-02 09:00")
		c, _ = step(t, c, cases.Action{Kind: cases.Accept}, bureau, "2024-08-02 10:00")
		c, _ = step(t, c, cases.Action{Kind: cases.Assign, LeadDept: "energy"}, bureau, "2024-08-02 11:00")
		c, _ = step(t, c, cases.Action{Kind: cases.Sign}, lead, "2024-08-05 09:00")
		c, _ = step(t, c, cases.Action{Kind: cases.RequestExtension, Note: "需要鉴定", Days: 30}, lead, "2024-10-08 09:00")
		c, _ = step(t, c, cases.Action{Kind: cases.DecideExtension, Accept: true}, leadHead, "2024-10-08 10:00")
		if k := clock(c, "2024-10-08", 0); date(k.Deadline) != "2024-10-31" || explained(k) != "受理 2024-08-02 + 60日 + 延期 30日 = 2024-10-31" {
			t.Errorf("deadline %s, %q", date(k.Deadline), explained(k))
		}
	})
}

// A 12345 complaint signed on Sun 2024-09-29, a make-up workday, with 13
// working days: Sep 30 (1); Oct 1–7 off; Oct 8 (2), 9 (3), 10 (4), 11 (5),
// Sat 12 make-up (6); Sun 13 off; 14 (7), 15 (8), 16 (9), 17 (10), 18 (11);
// 19–20 weekend; 21 (12), 22 (13): Tue 2024-10-22. Counting Monday to
// Friday only, without the holiday data, would give Oct 16.
func TestHotlineComplaintAcrossNationalDay(t *testing.T) {
	c := register(t, cases.Hotline(), "complaint", centre, "2024-09-28 20:00")
	// Assigned on Saturday evening: the window of 1 working day ends on the
	// next working day, the make-up Sunday.
	c, _ = step(t, c, cases.Action{Kind: cases.Assign, LeadDept: "energy"}, centre, "2024-09-28 20:30")
	if a, _ := c.Assignment(); date(a.SignBy) != "2024-09-29" {
		t.Fatalf("sign by %s", date(a.SignBy))
	}
	// The clock starts at 签收: nothing runs yet, and the light is green
	// until the window passes unsigned.
	if k := clock(c, "2024-09-29 08:00", 0); k.Started || c.Light(at("2024-09-29 08:00"), cal) != cases.Green {
		t.Fatalf("before signing: %+v", k)
	}
	if got := c.Light(at("2024-09-30 08:00"), cal); got != cases.Red {
		t.Errorf("unsigned past the window: %s", got)
	}
	c, e := step(t, c, cases.Action{Kind: cases.Sign}, lead, "2024-09-29 09:00")
	k := clock(c, "2024-09-29 09:00", 0)
	if e.Late || date(k.Deadline) != "2024-10-22" || explained(k) != "签收 2024-09-29 + 13个工作日 = 2024-10-22" {
		t.Fatalf("late %v, deadline %s, %q", e.Late, date(k.Deadline), explained(k))
	}
	if _, en := k.Explained(); en != "signed 2024-09-29 + 13 working days = 2024-10-22" {
		t.Errorf("en = %q", en)
	}
	// Yellow at 1 working day left: on Mon Oct 21 (Oct 22 left), not on
	// Sat Oct 19 (Oct 21, 22 left).
	for now, want := range map[string]cases.Light{"2024-10-19 10:00": cases.Green, "2024-10-21 10:00": cases.Yellow, "2024-10-23 00:01": cases.Red} {
		if got := c.Light(at(now), cal); got != want {
			t.Errorf("light at %s = %s, want %s", now, got, want)
		}
	}
	if left := clock(c, "2024-10-12 10:00", 0).WorkingDaysLeft(at("2024-10-12 10:00"), cal); left != 7 {
		t.Errorf("working days left on the make-up Saturday = %d, want 7 (Oct 14–18, 21, 22)", left)
	}
}

// The categories' limits, counted from the same signature.
func TestHotlineCategories(t *testing.T) {
	tests := []struct {
		category, signed, want, explained string
	}{
		// Sep 30 (1), Oct 8 (2), Oct 9 (3).
		{"consult", "2024-09-29 09:00", "2024-10-09", "签收 2024-09-29 + 3个工作日 = 2024-10-09"},
		{"help", "2024-09-29 09:00", "2024-10-09", "签收 2024-09-29 + 3个工作日 = 2024-10-09"},
		{"proposal", "2024-09-29 09:00", "2024-10-22", "签收 2024-09-29 + 13个工作日 = 2024-10-22"},
		// Urgent: the same calendar day, even on a holiday.
		{"urgent", "2024-10-03 09:00", "2024-10-03", "签收 2024-10-03 + 0日（当日） = 2024-10-03"},
	}
	for _, tt := range tests {
		t.Run(tt.category, func(t *testing.T) {
			c := register(t, cases.Hotline(), tt.category, centre, "2024-09-28 20:00")
			c, _ = step(t, c, cases.Action{Kind: cases.Assign, LeadDept: "energy"}, centre, "2024-09-28 20:30")
			c, _ = step(t, c, cases.Action{Kind: cases.Sign}, lead, tt.signed)
			if k := clock(c, tt.signed, 0); date(k.Deadline) != tt.want || explained(k) != tt.explained {
				t.Errorf("deadline %s, %q", date(k.Deadline), explained(k))
			}
		})
	}
	t.Run("ErrUrgentNotExtended", func(t *testing.T) {
		c := register(t, cases.Hotline(), "urgent", centre, "2024-10-03 08:00")
		c, _ = step(t, c, cases.Action{Kind: cases.Assign, LeadDept: "energy"}, centre, "2024-10-03 08:10")
		c, _ = step(t, c, cases.Action{Kind: cases.Sign}, lead, "2024-10-03 08:20")
		try(t, c, cases.Action{Kind: cases.RequestExtension, Note: "来不及", Days: 1}, lead, "2024-10-03 10:00", apperr.Conflict, "不能延期")
	})
	t.Run("ErrCategory", func(t *testing.T) {
		_, _, err := cases.Register(cases.Case{Number: "12345-1", Type: cases.Hotline(), Category: "gossip", Title: "噪音"}, centre, at("2024-10-03 08:00"))
		refused(t, err, apperr.Invalid, "类别", "gossip", "complaint 投诉")
		_, _, err = cases.Register(cases.Case{Number: "建议1", Type: cases.NPCSuggestion(), Category: "complaint", Title: "道路"}, npcOffice, at("2024-10-03 08:00"))
		refused(t, err, apperr.Invalid, "不分类别")
	})
}

// A licence accepted Wed 2024-09-25 with 20 statutory and 14 promised
// working days, and a 补正 pause from Tue Oct 8 to Mon Oct 14.
//
// Working days after Sep 25: Sep 26 (1), 27 (2), Sun 29 make-up (3), 30
// (4), Oct 8 (5), 9 (6), 10 (7), 11 (8), Sat 12 make-up (9), 14 (10), 15
// (11), 16 (12), 17 (13), 18 (14), 21 (15), 22 (16), 23 (17), 24 (18), 25
// (19), 28 (20), 29 (21), 30 (22), 31 (23), Nov 1 (24), Nov 4 (25).
// Without the pause: promised day 14 is Fri Oct 18, statutory day 20 Mon
// Oct 28. The pause takes the working days after Oct 8 up to Oct 14, the
// day the documents came: Oct 9, 10, 11, 12 (make-up), 14 = 5. Promised:
// day 19, Fri Oct 25; statutory: day 25, Mon Nov 4.
func TestLicenceTwoClocksAndCorrection(t *testing.T) {
	typ := cases.DefaultLicence()
	c := register(t, typ, "", hall, "2024-09-25 09:00")
	c, _ = step(t, c, cases.Action{Kind: cases.Accept}, hall, "2024-09-25 09:30")
	ks := c.Clocks(at("2024-09-25 10:00"), cal)
	if len(ks) != 2 || ks[0].Rule.Kind != cases.Statutory || ks[1].Rule.Kind != cases.Promised ||
		date(ks[0].Deadline) != "2024-10-28" || date(ks[1].Deadline) != "2024-10-18" {
		t.Fatalf("clocks %+v", ks)
	}
	c, _ = step(t, c, cases.Action{Kind: cases.Assign, LeadDept: "energy"}, hall, "2024-09-25 10:00")
	c, _ = step(t, c, cases.Action{Kind: cases.Sign}, lead, "2024-09-26 09:00")

	try(t, c, cases.Action{Kind: cases.PauseClock, Note: "缺少环评批复", Pause: "holiday"}, hall, "2024-10-08 15:00", apperr.Invalid, "correction 补正")
	c, e := step(t, c, cases.Action{Kind: cases.PauseClock, Note: "缺少环评批复", Pause: cases.Correction}, hall, "2024-10-08 15:00")
	if !e.Deadline.IsZero() {
		t.Errorf("event deadline while paused = %s", date(e.Deadline))
	}
	try(t, c, cases.Action{Kind: cases.PauseClock, Note: "再补", Pause: cases.Correction}, hall, "2024-10-09 15:00", apperr.Conflict, "已于 2024-10-08 暂停计时")
	try(t, c, cases.Action{Kind: cases.DraftAnswer, Note: "准予许可", Result: "granted"}, lead, "2024-10-10 10:00", apperr.Conflict, "请先恢复计时")

	// On Thu Oct 10 the pause has taken Oct 9 and 10 so far: day 22 is
	// Wed Oct 30, provisionally, and the light is paused.
	k := clock(c, "2024-10-10 10:00", 0)
	if !k.Paused || date(k.Deadline) != "2024-10-30" || c.Light(at("2024-10-10 10:00"), cal) != cases.Paused ||
		explained(k) != "受理 2024-09-25 + 20个工作日 + 补正 2个工作日（2024-10-08起，暂停中） = 2024-10-30" {
		t.Errorf("while paused: %s, %q", date(k.Deadline), explained(k))
	}
	c, e = step(t, c, cases.Action{Kind: cases.ResumeClock, Note: "申请人已补齐"}, hall, "2024-10-14 10:00")
	ks = c.Clocks(at("2024-10-14 10:00"), cal)
	if date(ks[0].Deadline) != "2024-11-04" || date(ks[1].Deadline) != "2024-10-25" || date(e.Deadline) != "2024-11-04" {
		t.Fatalf("after the pause: statutory %s, promised %s", date(ks[0].Deadline), date(ks[1].Deadline))
	}
	if got := explained(ks[0]); got != "受理 2024-09-25 + 20个工作日 + 补正 5个工作日（2024-10-08至2024-10-14） = 2024-11-04" {
		t.Errorf("statutory explained %q", got)
	}
	if got := explained(ks[1]); got != "受理 2024-09-25 + 14个工作日 + 补正 5个工作日（2024-10-08至2024-10-14） = 2024-10-25" {
		t.Errorf("promised explained %q", got)
	}
	_, en := ks[0].Explained()
	if en != "accepted 2024-09-25 + 20 working days + 5 working days paused for missing documents (2024-10-08 to 2024-10-14) = 2024-11-04" {
		t.Errorf("en = %q", en)
	}
	// The case is red once the promise is broken (Mon Oct 28), though
	// the statutory clock is still green.
	if got := c.Light(at("2024-10-28 09:00"), cal); got != cases.Red {
		t.Errorf("light after the promised date = %s", got)
	}

	// Decided (approved) on Mon Oct 28: late for the promise, on time by
	// law. Served the next day; the clocks stopped at the decision.
	c, _ = step(t, c, cases.Action{Kind: cases.DraftAnswer, Note: "准予许可", Result: "granted"}, lead, "2024-10-25 16:00")
	c, _ = step(t, c, cases.Action{Kind: cases.Approve, Accept: true}, leadHead, "2024-10-28 10:00")
	if got := c.Light(at("2024-11-20 09:00"), cal); got != cases.NoLight {
		t.Errorf("light once decided = %s", got)
	}
	c, e = step(t, c, cases.Action{Kind: cases.SendAnswer}, hall, "2024-11-05 10:00")
	a, _ := c.LastAnswer()
	if !a.OnTime || e.Late || len(a.Clocks) != 2 || !a.Clocks[0].OnTime || a.Clocks[1].OnTime ||
		date(a.Clocks[0].Deadline) != "2024-11-04" || date(a.Clocks[1].Deadline) != "2024-10-25" {
		t.Errorf("answer %+v", a)
	}
	// Sep 25 → Oct 28 is 20 working days, 5 of them paused.
	if a.WorkingDays != 15 {
		t.Errorf("working days = %d, want 15", a.WorkingDays)
	}
}

// A licence extension is 10 working days, by the head, and never moves
// the promise. Accepted Mon 2024-03-04: day 20 is Mon Apr 1 (Mar 5–8, 11–
// 15, 18–22, 25–29, Apr 1; Qingming is Apr 4–6), day 30 Tue Apr 16 (Apr
// 2, 3, 7 make-up Sunday, 8–12, 15, 16).
func TestLicenceExtension(t *testing.T) {
	c := register(t, cases.DefaultLicence(), "", hall, "2024-03-04 09:00")
	c, _ = step(t, c, cases.Action{Kind: cases.Accept}, hall, "2024-03-04 09:30")
	c, _ = step(t, c, cases.Action{Kind: cases.Assign, LeadDept: "energy"}, hall, "2024-03-04 10:00")
	c, _ = step(t, c, cases.Action{Kind: cases.Sign}, lead, "2024-03-04 11:00")
	c, _ = step(t, c, cases.Action{Kind: cases.RequestExtension, Note: "需现场核查", Days: 10}, lead, "2024-03-28 10:00")
	c, _ = step(t, c, cases.Action{Kind: cases.DecideExtension, Accept: true}, leadHead, "2024-03-29 10:00")
	ks := c.Clocks(at("2024-03-29 10:00"), cal)
	if date(ks[0].Deadline) != "2024-04-16" || explained(ks[0]) != "受理 2024-03-04 + 20个工作日 + 延期 10个工作日 = 2024-04-16" {
		t.Errorf("statutory %s, %q", date(ks[0].Deadline), explained(ks[0]))
	}
	// 14 promised: Mar 5–8 (4), 11–15 (9), 18–22 (14): Fri Mar 22.
	if date(ks[1].Deadline) != "2024-03-22" || explained(ks[1]) != "受理 2024-03-04 + 14个工作日 = 2024-03-22" {
		t.Errorf("promised %s, %q", date(ks[1].Deadline), explained(ks[1]))
	}
}

// A suggestion's return window of 5 working days, ending on a Monday after
// a make-up Saturday. Assigned Tue 2024-10-08: Oct 9 (1), 10 (2), 11 (3),
// Sat 12 make-up (4), Sun 13 off, Mon 14 (5). Counting Monday to Friday
// only would end on Tue Oct 15. Assigned Tue 2025-02-04, the last day of
// the Spring Festival: Feb 5 (1), 6 (2), 7 (3), Sat 8 make-up (4), Mon 10
// (5).
func TestSuggestionReturnWindow(t *testing.T) {
	tests := []struct {
		assigned, end, lastOK, firstLate string
	}{
		{"2024-10-08 09:00", "2024-10-14", "2024-10-14 23:59", "2024-10-15 00:00"},
		{"2025-02-04 09:00", "2025-02-10", "2025-02-10 18:00", "2025-02-11 08:00"},
	}
	for _, tt := range tests {
		t.Run(tt.end, func(t *testing.T) {
			c := register(t, cases.NPCSuggestion(), "", npcOffice, tt.assigned)
			c, _ = step(t, c, cases.Action{Kind: cases.Assign, LeadDept: "energy"}, npcOffice, tt.assigned)
			a, _ := c.Assignment()
			if date(a.SignBy) != tt.end {
				t.Fatalf("window ends %s, want %s", date(a.SignBy), tt.end)
			}
			ret := cases.Action{Kind: cases.Return, Note: "不属于本单位职责"}
			try(t, c, ret, lead, tt.firstLate, apperr.Conflict, "5个工作日", tt.end, "退回")
			c, _ = step(t, c, ret, lead, tt.lastOK)
			if c.State != cases.Returned {
				t.Errorf("state %s", c.State)
			}
		})
	}
	// Signing late is allowed but recorded.
	t.Run("SignLate", func(t *testing.T) {
		c := register(t, cases.NPCSuggestion(), "", npcOffice, "2024-10-08 09:00")
		c, _ = step(t, c, cases.Action{Kind: cases.Assign, LeadDept: "energy"}, npcOffice, "2024-10-08 09:00")
		if _, e := step(t, c, cases.Action{Kind: cases.Sign}, lead, "2024-10-15 09:00"); !e.Late {
			t.Error("a signature after the window is not marked late")
		}
		if _, e := step(t, c, cases.Action{Kind: cases.Sign}, lead, "2024-10-12 09:00"); e.Late {
			t.Error("a signature on the make-up Saturday is marked late")
		}
	})
}

// Months run to the corresponding day (民法典第二百零二条), or the month's
// last day, and then roll over a day off.
func TestSuggestionMonths(t *testing.T) {
	tests := []struct {
		assigned, answer, co, explained string
	}{
		// Tue Oct 8 + 3 months = Wed 2025-01-08; + 1 month = Fri Nov 8.
		{"2024-10-08", "2025-01-08", "2024-11-08", "交办 2024-10-08 + 3个月 = 2025-01-08"},
		// Fri Mar 15 + 3 months = Sat Jun 15 → Mon Jun 17; + 1 month = Mon Apr 15.
		{"2024-03-15", "2024-06-17", "2024-04-15", "交办 2024-03-15 + 3个月 = 2024-06-15，逢休息日顺延至 2024-06-17"},
		// Sat Nov 30 + 3 months: no Feb 30, so Fri 2025-02-28; + 1 month = Mon Dec 30.
		{"2024-11-30", "2025-02-28", "2024-12-30", "交办 2024-11-30 + 3个月 = 2025-02-28"},
		// Fri 2024-01-31 + 1 month: Thu Feb 29 (a leap year); + 3 months: Tue Apr 30.
		{"2024-01-31", "2024-04-30", "2024-02-29", "交办 2024-01-31 + 3个月 = 2024-04-30"},
	}
	for _, tt := range tests {
		t.Run(tt.assigned, func(t *testing.T) {
			c := register(t, cases.NPCSuggestion(), "", npcOffice, tt.assigned+" 09:00")
			c, _ = step(t, c, cases.Action{Kind: cases.Assign, LeadDept: "energy", CoDepts: []string{"natres"}}, npcOffice, tt.assigned+" 10:00")
			k := clock(c, tt.assigned+" 10:00", 0)
			a, _ := c.Assignment()
			if date(k.Deadline) != tt.answer || explained(k) != tt.explained || date(a.CoHandlers[0].Deadline) != tt.co {
				t.Errorf("answer %s (%q), co-handler %s", date(k.Deadline), explained(k), date(a.CoHandlers[0].Deadline))
			}
		})
	}
}

func TestLimitEnd(t *testing.T) {
	tests := []struct {
		limit       cases.Limit
		start, want string
		zh, en      string
	}{
		{cases.Limit{N: 60, Unit: cases.CalendarDays}, "2024-08-02", "2024-10-01", "60日", "60 days"},
		{cases.Limit{N: 60, Unit: cases.CalendarDays, RollOver: true}, "2024-08-02", "2024-10-08", "60日", "60 days"},
		{cases.Limit{N: 1, Unit: cases.WorkingDays}, "2024-10-11", "2024-10-12", "1个工作日", "1 working day"},
		{cases.Limit{N: 0, Unit: cases.WorkingDays}, "2024-10-03", "2024-10-08", "0个工作日", "0 working days"},
		{cases.Limit{N: 1, Unit: cases.Months, RollOver: true}, "2024-08-31", "2024-09-30", "1个月", "1 month"},
		{cases.Limit{N: 12, Unit: cases.Months}, "2024-02-29", "2025-02-28", "12个月", "12 months"},
	}
	for _, tt := range tests {
		if got := date(tt.limit.End(at(tt.start), cal)); got != tt.want || tt.limit.LabelZH() != tt.zh || tt.limit.LabelEN() != tt.en {
			t.Errorf("%+v from %s = %s (%s, %s), want %s", tt.limit, tt.start, got, tt.limit.LabelZH(), tt.limit.LabelEN(), tt.want)
		}
	}
	// Late on a Beijing evening counts from that Beijing date, even when
	// the time is given in UTC.
	if got := date(cases.Limit{N: 1, Unit: cases.WorkingDays}.End(at("2024-09-30 23:30").UTC(), cal)); got != "2024-10-08" {
		t.Errorf("UTC time counted from %s", got)
	}
}

// A type may pause a calendar-day clock too: here a petition type whose
// local rules stop the clock for an expert appraisal (鉴定). Accepted Fri
// 2024-09-27, paused Thu Oct 10 to Tue Oct 15: the calendar days after
// Oct 10 up to Oct 15 are 5, so day 65: Sep 28–30 (3), Oct (34), Nov
// (64), Dec 1 (65), a Sunday → Mon Dec 2.
func TestCalendarDayPause(t *testing.T) {
	typ := cases.Petition()
	typ.Code, typ.PauseKinds = "petition_local", []cases.PauseKind{cases.Procedure}
	typ.Flow = append(slices.Clone(typ.Flow),
		cases.Transition{Action: cases.PauseClock, From: []cases.State{cases.Handling}, By: []cases.Role{cases.Office}, To: cases.Stay},
		cases.Transition{Action: cases.ResumeClock, From: []cases.State{cases.Handling}, By: []cases.Role{cases.Office}, To: cases.Stay})
	c := register(t, typ, "", bureau, "2024-09-27 09:00")
	c, _ = step(t, c, cases.Action{Kind: cases.Accept}, bureau, "2024-09-27 10:00")
	c, _ = step(t, c, cases.Action{Kind: cases.Assign, LeadDept: "energy"}, bureau, "2024-09-27 11:00")
	c, _ = step(t, c, cases.Action{Kind: cases.Sign}, lead, "2024-09-29 09:00")
	c, _ = step(t, c, cases.Action{Kind: cases.PauseClock, Pause: cases.Procedure, Note: "委托鉴定"}, bureau, "2024-10-10 16:00")
	c, _ = step(t, c, cases.Action{Kind: cases.ResumeClock}, bureau, "2024-10-15 09:00")
	k := clock(c, "2024-10-15 09:00", 0)
	want := "受理 2024-09-27 + 60日 + 听证检验鉴定等特别程序 5日（2024-10-10至2024-10-15） = 2024-12-01，逢休息日顺延至 2024-12-02"
	if date(k.Deadline) != "2024-12-02" || explained(k) != want {
		t.Errorf("deadline %s, %q", date(k.Deadline), explained(k))
	}
	// A pause after the deadline is refused.
	late := register(t, typ, "", bureau, "2024-08-01 09:00")
	late, _ = step(t, late, cases.Action{Kind: cases.Accept}, bureau, "2024-08-01 10:00")
	late, _ = step(t, late, cases.Action{Kind: cases.Assign, LeadDept: "energy"}, bureau, "2024-08-01 11:00")
	late, _ = step(t, late, cases.Action{Kind: cases.Sign}, lead, "2024-08-02 09:00")
	// Aug 2–31 (30), Sep 1–30 (60): Mon Sep 30.
	try(t, late, cases.Action{Kind: cases.PauseClock, Pause: cases.Procedure, Note: "鉴定"}, bureau, "2024-10-01 09:00", apperr.Conflict, "2024-09-30 已过")
}
