package cases_test

import (
	"slices"
	"testing"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/cases"
)

// A deputy's suggestion assigned Fri 2024-03-15 to a lead and two
// co-handlers; one co-handler is late; the deputy is dissatisfied with
// the first answer; the second one, within the month of 重办, satisfies.
//
// Dates: co-handlers' sub-deadline 03-15 + 1 month = Mon Apr 15; answer
// deadline 03-15 + 3 months = Sat Jun 15 → Mon Jun 17; 重办 from Tue May
// 21 + 1 month = Fri Jun 21.
func TestSuggestionLifecycle(t *testing.T) {
	c := register(t, cases.NPCSuggestion(), "", npcOffice, "2024-03-08 09:00")
	c, e := step(t, c, cases.Action{Kind: cases.Assign, LeadDept: "energy", CoDepts: []string{"natres", "housing"}}, npcOffice, "2024-03-15 10:00")
	if e.LeadDept != "energy" || !slices.Equal(e.CoDepts, []string{"natres", "housing"}) || c.State != cases.Assigned {
		t.Fatalf("assigned: %+v", e)
	}
	a, _ := c.Assignment()
	for _, h := range a.CoHandlers {
		if date(h.Deadline) != "2024-04-15" {
			t.Errorf("%s's sub-deadline %s", h.Dept, date(h.Deadline))
		}
	}
	// A co-handler cannot sign; another department plays no part.
	try(t, c, cases.Action{Kind: cases.Sign}, co1, "2024-03-18 09:00", apperr.Forbidden, "「签收」只能由主办单位操作", "协办单位")
	try(t, c, cases.Action{Kind: cases.Sign}, other, "2024-03-18 09:00", apperr.Forbidden, "钱主任", "education", "不是人大代表建议")
	c, e = step(t, c, cases.Action{Kind: cases.Sign}, lead, "2024-03-18 09:00")
	if e.Late || c.State != cases.Handling {
		t.Errorf("signed: late %v, %s", e.Late, c.State)
	}
	// Co-handler opinions: natres on time, housing after Apr 15.
	c, e = step(t, c, cases.Action{Kind: cases.Opinion, Note: "用地指标可以保障"}, co1, "2024-04-10 16:00")
	if e.Late || e.ByRole != cases.Co {
		t.Errorf("natres opinion: %+v", e)
	}
	try(t, c, cases.Action{Kind: cases.Opinion, Note: "再补充"}, co1, "2024-04-11 16:00", apperr.Conflict, "natres 已于 2024-04-10 报送意见")
	try(t, c, cases.Action{Kind: cases.DraftAnswer, Note: "答复", Result: "A"}, lead, "2024-04-12 10:00", apperr.Conflict, "尚缺协办单位 housing 的意见")

	a, _ = c.Assignment()
	if l := a.CoHandlers[1].Light(at("2024-04-12 10:00"), cal, 3); l != cases.Yellow { // Apr 15 is 1 working day away
		t.Errorf("housing light before its deadline = %s", l)
	}
	if l := a.CoHandlers[1].Light(at("2024-04-16 10:00"), cal, 3); l != cases.Red || !a.CoHandlers[1].Late(at("2024-04-16 10:00")) {
		t.Errorf("housing light after its deadline = %s", l)
	}
	if l := a.CoHandlers[0].Light(at("2024-04-16 10:00"), cal, 3); l != cases.NoLight || a.CoHandlers[0].Late(at("2024-04-16 10:00")) {
		t.Errorf("natres light once its opinion is in = %s", l)
	}
	// The lead's own clock is still green: Jun 17 is far.
	if l := c.Light(at("2024-04-16 10:00"), cal); l != cases.Green {
		t.Errorf("case light = %s", l)
	}
	c, e = step(t, c, cases.Action{Kind: cases.Opinion, Note: "同意配合改造"}, co2, "2024-04-22 09:00")
	if !e.Late {
		t.Error("housing's late opinion is not marked late")
	}

	// Draft with a result class and a promise; the head sends it back once.
	try(t, c, cases.Action{Kind: cases.DraftAnswer, Note: "答复", Result: "E"}, lead, "2024-05-06 10:00", apperr.Invalid, "办理结果", "A 已解决")
	try(t, c, cases.Action{Kind: cases.DraftAnswer, Result: "A"}, lead, "2024-05-06 10:00", apperr.Invalid, "答复内容")
	promise := []cases.Promise{{Text: "9月底前完成西曲村道路硬化", Due: at("2024-09-30")}}
	try(t, c, cases.Action{Kind: cases.DraftAnswer, Note: "答复", Result: "A", Promises: []cases.Promise{{Text: "明天", Due: at("2024-05-06")}}},
		lead, "2024-05-06 10:00", apperr.Invalid, "兑现日期应晚于今天")
	c, _ = step(t, c, cases.Action{Kind: cases.DraftAnswer, Note: "已列入年度计划", Result: "B", Promises: promise}, lead, "2024-05-06 10:00")
	try(t, c, cases.Action{Kind: cases.Approve, Accept: true}, lead, "2024-05-07 10:00", apperr.Forbidden, "承办单位负责人")
	c, _ = step(t, c, cases.Action{Kind: cases.Approve, Note: "请写明资金来源"}, leadHead, "2024-05-07 10:00")
	if c.State != cases.Handling || c.Draft != nil || c.ReviewNote != "请写明资金来源" {
		t.Fatalf("after the head's refusal: %s, %+v", c.State, c.Draft)
	}
	c, _ = step(t, c, cases.Action{Kind: cases.DraftAnswer, Note: "已列入年度计划，资金由市财政安排", Result: "A", Promises: promise}, lead, "2024-05-08 10:00")
	c, _ = step(t, c, cases.Action{Kind: cases.Approve, Accept: true}, leadHead, "2024-05-09 10:00")
	c, e = step(t, c, cases.Action{Kind: cases.SendAnswer}, lead, "2024-05-10 10:00")
	first, _ := c.LastAnswer()
	if e.Late || !first.OnTime || first.Round != 1 || first.Result != "A" || date(first.Clocks[0].Deadline) != "2024-06-17" || len(c.Promises) != 1 {
		t.Fatalf("first answer %+v, promises %+v", first, c.Promises)
	}

	// 不满意 → 重办: the second round's clock is one month from reopening.
	try(t, c, cases.Action{Kind: cases.Rate, Rating: "great"}, npcOffice, "2024-05-20 10:00", apperr.Invalid, "满意、基本满意或不满意")
	c, e = step(t, c, cases.Action{Kind: cases.Rate, Rating: cases.Dissatisfied, Note: "资金未落实"}, npcOffice, "2024-05-20 10:00")
	if e.Rating != cases.Dissatisfied || c.State != cases.Rated {
		t.Fatalf("rated %+v", e)
	}
	try(t, c, cases.Action{Kind: cases.Close}, npcOffice, "2024-05-21 09:00", apperr.Invalid, "不满意", "理由")
	c, e = step(t, c, cases.Action{Kind: cases.Reopen, Note: "请重新研究"}, npcOffice, "2024-05-21 10:00")
	k := clock(c, "2024-05-21 10:00", 0)
	if c.State != cases.Handling || c.Round() != 2 || e.Round != 2 || date(k.Deadline) != "2024-06-21" ||
		explained(k) != "重办 2024-05-21 + 1个月 = 2024-06-21" {
		t.Fatalf("reopened: %s round %d, %q", c.State, c.Round(), explained(k))
	}
	c, _ = step(t, c, cases.Action{Kind: cases.DraftAnswer, Note: "资金已下达", Result: "A"}, lead, "2024-06-13 10:00")
	c, _ = step(t, c, cases.Action{Kind: cases.Approve, Accept: true}, leadHead, "2024-06-13 15:00")
	c, _ = step(t, c, cases.Action{Kind: cases.SendAnswer}, lead, "2024-06-14 10:00")
	c, _ = step(t, c, cases.Action{Kind: cases.Rate, Rating: cases.Satisfied}, npcOffice, "2024-06-20 10:00")
	try(t, c, cases.Action{Kind: cases.Reopen}, npcOffice, "2024-06-20 11:00", apperr.Conflict, "评价为「满意」", "只有「不满意」")
	c, _ = step(t, c, cases.Action{Kind: cases.Close}, npcOffice, "2024-06-21 10:00")
	if len(c.Answers) != 2 || c.Answers[0].Rating != cases.Dissatisfied || c.Answers[1].Rating != cases.Satisfied ||
		c.Answers[1].Round != 2 || !c.Answers[1].OnTime || c.State != cases.Closed || c.Light(at("2024-06-22"), cal) != cases.NoLight {
		t.Fatalf("closed: %+v", c.Answers)
	}

	// The promise is tracked after closing, until kept.
	if !c.Promises[0].Overdue(at("2024-10-01 09:00")) || c.Promises[0].Overdue(at("2024-09-30 23:00")) {
		t.Error("promise overdue")
	}
	try(t, c, cases.Action{Kind: cases.KeepPromise, Promise: 0}, lead, "2024-09-20 10:00", apperr.Invalid, "兑现情况")
	try(t, c, cases.Action{Kind: cases.KeepPromise, Promise: 3, Note: "完成"}, lead, "2024-09-20 10:00", apperr.Invalid, "没有第4项承诺事项")
	c, e = step(t, c, cases.Action{Kind: cases.KeepPromise, Promise: 0, Note: "道路已硬化"}, lead, "2024-09-20 10:00")
	if e.Late || c.Promises[0].KeptAt.IsZero() || c.Promises[0].Overdue(at("2024-10-01")) || c.State != cases.Closed {
		t.Errorf("kept: %+v", c.Promises[0])
	}
	try(t, c, cases.Action{Kind: cases.KeepPromise, Promise: 0, Note: "再次"}, lead, "2024-09-21 10:00", apperr.Conflict, "已于 2024-09-20 兑现")
}

