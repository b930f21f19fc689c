// Package plan holds the blueprint itself — the plan, its goals, the areas
// under each goal and the tasks under each area — and the organisation that
// carries it out: org units (the city, its towns and villages) and
// departments. It knows nothing of HTTP or SQL.
package plan

import (
	"strings"

	"github.com/lantu/lantu/apperr"
)

// ValidCode reports whether s can be used as a code: what every code in
// Lantu looks like, short, ASCII, stable, safe in a URL and a file name
// (^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$). Names carry the Chinese. Written
// out rather than as a regular expression: an import checks a million.
func ValidCode(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case i > 0 && (c == '.' || c == '_' || c == '-'):
		default:
			return false
		}
	}
	return true
}

// CheckCode returns an Invalid error naming the field when s is not a code.
func CheckCode(field, s string) error {
	if s == "" {
		return apperr.Invalidf("%s 不能为空", "%s is required", field)
	}
	if !ValidCode(s) {
		return apperr.Invalidf("%s 编码 %q 无效：只能包含字母、数字、点、横线和下划线，最长64个字符",
			"%s code %q is invalid: letters, digits, dot, dash and underscore only, at most 64", field, s)
	}
	return nil
}

// CheckName returns an Invalid error naming the field when the Chinese name
// is empty or too long.
func CheckName(field, zh string) error {
	if strings.TrimSpace(zh) == "" {
		return apperr.Invalidf("%s 的中文名称不能为空", "%s needs a Chinese name", field)
	}
	if len([]rune(zh)) > 200 {
		return apperr.Invalidf("%s 的名称过长（最多200字）", "%s name too long (max 200)", field)
	}
	return nil
}

// Plan is a named plan with a base year and a target year, e.g. 十四五
// (2021–2025, base 2020).
type Plan struct {
	Code      string
	NameZH    string
	NameEN    string
	BaseYear  int
	StartYear int
	EndYear   int
}

func (p Plan) Validate() error {
	if err := CheckCode("规划 plan", p.Code); err != nil {
		return err
	}
	if err := CheckName("规划 "+p.Code, p.NameZH); err != nil {
		return err
	}
	if p.StartYear < 1900 || p.EndYear > 2200 || p.StartYear > p.EndYear {
		return apperr.Invalidf("规划 %s 的起止年份无效：%d–%d", "plan %s has invalid years %d–%d", p.Code, p.StartYear, p.EndYear)
	}
	if p.BaseYear >= p.StartYear || p.BaseYear < p.StartYear-10 {
		return apperr.Invalidf("规划 %s 的基期年 %d 应早于起始年 %d", "plan %s base year %d must precede start year %d", p.Code, p.BaseYear, p.StartYear)
	}
	return nil
}

// Goal is one of a plan's goals, e.g. 富强古交.
type Goal struct {
	Code          string
	PlanCode      string
	NameZH        string
	NameEN        string
	DescriptionZH string
	DescriptionEN string
	Position      int
}

func (g Goal) Validate() error {
	if err := CheckCode("目标 goal", g.Code); err != nil {
		return err
	}
	if err := CheckCode("目标 "+g.Code+" 的规划 plan", g.PlanCode); err != nil {
		return err
	}
	return CheckName("目标 "+g.Code, g.NameZH)
}

// Area is a field of work under a goal: one of the report's chapters.
type Area struct {
	Code     string
	GoalCode string
	NameZH   string
	NameEN   string
	Position int
}

func (a Area) Validate() error {
	if err := CheckCode("领域 area", a.Code); err != nil {
		return err
	}
	if err := CheckCode("领域 "+a.Code+" 的目标 goal", a.GoalCode); err != nil {
		return err
	}
	return CheckName("领域 "+a.Code, a.NameZH)
}

// Task is a piece of work under an area, owned by a department.
type Task struct {
	Code          string
	AreaCode      string
	NameZH        string
	NameEN        string
	OwnerDept     string
	DescriptionZH string
	Position      int
	Source        string
	Quote         string
}

func (t Task) Validate() error {
	if err := CheckCode("任务 task", t.Code); err != nil {
		return err
	}
	if err := CheckCode("任务 "+t.Code+" 的领域 area", t.AreaCode); err != nil {
		return err
	}
	if err := CheckCode("任务 "+t.Code+" 的责任部门 department", t.OwnerDept); err != nil {
		return err
	}
	return CheckName("任务 "+t.Code, t.NameZH)
}
