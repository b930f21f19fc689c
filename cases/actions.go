package cases

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/calendar"
	"github.com/lantu/lantu/plan"
)

// behaviour is what an action does, whatever the type: the type's table
// says where and by whom it may be taken, this what it needs (note,
// check) and what it records (apply).
type behaviour struct {
	note  notes
	check func(c Case, a Action, by Actor, now time.Time, cal *calendar.Calendar) error
	apply func(c *Case, a Action, by Actor, now time.Time, cal *calendar.Calendar, e *Event)
}

var behaviours = map[ActionKind]behaviour{
	Accept: {apply: func(c *Case, _ Action, _ Actor, now time.Time, _ *calendar.Calendar, _ *Event) { c.AcceptedAt = now }},
	Reject: {note: noteRequired, apply: func(c *Case, a Action, _ Actor, now time.Time, _ *calendar.Calendar, _ *Event) {
		c.RejectedAt, c.RejectionNotice = now, a.Note
	}},
	Assign:           {check: checkAssign, apply: applyAssign},
	Sign:             {apply: applySign},
	Return:           {note: noteRequired, check: checkReturn, apply: applyReturn},
	Opinion:          {note: noteRequired, check: checkOpinion, apply: applyOpinion},
	PauseClock:       {note: noteRequired, check: checkPause, apply: applyPause},
	ResumeClock:      {check: checkResume, apply: applyResume},
	RequestExtension: {note: noteRequired, check: checkExtensionRequest, apply: applyExtensionRequest},
	DecideExtension:  {note: noteIfRefused, check: checkPendingExtension, apply: applyExtensionDecision},
	DraftAnswer:      {note: noteRequired, check: checkDraft, apply: applyDraft},
	Approve:          {note: noteIfRefused, check: checkDraftWaiting, apply: applyApprove},
	SendAnswer:       {check: checkApproved, apply: applyAnswer},
	Rate:             {check: checkRating, apply: applyRating},
	Reopen:           {check: checkReopen, apply: applyReopen},
	Close:            {check: checkClose, apply: applyClose},
	KeepPromise:      {note: noteRequired, check: checkPromise, apply: applyPromise},
	Lapse:            {check: checkLapse, apply: applyLapse},
	Consent: {check: checkConsent, apply: func(c *Case, a Action, _ Actor, _ time.Time, _ *calendar.Calendar, e *Event) {
		c.PublishConsent, e.Accepted = a.Accept, a.Accept
	}},
}

// checkConsent refuses to record what the case already holds, so that
// every consent event is a change.
func checkConsent(c Case, a Action, _ Actor, _ time.Time, _ *calendar.Calendar) error {
	if !c.Type.PublishAnswers {
		return c.fail(apperr.Invalid, " 的答复不公开", "'s answers are not published")
	}
	if c.PublishConsent == a.Accept {
		if a.Accept {
			return c.fail(apperr.Conflict, " 已记录同意公开答复", " already has the consent to publish its answer")
		}
		return c.fail(apperr.Conflict, " 未记录同意公开答复", " has no consent to publish its answer to withdraw")
	}
	return nil
}

func checkAssign(c Case, a Action, _ Actor, _ time.Time, _ *calendar.Calendar) error {
	zh, en := c.label()
	if err := plan.CheckCode(zh+" 的主办单位 lead department", a.LeadDept); err != nil {
		return err
	}
	if len(a.CoDepts) > 0 && c.Type.CoOpinion.IsZero() {
		return c.failf(apperr.Invalid, " 不设协办单位", " takes no co-handling departments")
	}
	seen := map[string]bool{a.LeadDept: true}
	for _, d := range a.CoDepts {
		if err := plan.CheckCode(zh+" 的协办单位 co-handling department", d); err != nil {
			return err
		}
		if seen[d] {
			return apperr.New(apperr.Invalid, fmt.Sprintf("%s 的协办单位 %s 重复或与主办单位相同", zh, d),
				fmt.Sprintf("%s: co-handling department %s is listed twice or is also the lead", en, d))
		}
		seen[d] = true
	}
	return nil
}

func applyAssign(c *Case, a Action, by Actor, now time.Time, cal *calendar.Calendar, _ *Event) {
	as := Assignment{LeadDept: a.LeadDept, AssignedBy: by.Name, AssignedAt: now}
	if !c.Type.ReturnWindow.IsZero() {
		as.SignBy = c.Type.ReturnWindow.End(now, cal)
	}
	for _, d := range a.CoDepts {
		as.CoHandlers = append(as.CoHandlers, CoHandler{Dept: d, Deadline: c.Type.CoOpinion.End(now, cal)})
	}
	c.Assignments = append(c.Assignments, as)
}