// Only one 重办: a second 不满意 is closed with a reason.
func TestRedoLimit(t *testing.T) {
	c := register(t, cases.NPCSuggestion(), "", npcOffice, "2024-03-08 09:00")
	c, _ = step(t, c, cases.Action{Kind: cases.Assign, LeadDept: "energy"}, npcOffice, "2024-03-15 10:00")
	c, _ = step(t, c, cases.Action{Kind: cases.Sign}, lead, "2024-03-18 09:00")
	for round, day := range []string{"2024-05-06", "2024-06-03"} {
		c, _ = step(t, c, cases.Action{Kind: cases.DraftAnswer, Note: "答复", Result: "D"}, lead, day+" 09:00")
		c, _ = step(t, c, cases.Action{Kind: cases.Approve, Accept: true}, leadHead, day+" 10:00")
		c, _ = step(t, c, cases.Action{Kind: cases.SendAnswer}, lead, day+" 11:00")
		c, _ = step(t, c, cases.Action{Kind: cases.Rate, Rating: cases.Dissatisfied}, npcOffice, day+" 15:00")
		if round == 0 {
			c, _ = step(t, c, cases.Action{Kind: cases.Reopen}, npcOffice, day+" 16:00")
		}
	}
	try(t, c, cases.Action{Kind: cases.Reopen}, npcOffice, "2024-06-04 10:00", apperr.Conflict, "已重办 1 次")
	c, _ = step(t, c, cases.Action{Kind: cases.Close, Note: "已向代表当面解释，受条件限制暂不能解决"}, npcOffice, "2024-06-04 10:00")
	if c.CloseNote == "" || c.State != cases.Closed {
		t.Errorf("closed %+v", c)
	}
}

