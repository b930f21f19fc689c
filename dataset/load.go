package dataset

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/plan"
	"github.com/lantu/lantu/storage"
)

// Load writes b into db in one transaction on behalf of actor: objects that
// exist are updated, the rest created, each change audited. References must
// resolve in the bundle or in the database; if any does not, every such
// problem is reported and nothing is written.
func Load(ctx context.Context, db *storage.DB, actor audit.Actor, b Bundle) error {
	known, err := databaseCodes(ctx, db)
	if err != nil {
		return err
	}
	if probs := b.checkReferences(known); len(probs) > 0 {
		return probs
	}
	return db.Write(ctx, actor, func(tx *storage.Tx) error {
		manifest := b.Manifest.settings()
		for _, key := range slices.Sorted(maps.Keys(manifest)) {
			value := manifest[key]
			if value == "" {
				continue
			}
			if err := tx.PutSetting(ctx, key, value); err != nil {
				return err
			}
		}
		for _, x := range b.Sources {
			if err := tx.PutSource(ctx, x); err != nil {
				return err
			}
		}
		for _, x := range b.Plans {
			if err := tx.PutPlan(ctx, x); err != nil {
				return err
			}
		}
		for _, x := range b.Goals {
			if err := tx.PutGoal(ctx, x); err != nil {
				return err
			}
		}
		for _, x := range b.Areas {
			if err := tx.PutArea(ctx, x); err != nil {
				return err
			}
		}
		for _, x := range plan.SortTree(b.OrgUnits) {
			if err := tx.PutOrgUnit(ctx, x); err != nil {
				return err
			}
		}
		for _, x := range b.Departments {
			if err := tx.PutDepartment(ctx, x); err != nil {
				return err
			}
		}
		for _, x := range b.Tasks {
			if err := tx.PutTask(ctx, x); err != nil {
				return err
			}
		}
		for _, x := range b.Indicators {
			if err := tx.PutIndicator(ctx, x); err != nil {
				return err
			}
		}
		for _, x := range b.Targets {
			if err := tx.PutTarget(ctx, x); err != nil {
				return err
			}
		}
		for _, x := range b.Values {
			if err := tx.PutValue(ctx, x); err != nil {
				return err
			}
		}
		for _, x := range b.Projects {
			if err := tx.PutProject(ctx, x); err != nil {
				return err
			}
		}
		for _, x := range b.CalendarOverrides {
			if err := tx.PutCalendarOverride(ctx, x); err != nil {
				return err
			}
		}
		for _, x := range b.Rules {
			if err := tx.PutValidationRule(ctx, x); err != nil {
				return err
			}
		}
		return nil
	})
}

