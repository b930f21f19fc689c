package storage

import (
	"context"
	"database/sql"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/plan"
)

var orgUnits = table[plan.OrgUnit]{
	name: "org_units", objectType: "org_unit",
	key:  []string{"code"},
	cols: []string{"code", "parent_code", "kind", "position", "name_zh", "name_en", "source", "quote"},
	args: func(o plan.OrgUnit) []any {
		var parent any
		if o.ParentCode != "" {
			parent = o.ParentCode
		}
		return []any{o.Code, parent, string(o.Kind), o.Position, o.NameZH, o.NameEN, o.Source, o.Quote}
	},
	scan: func(r scanner) (o plan.OrgUnit, err error) {
		var parent sql.NullString
		err = r.Scan(&o.Code, &parent, &o.Kind, &o.Position, &o.NameZH, &o.NameEN, &o.Source, &o.Quote)
		o.ParentCode = parent.String
		return o, err
	},
	id: func(o plan.OrgUnit) string { return o.Code },
}

var departments = table[plan.Department]{
	name: "departments", objectType: "department",
	key:  []string{"code"},
	cols: []string{"code", "org_unit_code", "position", "name_zh", "name_en", "short_zh", "head"},
	args: func(d plan.Department) []any {
		return []any{d.Code, d.OrgUnitCode, d.Position, d.NameZH, d.NameEN, d.ShortZH, d.Head}
	},
	scan: func(r scanner) (d plan.Department, err error) {
		err = r.Scan(&d.Code, &d.OrgUnitCode, &d.Position, &d.NameZH, &d.NameEN, &d.ShortZH, &d.Head)
		return d, err
	},
	id: func(d plan.Department) string { return d.Code },
}

// OrgUnits returns every org unit, parents before their children.
func (db *DB) OrgUnits(ctx context.Context) ([]plan.OrgUnit, error) {
	all, err := orgUnits.list(ctx, db.read, "", "position, code")
	if err != nil {
		return nil, err
	}
	return plan.SortTree(all), nil
}

// OrgUnit returns one org unit.
func (db *DB) OrgUnit(ctx context.Context, code string) (plan.OrgUnit, error) {
	o, found, err := orgUnits.get(ctx, db.read, code)
	if err == nil && !found {
		err = apperr.NotFoundf("组织 %s 不存在", "org unit %s not found", code)
	}
	return o, err
}

// Departments returns every department in order.
func (db *DB) Departments(ctx context.Context) ([]plan.Department, error) {
	return departments.list(ctx, db.read, "", "org_unit_code, position, code")
}

// Department returns one department.
func (db *DB) Department(ctx context.Context, code string) (plan.Department, error) {
	d, found, err := departments.get(ctx, db.read, code)
	if err == nil && !found {
		err = apperr.NotFoundf("部门 %s 不存在", "department %s not found", code)
	}
	return d, err
}

// PutOrgUnit creates or updates an org unit. Its parent must exist and sit
// higher in the hierarchy.
func (tx *Tx) PutOrgUnit(ctx context.Context, o plan.OrgUnit) error {
	if err := o.Validate(); err != nil {
		return err
	}
	if o.ParentCode != "" {
		parent, found, err := orgUnits.get(ctx, tx.tx, o.ParentCode)
		if err != nil {
			return err
		}
		if !found {
			return apperr.Invalidf("组织 %s 的上级 %s 不存在", "org unit %s: parent %s not found", o.Code, o.ParentCode)
		}
		if err := plan.CheckParent(o, parent); err != nil {
			return err
		}
	}
	return orgUnits.put(ctx, tx, o)
}

// PutDepartment creates or updates a department.
func (tx *Tx) PutDepartment(ctx context.Context, d plan.Department) error {
	if err := d.Validate(); err != nil {
		return err
	}
	return departments.put(ctx, tx, d)
}