// A CPPCC proposal returned (退回) within its window, assigned to another
// department, whose clock starts anew at the second assignment: Tue
// 2024-10-15 + 3 months = Wed 2025-01-15.
func TestProposalReturnAndReassignment(t *testing.T) {
	c := register(t, cases.CPPCCProposal(), "", npcOffice, "2024-10-08 09:00")
	c, _ = step(t, c, cases.Action{Kind: cases.Assign, LeadDept: "energy"}, npcOffice, "2024-10-08 10:00")
	if k := clock(c, "2024-10-08 10:00", 0); date(k.Deadline) != "2025-01-08" || k.Rule.Kind != cases.Prescribed {
		t.Fatalf("first deadline %s", date(k.Deadline))
	}
	try(t, c, cases.Action{Kind: cases.Return}, lead, "2024-10-14 10:00", apperr.Invalid, "退回理由")
	c, _ = step(t, c, cases.Action{Kind: cases.Return, Note: "属交通部门职责"}, lead, "2024-10-14 10:00")
	if k := clock(c, "2024-10-14 10:00", 0); k.Started || c.Light(at("2024-10-14 10:00"), cal) != cases.NoLight || c.Returns() != 1 {
		t.Errorf("returned: clock %+v", k)
	}
	// The lead of the returned assignment can do nothing more with it.
	try(t, c, cases.Action{Kind: cases.Sign}, lead, "2024-10-14 11:00", apperr.Conflict, "当前为「已退回」，不能「签收」")
	c, e := step(t, c, cases.Action{Kind: cases.Assign, LeadDept: "transport"}, npcOffice, "2024-10-15 10:00")
	if e.LeadDept != "transport" || len(c.Assignments) != 2 {
		t.Fatalf("reassigned %+v", e)
	}
	// energy has no part in it any more; transport has.
	try(t, c, cases.Action{Kind: cases.Sign}, lead, "2024-10-16 09:00", apperr.Forbidden, "不是政协委员提案")
	c, _ = step(t, c, cases.Action{Kind: cases.Sign}, other2, "2024-10-16 09:00")
	if k := clock(c, "2024-10-16 09:00", 0); date(k.Deadline) != "2025-01-15" || explained(k) != "交办 2024-10-15 + 3个月 = 2025-01-15" {
		t.Errorf("second deadline %s, %q", date(k.Deadline), explained(k))
	}
	// The NPC office registered it; another office cannot act on it.
	try(t, c, cases.Action{Kind: cases.Rate, Rating: cases.Satisfied}, otherOff, "2024-10-16 10:00", apperr.Forbidden, "郑主任")
}

