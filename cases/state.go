package cases

import "time"

// State is where a case stands.
type State string

const (
	Registered     State = "registered"      // 登记: received by the office
	Accepted       State = "accepted"        // 受理: petitions and licences; their clock starts here
	Rejected       State = "rejected"        // 不予受理, with its notice
	Assigned       State = "assigned"        // 交办/派单: waiting for the lead to sign or return it
	Returned       State = "returned"        // 退回/退单: waiting for the office to assign it again
	Handling       State = "handling"        // 签收, 办理中
	Drafted        State = "drafted"         // 答复已拟定, waiting for the department head
	Approved       State = "approved"        // 答复已审核 (for a licence: the decision made)
	Answered       State = "answered"        // 已答复 (for a licence: the decision served)
	Rated          State = "rated"           // 已评价 (回访)
	Closed         State = "closed"          // 已办结
	DeemedApproved State = "deemed_approved" // 视为准予: a licence's statutory clock ran out undecided
)

// States lists the states in the order of the path.
var States = []State{Registered, Accepted, Rejected, Assigned, Returned, Handling, Drafted, Approved, Answered, Rated, Closed, DeemedApproved}

// LabelZH returns the Chinese label.
func (s State) LabelZH() string {
	return map[State]string{
		Registered: "已登记", Accepted: "已受理", Rejected: "不予受理", Assigned: "已交办", Returned: "已退回",
		Handling: "办理中", Drafted: "答复待审核", Approved: "答复已审核", Answered: "已答复", Rated: "已评价",
		Closed: "已办结", DeemedApproved: "视为准予",
	}[s]
}

// LabelEN returns the English label.
func (s State) LabelEN() string {
	return map[State]string{
		Registered: "registered", Accepted: "accepted", Rejected: "not accepted", Assigned: "assigned", Returned: "returned",
		Handling: "being handled", Drafted: "answer drafted", Approved: "answer approved", Answered: "answered", Rated: "rated",
		Closed: "closed", DeemedApproved: "deemed approved",
	}[s]
}

// Valid reports whether s is one of States.
func (s State) Valid() bool { return s.LabelZH() != "" }

// Final reports whether nothing more happens to the case but the keeping
// of its promises.
func (s State) Final() bool { return s == Rejected || s == Closed || s == DeemedApproved }

// Stay is a transition's To when the action leaves the state as it is.
const Stay State = "(stay)"

// Role is the part an actor plays on one case.
type Role string

const (
	Office Role = "office" // the office that registered the case: NPC/CPPCC office, petition bureau, 12345 centre, licensing hall
	Lead   Role = "lead"   // a user of the lead department (主办单位)
	Co     Role = "co"     // a user of a co-handling department (协办单位)
	Head   Role = "head"   // the head of the lead department (承办单位负责人), who approves answers
	System Role = "system" // Lantu itself, which records a licence deemed approved
)

// Roles lists every role.
var Roles = []Role{Office, Lead, Co, Head, System}

// LabelZH returns the Chinese label.
func (r Role) LabelZH() string {
	return map[Role]string{Office: "交办机构", Lead: "主办单位", Co: "协办单位", Head: "承办单位负责人", System: "系统"}[r]
}

// LabelEN returns the English label.
func (r Role) LabelEN() string {
	return map[Role]string{Office: "the registering office", Lead: "the lead department", Co: "a co-handling department",
		Head: "the head of the lead department", System: "the system"}[r]
}

// Actor is who acts. The roles follow from the case (see Case.RolesOf), so
// that a department cannot act on a case that is not its own and one
// office cannot act on another office's cases.
type Actor struct {
	Name   string
	Dept   string // department code
	Office bool   // acts for the office of Dept (it must be the case's OfficeDept)
	Head   bool   // heads Dept
	System bool   // Lantu's own scheduler
}

// ActionKind names a step on a case.
type ActionKind string

const (
	Registration     ActionKind = "register"          // 登记; only through Register or FollowUp
	Accept           ActionKind = "accept"            // 受理
	Reject           ActionKind = "reject"            // 不予受理, the note is the notice
	Assign           ActionKind = "assign"            // 交办/派单, again after a return
	Sign             ActionKind = "sign"              // 签收
	Return           ActionKind = "return"            // 退回/退单, within the window, with the reason
	Opinion          ActionKind = "opinion"           // 协办意见, sent to the lead
	PauseClock       ActionKind = "pause"             // 暂停计时 (补正 …)
	ResumeClock      ActionKind = "resume"            // 恢复计时
	RequestExtension ActionKind = "request_extension" // 申请延期
	DecideExtension  ActionKind = "decide_extension"  // 审批延期
	DraftAnswer      ActionKind = "draft"             // 拟定答复 (result class, promises)
	Approve          ActionKind = "approve"           // 审核答复: Accept approves, else back to handling
	SendAnswer       ActionKind = "answer"            // 答复 (送达)
	Rate             ActionKind = "rate"              // 评价/回访
	Reopen           ActionKind = "reopen"            // 重办, after 不满意
	Close            ActionKind = "close"             // 办结
	KeepPromise      ActionKind = "keep_promise"      // 承诺事项兑现
	Lapse            ActionKind = "lapse"             // 逾期视为准予
	Consent          ActionKind = "consent"           // 公开答复意见: the submitter agrees (Accept) or no longer agrees to the answer's publication
)

