// Package dataset reads and writes the dataset bundle: a folder of CSV files
// holding a city's plan and figures (docs/dataset.md), and moves a bundle
// into and out of the database.
package dataset

import (
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/lantu/lantu/calendar"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/plan"
	"github.com/lantu/lantu/project"
	"github.com/lantu/lantu/rules"
)

// Format and Version identify the bundle format in manifest.csv.
const (
	Format  = "lantu-dataset"
	Version = "1"
)

// Manifest describes a bundle.
type Manifest struct {
	NameZH        string
	NameEN        string
	DescriptionZH string
	DescriptionEN string
}

// Bundle is everything a dataset holds.
type Bundle struct {
	Manifest          Manifest
	Sources           []indicator.Source
	Plans             []plan.Plan
	Goals             []plan.Goal
	Areas             []plan.Area
	Tasks             []plan.Task
	OrgUnits          []plan.OrgUnit
	Departments       []plan.Department
	Indicators        []indicator.Indicator
	Targets           []indicator.Target
	Values            []indicator.Value
	Projects          []project.Project
	CalendarOverrides []calendar.Override
	Rules             []rules.Rule

	// lines remembers where each object was read, so that problems found
	// after reading (references, domain rules) can name the row.
	lines map[string]int
}

func req(names ...string) []column {
	cols := make([]column, len(names))
	for i, n := range names {
		cols[i] = column{name: n, required: true}
	}
	return cols
}

func opt(names ...string) []column {
	cols := make([]column, len(names))
	for i, n := range names {
		cols[i] = column{name: n}
	}
	return cols
}