// A petition: accepted, assigned with a co-handler, answered, rated,
// closed; then a 复查 asked in time and a 复核 of it; a late 复查 refused.
func TestPetitionLifecycle(t *testing.T) {
	c := register(t, cases.Petition(), "", bureau, "2024-09-27 09:00")
	try(t, c, cases.Action{Kind: cases.Assign, LeadDept: "energy"}, bureau, "2024-09-27 10:00", apperr.Conflict, "当前为「已登记」，不能「交办」")
	c, _ = step(t, c, cases.Action{Kind: cases.Accept}, bureau, "2024-09-27 10:00")
	c, _ = step(t, c, cases.Action{Kind: cases.Assign, LeadDept: "energy", CoDepts: []string{"natres"}}, bureau, "2024-09-27 11:00")
	c, _ = step(t, c, cases.Action{Kind: cases.Sign}, lead, "2024-09-29 09:00")
	c, _ = step(t, c, cases.Action{Kind: cases.Opinion, Note: "已核实"}, co1, "2024-10-09 09:00")
	c, _ = step(t, c, cases.Action{Kind: cases.DraftAnswer, Note: "经调查，予以支持", Result: "support"}, lead, "2024-11-01 09:00")
	c, _ = step(t, c, cases.Action{Kind: cases.Approve, Accept: true}, leadHead, "2024-11-04 09:00")
	c, e := step(t, c, cases.Action{Kind: cases.SendAnswer}, lead, "2024-11-05 09:00")
	if e.Late || c.State != cases.Answered {
		t.Fatalf("answered: %+v", e)
	}
	// No 回访 date for petitions; a petition has no 重办.
	if l := c.Light(at("2024-12-30"), cal); l != cases.NoLight {
		t.Errorf("answered petition light = %s", l)
	}
	c, _ = step(t, c, cases.Action{Kind: cases.Rate, Rating: cases.Dissatisfied}, bureau, "2024-11-10 09:00")
	try(t, c, cases.Action{Kind: cases.Reopen}, bureau, "2024-11-10 10:00", apperr.Conflict, "信访事项", "不设「重办」这一步")
	c, _ = step(t, c, cases.Action{Kind: cases.Close, Note: "已告知复查途径"}, bureau, "2024-11-10 10:00")

	// 复查: within 30 days of the answer of Tue Nov 5: Nov 6–30 (25), Dec
	// 1–5 (30): Thu Dec 5.
	city := cases.Actor{Name: "市信访局", Dept: "city_bureau", Office: true}
	_, _, err := cases.FollowUp(c, cases.PetitionReview(), "复查〔2024〕1号", city, at("2024-12-06 09:00"), cal)
	refused(t, err, apperr.Conflict, "2024-11-05", "2024-12-05", "信访复查")
	_, _, err = cases.FollowUp(c, cases.PetitionRecheck(), "复核〔2024〕1号", city, at("2024-12-01 09:00"), cal)
	refused(t, err, apperr.Invalid, "信访复核")
	r, e, err := cases.FollowUp(c, cases.PetitionReview(), "复查〔2024〕1号", city, at("2024-12-05 17:00"), cal)
	if err != nil || r.ParentNumber != c.Number || r.Submitter != c.Submitter || r.OfficeDept != "city_bureau" || e.Kind != cases.Registration {
		t.Fatalf("review %+v, %v", r, err)
	}
	// Its 30 days run from receipt (Thu Dec 5): Dec 6–31 (26), Jan 1–4
	// (30): Sat 2025-01-04 → Mon Jan 6.
	if k := clock(r, "2024-12-05 17:00", 0); date(k.Deadline) != "2025-01-06" || explained(k) != "登记 2024-12-05 + 30日 = 2025-01-04，逢休息日顺延至 2025-01-06" {
		t.Errorf("review deadline %s, %q", date(k.Deadline), explained(k))
	}
	cityLead := cases.Actor{Name: "市住建局", Dept: "city_housing"}
	cityHead := cases.Actor{Name: "市住建局局长", Dept: "city_housing", Head: true}
	r, _ = step(t, r, cases.Action{Kind: cases.Assign, LeadDept: "city_housing"}, city, "2024-12-06 09:00")
	try(t, r, cases.Action{Kind: cases.Assign, LeadDept: "x"}, city, "2024-12-06 09:00", apperr.Conflict, "已交办")
	r, _ = step(t, r, cases.Action{Kind: cases.Sign}, cityLead, "2024-12-06 10:00")
	try(t, r, cases.Action{Kind: cases.RequestExtension, Note: "复杂", Days: 10}, cityLead, "2024-12-10 10:00", apperr.Conflict, "不设「申请延期」这一步")
	r, _ = step(t, r, cases.Action{Kind: cases.DraftAnswer, Note: "维持原处理意见", Result: "refuse"}, cityLead, "2025-01-03 10:00")
	r, _ = step(t, r, cases.Action{Kind: cases.Approve, Accept: true}, cityHead, "2025-01-06 10:00")
	r, e = step(t, r, cases.Action{Kind: cases.SendAnswer}, cityLead, "2025-01-07 10:00")
	if !e.Late {
		t.Error("a 复查 answered after Jan 6 is on time")
	}
	province := cases.Actor{Name: "省信访局", Dept: "province_bureau", Office: true}
	rr, _, err := cases.FollowUp(r, cases.PetitionRecheck(), "复核〔2025〕1号", province, at("2025-01-20 09:00"), cal)
	if err != nil || rr.Type.Code != "petition_recheck" || rr.ParentNumber != r.Number {
		t.Fatalf("recheck %+v, %v", rr, err)
	}
}