// ActionKinds lists every action, Registration first.
var ActionKinds = []ActionKind{Registration, Accept, Reject, Assign, Sign, Return, Opinion, PauseClock, ResumeClock,
	RequestExtension, DecideExtension, DraftAnswer, Approve, SendAnswer, Rate, Reopen, Close, KeepPromise, Lapse, Consent}

// LabelZH returns the Chinese label.
func (k ActionKind) LabelZH() string {
	return map[ActionKind]string{
		Registration: "登记", Accept: "受理", Reject: "不予受理", Assign: "交办", Sign: "签收", Return: "退回",
		Opinion: "报送协办意见", PauseClock: "暂停计时", ResumeClock: "恢复计时", RequestExtension: "申请延期", DecideExtension: "审批延期",
		DraftAnswer: "拟定答复", Approve: "审核答复", SendAnswer: "答复", Rate: "评价", Reopen: "重办", Close: "办结",
		KeepPromise: "兑现承诺事项", Lapse: "逾期视为准予", Consent: "记录是否同意公开答复",
	}[k]
}

// LabelEN returns the English label.
func (k ActionKind) LabelEN() string {
	return map[ActionKind]string{
		Registration: "register", Accept: "accept", Reject: "refuse to accept", Assign: "assign", Sign: "sign", Return: "return",
		Opinion: "send the co-handler's opinion", PauseClock: "pause the clock", ResumeClock: "resume the clock",
		RequestExtension: "ask for an extension", DecideExtension: "decide on the extension",
		DraftAnswer: "draft the answer", Approve: "approve the answer", SendAnswer: "answer", Rate: "rate", Reopen: "reopen for rework",
		Close: "close", KeepPromise: "keep a promise", Lapse: "deem approved on lapse", Consent: "record the consent to publish the answer",
	}[k]
}

// decision reports whether the action is a yes or no (Action.Accept).
func (k ActionKind) decision() bool { return k == Approve || k == DecideExtension }

// Action is one step asked of Apply. ExpectedVersion is the Version of the
// case the actor saw. Note is the answer, opinion, reason, notice or
// comment. The other fields are read only by the actions named.
type Action struct {
	Kind            ActionKind
	Note            string
	LeadDept        string    // Assign
	CoDepts         []string  // Assign
	Result          string    // DraftAnswer: a Result code of the case's type
	Promises        []Promise // DraftAnswer: Text and Due of each 承诺事项
	Rating          Rating    // Rate
	Days            int       // RequestExtension: in the unit of the type's MaxExtension
	Pause           PauseKind // PauseClock
	Promise         int       // KeepPromise: index into Case.Promises
	Accept          bool      // Approve, DecideExtension; Consent: agrees to publication
	ExpectedVersion int
}

// Rating is the deputy's, member's or citizen's verdict on an answer.
type Rating string

const (
	Satisfied          Rating = "satisfied"           // 满意
	BasicallySatisfied Rating = "basically_satisfied" // 基本满意
	Dissatisfied       Rating = "dissatisfied"        // 不满意: the office may reopen the case (重办)
)

// LabelZH returns the Chinese label.
func (r Rating) LabelZH() string {
	return map[Rating]string{Satisfied: "满意", BasicallySatisfied: "基本满意", Dissatisfied: "不满意"}[r]
}

// LabelEN returns the English label.
func (r Rating) LabelEN() string {
	return map[Rating]string{Satisfied: "satisfied", BasicallySatisfied: "basically satisfied", Dissatisfied: "dissatisfied"}[r]
}

// Valid reports whether r is one of the three ratings.
func (r Rating) Valid() bool { return r.LabelZH() != "" }

// Event is one step of a case's history, as the audit trail keeps it.
type Event struct {
	CaseID    int64
	Number    string
	TypeCode  string
	Kind      ActionKind
	At        time.Time
	ByName    string
	ByDept    string
	ByRole    Role
	FromState State // empty for Registration
	ToState   State
	Version   int // the case's version after the event
	Note      string
	Accepted  bool // the decision of Approve or DecideExtension; Consent: agreed to publication
	// Round is the case's round after the event: 1, then one more for
	// every 重办.
	Round int
	// LeadDept and CoDepts are the current assignment's, so that a
	// department's history needs no other lookup.
	LeadDept string
	CoDepts  []string
	// Deadline is the first clock's deadline in force after the event;
	// zero before the clock starts and while it is paused.
	Deadline time.Time
	// Late is set when the step came after its own deadline: a signature
	// after the return window, an opinion after the co-handler's
	// sub-deadline, an answer after the first clock's deadline, a rating
	// after the 回访 date.
	Late   bool
	Result string // DraftAnswer and SendAnswer
	Rating Rating // Rate
	Days   int    // RequestExtension and DecideExtension: the days asked
}