func cat(parts ...[]column) []column {
	var out []column
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// The files and their columns, in the order they are written.
var (
	manifestCols   = cat(req("key"), opt("value"))
	sourceCols     = cat(req("code", "title_zh"), opt("title_en", "publisher", "published", "url", "note"))
	planCols       = cat(req("code", "name_zh"), opt("name_en"), req("base_year", "start_year", "end_year"))
	goalCols       = cat(req("code", "plan"), opt("position"), req("name_zh"), opt("name_en", "description_zh", "description_en"))
	areaCols       = cat(req("code", "goal"), opt("position"), req("name_zh"), opt("name_en"))
	taskCols       = cat(req("code", "area", "owner_dept"), opt("position"), req("name_zh"), opt("name_en", "description_zh", "source", "quote"))
	orgUnitCols    = cat(req("code"), opt("parent"), req("kind"), opt("position"), req("name_zh"), opt("name_en", "source", "quote"))
	departmentCols = cat(req("code", "org_unit"), opt("position"), req("name_zh"), opt("name_en", "short_zh", "head"))
	indicatorCols  = cat(req("code", "area", "owner_dept"), opt("position"), req("effective_from", "name_zh"), opt("name_en"),
		req("unit_zh"), opt("unit_en"), req("direction"), opt("band_low", "band_high"), req("nature", "frequency", "time_agg", "place_agg"),
		opt("formula", "decimals", "definition_zh", "definition_en", "change_note"))
	targetCols = cat(req("indicator", "org_unit", "period", "number"), opt("qualifier", "source", "quote", "sample"))
	valueCols  = cat(req("indicator", "org_unit", "period", "number"), opt("qualifier"), req("status"),
		opt("entered_by", "entered_at", "approved_by", "approved_at", "published_at", "source", "quote", "note", "sample",
			"submitted_by", "submitted_at", "explanation", "review_comment", "computed"))
	projectCols = cat(req("code"), opt("position"), req("name_zh"), opt("name_en"), req("owner_dept"), opt("leader"), req("org_unit"),
		opt("category"), req("stage"), opt("stage_note_zh", "planned_investment", "annual_investment", "start_year", "end_year",
			"description_zh", "source", "quote", "sample", "city_leader"))
	overrideCols = cat(req("date"), opt("working", "name_zh", "name_en", "reason"))
	ruleCols     = cat(req("code", "expression", "severity", "message_zh"), opt("message_en", "org_units", "period_kinds", "active"))
)

// Read reads a bundle from fsys (a folder: os.DirFS(dir), or an embedded
// one). It reports every problem in every file at once; a bundle with any
// problem is not returned.
func Read(fsys fs.FS) (Bundle, error) {
	var probs Problems
	b := Bundle{lines: map[string]int{}}
	at := func(kind, key string, r row) {
		if prev, dup := b.lines[kind+":"+key]; dup {
			r.bad("", fmt.Sprintf("%s 重复（第 %d 行已有）", key, prev), fmt.Sprintf("%s is a duplicate (see line %d)", key, prev))
		}
		b.lines[kind+":"+key] = r.line
	}

	manifest := map[string]string{}
	readFile(fsys, "manifest.csv", manifestCols, true, &probs, func(r row) { manifest[r.str("key")] = r.str("value") })
	readFile(fsys, "rules.csv", ruleCols, false, &probs, func(r row) {
		at("rule", r.str("code"), r)
		rule := rules.Rule{Code: r.str("code"), Expression: r.str("expression"), Severity: rules.Severity(r.str("severity")),
			MessageZH: r.str("message_zh"), MessageEN: r.str("message_en"), Active: r.bool("active")}
		if units := r.str("org_units"); units != "" {
			rule.OrgUnits = strings.Fields(units)
		}
		for _, k := range strings.Fields(r.str("period_kinds")) {
			kind, err := period.ParseKind(k)
			if err != nil {
				r.bad("period_kinds", fmt.Sprintf("%q 无效：应为 year、quarter、month 或 week", k), "must be year, quarter, month or week")
				continue
			}
			rule.PeriodKinds = append(rule.PeriodKinds, kind)
		}
		b.Rules = append(b.Rules, rule)
	})
	if len(probs) == 0 {
		if manifest["format"] != Format {
			probs.add("manifest.csv", 0, "format", "format 应为 "+Format, "format must be "+Format)
		}
		if manifest["version"] != Version {
			probs.add("manifest.csv", 0, "version", "不支持的版本 "+strconv.Quote(manifest["version"])+"，应为 "+Version, "unsupported version, want "+Version)
		}
	}
	b.Manifest = Manifest{NameZH: manifest["name_zh"], NameEN: manifest["name_en"], DescriptionZH: manifest["description_zh"], DescriptionEN: manifest["description_en"]}

	readFile(fsys, "sources.csv", sourceCols, false, &probs, func(r row) {
		at("source", r.str("code"), r)
		b.Sources = append(b.Sources, indicator.Source{Code: r.str("code"), TitleZH: r.str("title_zh"), TitleEN: r.str("title_en"),
			Publisher: r.str("publisher"), Published: r.str("published"), URL: r.str("url"), Note: r.str("note")})
	})
	readFile(fsys, "plans.csv", planCols, false, &probs, func(r row) {
		at("plan", r.str("code"), r)
		b.Plans = append(b.Plans, plan.Plan{Code: r.str("code"), NameZH: r.str("name_zh"), NameEN: r.str("name_en"),
			BaseYear: r.int("base_year"), StartYear: r.int("start_year"), EndYear: r.int("end_year")})
	})
	readFile(fsys, "goals.csv", goalCols, false, &probs, func(r row) {
		at("goal", r.str("code"), r)
		b.Goals = append(b.Goals, plan.Goal{Code: r.str("code"), PlanCode: r.str("plan"), Position: r.int("position"),
			NameZH: r.str("name_zh"), NameEN: r.str("name_en"), DescriptionZH: r.str("description_zh"), DescriptionEN: r.str("description_en")})
	})
	readFile(fsys, "areas.csv", areaCols, false, &probs, func(r row) {
		at("area", r.str("code"), r)
		b.Areas = append(b.Areas, plan.Area{Code: r.str("code"), GoalCode: r.str("goal"), Position: r.int("position"),
			NameZH: r.str("name_zh"), NameEN: r.str("name_en")})
	})
	readFile(fsys, "tasks.csv", taskCols, false, &probs, func(r row) {
		at("task", r.str("code"), r)
		b.Tasks = append(b.Tasks, plan.Task{Code: r.str("code"), AreaCode: r.str("area"), OwnerDept: r.str("owner_dept"),
			Position: r.int("position"), NameZH: r.str("name_zh"), NameEN: r.str("name_en"), DescriptionZH: r.str("description_zh"),
			Source: r.str("source"), Quote: r.str("quote")})
	})
	readFile(fsys, "org_units.csv", orgUnitCols, false, &probs, func(r row) {
		at("org_unit", r.str("code"), r)
		b.OrgUnits = append(b.OrgUnits, plan.OrgUnit{Code: r.str("code"), ParentCode: r.str("parent"), Kind: plan.OrgKind(r.str("kind")),
			Position: r.int("position"), NameZH: r.str("name_zh"), NameEN: r.str("name_en"), Source: r.str("source"), Quote: r.str("quote")})
	})
	readFile(fsys, "departments.csv", departmentCols, false, &probs, func(r row) {
		at("department", r.str("code"), r)
		b.Departments = append(b.Departments, plan.Department{Code: r.str("code"), OrgUnitCode: r.str("org_unit"), Position: r.int("position"),
			NameZH: r.str("name_zh"), NameEN: r.str("name_en"), ShortZH: r.str("short_zh"), Head: r.str("head")})
	})
	readIndicators(fsys, &b, &probs)
	readFile(fsys, "targets.csv", targetCols, false, &probs, func(r row) {
		t := indicator.Target{IndicatorCode: r.str("indicator"), OrgUnitCode: r.str("org_unit"), Period: r.period("period"),
			Number: r.float("number"), Qualifier: indicator.Qualifier(r.str("qualifier")), Source: r.str("source"), Quote: r.str("quote"), Sample: r.bool("sample")}
		at("target", valueKey(t.IndicatorCode, t.OrgUnitCode, t.Period), r)
		b.Targets = append(b.Targets, t)
	})
	readFile(fsys, "values.csv", valueCols, false, &probs, func(r row) {
		v := indicator.Value{IndicatorCode: r.str("indicator"), OrgUnitCode: r.str("org_unit"), Period: r.period("period"),
			Number: r.float("number"), Qualifier: indicator.Qualifier(r.str("qualifier")), Status: indicator.Status(r.str("status")),
			EnteredBy: r.str("entered_by"), EnteredAt: r.time("entered_at"), ApprovedBy: r.str("approved_by"), ApprovedAt: r.time("approved_at"),
			PublishedAt: r.time("published_at"), Source: r.str("source"), Quote: r.str("quote"), Note: r.str("note"), Sample: r.bool("sample"),
			SubmittedBy: r.str("submitted_by"), SubmittedAt: r.time("submitted_at"), Explanation: r.str("explanation"),
			ReviewComment: r.str("review_comment"), Computed: r.bool("computed")}
		at("value", valueKey(v.IndicatorCode, v.OrgUnitCode, v.Period), r)
		b.Values = append(b.Values, v)
	})
	readFile(fsys, "projects.csv", projectCols, false, &probs, func(r row) {
		at("project", r.str("code"), r)
		b.Projects = append(b.Projects, project.Project{Code: r.str("code"), Position: r.int("position"), NameZH: r.str("name_zh"),
			NameEN: r.str("name_en"), OwnerDept: r.str("owner_dept"), Leader: r.str("leader"), OrgUnitCode: r.str("org_unit"),
			Category: r.str("category"), Stage: project.Stage(r.str("stage")), StageNoteZH: r.str("stage_note_zh"),
			PlannedInvestment: r.optFloat("planned_investment"), AnnualInvestment: r.optFloat("annual_investment"),
			StartYear: r.int("start_year"), EndYear: r.int("end_year"), DescriptionZH: r.str("description_zh"),
			Source: r.str("source"), Quote: r.str("quote"), Sample: r.bool("sample"), CityLeader: r.str("city_leader")})
	})
	readFile(fsys, "calendar_overrides.csv", overrideCols, false, &probs, func(r row) {
		o := calendar.Override{Date: r.date("date"), Working: r.bool("working"), NameZH: r.str("name_zh"), NameEN: r.str("name_en"), Reason: r.str("reason")}
		at("calendar_override", r.str("date"), r)
		b.CalendarOverrides = append(b.CalendarOverrides, o)
	})
	probs = append(probs, b.validate(probs)...)
	if err := probs.err(); err != nil {
		return Bundle{}, err
	}
	return b, nil
}

func valueKey(ind, org string, p period.Period) string { return ind + "/" + org + "/" + p.String() }

// readIndicators groups the rows of indicators.csv by code: each row is one
// definition version.
func readIndicators(fsys fs.FS, b *Bundle, probs *Problems) {
	index := map[string]int{}
	readFile(fsys, "indicators.csv", indicatorCols, false, probs, func(r row) {
		code := r.str("code")
		freq, err := period.ParseKind(r.str("frequency"))
		if err != nil && r.str("frequency") != "" {
			r.bad("frequency", fmt.Sprintf("%q 无效：应为 year、quarter、month 或 week", r.str("frequency")), "must be year, quarter, month or week")
		}
		d := indicator.Definition{EffectiveFrom: r.date("effective_from"), NameZH: r.str("name_zh"), NameEN: r.str("name_en"),
			UnitZH: r.str("unit_zh"), UnitEN: r.str("unit_en"), DefinitionZH: r.str("definition_zh"), DefinitionEN: r.str("definition_en"),
			Direction: indicator.Direction(r.str("direction")), BandLow: r.optFloat("band_low"), BandHigh: r.optFloat("band_high"),
			Nature: indicator.Nature(r.str("nature")), Frequency: freq, TimeAgg: indicator.TimeAggregation(r.str("time_agg")),
			PlaceAgg: indicator.PlaceAggregation(r.str("place_agg")), Formula: r.str("formula"), Decimals: r.int("decimals"), ChangeNote: r.str("change_note")}
		i, seen := index[code]
		if !seen {
			b.lines["indicator:"+code] = r.line
			index[code] = len(b.Indicators)
			b.Indicators = append(b.Indicators, indicator.Indicator{Code: code, AreaCode: r.str("area"), OwnerDept: r.str("owner_dept"), Position: r.int("position")})
			i = index[code]
		}
		ind := &b.Indicators[i]
		if ind.AreaCode != r.str("area") || ind.OwnerDept != r.str("owner_dept") || ind.Position != r.int("position") {
			r.bad("", "同一指标的各版本 area、owner_dept、position 必须一致", "area, owner_dept and position must be the same on every version of an indicator")
		}
		ind.Definitions = append(ind.Definitions, d)
	})
	for i := range b.Indicators {
		defs := b.Indicators[i].Definitions
		sort.SliceStable(defs, func(a, c int) bool { return defs[a].EffectiveFrom.Before(defs[c].EffectiveFrom) })
	}
}

// Write writes b into dir (created if missing) as a bundle, every file
// sorted so that the same data always gives the same bytes.
func Write(dir string, b Bundle) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("dataset: %w", err)
	}
	files := []struct {
		name string
		cols []column
		rows [][]string
	}{
		{"manifest.csv", manifestCols, [][]string{{"format", Format}, {"version", Version}, {"name_zh", b.Manifest.NameZH},
			{"name_en", b.Manifest.NameEN}, {"description_zh", b.Manifest.DescriptionZH}, {"description_en", b.Manifest.DescriptionEN}}},
		{"sources.csv", sourceCols, rowsOf(b.Sources, func(s indicator.Source) string { return s.Code }, func(s indicator.Source) []string {
			return []string{s.Code, s.TitleZH, s.TitleEN, s.Publisher, s.Published, s.URL, s.Note}
		})},
		{"plans.csv", planCols, rowsOf(b.Plans, func(p plan.Plan) string { return p.Code }, func(p plan.Plan) []string {
			return []string{p.Code, p.NameZH, p.NameEN, strconv.Itoa(p.BaseYear), strconv.Itoa(p.StartYear), strconv.Itoa(p.EndYear)}
		})},
		{"goals.csv", goalCols, rowsOf(b.Goals, func(g plan.Goal) string { return g.Code }, func(g plan.Goal) []string {
			return []string{g.Code, g.PlanCode, formatInt(g.Position), g.NameZH, g.NameEN, g.DescriptionZH, g.DescriptionEN}
		})},
		{"areas.csv", areaCols, rowsOf(b.Areas, func(a plan.Area) string { return a.Code }, func(a plan.Area) []string {
			return []string{a.Code, a.GoalCode, formatInt(a.Position), a.NameZH, a.NameEN}
		})},
		{"tasks.csv", taskCols, rowsOf(b.Tasks, func(t plan.Task) string { return t.Code }, func(t plan.Task) []string {
			return []string{t.Code, t.AreaCode, t.OwnerDept, formatInt(t.Position), t.NameZH, t.NameEN, t.DescriptionZH, t.Source, t.Quote}
		})},
		{"org_units.csv", orgUnitCols, rowsOf(b.OrgUnits, func(o plan.OrgUnit) string { return o.Code }, func(o plan.OrgUnit) []string {
			return []string{o.Code, o.ParentCode, string(o.Kind), formatInt(o.Position), o.NameZH, o.NameEN, o.Source, o.Quote}
		})},
		{"departments.csv", departmentCols, rowsOf(b.Departments, func(d plan.Department) string { return d.Code }, func(d plan.Department) []string {
			return []string{d.Code, d.OrgUnitCode, formatInt(d.Position), d.NameZH, d.NameEN, d.ShortZH, d.Head}
		})},
		{"indicators.csv", indicatorCols, indicatorRows(b.Indicators)},
		{"targets.csv", targetCols, rowsOf(b.Targets, func(t indicator.Target) string { return valueSortKey(t.IndicatorCode, t.OrgUnitCode, t.Period) },
			func(t indicator.Target) []string {
				return []string{t.IndicatorCode, t.OrgUnitCode, t.Period.String(), formatFloat(t.Number), string(t.Qualifier), t.Source, t.Quote, formatBool(t.Sample)}
			})},
		{"values.csv", valueCols, rowsOf(b.Values, func(v indicator.Value) string { return valueSortKey(v.IndicatorCode, v.OrgUnitCode, v.Period) },
			func(v indicator.Value) []string {
				return []string{v.IndicatorCode, v.OrgUnitCode, v.Period.String(), formatFloat(v.Number), string(v.Qualifier), string(v.Status),
					v.EnteredBy, formatTime(v.EnteredAt), v.ApprovedBy, formatTime(v.ApprovedAt), formatTime(v.PublishedAt),
					v.Source, v.Quote, v.Note, formatBool(v.Sample), v.SubmittedBy, formatTime(v.SubmittedAt), v.Explanation,
					v.ReviewComment, formatBool(v.Computed)}
			})},
		{"projects.csv", projectCols, rowsOf(b.Projects, func(p project.Project) string { return p.Code }, func(p project.Project) []string {
			return []string{p.Code, formatInt(p.Position), p.NameZH, p.NameEN, p.OwnerDept, p.Leader, p.OrgUnitCode, p.Category, string(p.Stage),
				p.StageNoteZH, formatOptFloat(p.PlannedInvestment), formatOptFloat(p.AnnualInvestment), formatInt(p.StartYear), formatInt(p.EndYear),
				p.DescriptionZH, p.Source, p.Quote, formatBool(p.Sample), p.CityLeader}
		})},
		{"calendar_overrides.csv", overrideCols, rowsOf(b.CalendarOverrides, func(o calendar.Override) string { return formatDate(o.Date) },
			func(o calendar.Override) []string {
				return []string{formatDate(o.Date), formatBool(o.Working), o.NameZH, o.NameEN, o.Reason}
			})},
		{"rules.csv", ruleCols, rowsOf(b.Rules, func(r rules.Rule) string { return r.Code }, func(r rules.Rule) []string {
			kinds := make([]string, len(r.PeriodKinds))
			for i, k := range r.PeriodKinds {
				kinds[i] = k.String()
			}
			return []string{r.Code, r.Expression, string(r.Severity), r.MessageZH, r.MessageEN, strings.Join(r.OrgUnits, " "), strings.Join(kinds, " "), formatBool(r.Active)}
		})},
	}
	for _, f := range files {
		if err := writeFile(dir, f.name, f.cols, f.rows); err != nil {
			return err
		}
	}
	return nil
}

