package plan_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/plan"
)

func TestPlanValidate(t *testing.T) {
	ok := plan.Plan{Code: "14th-fyp", NameZH: "十四五规划", BaseYear: 2020, StartYear: 2021, EndYear: 2025}
	cases := []struct {
		name  string
		edit  func(*plan.Plan)
		field string
	}{
		{"OK", func(*plan.Plan) {}, ""},
		{"ErrCode", func(p *plan.Plan) { p.Code = "十四五" }, "编码"},
		{"ErrName", func(p *plan.Plan) { p.NameZH = "" }, "中文名称"},
		{"ErrYears", func(p *plan.Plan) { p.StartYear, p.EndYear = 2025, 2021 }, "起止年份"},
		{"ErrBaseYearAfterStart", func(p *plan.Plan) { p.BaseYear = 2021 }, "基期年"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := ok
			c.edit(&p)
			check(t, p.Validate(), c.field)
		})
	}
}

func check(t *testing.T, err error, field string) {
	t.Helper()
	if field == "" {
		if err != nil {
			t.Fatal(err)
		}
		return
	}
	if apperr.Code(err) != apperr.Invalid || !strings.Contains(apperr.Message(err, "zh"), field) {
		t.Errorf("got %v, want an invalid error mentioning %q", err, field)
	}
}

func TestOrgUnitValidate(t *testing.T) {
	cases := []struct {
		name  string
		unit  plan.OrgUnit
		field string
	}{
		{"OKCity", plan.OrgUnit{Code: "gujiao", Kind: plan.City, NameZH: "古交市"}, ""},
		{"OKVillage", plan.OrgUnit{Code: "gujiao.chakou.guantou", ParentCode: "gujiao.chakou", Kind: plan.Village, NameZH: "关头村"}, ""},
		{"ErrCityWithParent", plan.OrgUnit{Code: "x", ParentCode: "y", Kind: plan.City, NameZH: "市"}, "不能有上级"},
		{"ErrVillageWithoutParent", plan.OrgUnit{Code: "x", Kind: plan.Village, NameZH: "村"}, "上级"},
		{"ErrKind", plan.OrgUnit{Code: "x", ParentCode: "y", Kind: "province", NameZH: "省"}, "类型"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { check(t, c.unit.Validate(), c.field) })
	}
	town := plan.OrgUnit{Code: "t", ParentCode: "c", Kind: plan.Township, NameZH: "乡"}
	village := plan.OrgUnit{Code: "v", ParentCode: "t", Kind: plan.Village, NameZH: "村"}
	if err := plan.CheckParent(village, town); err != nil {
		t.Errorf("village under township: %v", err)
	}
	check(t, plan.CheckParent(town, village), "不能隶属于")
	check(t, plan.CheckParent(village, plan.OrgUnit{Code: "v2", Kind: plan.Community, NameZH: "社区"}), "不能隶属于")
}

func TestSortTree(t *testing.T) {
	units := []plan.OrgUnit{
		{Code: "v1", ParentCode: "t1", Kind: plan.Village},
		{Code: "t2", ParentCode: "c", Kind: plan.Town},
		{Code: "c", Kind: plan.City},
		{Code: "t1", ParentCode: "c", Kind: plan.Township},
		{Code: "v2", ParentCode: "t2", Kind: plan.Village},
	}
	var got []string
	for _, u := range plan.SortTree(units) {
		got = append(got, u.Code)
	}
	// depth first, siblings in the given order (t2 before t1)
	if strings.Join(got, " ") != "c t2 v2 t1 v1" {
		t.Errorf("SortTree = %v, want c t2 v2 t1 v1", got)
	}
}

// ValidCode is written out for speed; it must agree with the pattern it
// replaced, ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$, on every kind of input.
func TestValidCodeMatchesPattern(t *testing.T) {
	pattern := regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
	inputs := []string{"", "a", "A", "0", "forest-cover", "gujiao.chakou", "i_0001", ".a", "-a", "_a", "a b", "森林", "a/b", "a\n",
		strings.Repeat("a", 64), strings.Repeat("a", 65), "Z9.-_", "a\x00"}
	for c := range 256 {
		inputs = append(inputs, string(rune(c)), "a"+string(rune(c)), "a"+string([]byte{byte(c)}))
	}
	for _, s := range inputs {
		if got, want := plan.ValidCode(s), pattern.MatchString(s); got != want {
			t.Errorf("ValidCode(%q) = %v, the pattern says %v", s, got, want)
		}
	}
}
