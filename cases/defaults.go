package cases

// The default types. Each says where its numbers come from; where a
// number is Lantu's choice or a common local practice rather than
// national law, the comment says so, and a city should set its own.
//
// Article numbers were checked against published texts where noted; the
// others are given from memory of the texts and marked "unverified".

// DefaultTypes returns every default type.
func DefaultTypes() []Type {
	return []Type{NPCSuggestion(), CPPCCProposal(), Petition(), PetitionReview(), PetitionRecheck(), Hotline(), DefaultLicence()}
}

// suggestionResults are the classes an answer to a suggestion or proposal
// is marked with (答复件 A/B/C/D), as the NPC and CPPCC offices use them.
var suggestionResults = []Result{
	{Code: "A", NameZH: "A 已解决", NameEN: "A solved", Solved: true},
	{Code: "B", NameZH: "B 正在解决", NameEN: "B being solved"},
	{Code: "C", NameZH: "C 列入规划", NameEN: "C planned"},
	{Code: "D", NameZH: "D 留作参考", NameEN: "D kept for reference"},
}

// NPCSuggestion is a deputy's suggestion (人大代表建议).
//
//   - Answer within 3 months of assignment, at most 6 months for wide or
//     hard ones: the Law on Deputies (代表法) and the provinces' rules on
//     handling deputies' suggestions (e.g. 福建省 第十九条: 交办之日起三个月
//     内 … 延长时间不得超过三个月). Counted in months to the corresponding day
//     (民法典第二百零二条), rolled over a day off (第二百零三条).
//   - Co-handlers' opinion to the lead within 1 month of assignment: the
//     same provincial rules (协办单位应当在交办之日起一个月内提出书面意见).
//   - Return window 5 working days: a common local practice; some cities
//     give 10 days. Unsure which Gujiao (Taiyuan) uses.
//   - A second answer within 1 month after 不满意: local rules (必须在交办之日
//     起一个月内将办理情况再次答复代表); one redo.
func NPCSuggestion() Type {
	return Type{
		Code: "npc_suggestion", NameZH: "人大代表建议", NameEN: "NPC deputy's suggestion",
		Basis:        "《代表法》及本省代表建议办理办法：交办之日起三个月内答复，经同意可延长，最长不超过六个月；协办单位一个月内提出意见；不满意的一个月内再次答复",
		Clocks:       []ClockRule{{Kind: Statutory, Start: AtAssigned, Stop: AtAnswered, Limit: Limit{N: 3, Unit: Months, RollOver: true}}},
		ReturnWindow: Limit{N: 5, Unit: WorkingDays},
		CoOpinion:    Limit{N: 1, Unit: Months, RollOver: true},
		MaxExtension: Limit{N: 3, Unit: Months, RollOver: true},
		Redo:         Limit{N: 1, Unit: Months, RollOver: true},
		MaxRedos:     1,
		Results:      suggestionResults,
		YellowDays:   10,
		// 建议答复 are published where the deputy agrees (政务公开).
		PublishAnswers: true,
		Flow:           suggestionFlow(),
	}
}

// CPPCCProposal is a CPPCC member's proposal (政协委员提案). The rules are
// the suggestion's: the CPPCC's 提案工作条例 and the local 提案办理办法 ask
// for an answer within 3 months, at most 6 (unverified for Gujiao's
// committee); the limit is the committee's rule, not a law, hence
// Prescribed.
func CPPCCProposal() Type {
	t := NPCSuggestion()
	t.Code, t.NameZH, t.NameEN = "cppcc_proposal", "政协委员提案", "CPPCC member's proposal"
	t.Basis = "政协提案工作条例及本地提案办理办法：交办之日起三个月内办复，最长不超过六个月；协办单位一个月内提出意见"
	t.Clocks = []ClockRule{{Kind: Prescribed, Start: AtAssigned, Stop: AtAnswered, Limit: Limit{N: 3, Unit: Months, RollOver: true}}}
	t.Results = suggestionResults
	t.Flow = suggestionFlow()
	return t
}