// rowsOf renders items sorted by key.
func rowsOf[T any](items []T, key func(T) string, render func(T) []string) [][]string {
	sorted := make([]T, len(items))
	copy(sorted, items)
	sort.SliceStable(sorted, func(i, j int) bool { return key(sorted[i]) < key(sorted[j]) })
	out := make([][]string, len(sorted))
	for i, it := range sorted {
		out[i] = render(it)
	}
	return out
}

// valueSortKey sorts by indicator, org unit, then period in time order.
func valueSortKey(ind, org string, p period.Period) string {
	return ind + "\x00" + org + "\x00" + p.Start().Format("2006-01-02") + p.String()
}

func indicatorRows(list []indicator.Indicator) [][]string {
	var out [][]string
	for _, ind := range rowsOfIndicators(list) {
		for _, d := range ind.Definitions {
			out = append(out, []string{ind.Code, ind.AreaCode, ind.OwnerDept, formatInt(ind.Position), formatDate(d.EffectiveFrom),
				d.NameZH, d.NameEN, d.UnitZH, d.UnitEN, string(d.Direction), formatOptFloat(d.BandLow), formatOptFloat(d.BandHigh),
				string(d.Nature), d.Frequency.String(), string(d.TimeAgg), string(d.PlaceAgg), d.Formula, formatInt(d.Decimals),
				d.DefinitionZH, d.DefinitionEN, d.ChangeNote})
		}
	}
	return out
}

func rowsOfIndicators(list []indicator.Indicator) []indicator.Indicator {
	sorted := make([]indicator.Indicator, len(list))
	copy(sorted, list)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Code < sorted[j].Code })
	return sorted
}