// 不予受理 with its notice ends a petition.
func TestPetitionRejected(t *testing.T) {
	c := register(t, cases.Petition(), "", bureau, "2024-09-27 09:00")
	try(t, c, cases.Action{Kind: cases.Reject}, bureau, "2024-09-30 09:00", apperr.Invalid, "不予受理告知内容")
	try(t, c, cases.Action{Kind: cases.Reject, Note: "已进入诉讼程序"}, lead, "2024-09-30 09:00", apperr.Forbidden)
	c, _ = step(t, c, cases.Action{Kind: cases.Reject, Note: "该事项已进入诉讼程序，请依法通过诉讼途径解决"}, bureau, "2024-09-30 09:00")
	if c.State != cases.Rejected || c.RejectionNotice == "" || date(c.RejectedAt) != "2024-09-30" || c.Light(at("2024-12-01"), cal) != cases.NoLight {
		t.Errorf("rejected %+v", c)
	}
	try(t, c, cases.Action{Kind: cases.Accept}, bureau, "2024-10-08 09:00", apperr.Conflict, "当前为「不予受理」，不能「受理」")
}

// A 12345 complaint: 退单, 派单 again, signed, answered, 回访 the next
// working day, 不满意, 重办 with the category's 13 working days again from
// the reopening, second answer, closed.
func TestHotlineLifecycle(t *testing.T) {
	c := register(t, cases.Hotline(), "complaint", centre, "2024-10-10 08:00")
	c, _ = step(t, c, cases.Action{Kind: cases.Assign, LeadDept: "education"}, centre, "2024-10-10 08:30")
	// 退单 within 1 working day: Fri Oct 11.
	try(t, c, cases.Action{Kind: cases.Return, Note: "不属本单位"}, other, "2024-10-12 08:00", apperr.Conflict, "2024-10-11")
	c, _ = step(t, c, cases.Action{Kind: cases.Return, Note: "噪音扰民属环保部门"}, other, "2024-10-11 09:00")
	c, _ = step(t, c, cases.Action{Kind: cases.Assign, LeadDept: "energy"}, centre, "2024-10-11 10:00")
	// Signed on the make-up Saturday Oct 12: Oct 14–18 (5), 21–25 (10),
	// 28, 29, 30 (13): Wed Oct 30.
	c, _ = step(t, c, cases.Action{Kind: cases.Sign}, lead, "2024-10-12 09:00")
	if k := clock(c, "2024-10-12 09:00", 0); date(k.Deadline) != "2024-10-30" {
		t.Fatalf("deadline %s", date(k.Deadline))
	}
	c, _ = step(t, c, cases.Action{Kind: cases.DraftAnswer, Note: "已责令整改", Result: "resolved"}, lead, "2024-10-17 09:00")
	c, _ = step(t, c, cases.Action{Kind: cases.Approve, Accept: true}, leadHead, "2024-10-17 15:00")
	// Answered Fri Oct 18: 回访 by Mon Oct 21.
	c, _ = step(t, c, cases.Action{Kind: cases.SendAnswer}, lead, "2024-10-18 10:00")
	if v, ok := c.VisitDeadline(cal); !ok || date(v) != "2024-10-21" {
		t.Fatalf("visit by %s", date(v))
	}
	if c.Light(at("2024-10-21 20:00"), cal) != cases.Green || c.Light(at("2024-10-22 08:00"), cal) != cases.Red {
		t.Error("回访 light")
	}
	c, e := step(t, c, cases.Action{Kind: cases.Rate, Rating: cases.Dissatisfied, Note: "噪音仍在"}, centre, "2024-10-22 09:00")
	if !e.Late || !c.Answers[0].RatedLate {
		t.Error("a 回访 after the next working day is not marked late")
	}
	// Reopened Wed Oct 23: Oct 24, 25 (2), 28–31, Nov 1 (7), 4–8 (12), 11 (13).
	c, _ = step(t, c, cases.Action{Kind: cases.Reopen}, centre, "2024-10-23 09:00")
	if k := clock(c, "2024-10-23 09:00", 0); date(k.Deadline) != "2024-11-11" || explained(k) != "重办 2024-10-23 + 13个工作日 = 2024-11-11" {
		t.Fatalf("redo deadline %s, %q", date(k.Deadline), explained(k))
	}
	c, _ = step(t, c, cases.Action{Kind: cases.DraftAnswer, Note: "已查封设备", Result: "resolved"}, lead, "2024-11-12 09:00")
	c, _ = step(t, c, cases.Action{Kind: cases.Approve, Accept: true}, leadHead, "2024-11-12 10:00")
	c, e = step(t, c, cases.Action{Kind: cases.SendAnswer}, lead, "2024-11-12 11:00")
	if !e.Late || c.Answers[1].OnTime || !c.Answers[0].OnTime {
		t.Errorf("second answer late %v, answers %+v", e.Late, c.Answers)
	}
	c, _ = step(t, c, cases.Action{Kind: cases.Rate, Rating: cases.BasicallySatisfied}, centre, "2024-11-13 09:00")
	c, _ = step(t, c, cases.Action{Kind: cases.Close}, centre, "2024-11-13 10:00")
	if c.Returns() != 1 || len(c.Reopenings) != 1 || c.State != cases.Closed {
		t.Errorf("closed %+v", c)
	}
}