// suggestionFlow is the path of a suggestion or proposal: the office
// assigns it, the lead signs or returns it, co-handlers send opinions,
// the lead drafts, the head approves, the lead answers, the office
// records the rating and closes it or reopens it for 重办.
func suggestionFlow() []Transition {
	return []Transition{
		{Action: Assign, From: []State{Registered, Returned}, By: []Role{Office}, To: Assigned},
		{Action: Sign, From: []State{Assigned}, By: []Role{Lead}, To: Handling},
		{Action: Return, From: []State{Assigned}, By: []Role{Lead}, To: Returned},
		{Action: Opinion, From: []State{Assigned, Handling}, By: []Role{Co}, To: Stay},
		{Action: RequestExtension, From: []State{Handling}, By: []Role{Lead}, To: Stay},
		{Action: DecideExtension, From: []State{Handling, Drafted, Approved}, By: []Role{Office}, To: Stay, ToIfRefused: Stay},
		{Action: DraftAnswer, From: []State{Handling}, By: []Role{Lead}, To: Drafted},
		{Action: Approve, From: []State{Drafted}, By: []Role{Head}, To: Approved, ToIfRefused: Handling},
		{Action: SendAnswer, From: []State{Approved}, By: []Role{Lead}, To: Answered},
		{Action: Rate, From: []State{Answered}, By: []Role{Office}, To: Rated},
		{Action: Reopen, From: []State{Rated}, By: []Role{Office}, To: Handling},
		{Action: Close, From: []State{Rated}, By: []Role{Office}, To: Closed},
		{Action: KeepPromise, From: []State{Answered, Rated, Closed}, By: []Role{Lead}, To: Stay},
		{Action: Consent, From: []State{Registered, Assigned, Returned, Handling, Drafted, Approved, Answered, Rated, Closed}, By: []Role{Office}, To: Stay},
	}
}

// petitionResults are the outcomes of 信访处理意见: support, explain,
// refuse (信访工作条例's handling of 申诉求决类 matters; unverified article).
var petitionResults = []Result{
	{Code: "support", NameZH: "予以支持", NameEN: "supported", Solved: true},
	{Code: "explain", NameZH: "解释说明", NameEN: "explained"},
	{Code: "refuse", NameZH: "不予支持", NameEN: "not supported"},
}

// Petition is a petition (信访事项).
//
//   - 60 days from acceptance; with the approval of the head of the
//     handling organ up to 30 more days, the petitioner told why: 信访工作
//     条例 (2022) (article number unverified; the 2005 信访条例 第三十三条
//     said the same in the same words).
//   - Calendar days, the acceptance date not counted, a last day off
//     rolled over to the next working day: the regulation says neither,
//     so the general rule applies (民法典第二百零一条, 第二百零三条, 第二百
//     零四条). Local petition rules may say otherwise.
//   - Return window 5 working days and co-handlers' 10 working days:
//     Lantu's defaults, no national rule.
//   - Not accepted (不予受理) with a written notice; disagreement leads to
//     复查 and 复核 (PetitionReview, PetitionRecheck), not to 重办.
func Petition() Type {
	return Type{
		Code: "petition", NameZH: "信访事项", NameEN: "petition",
		Basis:        "《信访工作条例》：自受理之日起60日内办结；情况复杂的，经本机关、单位负责人批准，可以适当延长，但延长期限不得超过30日，并告知信访人延期理由。期间按《民法典》第二百零一条、第二百零三条计算",
		Clocks:       []ClockRule{{Kind: Statutory, Start: AtAccepted, Stop: AtAnswered, Limit: Limit{N: 60, Unit: CalendarDays, RollOver: true}}},
		ReturnWindow: Limit{N: 5, Unit: WorkingDays},
		CoOpinion:    Limit{N: 10, Unit: WorkingDays},
		MaxExtension: Limit{N: 30, Unit: CalendarDays, RollOver: true},
		Results:      petitionResults,
		YellowDays:   5,
		// 《信访工作条例》: 信访人的个人信息 are not to be disclosed.
		PersonalSubmitter: true,
		Flow: []Transition{
			{Action: Accept, From: []State{Registered}, By: []Role{Office}, To: Accepted},
			{Action: Reject, From: []State{Registered}, By: []Role{Office}, To: Rejected},
			{Action: Assign, From: []State{Accepted, Returned}, By: []Role{Office}, To: Assigned},
			{Action: Sign, From: []State{Assigned}, By: []Role{Lead}, To: Handling},
			{Action: Return, From: []State{Assigned}, By: []Role{Lead}, To: Returned},
			{Action: Opinion, From: []State{Assigned, Handling}, By: []Role{Co}, To: Stay},
			{Action: RequestExtension, From: []State{Handling}, By: []Role{Lead}, To: Stay},
			// 经本机关、单位负责人批准: the head of the handling organ.
			{Action: DecideExtension, From: []State{Handling, Drafted, Approved}, By: []Role{Head}, To: Stay, ToIfRefused: Stay},
			{Action: DraftAnswer, From: []State{Handling}, By: []Role{Lead}, To: Drafted},
			{Action: Approve, From: []State{Drafted}, By: []Role{Head}, To: Approved, ToIfRefused: Handling},
			{Action: SendAnswer, From: []State{Approved}, By: []Role{Lead}, To: Answered},
			// The petitioner's evaluation is asked for but not required.
			{Action: Rate, From: []State{Answered}, By: []Role{Office}, To: Rated},
			{Action: Close, From: []State{Answered, Rated}, By: []Role{Office}, To: Closed},
			{Action: KeepPromise, From: []State{Answered, Rated, Closed}, By: []Role{Lead}, To: Stay},
		},
	}
}

