package supervision

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/plan"
)

// DefaultReturnWindowDays is how many working days after issue the lead
// may ask to return an order, unless the order says otherwise.
const DefaultReturnWindowDays = 2

// Limits on what an order holds.
const (
	MaxDeadlineDays     = 250 // about a working year
	MaxReturnWindowDays = 10
	maxTitle            = 200
	maxText             = 4000 // a requirement, reason, feedback or comment
	maxReport           = 20000
	maxNumber           = 64
)

// Order is a supervision order (督办单).
type Order struct {
	ID          int64
	Number      string // e.g. 督办〔2024〕12号; see FormatNumber
	Subject     Subject
	Title       string
	Requirement string // what the lead department is required to do
	Level       Level
	LeadDept    string   // department code of the lead (牵头单位)
	CoDepts     []string // department codes of the co-handlers (协办单位)
	IssuedBy    string
	IssuedAt    time.Time
	// DeadlineDays counts working days after the issue date.
	// OriginalDeadline is the date they give; Deadline is the date in force,
	// later than OriginalDeadline once Extensions have been approved. Both
	// are midnight in Beijing.
	DeadlineDays     int
	OriginalDeadline time.Time
	Deadline         time.Time
	Extensions       int
	ReturnWindowDays int // working days after issue in which the lead may ask to return it
	State            State
	Version          int // 1 when issued; every transition adds one

	PendingExtension *ExtensionRequest // at most one at a time
	PendingReturn    *ReturnRequest    // set exactly while State is ReturnRequested

	SignedAt         time.Time
	LastFeedbackAt   time.Time
	ReportedAt       time.Time // zero again when the office rejects the report
	ClosedAt         time.Time // 销号
	ReturnedAt       time.Time // 退办 accepted
	CompletionReport string    // the lead's 办结报告
	ReviewNote       string    // why the office last rejected the report

	Reminders   int // 催办
	RemindedAt  time.Time
	Escalations int
	EscalatedAt time.Time
}

// ExtensionRequest is the lead's pending 延期申请.
type ExtensionRequest struct {
	NewDeadline time.Time // midnight in Beijing
	Reason      string
	By          string
	At          time.Time
}

// ReturnRequest is the lead's pending 退办申请. From is the state the order
// goes back to if the office refuses.
type ReturnRequest struct {
	Reason string
	By     string
	At     time.Time
	From   State
}

// FormatNumber writes an order's number the way documents do:
// FormatNumber(2024, 12) is 督办〔2024〕12号.
func FormatNumber(year, seq int) string { return fmt.Sprintf("督办〔%d〕%d号", year, seq) }