// current points at the current assignment; callers know there is one.
func (c *Case) current() *Assignment { return &c.Assignments[len(c.Assignments)-1] }

func applySign(c *Case, _ Action, by Actor, now time.Time, _ *calendar.Calendar, e *Event) {
	a := c.current()
	a.SignedBy, a.SignedAt = by.Name, now
	e.Late = !a.SignBy.IsZero() && !onOrBefore(now, a.SignBy)
}

func checkReturn(c Case, _ Action, _ Actor, now time.Time, _ *calendar.Calendar) error {
	a, _ := c.Assignment()
	if !onOrBefore(now, a.SignBy) {
		zh, en := c.label()
		return apperr.New(apperr.Conflict,
			fmt.Sprintf("%s 只能在交办后 %s 内（%s 前）退回，已过时限，请签收办理", zh, c.Type.ReturnWindow.LabelZH(), formatDate(a.SignBy)),
			fmt.Sprintf("%s could be returned only within %s of assignment (until %s); sign and handle it", en, c.Type.ReturnWindow.LabelEN(), formatDate(a.SignBy)))
	}
	return nil
}

func applyReturn(c *Case, a Action, _ Actor, now time.Time, _ *calendar.Calendar, _ *Event) {
	cur := c.current()
	cur.ReturnedAt, cur.ReturnReason = now, a.Note
}

func checkOpinion(c Case, _ Action, by Actor, _ time.Time, _ *calendar.Calendar) error {
	a, _ := c.Assignment()
	i := slices.IndexFunc(a.CoHandlers, func(h CoHandler) bool { return h.Dept == by.Dept })
	if i >= 0 && !a.CoHandlers[i].OpinionAt.IsZero() {
		return c.failf(apperr.Conflict, " 的协办单位 %s 已于 %s 报送意见", ": co-handler %s sent its opinion on %s",
			by.Dept, formatDate(a.CoHandlers[i].OpinionAt))
	}
	return nil
}

func applyOpinion(c *Case, a Action, by Actor, now time.Time, _ *calendar.Calendar, e *Event) {
	cur := c.current()
	i := slices.IndexFunc(cur.CoHandlers, func(h CoHandler) bool { return h.Dept == by.Dept })
	h := &cur.CoHandlers[i]
	h.Opinion, h.OpinionBy, h.OpinionAt = a.Note, by.Name, now
	e.Late = h.Late(now)
}

// firstClock is the current round's first clock at now; a case whose type
// has no clock (it would not have passed Register) has a clock that never
// starts.
func (c Case) firstClock(now time.Time, cal *calendar.Calendar) Clock {
	if k := c.Clocks(now, cal); len(k) > 0 {
		return k[0]
	}
	return Clock{}
}

func checkPause(c Case, a Action, _ Actor, now time.Time, cal *calendar.Calendar) error {
	if !slices.Contains(c.Type.PauseKinds, a.Pause) {
		var zh, en []string
		for _, k := range c.Type.PauseKinds {
			zh, en = append(zh, string(k)+" "+k.LabelZH()), append(en, string(k))
		}
		return c.failf(apperr.Invalid, " 的暂停原因 %[1]q 无效，应为：%[2]s", ": pause kind %[1]q is invalid: %[3]s", string(a.Pause),
			strings.Join(zh, "、"), strings.Join(en, ", "))
	}
	if p, ok := c.OpenPause(); ok {
		return c.fail(apperr.Conflict, " 已于 "+formatDate(p.Start)+" 暂停计时（"+p.Kind.LabelZH()+"）", " has been paused since "+formatDate(p.Start)+" ("+p.Kind.LabelEN()+")")
	}
	k := c.firstClock(now, cal)
	switch {
	case !k.Started:
		return c.failf(apperr.Conflict, " 尚未开始计时，无需暂停", " has no clock running to pause")
	case k.Overdue(now):
		return c.failf(apperr.Conflict, " 的期限 %s 已过，不能再暂停计时", " was due on %s; its clock can no longer be paused", formatDate(k.Deadline))
	}
	return nil
}

func applyPause(c *Case, a Action, by Actor, now time.Time, _ *calendar.Calendar, _ *Event) {
	c.Pauses = append(c.Pauses, Pause{Round: c.Round(), Kind: a.Pause, Reason: a.Note, By: by.Name, Start: now})
}

