package storage

import (
	"context"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/plan"
)

var sources = table[indicator.Source]{
	name: "sources", objectType: "source",
	key:  []string{"code"},
	cols: []string{"code", "title_zh", "title_en", "publisher", "published", "url", "note"},
	args: func(s indicator.Source) []any {
		return []any{s.Code, s.TitleZH, s.TitleEN, s.Publisher, s.Published, s.URL, s.Note}
	},
	scan: func(r scanner) (s indicator.Source, err error) {
		err = r.Scan(&s.Code, &s.TitleZH, &s.TitleEN, &s.Publisher, &s.Published, &s.URL, &s.Note)
		return s, err
	},
	id: func(s indicator.Source) string { return s.Code },
}

var plans = table[plan.Plan]{
	name: "plans", objectType: "plan",
	key:  []string{"code"},
	cols: []string{"code", "name_zh", "name_en", "base_year", "start_year", "end_year"},
	args: func(p plan.Plan) []any {
		return []any{p.Code, p.NameZH, p.NameEN, p.BaseYear, p.StartYear, p.EndYear}
	},
	scan: func(r scanner) (p plan.Plan, err error) {
		err = r.Scan(&p.Code, &p.NameZH, &p.NameEN, &p.BaseYear, &p.StartYear, &p.EndYear)
		return p, err
	},
	id: func(p plan.Plan) string { return p.Code },
}

var goals = table[plan.Goal]{
	name: "goals", objectType: "goal",
	key:  []string{"code"},
	cols: []string{"code", "plan_code", "position", "name_zh", "name_en", "description_zh", "description_en"},
	args: func(g plan.Goal) []any {
		return []any{g.Code, g.PlanCode, g.Position, g.NameZH, g.NameEN, g.DescriptionZH, g.DescriptionEN}
	},
	scan: func(r scanner) (g plan.Goal, err error) {
		err = r.Scan(&g.Code, &g.PlanCode, &g.Position, &g.NameZH, &g.NameEN, &g.DescriptionZH, &g.DescriptionEN)
		return g, err
	},
	id: func(g plan.Goal) string { return g.Code },
}

var areas = table[plan.Area]{
	name: "areas", objectType: "area",
	key:  []string{"code"},
	cols: []string{"code", "goal_code", "position", "name_zh", "name_en"},
	args: func(a plan.Area) []any { return []any{a.Code, a.GoalCode, a.Position, a.NameZH, a.NameEN} },
	scan: func(r scanner) (a plan.Area, err error) {
		err = r.Scan(&a.Code, &a.GoalCode, &a.Position, &a.NameZH, &a.NameEN)
		return a, err
	},
	id: func(a plan.Area) string { return a.Code },
}

var tasks = table[plan.Task]{
	name: "tasks", objectType: "task",
	key:  []string{"code"},
	cols: []string{"code", "area_code", "owner_dept", "position", "name_zh", "name_en", "description_zh", "source", "quote"},
	args: func(t plan.Task) []any {
		return []any{t.Code, t.AreaCode, t.OwnerDept, t.Position, t.NameZH, t.NameEN, t.DescriptionZH, t.Source, t.Quote}
	},
	scan: func(r scanner) (t plan.Task, err error) {
		err = r.Scan(&t.Code, &t.AreaCode, &t.OwnerDept, &t.Position, &t.NameZH, &t.NameEN, &t.DescriptionZH, &t.Source, &t.Quote)
		return t, err
	},
	id: func(t plan.Task) string { return t.Code },
}

// Sources returns every source document.
func (db *DB) Sources(ctx context.Context) ([]indicator.Source, error) {
	return sources.list(ctx, db.read, "", "code")
}

// Source returns one source document.
func (db *DB) Source(ctx context.Context, code string) (indicator.Source, error) {
	s, found, err := sources.get(ctx, db.read, code)
	if err == nil && !found {
		err = apperr.NotFoundf("来源 %s 不存在", "source %s not found", code)
	}
	return s, err
}

// Plans returns every plan, newest first.
func (db *DB) Plans(ctx context.Context) ([]plan.Plan, error) {
	return plans.list(ctx, db.read, "", "start_year DESC, code")
}

// Plan returns one plan.
func (db *DB) Plan(ctx context.Context, code string) (plan.Plan, error) {
	p, found, err := plans.get(ctx, db.read, code)
	if err == nil && !found {
		err = apperr.NotFoundf("规划 %s 不存在", "plan %s not found", code)
	}
	return p, err
}

// Goals returns a plan's goals in order.
func (db *DB) Goals(ctx context.Context, planCode string) ([]plan.Goal, error) {
	return goals.list(ctx, db.read, "plan_code = $1", "position, code", planCode)
}

// Goal returns one goal.
func (db *DB) Goal(ctx context.Context, code string) (plan.Goal, error) {
	g, found, err := goals.get(ctx, db.read, code)
	if err == nil && !found {
		err = apperr.NotFoundf("目标 %s 不存在", "goal %s not found", code)
	}
	return g, err
}

// Areas returns every area, ordered by goal then position.
func (db *DB) Areas(ctx context.Context) ([]plan.Area, error) {
	return areas.list(ctx, db.read, "", "goal_code, position, code")
}

// Area returns one area.
func (db *DB) Area(ctx context.Context, code string) (plan.Area, error) {
	a, found, err := areas.get(ctx, db.read, code)
	if err == nil && !found {
		err = apperr.NotFoundf("领域 %s 不存在", "area %s not found", code)
	}
	return a, err
}

// Tasks returns every task, ordered by area then position.
func (db *DB) Tasks(ctx context.Context) ([]plan.Task, error) {
	return tasks.list(ctx, db.read, "", "area_code, position, code")
}

// PutSource creates or updates a source document.
func (tx *Tx) PutSource(ctx context.Context, s indicator.Source) error {
	if err := s.Validate(); err != nil {
		return err
	}
	return sources.put(ctx, tx, s)
}

// PutPlan creates or updates a plan.
func (tx *Tx) PutPlan(ctx context.Context, p plan.Plan) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return plans.put(ctx, tx, p)
}

// PutGoal creates or updates a goal.
func (tx *Tx) PutGoal(ctx context.Context, g plan.Goal) error {
	if err := g.Validate(); err != nil {
		return err
	}
	return goals.put(ctx, tx, g)
}

// PutArea creates or updates an area.
func (tx *Tx) PutArea(ctx context.Context, a plan.Area) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return areas.put(ctx, tx, a)
}

// PutTask creates or updates a task.
func (tx *Tx) PutTask(ctx context.Context, t plan.Task) error {
	if err := t.Validate(); err != nil {
		return err
	}
	return tasks.put(ctx, tx, t)
}