// PetitionReview is a 复查: asked within 30 days of the written answer to a
// petition, answered within 30 days of receiving the request (信访工作条例,
// article number unverified). No extension is provided for.
func PetitionReview() Type {
	return followUpType("petition_review", "信访复查", "petition review", "petition",
		"《信访工作条例》：信访人对信访处理意见不服的，可以自收到书面答复之日起30日内请求复查；收到复查请求之日起30日内提出复查意见")
}

// PetitionRecheck is a 复核: asked within 30 days of the written answer to
// a 复查, answered within 30 days of receiving the request.
func PetitionRecheck() Type {
	return followUpType("petition_recheck", "信访复核", "petition recheck", "petition_review",
		"《信访工作条例》：信访人对复查意见不服的，可以自收到书面答复之日起30日内请求复核；收到复核请求之日起30日内提出复核意见")
}

func followUpType(code, zh, en, of, basis string) Type {
	return Type{
		Code: code, NameZH: zh, NameEN: en, Basis: basis,
		Clocks:            []ClockRule{{Kind: Statutory, Start: AtReceived, Stop: AtAnswered, Limit: Limit{N: 30, Unit: CalendarDays, RollOver: true}}},
		ReturnWindow:      Limit{N: 5, Unit: WorkingDays},
		Results:           petitionResults,
		FollowUpOf:        of,
		RequestWindow:     Limit{N: 30, Unit: CalendarDays, RollOver: true},
		YellowDays:        5,
		PersonalSubmitter: true, // a petitioner's, as the petition's
		Flow: []Transition{
			{Action: Reject, From: []State{Registered}, By: []Role{Office}, To: Rejected},
			{Action: Assign, From: []State{Registered, Returned}, By: []Role{Office}, To: Assigned},
			{Action: Sign, From: []State{Assigned}, By: []Role{Lead}, To: Handling},
			{Action: Return, From: []State{Assigned}, By: []Role{Lead}, To: Returned},
			{Action: DraftAnswer, From: []State{Handling}, By: []Role{Lead}, To: Drafted},
			{Action: Approve, From: []State{Drafted}, By: []Role{Head}, To: Approved, ToIfRefused: Handling},
			{Action: SendAnswer, From: []State{Approved}, By: []Role{Lead}, To: Answered},
			{Action: Close, From: []State{Answered}, By: []Role{Office}, To: Closed},
			{Action: KeepPromise, From: []State{Answered, Closed}, By: []Role{Lead}, To: Stay},
		},
	}
}

