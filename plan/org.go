package plan

import "github.com/lantu/lantu/apperr"

// OrgKind is the level of an org unit in the administrative hierarchy.
type OrgKind string

const (
	City        OrgKind = "city"        // 市 (or county)
	Town        OrgKind = "town"        // 镇
	Township    OrgKind = "township"    // 乡
	Subdistrict OrgKind = "subdistrict" // 街道
	Village     OrgKind = "village"     // 村
	Community   OrgKind = "community"   // 社区
)

// orgLevel orders the kinds: a unit's parent must be of a lower level.
var orgLevel = map[OrgKind]int{City: 0, Town: 1, Township: 1, Subdistrict: 1, Village: 2, Community: 2}

// LabelZH is the Chinese word for the kind.
func (k OrgKind) LabelZH() string {
	return map[OrgKind]string{City: "市", Town: "镇", Township: "乡", Subdistrict: "街道", Village: "村", Community: "社区"}[k]
}

// LabelEN is the English word for the kind.
func (k OrgKind) LabelEN() string {
	return map[OrgKind]string{City: "city", Town: "town", Township: "township", Subdistrict: "subdistrict", Village: "village", Community: "community"}[k]
}

// Level is 0 for the city, 1 for towns, townships and subdistricts, 2 for
// villages and communities, -1 for an unknown kind.
func (k OrgKind) Level() int {
	if l, ok := orgLevel[k]; ok {
		return l
	}
	return -1
}

// OrgUnit is a place: the city, a town or subdistrict, a village or
// community. Values of indicators are reported per org unit.
type OrgUnit struct {
	Code       string
	ParentCode string // empty for the root
	Kind       OrgKind
	NameZH     string
	NameEN     string
	Position   int
	Source     string
	Quote      string
}

func (o OrgUnit) Validate() error {
	if err := CheckCode("组织 org unit", o.Code); err != nil {
		return err
	}
	if o.Kind.Level() < 0 {
		return apperr.Invalidf("组织 %s 的类型 %q 无效：应为 city、town、township、subdistrict、village 或 community",
			"org unit %s has invalid kind %q", o.Code, string(o.Kind))
	}
	if o.Kind == City && o.ParentCode != "" {
		return apperr.Invalidf("组织 %s 是市级，不能有上级", "org unit %s is a city and cannot have a parent", o.Code)
	}
	if o.Kind != City {
		if err := CheckCode("组织 "+o.Code+" 的上级 parent", o.ParentCode); err != nil {
			return err
		}
	}
	return CheckName("组织 "+o.Code, o.NameZH)
}

// CheckParent verifies that parent may hold child in the hierarchy.
func CheckParent(child, parent OrgUnit) error {
	if parent.Kind.Level() >= child.Kind.Level() {
		return apperr.Invalidf("组织 %s（%s）不能隶属于 %s（%s）", "org unit %s (%s) cannot sit under %s (%s)",
			child.Code, child.Kind.LabelZH(), parent.Code, parent.Kind.LabelZH())
	}
	return nil
}

// Department is a government department (部门) of an org unit, e.g. the
// city's 发展和改革局. Departments own indicators, tasks and projects.
type Department struct {
	Code        string
	OrgUnitCode string
	NameZH      string
	NameEN      string
	ShortZH     string
	Position    int
	Head        string // its principal (单位主要领导), by title or name
}

func (d Department) Validate() error {
	if err := CheckCode("部门 department", d.Code); err != nil {
		return err
	}
	if err := CheckCode("部门 "+d.Code+" 的所属组织 org unit", d.OrgUnitCode); err != nil {
		return err
	}
	return CheckName("部门 "+d.Code, d.NameZH)
}

// SortTree orders units so that every parent comes before its children and
// siblings keep their given order (depth first, as a tree is read).
func SortTree(units []OrgUnit) []OrgUnit {
	children := map[string][]OrgUnit{}
	known := map[string]bool{}
	for _, u := range units {
		known[u.Code] = true
	}
	var roots []OrgUnit
	for _, u := range units {
		if u.ParentCode == "" || !known[u.ParentCode] {
			roots = append(roots, u)
			continue
		}
		children[u.ParentCode] = append(children[u.ParentCode], u)
	}
	out := make([]OrgUnit, 0, len(units))
	var walk func(OrgUnit)
	walk = func(u OrgUnit) {
		out = append(out, u)
		for _, c := range children[u.Code] {
			walk(c)
		}
	}
	for _, r := range roots {
		walk(r)
	}
	return out
}
