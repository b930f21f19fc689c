package indicator_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/period"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func def(from, name string) indicator.Definition {
	return indicator.Definition{EffectiveFrom: day(from), NameZH: name, UnitZH: "%", Direction: indicator.HigherBetter,
		Nature: indicator.Binding, Frequency: period.Year, TimeAgg: indicator.LastOverTime, PlaceAgg: indicator.NoPlaceAggregate}
}

func TestDefinitionAt(t *testing.T) {
	ind := indicator.Indicator{Code: "c", AreaCode: "a", OwnerDept: "d", Definitions: []indicator.Definition{
		def("2020-01-01", "旧口径"), def("2023-07-01", "新口径"),
	}}
	for _, c := range []struct {
		date, want string
		ok         bool
	}{
		{"2019-12-31", "", false},
		{"2020-01-01", "旧口径", true},
		{"2023-06-30", "旧口径", true},
		{"2023-07-01", "新口径", true},
		{"2030-01-01", "新口径", true},
	} {
		d, ok := ind.At(day(c.date))
		if ok != c.ok || d.NameZH != c.want {
			t.Errorf("At(%s) = %q, %v; want %q, %v", c.date, d.NameZH, ok, c.want, c.ok)
		}
	}
	if ind.Current().NameZH != "新口径" || ind.Name("en") != "新口径" {
		t.Errorf("Current = %q, Name(en) = %q; want the latest, falling back to Chinese", ind.Current().NameZH, ind.Name("en"))
	}
}

func TestIndicatorValidate(t *testing.T) {
	ok := func() indicator.Indicator {
		return indicator.Indicator{Code: "forest-cover", AreaCode: "eco", OwnerDept: "forestry", Definitions: []indicator.Definition{def("2020-01-01", "森林覆盖率")}}
	}
	cases := []struct {
		name  string
		edit  func(*indicator.Indicator)
		field string // a word the message must contain; empty for OK
	}{
		{"OK", func(*indicator.Indicator) {}, ""},
		{"ErrCodeRequired", func(i *indicator.Indicator) { i.Code = "" }, "不能为空"},
		{"ErrCodeInvalid", func(i *indicator.Indicator) { i.Code = "森林" }, "编码"},
		{"ErrNoDefinition", func(i *indicator.Indicator) { i.Definitions = nil }, "定义版本"},
		{"ErrNameRequired", func(i *indicator.Indicator) { i.Definitions[0].NameZH = " " }, "中文名称"},
		{"ErrUnitRequired", func(i *indicator.Indicator) { i.Definitions[0].UnitZH = "" }, "计量单位"},
		{"ErrDirection", func(i *indicator.Indicator) { i.Definitions[0].Direction = "up" }, "方向"},
		{"ErrBandWithoutBounds", func(i *indicator.Indicator) { i.Definitions[0].Direction = indicator.Band }, "区间"},
		{"ErrNature", func(i *indicator.Indicator) { i.Definitions[0].Nature = "soft" }, "属性"},
		{"ErrTimeAgg", func(i *indicator.Indicator) { i.Definitions[0].TimeAgg = "max" }, "时间汇总"},
		{"ErrPlaceAgg", func(i *indicator.Indicator) { i.Definitions[0].PlaceAgg = "max" }, "区域汇总"},
		{"ErrDecimals", func(i *indicator.Indicator) { i.Definitions[0].Decimals = 9 }, "小数位数"},
		{"ErrVersionsOutOfOrder", func(i *indicator.Indicator) {
			i.Definitions = append(i.Definitions, def("2019-01-01", "更早"))
		}, "递增"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ind := ok()
			c.edit(&ind)
			err := ind.Validate()
			if c.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if apperr.Code(err) != apperr.Invalid || !strings.Contains(apperr.Message(err, "zh"), c.field) {
				t.Errorf("got %v, want an invalid error mentioning %q", err, c.field)
			}
		})
	}
}

func TestValueValidate(t *testing.T) {
	ok := indicator.Value{IndicatorCode: "forest-cover", OrgUnitCode: "gujiao", Period: period.MustParse("2020"), Number: 18.77, Status: indicator.Draft}
	cases := []struct {
		name  string
		edit  func(*indicator.Value)
		field string
	}{
		{"OK", func(*indicator.Value) {}, ""},
		{"OKPublishedFromDocument", func(v *indicator.Value) {
			v.Status, v.Source, v.Quote = indicator.Published, "report", "森林覆盖率达到18.77%。"
		}, ""},
		{"OKApprovedByPerson", func(v *indicator.Value) { v.Status, v.ApprovedBy = indicator.Approved, "planner" }, ""},
		{"ErrNaN", func(v *indicator.Value) { v.Number = math.NaN() }, "有效数值"},
		{"ErrInf", func(v *indicator.Value) { v.Number = math.Inf(1) }, "有效数值"},
		{"ErrNoPeriod", func(v *indicator.Value) { v.Period = period.Period{} }, "期别"},
		{"ErrStatus", func(v *indicator.Value) { v.Status = "final" }, "状态"},
		{"ErrQualifier", func(v *indicator.Value) { v.Qualifier = "about" }, "限定词"},
		{"ErrApprovedWithoutProvenance", func(v *indicator.Value) { v.Status = indicator.Published }, "审核"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := ok
			c.edit(&v)
			err := v.Validate()
			if c.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if apperr.Code(err) != apperr.Invalid || !strings.Contains(apperr.Message(err, "zh"), c.field) {
				t.Errorf("got %v, want an invalid error mentioning %q", err, c.field)
			}
		})
	}
}

func TestQualifierWords(t *testing.T) {
	if indicator.MoreThan.SuffixZH() != "余" || indicator.AtLeast.SuffixZH() != "以上" || indicator.Exact.SuffixZH() != "" {
		t.Error("Chinese qualifier words wrong")
	}
	if indicator.MoreThan.PrefixEN() != "over " || indicator.AtLeast.PrefixEN() != "at least " {
		t.Error("English qualifier words wrong")
	}
	if got := indicator.FormatNumber(18.77, 2); got != "18.77" {
		t.Errorf("FormatNumber(18.77, 2) = %q", got)
	}
	if got := indicator.FormatNumber(3610, -1); got != "3610" {
		t.Errorf("FormatNumber(3610, -1) = %q", got)
	}
}
