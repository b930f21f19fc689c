// Package indicator holds what Lantu measures: indicators with versioned
// definitions, their targets and their values with status, provenance and
// the quote they came from.
package indicator

import (
	"math"
	"slices"
	"strings"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/plan"
)

// Direction says which way is better.
type Direction string

const (
	HigherBetter Direction = "higher"
	LowerBetter  Direction = "lower"
	Band         Direction = "band" // within [BandLow, BandHigh]
)

// Nature is the legal weight of an indicator in the plan.
type Nature string

const (
	Binding  Nature = "binding"  // 约束性
	Expected Nature = "expected" // 预期性
)

// TimeAggregation says how values add up over time, e.g. a year from its
// quarters.
type TimeAggregation string

const (
	SumOverTime     TimeAggregation = "sum"     // flows: jobs created, tons cut
	LastOverTime    TimeAggregation = "last"    // stocks and rates at a date: forest cover
	AverageOverTime TimeAggregation = "average" // e.g. average monthly price
)

// PlaceAggregation says how values add up over places, e.g. the city from
// its towns.
type PlaceAggregation string

const (
	SumOverPlaces     PlaceAggregation = "sum"
	AverageOverPlaces PlaceAggregation = "average"
	NoPlaceAggregate  PlaceAggregation = "none" // only reported for the city
)

// Indicator is a thing the plan measures. Its identity (code, area, owner,
// position) is fixed; what it means is in Definitions, versioned by the date
// from which each applies.
type Indicator struct {
	Code        string
	AreaCode    string
	OwnerDept   string
	Position    int
	Definitions []Definition // sorted by EffectiveFrom, oldest first
}

// Definition is one version of an indicator's meaning.
type Definition struct {
	EffectiveFrom time.Time // a date, UTC midnight
	NameZH        string
	NameEN        string
	UnitZH        string
	UnitEN        string
	DefinitionZH  string
	DefinitionEN  string
	Direction     Direction
	BandLow       *float64
	BandHigh      *float64
	Nature        Nature
	Frequency     period.Kind
	TimeAgg       TimeAggregation
	PlaceAgg      PlaceAggregation
	Formula       string // over other indicators' codes; empty if reported
	Decimals      int    // digits shown after the point
	ChangeNote    string // why this version replaced the previous one
}

// Current returns the latest definition.
func (ind Indicator) Current() Definition {
	if len(ind.Definitions) == 0 {
		return Definition{}
	}
	return ind.Definitions[len(ind.Definitions)-1]
}

// At returns the definition in force on date t, and false if t precedes the
// first definition.
func (ind Indicator) At(t time.Time) (Definition, bool) {
	for i := len(ind.Definitions) - 1; i >= 0; i-- {
		if !ind.Definitions[i].EffectiveFrom.After(t) {
			return ind.Definitions[i], true
		}
	}
	return Definition{}, false
}

// Name returns the current name in lang ("zh" or "en"), falling back to
// Chinese.
func (ind Indicator) Name(lang string) string {
	d := ind.Current()
	if lang == "en" && d.NameEN != "" {
		return d.NameEN
	}
	return d.NameZH
}

func (ind Indicator) Validate() error {
	if err := plan.CheckCode("指标 indicator", ind.Code); err != nil {
		return err
	}
	if err := plan.CheckCode("指标 "+ind.Code+" 的领域 area", ind.AreaCode); err != nil {
		return err
	}
	if err := plan.CheckCode("指标 "+ind.Code+" 的责任部门 owner department", ind.OwnerDept); err != nil {
		return err
	}
	if len(ind.Definitions) == 0 {
		return apperr.Invalidf("指标 %s 至少需要一个定义版本", "indicator %s needs at least one definition", ind.Code)
	}
	for i, d := range ind.Definitions {
		if err := d.validate(ind.Code); err != nil {
			return err
		}
		if i > 0 && !d.EffectiveFrom.After(ind.Definitions[i-1].EffectiveFrom) {
			return apperr.Invalidf("指标 %s 的定义版本生效日期必须递增：%s 不晚于 %s",
				"indicator %s definitions must have increasing effective dates: %s is not after %s",
				ind.Code, d.EffectiveFrom.Format(time.DateOnly), ind.Definitions[i-1].EffectiveFrom.Format(time.DateOnly))
		}
	}
	return nil
}

