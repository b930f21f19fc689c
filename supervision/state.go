package supervision

import "time"

// State is where an order stands.
type State string

const (
	Assigned        State = "assigned"         // 交办: issued, waiting for the lead to sign
	Signed          State = "signed"           // 签收
	InProgress      State = "in_progress"      // 办理中
	Reported        State = "reported"         // 办结报告: waiting for the office's review
	Closed          State = "closed"           // 销号
	ReturnRequested State = "return_requested" // 退办: the lead asked to return it
	Returned        State = "returned"         // 退办 accepted; the office may issue a new order
)

// States lists the states in the order of the path.
var States = []State{Assigned, Signed, InProgress, Reported, Closed, ReturnRequested, Returned}

// LabelZH returns the Chinese label.
func (s State) LabelZH() string {
	return map[State]string{
		Assigned: "已交办", Signed: "已签收", InProgress: "办理中", Reported: "已报办结",
		Closed: "已销号", ReturnRequested: "申请退办中", Returned: "已退办",
	}[s]
}

// LabelEN returns the English label.
func (s State) LabelEN() string {
	return map[State]string{
		Assigned: "assigned", Signed: "signed", InProgress: "in progress", Reported: "reported as done",
		Closed: "closed", ReturnRequested: "asked to be returned", Returned: "returned",
	}[s]
}

// Valid reports whether s is one of States.
func (s State) Valid() bool { return s.LabelZH() != "" }

// Open reports whether the order still needs work: neither closed nor
// returned.
func (s State) Open() bool { return s.Valid() && s != Closed && s != Returned }

// SubjectKind is what an order is about.
type SubjectKind string

const (
	OnProject   SubjectKind = "project"   // 重点项目
	OnTask      SubjectKind = "task"      // 任务
	OnIndicator SubjectKind = "indicator" // 指标
	OnCase      SubjectKind = "case"      // 事项
)

// LabelZH returns the Chinese label.
func (k SubjectKind) LabelZH() string {
	return map[SubjectKind]string{OnProject: "重点项目", OnTask: "任务", OnIndicator: "指标", OnCase: "事项"}[k]
}

// LabelEN returns the English label.
func (k SubjectKind) LabelEN() string {
	return map[SubjectKind]string{OnProject: "key project", OnTask: "task", OnIndicator: "indicator", OnCase: "case"}[k]
}

// Subject is the project, task, indicator or case an order is about, by
// its code.
type Subject struct {
	Kind SubjectKind
	Code string
}

// Role is the part an actor plays on one order.
type Role string

const (
	Office Role = "office" // the supervision office (督查室)
	Lead   Role = "lead"   // a user of the lead department (牵头单位)
	Co     Role = "co"     // a user of a co-handling department (协办单位)
	System Role = "system" // Lantu itself, escalating an overdue order
)

// LabelZH returns the Chinese label.
func (r Role) LabelZH() string {
	return map[Role]string{Office: "督查室", Lead: "牵头单位", Co: "协办单位", System: "系统"}[r]
}

// LabelEN returns the English label.
func (r Role) LabelEN() string {
	return map[Role]string{Office: "the supervision office", Lead: "the lead department", Co: "a co-handling department", System: "the system"}[r]
}

// Actor is who acts. The role follows from the order (see Order.RoleOf),
// so that a department cannot act on an order that is not its own.
type Actor struct {
	Name   string
	Dept   string // department code
	Office bool   // acts for the supervision office
	System bool   // Lantu's own scheduler, which escalates overdue orders
}

// ActionKind names a step on an order.
type ActionKind string

const (
	Assign           ActionKind = "assign"            // 交办; only through the function Issue
	Sign             ActionKind = "sign"              // 签收
	Feedback         ActionKind = "feedback"          // 反馈进展 (co-handlers: opinions)
	Report           ActionKind = "report"            // 报送办结报告
	Review           ActionKind = "review"            // 审核办结报告: Accept closes (销号), else back to 办理中
	RequestReturn    ActionKind = "request_return"    // 申请退办
	DecideReturn     ActionKind = "decide_return"     // 审批退办
	RequestExtension ActionKind = "request_extension" // 申请延期
	DecideExtension  ActionKind = "decide_extension"  // 审批延期
	Remind           ActionKind = "remind"            // 催办
	Escalate         ActionKind = "escalate"          // 升级督办
)

// ActionKinds lists every action, Assign first.
var ActionKinds = []ActionKind{Assign, Sign, Feedback, Report, Review, RequestReturn, DecideReturn, RequestExtension, DecideExtension, Remind, Escalate}

// LabelZH returns the Chinese label.
func (k ActionKind) LabelZH() string {
	return map[ActionKind]string{
		Assign: "交办", Sign: "签收", Feedback: "反馈进展", Report: "报送办结报告", Review: "审核办结报告",
		RequestReturn: "申请退办", DecideReturn: "审批退办", RequestExtension: "申请延期", DecideExtension: "审批延期",
		Remind: "催办", Escalate: "升级督办",
	}[k]
}

// LabelEN returns the English label.
func (k ActionKind) LabelEN() string {
	return map[ActionKind]string{
		Assign: "assign", Sign: "sign", Feedback: "report progress", Report: "report completion", Review: "review the completion report",
		RequestReturn: "ask to return", DecideReturn: "decide on the return", RequestExtension: "ask for an extension", DecideExtension: "decide on the extension",
		Remind: "remind", Escalate: "escalate",
	}[k]
}

// Action is one step asked of Apply. ExpectedVersion is the Version of the
// order the actor saw; Note is the feedback, report, reason or comment;
// NewDeadline is the date an extension asks for; Accept is the office's
// decision on a report, a return or an extension.
type Action struct {
	Kind            ActionKind
	Note            string
	NewDeadline     time.Time
	Accept          bool
	ExpectedVersion int
}
