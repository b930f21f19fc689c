package project_test

import (
	"strings"
	"testing"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/project"
)

func TestProjectValidate(t *testing.T) {
	neg, ok := -5.0, project.Project{Code: "chakou-wind", NameZH: "中电投岔口风电", OwnerDept: "energy", OrgUnitCode: "gujiao.chakou", Stage: project.Operating}
	cases := []struct {
		name  string
		edit  func(*project.Project)
		field string
	}{
		{"OK", func(*project.Project) {}, ""},
		{"ErrStage", func(p *project.Project) { p.Stage = "done" }, "阶段"},
		{"ErrOwner", func(p *project.Project) { p.OwnerDept = "" }, "责任部门"},
		{"ErrNegativeInvestment", func(p *project.Project) { p.PlannedInvestment = &neg }, "不能为负数"},
		{"ErrYears", func(p *project.Project) { p.StartYear, p.EndYear = 2022, 2020 }, "起止年份"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := ok
			c.edit(&p)
			err := p.Validate()
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
	var labels []string
	for _, s := range project.Stages {
		labels = append(labels, s.LabelZH())
	}
	if got := strings.Join(labels, " → "); got != "前期 → 开工 → 在建 → 竣工 → 投产" {
		t.Errorf("stages = %s", got)
	}
}