func (d Definition) validate(code string) error {
	field := "指标 " + code + " (" + d.EffectiveFrom.Format(time.DateOnly) + ")"
	if err := plan.CheckName(field, d.NameZH); err != nil {
		return err
	}
	if d.EffectiveFrom.IsZero() {
		return apperr.Invalidf("%s 缺少生效日期", "%s has no effective date", field)
	}
	if !slices.Contains([]Direction{HigherBetter, LowerBetter, Band}, d.Direction) {
		return apperr.Invalidf("%s 的方向 %q 无效：应为 higher、lower 或 band", "%s direction %q invalid: higher, lower or band", field, string(d.Direction))
	}
	if d.Direction == Band && (d.BandLow == nil || d.BandHigh == nil || *d.BandLow > *d.BandHigh) {
		return apperr.Invalidf("%s 是区间指标，需要有效的下限和上限", "%s is a band indicator and needs a valid low and high", field)
	}
	if d.Nature != Binding && d.Nature != Expected {
		return apperr.Invalidf("%s 的属性 %q 无效：应为 binding（约束性）或 expected（预期性）", "%s nature %q invalid: binding or expected", field, string(d.Nature))
	}
	if !slices.Contains([]TimeAggregation{SumOverTime, LastOverTime, AverageOverTime}, d.TimeAgg) {
		return apperr.Invalidf("%s 的时间汇总方式 %q 无效：应为 sum、last 或 average", "%s time aggregation %q invalid", field, string(d.TimeAgg))
	}
	if !slices.Contains([]PlaceAggregation{SumOverPlaces, AverageOverPlaces, NoPlaceAggregate}, d.PlaceAgg) {
		return apperr.Invalidf("%s 的区域汇总方式 %q 无效：应为 sum、average 或 none", "%s place aggregation %q invalid", field, string(d.PlaceAgg))
	}
	if d.Decimals < 0 || d.Decimals > 6 {
		return apperr.Invalidf("%s 的小数位数 %d 无效（0–6）", "%s decimals %d invalid (0–6)", field, d.Decimals)
	}
	if strings.TrimSpace(d.UnitZH) == "" {
		return apperr.Invalidf("%s 缺少计量单位", "%s has no unit", field)
	}
	return nil
}

// LabelZH returns the Chinese label of a direction.
func (d Direction) LabelZH() string {
	return map[Direction]string{HigherBetter: "越高越好", LowerBetter: "越低越好", Band: "区间"}[d]
}

// LabelEN returns the English label of a direction.
func (d Direction) LabelEN() string {
	return map[Direction]string{HigherBetter: "higher is better", LowerBetter: "lower is better", Band: "within a band"}[d]
}

// LabelZH returns 约束性 or 预期性.
func (n Nature) LabelZH() string {
	return map[Nature]string{Binding: "约束性", Expected: "预期性"}[n]
}

// LabelEN returns binding or expected.
func (n Nature) LabelEN() string {
	return map[Nature]string{Binding: "binding", Expected: "expected"}[n]
}

// CheckNumber refuses NaN and infinities, which no figure can be.
func CheckNumber(field string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return apperr.Invalidf("%s 不是有效数值", "%s is not a valid number", field)
	}
	return nil
}

// Source is a document that figures come from, e.g. a city's annual report.
type Source struct {
	Code      string
	TitleZH   string
	TitleEN   string
	Publisher string
	Published string // YYYY-MM-DD or YYYY
	URL       string
	Note      string
}

func (s Source) Validate() error {
	if err := plan.CheckCode("来源 source", s.Code); err != nil {
		return err
	}
	return plan.CheckName("来源 "+s.Code, s.TitleZH)
}