// Validate checks an order as stored: every message names the order and
// the field, in Chinese and English.
func (o Order) Validate() error {
	checks := []func() error{o.validateText, o.validateDepts, o.validateDates, o.validateState}
	for _, check := range checks {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

func (o Order) validateText() error {
	if strings.TrimSpace(o.Number) == "" {
		return apperr.New(apperr.Invalid, "督办单编号不能为空", "the supervision order's number is required")
	}
	if utf8.RuneCountInString(o.Number) > maxNumber {
		return o.fieldError("编号", "number", fmt.Sprintf("过长（最多%d字）", maxNumber), fmt.Sprintf("is too long (max %d)", maxNumber))
	}
	if o.Subject.Kind.LabelZH() == "" {
		return o.fieldError("督办对象类型", "subject kind", fmt.Sprintf("%q 无效：应为 project、task、indicator 或 case", string(o.Subject.Kind)),
			fmt.Sprintf("%q is invalid: project, task, indicator or case", string(o.Subject.Kind)))
	}
	if err := plan.CheckCode("督办单 "+o.Number+" 的督办对象 subject", o.Subject.Code); err != nil {
		return err
	}
	if err := o.checkText("标题", "title", o.Title, maxTitle, true); err != nil {
		return err
	}
	if err := o.checkText("督办要求", "requirement", o.Requirement, maxText, true); err != nil {
		return err
	}
	if !o.Level.Valid() {
		return o.fieldError("督办级别", "level", "无效：应为一般、重点或市长督办", "is invalid: general, key or mayor")
	}
	if err := o.checkText("交办人", "issuer", o.IssuedBy, 64, true); err != nil {
		return err
	}
	if err := o.checkText("办结报告", "completion report", o.CompletionReport, maxReport, false); err != nil {
		return err
	}
	return o.checkText("审核意见", "review comment", o.ReviewNote, maxText, false)
}

func (o Order) validateDepts() error {
	if err := plan.CheckCode("督办单 "+o.Number+" 的牵头单位 lead department", o.LeadDept); err != nil {
		return err
	}
	seen := map[string]bool{o.LeadDept: true}
	for _, d := range o.CoDepts {
		if err := plan.CheckCode("督办单 "+o.Number+" 的协办单位 co-handling department", d); err != nil {
			return err
		}
		if seen[d] {
			return o.fieldError("协办单位", "co-handling departments", d+" 重复或与牵头单位相同", "list "+d+" twice or also as the lead")
		}
		seen[d] = true
	}
	return nil
}

func (o Order) validateDates() error {
	if o.IssuedAt.IsZero() {
		return o.fieldError("交办时间", "issue time", "不能为空", "is required")
	}
	if o.DeadlineDays < 1 || o.DeadlineDays > MaxDeadlineDays {
		return o.fieldError("办理时限", "deadline", fmt.Sprintf("应为1至%d个工作日", MaxDeadlineDays), fmt.Sprintf("must be 1 to %d working days", MaxDeadlineDays))
	}
	if o.ReturnWindowDays < 1 || o.ReturnWindowDays > MaxReturnWindowDays {
		return o.fieldError("退办时限", "return window", fmt.Sprintf("应为1至%d个工作日", MaxReturnWindowDays), fmt.Sprintf("must be 1 to %d working days", MaxReturnWindowDays))
	}
	issued := dateOf(o.IssuedAt)
	original, deadline := dateOf(o.OriginalDeadline), dateOf(o.Deadline)
	if o.OriginalDeadline.IsZero() || !original.After(issued) {
		return o.fieldError("原定期限", "original deadline", "应晚于交办日期", "must be after the issue date")
	}
	if deadline.Before(original) {
		return o.fieldError("办理期限", "deadline", "不能早于原定期限", "cannot be before the original deadline")
	}
	if (o.Extensions == 0) != deadline.Equal(original) || o.Extensions < 0 {
		return o.fieldError("延期次数", "extension count", "与办理期限不符", "does not match the deadline")
	}
	if o.Reminders < 0 || o.Escalations < 0 {
		return o.fieldError("催办或升级次数", "reminder or escalation count", "不能为负数", "cannot be negative")
	}
	return nil
}

func (o Order) validateState() error {
	if !o.State.Valid() {
		return o.fieldError("状态", "state", fmt.Sprintf("%q 无效", string(o.State)), fmt.Sprintf("%q is invalid", string(o.State)))
	}
	if o.Version < 1 {
		return o.fieldError("版本", "version", "应从1开始", "starts at 1")
	}
	if (o.PendingReturn != nil) != (o.State == ReturnRequested) {
		return o.fieldError("退办申请", "return request", "与状态不符", "does not match the state")
	}
	if r := o.PendingReturn; r != nil {
		if err := o.checkText("退办理由", "return reason", r.Reason, maxText, true); err != nil {
			return err
		}
		if r.From != Assigned && r.From != Signed {
			return o.fieldError("退办申请前的状态", "state before the return request", "无效", "is invalid")
		}
	}
	if x := o.PendingExtension; x != nil {
		if err := o.checkText("延期理由", "extension reason", x.Reason, maxText, true); err != nil {
			return err
		}
		if !dateOf(x.NewDeadline).After(dateOf(o.Deadline)) {
			return o.fieldError("申请延期的日期", "requested deadline", "应晚于现行期限", "must be after the current deadline")
		}
	}
	return nil
}

// checkText refuses a text that is empty when required or longer than max.
func (o Order) checkText(zhField, enField, s string, limit int, required bool) error {
	if required && strings.TrimSpace(s) == "" {
		return o.fieldError(zhField, enField, "不能为空", "is required")
	}
	if utf8.RuneCountInString(s) > limit {
		return o.fieldError(zhField, enField, fmt.Sprintf("过长（最多%d字）", limit), fmt.Sprintf("is too long (max %d characters)", limit))
	}
	return nil
}

// fieldError is an Invalid error naming the order and the field.
func (o Order) fieldError(zhField, enField, zhProblem, enProblem string) error {
	return apperr.New(apperr.Invalid, "督办单 "+o.Number+" 的"+zhField+zhProblem, "supervision order "+o.Number+": "+enField+" "+enProblem)
}