// A licence decided by its head and served by the hall; a licence type
// that is deemed approved on lapse.
func TestLicenceLifecycle(t *testing.T) {
	c := register(t, cases.DefaultLicence(), "", hall, "2024-03-04 09:00")
	try(t, c, cases.Action{Kind: cases.Reject}, hall, "2024-03-04 09:10", apperr.Invalid, "不予受理告知内容")
	c, _ = step(t, c, cases.Action{Kind: cases.Accept}, hall, "2024-03-04 09:30")
	try(t, c, cases.Action{Kind: cases.Lapse}, system, "2024-05-01 09:00", apperr.Conflict, "不设「逾期视为准予」这一步")
	c, _ = step(t, c, cases.Action{Kind: cases.Assign, LeadDept: "energy", CoDepts: []string{"natres"}}, hall, "2024-03-04 10:00")
	c, _ = step(t, c, cases.Action{Kind: cases.Sign}, lead, "2024-03-04 11:00")
	c, _ = step(t, c, cases.Action{Kind: cases.Opinion, Note: "同意"}, co1, "2024-03-06 11:00")
	c, _ = step(t, c, cases.Action{Kind: cases.DraftAnswer, Note: "准予许可", Result: "granted"}, lead, "2024-03-14 09:00")
	c, _ = step(t, c, cases.Action{Kind: cases.Approve, Accept: true}, leadHead, "2024-03-15 09:00")
	try(t, c, cases.Action{Kind: cases.SendAnswer}, lead, "2024-03-15 10:00", apperr.Forbidden, "交办机构")
	c, _ = step(t, c, cases.Action{Kind: cases.SendAnswer}, hall, "2024-03-15 10:00")
	try(t, c, cases.Action{Kind: cases.Rate, Rating: cases.Satisfied}, hall, "2024-03-16 10:00", apperr.Conflict, "不设「评价」这一步")
	c, _ = step(t, c, cases.Action{Kind: cases.Close}, hall, "2024-03-15 11:00")
	// 14 promised working days from Mar 4 end on Fri Mar 22; decided Mar
	// 15 after 9 working days (Mar 5–8, 11–15 less one: 5, 6, 7, 8, 11, 12,
	// 13, 14, 15).
	if a, _ := c.LastAnswer(); !a.OnTime || !a.Clocks[1].OnTime || a.WorkingDays != 9 || c.State != cases.Closed {
		t.Errorf("licence answer %+v", a)
	}

	t.Run("DeemedApproved", func(t *testing.T) {
		typ := cases.Licence("licence_renewal", "行政许可延续", "licence renewal", 20, 0, true)
		c := register(t, typ, "", hall, "2024-03-04 09:00")
		c, _ = step(t, c, cases.Action{Kind: cases.Accept}, hall, "2024-03-04 09:30")
		c, _ = step(t, c, cases.Action{Kind: cases.Assign, LeadDept: "energy"}, hall, "2024-03-04 10:00")
		c, _ = step(t, c, cases.Action{Kind: cases.Sign}, lead, "2024-03-04 11:00")
		// Day 20 is Mon Apr 1 (see TestLicenceExtension).
		try(t, c, cases.Action{Kind: cases.Lapse}, system, "2024-04-01 23:00", apperr.Conflict, "未届满", "2024-04-01")
		try(t, c, cases.Action{Kind: cases.Lapse}, hall, "2024-04-02 00:30", apperr.Forbidden, "系统")
		c, e := step(t, c, cases.Action{Kind: cases.Lapse}, system, "2024-04-02 00:30")
		if c.State != cases.DeemedApproved || !e.Late || e.ByRole != cases.System || c.Light(at("2024-04-03"), cal) != cases.NoLight {
			t.Errorf("deemed approved: %+v", e)
		}
		try(t, c, cases.Action{Kind: cases.DraftAnswer, Note: "准予", Result: "granted"}, lead, "2024-04-02 09:00", apperr.Conflict, "视为准予")
	})
}