// Hotline is a 12345 request (12345 诉求). The hotline follows 国务院办公厅
// 关于进一步优化地方政务服务便民热线的指导意见 (国办发〔2020〕53号), which
// leaves the time limits to local rules; the ones here are issue 6's:
// urgent the same day, 咨询 and 求助 3 working days, 投诉 and 建议 13
// working days, counted from 签收. The 1-working-day signing window, the
// 2 working days for co-handlers, the 10-working-day extension and one
// redo are Lantu's defaults; 回访 the next working day after the answer
// is issue 6's.
func Hotline() Type {
	signed := func(n int, u Unit) []ClockRule {
		return []ClockRule{{Kind: Prescribed, Start: AtSigned, Stop: AtAnswered, Limit: Limit{N: n, Unit: u}}}
	}
	return Type{
		Code: "hotline", NameZH: "12345诉求", NameEN: "12345 request",
		// A caller is a citizen like a petitioner: kept by the 12345 centre.
		PersonalSubmitter: true,
		Basis:             "国办发〔2020〕53号及本地12345热线工作规范：紧急诉求当日办理，咨询、求助类3个工作日，投诉、建议类13个工作日，自签收起算；办结后次一工作日回访",
		Categories: []Category{
			// The same calendar day, holiday or not: no roll-over, never
			// extended.
			{Code: "urgent", NameZH: "紧急", NameEN: "urgent", Clocks: signed(0, CalendarDays)},
			{Code: "consult", NameZH: "咨询", NameEN: "enquiry", Clocks: signed(3, WorkingDays)},
			{Code: "help", NameZH: "求助", NameEN: "request for help", Clocks: signed(3, WorkingDays)},
			{Code: "complaint", NameZH: "投诉", NameEN: "complaint", Clocks: signed(13, WorkingDays)},
			{Code: "proposal", NameZH: "建议", NameEN: "proposal", Clocks: signed(13, WorkingDays)},
		},
		ReturnWindow: Limit{N: 1, Unit: WorkingDays},
		CoOpinion:    Limit{N: 2, Unit: WorkingDays},
		MaxExtension: Limit{N: 10, Unit: WorkingDays},
		MaxRedos:     1,
		Visit:        Limit{N: 1, Unit: WorkingDays},
		Results: []Result{
			{Code: "resolved", NameZH: "已解决", NameEN: "resolved", Solved: true},
			{Code: "explained", NameZH: "已解释说明", NameEN: "explained"},
			{Code: "unresolved", NameZH: "未解决", NameEN: "not resolved"},
		},
		YellowDays: 1,
		Flow: []Transition{
			{Action: Assign, From: []State{Registered, Returned}, By: []Role{Office}, To: Assigned},
			{Action: Sign, From: []State{Assigned}, By: []Role{Lead}, To: Handling},
			{Action: Return, From: []State{Assigned}, By: []Role{Lead}, To: Returned},
			{Action: Opinion, From: []State{Assigned, Handling}, By: []Role{Co}, To: Stay},
			{Action: RequestExtension, From: []State{Handling}, By: []Role{Lead}, To: Stay},
			{Action: DecideExtension, From: []State{Handling, Drafted, Approved}, By: []Role{Office}, To: Stay, ToIfRefused: Stay},
			{Action: DraftAnswer, From: []State{Handling}, By: []Role{Lead}, To: Drafted},
			{Action: Approve, From: []State{Drafted}, By: []Role{Head}, To: Approved, ToIfRefused: Handling},
			{Action: SendAnswer, From: []State{Approved}, By: []Role{Lead}, To: Answered},
			{Action: Rate, From: []State{Answered}, By: []Role{Office}, To: Rated},
			{Action: Reopen, From: []State{Rated}, By: []Role{Office}, To: Handling},
			{Action: Close, From: []State{Rated}, By: []Role{Office}, To: Closed},
			{Action: KeepPromise, From: []State{Answered, Rated, Closed}, By: []Role{Lead}, To: Stay},
		},
	}
}

// DefaultLicence is a licence under the general procedure: 20 working days
// by law, 14 promised (Gujiao's 审批承诺时限压缩30%), never deemed approved.
func DefaultLicence() Type {
	return Licence("licence", "行政许可", "administrative licence", 20, 14, false)
}

