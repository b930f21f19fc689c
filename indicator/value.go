package indicator

import (
	"strconv"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/plan"
)

// Status is where a value stands in its review.
type Status string

const (
	Draft     Status = "draft"     // 填报
	Submitted Status = "submitted" // 报送
	Approved  Status = "approved"  // 审核通过
	Published Status = "published" // 公开
)

// Statuses lists the statuses in workflow order.
var Statuses = []Status{Draft, Submitted, Approved, Published}

// LabelZH returns the Chinese label of the status.
func (s Status) LabelZH() string {
	return map[Status]string{Draft: "填报", Submitted: "报送", Approved: "审核通过", Published: "公开"}[s]
}

// LabelEN returns the English label of the status.
func (s Status) LabelEN() string {
	return map[Status]string{Draft: "draft", Submitted: "submitted", Approved: "approved", Published: "published"}[s]
}

// Qualifier says how exact a stated figure is. Reports say "2万余户" (more
// than 20,000) or "压缩30%以上" (at least 30%): the number alone would claim
// more precision than the source gives.
type Qualifier string

const (
	Exact    Qualifier = ""          // the figure as stated
	MoreThan Qualifier = "more_than" // 余: a little more than
	AtLeast  Qualifier = "at_least"  // 以上: at least
)

// SuffixZH is what follows the number in Chinese text.
func (q Qualifier) SuffixZH() string {
	return map[Qualifier]string{MoreThan: "余", AtLeast: "以上"}[q]
}

// PrefixEN is what precedes the number in English text.
func (q Qualifier) PrefixEN() string {
	return map[Qualifier]string{MoreThan: "over ", AtLeast: "at least "}[q]
}

// Value is one figure: indicator × org unit × period → number, with where
// it stands and where it came from. Fields left empty are left out of its
// JSON (the audit trail's before and after), which keeps a million audit
// rows of an import half the size.
type Value struct {
	IndicatorCode string
	OrgUnitCode   string
	Period        period.Period
	Number        float64
	Qualifier     Qualifier `json:",omitzero"`
	Status        Status
	EnteredBy     string    `json:",omitzero"`
	EnteredAt     time.Time `json:",omitzero"`
	ApprovedBy    string    `json:",omitzero"`
	ApprovedAt    time.Time `json:",omitzero"` // zero if not approved
	PublishedAt   time.Time `json:",omitzero"` // zero if not published
	Source        string    `json:",omitzero"` // the document or system it came from
	Quote         string    `json:",omitzero"` // the sentence it was read from, verbatim
	Note          string    `json:",omitzero"`
	Sample        bool      `json:",omitzero"` // illustrative data (示例数据), not a real figure
	// The review: who submitted it and when, the reporter's explanation of
	// the warnings the figure raised, and the planning office's comment
	// when it returned the figure.
	SubmittedBy   string    `json:",omitzero"`
	SubmittedAt   time.Time `json:",omitzero"`
	Explanation   string    `json:",omitzero"`
	ReviewComment string    `json:",omitzero"`
	// Computed: the figure was computed by the indicator's formula from
	// other figures, not entered.
	Computed bool `json:",omitzero"`
}

// Key identifies a value: indicator × org unit × period.
type Key struct {
	Indicator string
	OrgUnit   string
	Period    period.Period
}

func (k Key) String() string { return k.Indicator + "/" + k.OrgUnit + "/" + k.Period.String() }

// Key returns the value's key.
func (v Value) Key() Key {
	return Key{Indicator: v.IndicatorCode, OrgUnit: v.OrgUnitCode, Period: v.Period}
}

func (v Value) Validate() error {
	field := "数据 " + v.IndicatorCode + "/" + v.OrgUnitCode + "/" + v.Period.String()
	if err := plan.CheckCode("数据的指标 indicator", v.IndicatorCode); err != nil {
		return err
	}
	if err := plan.CheckCode(field+" 的组织 org unit", v.OrgUnitCode); err != nil {
		return err
	}
	if v.Period.IsZero() {
		return apperr.Invalidf("%s 缺少期别", "%s has no period", field)
	}
	if err := CheckNumber(field, v.Number); err != nil {
		return err
	}
	if v.Status.LabelZH() == "" {
		return apperr.Invalidf("%s 的状态 %q 无效", "%s has invalid status %q", field, string(v.Status))
	}
	if v.Qualifier != Exact && v.Qualifier.SuffixZH() == "" {
		return apperr.Invalidf("%s 的限定词 %q 无效：应为空、more_than 或 at_least", "%s has invalid qualifier %q", field, string(v.Qualifier))
	}
	// An approved or published value needs someone who vouches for it:
	// an approver, or the document and sentence it was taken from.
	if (v.Status == Approved || v.Status == Published) && v.ApprovedBy == "" && (v.Source == "" || v.Quote == "") {
		return apperr.Invalidf("%s 已审核，但既无审核人也无来源原文", "%s is approved but has neither an approver nor a source and quote", field)
	}
	return nil
}

// Target is the figure aimed at for an indicator, org unit and period. The
// plan-end target is the one whose period is the plan's end year.
type Target struct {
	IndicatorCode string
	OrgUnitCode   string
	Period        period.Period
	Number        float64
	Qualifier     Qualifier
	Source        string
	Quote         string
	Sample        bool
}

func (t Target) Validate() error {
	field := "目标值 " + t.IndicatorCode + "/" + t.OrgUnitCode + "/" + t.Period.String()
	if err := plan.CheckCode("目标值的指标 indicator", t.IndicatorCode); err != nil {
		return err
	}
	if err := plan.CheckCode(field+" 的组织 org unit", t.OrgUnitCode); err != nil {
		return err
	}
	if t.Period.IsZero() {
		return apperr.Invalidf("%s 缺少期别", "%s has no period", field)
	}
	return CheckNumber(field, t.Number)
}

// FormatNumber renders n with the given decimals, trimming nothing: a
// figure reported as 18.77 stays 18.77. decimals < 0 means "as needed".
func FormatNumber(n float64, decimals int) string {
	if decimals < 0 {
		return strconv.FormatFloat(n, 'f', -1, 64)
	}
	return strconv.FormatFloat(n, 'f', decimals, 64)
}