func checkResume(c Case, _ Action, _ Actor, _ time.Time, _ *calendar.Calendar) error {
	if _, ok := c.OpenPause(); !ok {
		zh, en := c.label()
		return apperr.New(apperr.Conflict, zh+" 没有暂停中的计时", en+" has no paused clock")
	}
	return nil
}

func applyResume(c *Case, _ Action, _ Actor, now time.Time, _ *calendar.Calendar, _ *Event) {
	i := slices.IndexFunc(c.Pauses, func(p Pause) bool { return p.End.IsZero() })
	c.Pauses[i].End = now
}

// extended sums the units of the extensions approved in the round.
func (c Case) extended(round int) int {
	n := 0
	for _, x := range c.Extensions {
		if x.Round == round {
			n += x.N
		}
	}
	return n
}

func checkExtensionRequest(c Case, a Action, _ Actor, now time.Time, cal *calendar.Calendar) error {
	k, most := c.firstClock(now, cal), c.Type.MaxExtension
	left := most.N - c.extended(c.Round())
	switch {
	case c.PendingExtension != nil:
		return c.fail(apperr.Conflict, " 已有待审批的延期申请（"+unitsZH(c.PendingExtension.N, most.Unit)+"）",
			" already has an extension request waiting ("+unitsEN(c.PendingExtension.N, most.Unit)+")")
	case k.Rule.Limit.Unit != most.Unit || k.Rule.Limit.N == 0:
		return c.fail(apperr.Conflict, " 的时限（"+k.Rule.Limit.LabelZH()+"）不能延期", ": its limit ("+k.Rule.Limit.LabelEN()+") cannot be extended")
	case !onOrBefore(now, k.Deadline):
		return c.failf(apperr.Conflict, " 的办理期限 %s 已过，不能再申请延期", " was due on %s; an extension can no longer be asked", formatDate(k.Deadline))
	case left <= 0:
		return c.fail(apperr.Conflict, " 已延期 "+most.LabelZH()+"，达到上限", " has been extended by "+most.LabelEN()+", the most allowed")
	case a.Days < 1 || a.Days > left:
		return c.fail(apperr.Invalid, " 申请延期应为 1 至 "+unitsZH(left, most.Unit)+"（延期合计不得超过"+most.LabelZH()+"）",
			": the extension must be 1 to "+unitsEN(left, most.Unit)+" (at most "+most.LabelEN()+" in all)")
	}
	return nil
}

func applyExtensionRequest(c *Case, a Action, by Actor, now time.Time, _ *calendar.Calendar, e *Event) {
	c.PendingExtension = &Extension{Round: c.Round(), N: a.Days, Reason: a.Note, RequestedBy: by.Name, RequestedAt: now}
	e.Days = a.Days
}

func checkPendingExtension(c Case, _ Action, _ Actor, _ time.Time, _ *calendar.Calendar) error {
	if c.PendingExtension == nil {
		zh, en := c.label()
		return apperr.New(apperr.Conflict, zh+" 没有待审批的延期申请", en+" has no extension request to decide")
	}
	return nil
}

func applyExtensionDecision(c *Case, a Action, by Actor, now time.Time, _ *calendar.Calendar, e *Event) {
	x := *c.PendingExtension
	e.Days, c.PendingExtension = x.N, nil
	if a.Accept {
		x.DecidedBy, x.DecidedAt = by.Name, now
		c.Extensions = append(c.Extensions, x)
	}
}

func checkDraft(c Case, a Action, _ Actor, now time.Time, _ *calendar.Calendar) error {
	if err := checkResult(c, a.Result); err != nil {
		return err
	}
	if p, ok := c.OpenPause(); ok {
		return c.fail(apperr.Conflict, " 自 "+formatDate(p.Start)+" 暂停计时（"+p.Kind.LabelZH()+"），请先恢复计时",
			" has been paused since "+formatDate(p.Start)+" ("+p.Kind.LabelEN()+"); resume it first")
	}
	a0, _ := c.Assignment()
	var missing []string
	for _, h := range a0.CoHandlers {
		if h.OpinionAt.IsZero() {
			missing = append(missing, h.Dept)
		}
	}
	if len(missing) > 0 {
		return c.fail(apperr.Conflict, " 尚缺协办单位 "+strings.Join(missing, "、")+" 的意见，不能拟定答复",
			": the opinion of co-handler "+strings.Join(missing, ", ")+" is still missing")
	}
	return checkPromises(c, a.Promises, now)
}