// Licence is an administrative licence (行政许可) with its statutory and
// promised working days (promised 0: no promise).
//
//   - 20 working days from acceptance to the decision, extendable once by
//     10 with the head's approval, the applicant told why: 行政许可法第四十
//     二条; working days without statutory holidays: 第八十二条. The clocks
//     stop at the decision (Approve); serving it (Answer) has its own 10
//     days (第四十四条), not watched here.
//   - Pauses: 第四十五条 leaves 听证、检验、检测、检疫、鉴定、专家评审 out of
//     the limits (Procedure). 补正 (Correction) is, under 第三十二条, asked
//     before acceptance, so the clock would not have started; the pause
//     serves the halls (and sector rules) that accept first and ask for
//     documents later, where the missing days are the applicant's.
//   - Deemed approved on lapse only where a law says so, e.g. a renewal
//     not decided before the licence expires is deemed renewed (第五十条);
//     that type's days must then be set so the clock ends at the expiry.
//   - Return window 1 working day and co-handlers' 5 working days:
//     Lantu's defaults for the hall's internal hand-over.
func Licence(code, nameZH, nameEN string, statutory, promised int, deemedApproval bool) Type {
	clocks := []ClockRule{{Kind: Statutory, Start: AtAccepted, Stop: AtApproved, Limit: Limit{N: statutory, Unit: WorkingDays}}}
	if promised > 0 {
		clocks = append(clocks, ClockRule{Kind: Promised, Start: AtAccepted, Stop: AtApproved, Limit: Limit{N: promised, Unit: WorkingDays}})
	}
	undecided := []State{Accepted, Assigned, Returned, Handling, Drafted}
	flow := []Transition{
		{Action: Accept, From: []State{Registered}, By: []Role{Office}, To: Accepted},
		{Action: Reject, From: []State{Registered}, By: []Role{Office}, To: Rejected},
		{Action: Assign, From: []State{Accepted, Returned}, By: []Role{Office}, To: Assigned},
		{Action: Sign, From: []State{Assigned}, By: []Role{Lead}, To: Handling},
		{Action: Return, From: []State{Assigned}, By: []Role{Lead}, To: Returned},
		{Action: Opinion, From: []State{Assigned, Handling}, By: []Role{Co}, To: Stay},
		// The hall tells the applicant and receives the documents.
		{Action: PauseClock, From: []State{Accepted, Assigned, Returned, Handling}, By: []Role{Office}, To: Stay},
		{Action: ResumeClock, From: []State{Accepted, Assigned, Returned, Handling}, By: []Role{Office}, To: Stay},
		{Action: RequestExtension, From: []State{Handling}, By: []Role{Lead}, To: Stay},
		// 经本行政机关负责人批准.
		{Action: DecideExtension, From: []State{Handling, Drafted}, By: []Role{Head}, To: Stay, ToIfRefused: Stay},
		{Action: DraftAnswer, From: []State{Handling}, By: []Role{Lead}, To: Drafted},
		{Action: Approve, From: []State{Drafted}, By: []Role{Head}, To: Approved, ToIfRefused: Handling},
		// The hall serves the decision.
		{Action: SendAnswer, From: []State{Approved}, By: []Role{Office}, To: Answered},
		{Action: Close, From: []State{Answered}, By: []Role{Office}, To: Closed},
		{Action: KeepPromise, From: []State{Answered, Closed}, By: []Role{Lead}, To: Stay},
	}
	if deemedApproval {
		flow = append(flow, Transition{Action: Lapse, From: undecided, By: []Role{System}, To: DeemedApproved})
	}
	basis := "《行政许可法》第四十二条：自受理之日起二十日内作出决定，经本行政机关负责人批准可延长十日并告知理由；第八十二条：以工作日计算；第四十五条：听证、检验、鉴定等所需时间不计算在内"
	if deemedApproval {
		basis += "；逾期未作决定的视为准予（如第五十条的延续）"
	}
	return Type{
		Code: code, NameZH: nameZH, NameEN: nameEN, Basis: basis,
		Clocks:       clocks,
		ReturnWindow: Limit{N: 1, Unit: WorkingDays},
		CoOpinion:    Limit{N: 5, Unit: WorkingDays},
		MaxExtension: Limit{N: 10, Unit: WorkingDays},
		PauseKinds:   []PauseKind{Correction, Procedure},
		Results: []Result{
			{Code: "granted", NameZH: "准予许可", NameEN: "granted", Solved: true},
			{Code: "refused", NameZH: "不予许可", NameEN: "refused"},
		},
		YellowDays: 3,
		Flow:       flow,
	}
}
