// Package project holds the key projects (重点项目) that the plan names:
// who owns them, where they are, how much they cost and what stage they
// have reached.
package project

import (
	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/plan"
)

// Stage is how far a project has got: 前期 → 开工 → 在建 → 竣工 → 投产.
type Stage string

const (
	Preparation  Stage = "preparation"  // 前期
	Started      Stage = "started"      // 开工
	Construction Stage = "construction" // 在建
	Completed    Stage = "completed"    // 竣工
	Operating    Stage = "operating"    // 投产
)

// Stages lists the stages in order.
var Stages = []Stage{Preparation, Started, Construction, Completed, Operating}

// LabelZH returns the Chinese label.
func (s Stage) LabelZH() string {
	return map[Stage]string{Preparation: "前期", Started: "开工", Construction: "在建", Completed: "竣工", Operating: "投产"}[s]
}

// LabelEN returns the English label.
func (s Stage) LabelEN() string {
	return map[Stage]string{Preparation: "preparation", Started: "started", Construction: "under construction", Completed: "completed", Operating: "in operation"}[s]
}

// Project is a key project.
type Project struct {
	Code              string
	NameZH            string
	NameEN            string
	OwnerDept         string
	Leader            string // responsible leader (责任领导), by title or name
	OrgUnitCode       string // location
	Category          string
	Stage             Stage
	StageNoteZH       string   // the source's own words on progress, e.g. 主体基本完成
	PlannedInvestment *float64 // total, 万元
	AnnualInvestment  *float64 // this year's plan, 万元
	StartYear         int      // 0 if unknown
	EndYear           int      // 0 if unknown
	DescriptionZH     string
	Source            string
	Quote             string
	Sample            bool
	Position          int
	CityLeader        string // the city leader in contact (联系市领导), by title or name
}

func (p Project) Validate() error {
	if err := plan.CheckCode("项目 project", p.Code); err != nil {
		return err
	}
	if err := plan.CheckName("项目 "+p.Code, p.NameZH); err != nil {
		return err
	}
	if err := plan.CheckCode("项目 "+p.Code+" 的责任部门 owner department", p.OwnerDept); err != nil {
		return err
	}
	if err := plan.CheckCode("项目 "+p.Code+" 的地点 location", p.OrgUnitCode); err != nil {
		return err
	}
	if p.Stage.LabelZH() == "" {
		return apperr.Invalidf("项目 %s 的阶段 %q 无效：应为 preparation、started、construction、completed 或 operating",
			"project %s has invalid stage %q", p.Code, string(p.Stage))
	}
	for _, inv := range []*float64{p.PlannedInvestment, p.AnnualInvestment} {
		if inv == nil {
			continue
		}
		if err := indicator.CheckNumber("项目 "+p.Code+" 的投资 investment", *inv); err != nil {
			return err
		}
		if *inv < 0 {
			return apperr.Invalidf("项目 %s 的投资不能为负数", "project %s investment cannot be negative", p.Code)
		}
	}
	if p.StartYear != 0 && p.EndYear != 0 && p.StartYear > p.EndYear {
		return apperr.Invalidf("项目 %s 的起止年份无效", "project %s has invalid years", p.Code)
	}
	return nil
}