func checkResult(c Case, code string) error {
	if len(c.Type.Results) == 0 {
		if code != "" {
			return c.failf(apperr.Invalid, " 不分办理结果类别", " takes no result class")
		}
		return nil
	}
	if _, ok := c.Type.Result(code); ok {
		return nil
	}
	var zh, en []string
	for _, r := range c.Type.Results {
		zh, en = append(zh, r.NameZH), append(en, r.Code+" "+r.NameEN)
	}
	return c.failf(apperr.Invalid, " 的办理结果 %[1]q 无效，应为：%[2]s", ": result class %[1]q is invalid: %[3]s", code, strings.Join(zh, "、"), strings.Join(en, ", "))
}

func checkPromises(c Case, promises []Promise, now time.Time) error {
	if len(promises) > maxPromises {
		return c.failf(apperr.Invalid, "：承诺事项最多%d项", ": at most %d promises", maxPromises)
	}
	for i, p := range promises {
		if text := strings.TrimSpace(p.Text); text == "" || utf8.RuneCountInString(text) > maxPromise {
			return c.failf(apperr.Invalid, "：第%d项承诺事项的内容不能为空，最长%d字", ": promise %d needs a text of at most %d characters", i+1, maxPromise)
		}
		if p.Due.IsZero() || onOrBefore(p.Due, now) {
			return c.failf(apperr.Invalid, "：第%d项承诺事项的兑现日期应晚于今天", ": promise %d must be due after today", i+1)
		}
	}
	return nil
}

func applyDraft(c *Case, a Action, by Actor, now time.Time, _ *calendar.Calendar, e *Event) {
	d := &Draft{Text: a.Note, Result: a.Result, DraftedBy: by.Name, DraftedAt: now}
	for _, p := range a.Promises {
		d.Promises = append(d.Promises, Promise{Text: strings.TrimSpace(p.Text), Due: dateOf(p.Due)})
	}
	c.Draft, e.Result = d, a.Result
}

func checkDraftWaiting(c Case, _ Action, _ Actor, _ time.Time, _ *calendar.Calendar) error {
	if c.Draft == nil || !c.Draft.ApprovedAt.IsZero() {
		zh, en := c.label()
		return apperr.New(apperr.Conflict, zh+" 没有待审核的答复", en+" has no answer waiting for approval")
	}
	return nil
}

func applyApprove(c *Case, a Action, by Actor, now time.Time, _ *calendar.Calendar, _ *Event) {
	if a.Accept {
		c.Draft.ApprovedBy, c.Draft.ApprovedAt, c.ReviewNote = by.Name, now, ""
		return
	}
	c.Draft, c.ReviewNote = nil, a.Note
}

func checkApproved(c Case, _ Action, _ Actor, _ time.Time, _ *calendar.Calendar) error {
	if c.Draft == nil || c.Draft.ApprovedAt.IsZero() {
		zh, en := c.label()
		return apperr.New(apperr.Conflict, zh+" 没有已审核的答复", en+" has no approved answer to send")
	}
	return nil
}

// applyAnswer sends the approved draft and records how the round's
// clocks ended.
func applyAnswer(c *Case, _ Action, by Actor, now time.Time, cal *calendar.Calendar, e *Event) {
	d, round := c.Draft, c.Round()
	c.Answers = append(c.Answers, Answer{Round: round, Text: d.Text, Result: d.Result, DraftedAt: d.DraftedAt,
		ApprovedBy: d.ApprovedBy, ApprovedAt: d.ApprovedAt, AnsweredBy: by.Name, AnsweredAt: now})
	ans := &c.Answers[len(c.Answers)-1]
	clocks := c.Clocks(now, cal)
	for _, k := range clocks {
		ans.Clocks = append(ans.Clocks, ClockResult{Kind: k.Rule.Kind, Deadline: k.Deadline, OnTime: k.OnTime()})
	}
	first := clocks[0]
	ans.OnTime = first.OnTime()
	ans.WorkingDays = cal.WorkingDaysBetween(first.Start, dateOf(first.Stopped)) - c.pausedWorkingDays(round, cal)
	for _, p := range d.Promises {
		p.Round = round
		c.Promises = append(c.Promises, p)
	}
	c.Draft, c.PendingExtension = nil, nil
	e.Late, e.Result = !ans.OnTime, ans.Result
}