func databaseCodes(ctx context.Context, db *storage.DB) (Codes, error) {
	c := Codes{}
	plans, err := db.Plans(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range plans {
		c.add("plan", p.Code)
		goals, err := db.Goals(ctx, p.Code)
		if err != nil {
			return nil, err
		}
		for _, g := range goals {
			c.add("goal", g.Code)
		}
	}
	areas, err := db.Areas(ctx)
	if err != nil {
		return nil, err
	}
	for _, a := range areas {
		c.add("area", a.Code)
	}
	units, err := db.OrgUnits(ctx)
	if err != nil {
		return nil, err
	}
	for _, u := range units {
		c.add("org_unit", u.Code)
	}
	depts, err := db.Departments(ctx)
	if err != nil {
		return nil, err
	}
	for _, d := range depts {
		c.add("department", d.Code)
	}
	inds, err := db.Indicators(ctx, storage.IndicatorFilter{})
	if err != nil {
		return nil, err
	}
	for _, i := range inds {
		c.add("indicator", i.Code)
	}
	return c, nil
}

// settings are the keys under which a loaded bundle's manifest is kept, so
// that an export describes the data as the import did.
func (m Manifest) settings() map[string]string {
	return map[string]string{
		"dataset.name_zh": m.NameZH, "dataset.name_en": m.NameEN,
		"dataset.description_zh": m.DescriptionZH, "dataset.description_en": m.DescriptionEN,
	}
}

// Export reads everything the database holds into a bundle.
func Export(ctx context.Context, db *storage.DB) (b Bundle, err error) {
	set, err := db.Settings(ctx)
	if err != nil {
		return b, err
	}
	b.Manifest = Manifest{NameZH: set["dataset.name_zh"], NameEN: set["dataset.name_en"],
		DescriptionZH: set["dataset.description_zh"], DescriptionEN: set["dataset.description_en"]}
	if b.Sources, err = db.Sources(ctx); err != nil {
		return b, err
	}
	if b.Plans, err = db.Plans(ctx); err != nil {
		return b, err
	}
	for _, p := range b.Plans {
		goals, err := db.Goals(ctx, p.Code)
		if err != nil {
			return b, err
		}
		b.Goals = append(b.Goals, goals...)
	}
	if b.Areas, err = db.Areas(ctx); err != nil {
		return b, err
	}
	if b.Tasks, err = db.Tasks(ctx); err != nil {
		return b, err
	}
	if b.OrgUnits, err = db.OrgUnits(ctx); err != nil {
		return b, err
	}
	if b.Departments, err = db.Departments(ctx); err != nil {
		return b, err
	}
	if b.Indicators, err = db.Indicators(ctx, storage.IndicatorFilter{}); err != nil {
		return b, err
	}
	if b.Targets, err = db.Targets(ctx, storage.ValueFilter{}); err != nil {
		return b, err
	}
	if b.Values, err = db.Values(ctx, storage.ValueFilter{Scope: auth.SystemScope()}); err != nil {
		return b, err
	}
	if b.Projects, err = db.Projects(ctx, storage.ProjectFilter{}); err != nil {
		return b, err
	}
	if b.CalendarOverrides, err = db.CalendarOverrides(ctx); err != nil {
		return b, err
	}
	if b.Rules, err = db.ValidationRules(ctx); err != nil {
		return b, err
	}
	return b, nil
}

// RemoveSamples deletes every illustrative (示例数据) value, target and
// project in one audited transaction and returns how many it removed.
func RemoveSamples(ctx context.Context, db *storage.DB, actor audit.Actor) (int, error) {
	vals, err := db.Values(ctx, storage.ValueFilter{SampleOnly: true, Scope: auth.SystemScope()})
	if err != nil {
		return 0, err
	}
	tgts, err := db.Targets(ctx, storage.ValueFilter{SampleOnly: true})
	if err != nil {
		return 0, err
	}
	projs, err := db.Projects(ctx, storage.ProjectFilter{})
	if err != nil {
		return 0, err
	}
	n := 0
	err = db.Write(ctx, actor, func(tx *storage.Tx) error {
		for _, v := range vals {
			if err := tx.DeleteValue(ctx, v.IndicatorCode, v.OrgUnitCode, v.Period); err != nil {
				return err
			}
			n++
		}
		for _, t := range tgts {
			if err := tx.DeleteTarget(ctx, t.IndicatorCode, t.OrgUnitCode, t.Period); err != nil {
				return err
			}
			n++
		}
		for _, p := range projs {
			if !p.Sample {
				continue
			}
			if err := tx.DeleteProject(ctx, p.Code); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("dataset: remove samples: %w", err)
	}
	return n, nil
}

// IsEmpty reports whether the database holds no plan and no org unit: a
// fresh database, into which the default city is loaded on first start.
func IsEmpty(ctx context.Context, db *storage.DB) (bool, error) {
	plans, err := db.Plans(ctx)
	if err != nil {
		return false, err
	}
	units, err := db.OrgUnits(ctx)
	if err != nil {
		return false, err
	}
	return len(plans) == 0 && len(units) == 0, nil
}