// Two users load the same version; the first one's action wins.
func TestVersionConflict(t *testing.T) {
	c := register(t, cases.NPCSuggestion(), "", npcOffice, "2024-03-08 09:00")
	c, _ = step(t, c, cases.Action{Kind: cases.Assign, LeadDept: "energy", CoDepts: []string{"natres"}}, npcOffice, "2024-03-15 10:00")
	seen := c
	first, _, err := cases.Apply(seen, cases.Action{Kind: cases.Sign, ExpectedVersion: seen.Version}, lead, at("2024-03-18 09:00"), cal)
	if err != nil {
		t.Fatal(err)
	}
	for _, stale := range []int{seen.Version, 0, first.Version + 1} {
		_, _, err = cases.Apply(first, cases.Action{Kind: cases.Opinion, Note: "意见", ExpectedVersion: stale}, co1, at("2024-03-18 09:01"), cal)
		refused(t, err, apperr.Conflict, "事项已被他人处理，请刷新后重试")
	}
}

func TestRegisterRefused(t *testing.T) {
	draft := cases.Case{Number: "建议1", Type: cases.NPCSuggestion(), Title: "道路"}
	_, _, err := cases.Register(draft, lead, at("2024-03-08 09:00"))
	refused(t, err, apperr.Forbidden, "登记交办机构")
	_, _, err = cases.Register(cases.Case{Number: " ", Type: cases.NPCSuggestion(), Title: "道路"}, npcOffice, at("2024-03-08 09:00"))
	refused(t, err, apperr.Invalid, "事项编号")
	_, _, err = cases.Register(cases.Case{Number: "建议1", Type: cases.NPCSuggestion()}, npcOffice, at("2024-03-08 09:00"))
	refused(t, err, apperr.Invalid, "人大代表建议 建议1 的标题不能为空")
	broken := cases.NPCSuggestion()
	broken.Clocks = nil
	_, _, err = cases.Register(cases.Case{Number: "建议1", Type: broken, Title: "道路"}, npcOffice, at("2024-03-08 09:00"))
	refused(t, err, apperr.Invalid, "npc_suggestion", "规则有误")
	_, _, err = cases.Apply(cases.Case{}, cases.Action{Kind: "sign_everything"}, lead, at("2024-03-08 09:00"), cal)
	refused(t, err, apperr.Invalid, "sign_everything")
}

// Assign checks its departments.
func TestAssignRefused(t *testing.T) {
	c := register(t, cases.NPCSuggestion(), "", npcOffice, "2024-03-08 09:00")
	try(t, c, cases.Action{Kind: cases.Assign}, npcOffice, "2024-03-08 10:00", apperr.Invalid, "主办单位")
	try(t, c, cases.Action{Kind: cases.Assign, LeadDept: "energy", CoDepts: []string{"natres", "energy"}}, npcOffice, "2024-03-08 10:00", apperr.Invalid, "energy 重复或与主办单位相同")
	r := register(t, cases.PetitionReview(), "", bureau, "2024-03-08 09:00")
	try(t, r, cases.Action{Kind: cases.Assign, LeadDept: "energy", CoDepts: []string{"natres"}}, bureau, "2024-03-08 10:00", apperr.Invalid, "不设协办单位")
}
