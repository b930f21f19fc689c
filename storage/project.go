package storage

import (
	"context"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/project"
)

var projects = table[project.Project]{
	name: "projects", objectType: "project",
	key: []string{"code"},
	cols: []string{"code", "position", "name_zh", "name_en", "owner_dept", "leader", "org_unit_code", "category", "stage", "stage_note_zh",
		"planned_investment", "annual_investment", "start_year", "end_year", "description_zh", "source", "quote", "sample", "city_leader"},
	args: func(p project.Project) []any {
		return []any{p.Code, p.Position, p.NameZH, p.NameEN, p.OwnerDept, p.Leader, p.OrgUnitCode, p.Category, string(p.Stage), p.StageNoteZH,
			nullFloat(p.PlannedInvestment), nullFloat(p.AnnualInvestment), p.StartYear, p.EndYear, p.DescriptionZH, p.Source, p.Quote, p.Sample, p.CityLeader}
	},
	scan: func(r scanner) (p project.Project, err error) {
		err = r.Scan(&p.Code, &p.Position, &p.NameZH, &p.NameEN, &p.OwnerDept, &p.Leader, &p.OrgUnitCode, &p.Category, &p.Stage, &p.StageNoteZH,
			&p.PlannedInvestment, &p.AnnualInvestment, &p.StartYear, &p.EndYear, &p.DescriptionZH, &p.Source, &p.Quote, &p.Sample, &p.CityLeader)
		return p, err
	},
	id: func(p project.Project) string { return p.Code },
}

// ProjectFilter narrows Projects; empty fields match everything.
type ProjectFilter struct {
	OwnerDept   string
	Stage       project.Stage
	OrgUnitCode string
}

// Projects returns the projects matching f in order.
func (db *DB) Projects(ctx context.Context, f ProjectFilter) ([]project.Project, error) {
	var conds []string
	var args []any
	for _, c := range []struct{ col, v string }{{"owner_dept", f.OwnerDept}, {"stage", string(f.Stage)}, {"org_unit_code", f.OrgUnitCode}} {
		if c.v != "" {
			args = append(args, c.v)
			conds = append(conds, c.col+" = $"+itoa(len(args)))
		}
	}
	return projects.list(ctx, db.read, joinAnd(conds), "position, code", args...)
}

// Project returns one project.
func (db *DB) Project(ctx context.Context, code string) (project.Project, error) {
	p, found, err := projects.get(ctx, db.read, code)
	if err == nil && !found {
		err = apperr.NotFoundf("项目 %s 不存在", "project %s not found", code)
	}
	return p, err
}

// PutProject creates or updates a project.
func (tx *Tx) PutProject(ctx context.Context, p project.Project) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return projects.put(ctx, tx, p)
}

// DeleteProject removes a project.
func (tx *Tx) DeleteProject(ctx context.Context, code string) error {
	found, err := projects.remove(ctx, tx, code)
	if err == nil && !found {
		err = apperr.NotFoundf("项目 %s 不存在", "project %s not found", code)
	}
	return err
}