// pausedWorkingDays counts the working days the round's closed pauses
// took, whatever the clock's unit: the time that was the applicant's.
func (c Case) pausedWorkingDays(round int, cal *calendar.Calendar) int {
	n := 0
	for _, p := range c.Pauses {
		if p.Round == round && !p.End.IsZero() {
			n += pauseUnits(p.Start, p.End, WorkingDays, cal)
		}
	}
	return n
}

func checkRating(c Case, a Action, _ Actor, _ time.Time, _ *calendar.Calendar) error {
	if !a.Rating.Valid() {
		zh, en := c.label()
		return apperr.New(apperr.Invalid, zh+" 的评价应为满意、基本满意或不满意", en+": the rating must be satisfied, basically satisfied or dissatisfied")
	}
	return nil
}

func applyRating(c *Case, a Action, _ Actor, now time.Time, cal *calendar.Calendar, e *Event) {
	visit, watched := c.VisitDeadline(cal)
	ans := &c.Answers[len(c.Answers)-1]
	ans.Rating, ans.RatingNote, ans.RatedAt = a.Rating, a.Note, now
	ans.RatedLate = watched && !onOrBefore(now, visit)
	e.Late, e.Rating = ans.RatedLate, a.Rating
}

func checkReopen(c Case, _ Action, _ Actor, _ time.Time, _ *calendar.Calendar) error {
	zh, en := c.label()
	last, _ := c.LastAnswer()
	switch {
	case last.Rating != Dissatisfied:
		return apperr.New(apperr.Conflict,
			fmt.Sprintf("%s 的评价为「%s」，只有「不满意」的事项才能重办", zh, last.Rating.LabelZH()),
			fmt.Sprintf("%s was rated %s; only a dissatisfied rating reopens a case", en, last.Rating.LabelEN()))
	case len(c.Reopenings) >= c.Type.MaxRedos:
		return c.failf(apperr.Conflict, " 已重办 %d 次，不能再重办", " has been reworked %d times; no more rework", len(c.Reopenings))
	}
	return nil
}

func applyReopen(c *Case, _ Action, _ Actor, now time.Time, _ *calendar.Calendar, _ *Event) {
	c.Reopenings = append(c.Reopenings, now)
}

func checkClose(c Case, a Action, _ Actor, _ time.Time, _ *calendar.Calendar) error {
	if last, ok := c.LastAnswer(); ok && last.Rating == Dissatisfied && a.Note == "" {
		zh, en := c.label()
		return apperr.New(apperr.Invalid, zh+" 的评价为不满意，办结时需要说明理由", en+" was rated dissatisfied: say why it is closed")
	}
	return nil
}

func applyClose(c *Case, a Action, _ Actor, now time.Time, _ *calendar.Calendar, _ *Event) {
	c.ClosedAt, c.CloseNote = now, a.Note
}

func checkPromise(c Case, a Action, _ Actor, _ time.Time, _ *calendar.Calendar) error {
	if a.Promise < 0 || a.Promise >= len(c.Promises) {
		return c.failf(apperr.Invalid, " 没有第%d项承诺事项", " has no promise %d", a.Promise+1)
	}
	if p := c.Promises[a.Promise]; !p.KeptAt.IsZero() {
		return c.failf(apperr.Conflict, " 的承诺事项 %d 已于 %s 兑现", ": promise %d was kept on %s", a.Promise+1, formatDate(p.KeptAt))
	}
	return nil
}

func applyPromise(c *Case, a Action, by Actor, now time.Time, _ *calendar.Calendar, e *Event) {
	p := &c.Promises[a.Promise]
	p.KeptBy, p.KeptAt, p.KeptNote = by.Name, now, a.Note
	e.Late = !onOrBefore(now, p.Due)
}

func checkLapse(c Case, _ Action, _ Actor, now time.Time, cal *calendar.Calendar) error {
	if k := c.firstClock(now, cal); !k.Overdue(now) {
		zh, en := c.label()
		return apperr.New(apperr.Conflict,
			fmt.Sprintf("%s 的法定期限未届满（%s），不能视为准予", zh, formatDate(k.Deadline)),
			fmt.Sprintf("%s is not past its statutory deadline (%s); it cannot be deemed approved", en, formatDate(k.Deadline)))
	}
	return nil
}

func applyLapse(c *Case, _ Action, _ Actor, now time.Time, _ *calendar.Calendar, e *Event) {
	c.DeemedApprovedAt, c.PendingExtension, c.Draft = now, nil, nil
	e.Late = true
}
