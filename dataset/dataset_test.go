package dataset_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/calendar"
	"github.com/lantu/lantu/dataset"
	"github.com/lantu/lantu/datasets"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/plan"
	"github.com/lantu/lantu/project"
	"github.com/lantu/lantu/rules"
	"github.com/lantu/lantu/storage"
	"github.com/lantu/lantu/storage/storagetest"
)

var (
	ctx   = context.Background()
	actor = audit.Actor{Name: "tester", Reason: "dataset test"}
)

func gujiao(t *testing.T) dataset.Bundle {
	t.Helper()
	b, err := dataset.Read(datasets.Gujiao())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func ptr(f float64) *float64 { return &f }

// full is a bundle that uses every field of every file, including what the
// Gujiao data does not: targets, times, sample data, a band indicator with
// two definition versions, investments, a calendar override.
func full() dataset.Bundle {
	day := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	at := time.Date(2021, 4, 2, 3, 4, 5, 678000000, time.UTC)
	return dataset.Bundle{
		Manifest: dataset.Manifest{NameZH: "测试县", NameEN: "Test county", DescriptionZH: "说明, 含逗号", DescriptionEN: "with \"quotes\""},
		Sources:  []indicator.Source{{Code: "r", TitleZH: "报告", TitleEN: "Report", Publisher: "县政府", Published: "2021-02-03", URL: "https://example.org/r", Note: "n"}},
		Plans:    []plan.Plan{{Code: "p", NameZH: "规划", NameEN: "Plan", BaseYear: 2020, StartYear: 2021, EndYear: 2025}},
		Goals:    []plan.Goal{{Code: "g", PlanCode: "p", Position: 1, NameZH: "目标", NameEN: "Goal", DescriptionZH: "多行\n说明", DescriptionEN: "d"}},
		Areas:    []plan.Area{{Code: "a", GoalCode: "g", Position: 3, NameZH: "领域", NameEN: "Area"}},
		Tasks:    []plan.Task{{Code: "t", AreaCode: "a", OwnerDept: "d", Position: 1, NameZH: "任务", NameEN: "Task", DescriptionZH: "x", Source: "r", Quote: "“引号”"}},
		OrgUnits: []plan.OrgUnit{
			{Code: "c", Kind: plan.City, NameZH: "县", NameEN: "County"},
			{Code: "c.t", ParentCode: "c", Kind: plan.Town, Position: 1, NameZH: "镇"},
			{Code: "c.t.v", ParentCode: "c.t", Kind: plan.Village, Position: 1, NameZH: "村", Source: "r", Quote: "q"},
		},
		Departments: []plan.Department{{Code: "d", OrgUnitCode: "c", Position: 1, NameZH: "发展和改革局", NameEN: "DRC", ShortZH: "发改局", Head: "局长"}},
		Indicators: []indicator.Indicator{{Code: "pm", AreaCode: "a", OwnerDept: "d", Position: 1, Definitions: []indicator.Definition{
			{EffectiveFrom: day("2020-01-01"), NameZH: "指标", NameEN: "Ind", UnitZH: "%", UnitEN: "%", DefinitionZH: "定义", DefinitionEN: "def",
				Direction: indicator.Band, BandLow: ptr(-1.5), BandHigh: ptr(2.25), Nature: indicator.Binding, Frequency: period.Quarter,
				TimeAgg: indicator.AverageOverTime, PlaceAgg: indicator.AverageOverPlaces, Decimals: 2},
			{EffectiveFrom: day("2023-07-01"), NameZH: "指标（新口径）", UnitZH: "%", Direction: indicator.HigherBetter, Nature: indicator.Expected,
				Frequency: period.Month, TimeAgg: indicator.LastOverTime, PlaceAgg: indicator.NoPlaceAggregate, Formula: `v("base") / 2 * 100`, Decimals: 1, ChangeNote: "口径调整"},
		}}, {Code: "base", AreaCode: "a", OwnerDept: "d", Position: 2, Definitions: []indicator.Definition{
			{EffectiveFrom: day("2020-01-01"), NameZH: "基数", UnitZH: "个", Direction: indicator.HigherBetter, Nature: indicator.Expected,
				Frequency: period.Month, TimeAgg: indicator.SumOverTime, PlaceAgg: indicator.SumOverPlaces}}}},
		Targets: []indicator.Target{
			{IndicatorCode: "pm", OrgUnitCode: "c", Period: period.MustParse("2025"), Number: 2, Qualifier: indicator.AtLeast, Source: "r", Quote: "q"},
			{IndicatorCode: "pm", OrgUnitCode: "c.t", Period: period.MustParse("2021Q3"), Number: 1.25, Sample: true},
		},
		Values: []indicator.Value{
			{IndicatorCode: "pm", OrgUnitCode: "c", Period: period.MustParse("2021Q2"), Number: 0.1 + 0.2, Status: indicator.Published,
				EnteredBy: "u1", EnteredAt: at, ApprovedBy: "u2", ApprovedAt: at.Add(time.Hour), PublishedAt: at.Add(2 * time.Hour), Source: "r", Quote: "q,\"x\"", Note: "n"},
			{IndicatorCode: "pm", OrgUnitCode: "c.t.v", Period: period.MustParse("2020W53"), Number: -3, Qualifier: indicator.MoreThan, Status: indicator.Draft, Sample: true},
			{IndicatorCode: "pm", OrgUnitCode: "c", Period: period.MustParse("2021-11"), Number: 1e9, Status: indicator.Submitted, EnteredBy: "u1", EnteredAt: at,
				SubmittedBy: "u1", SubmittedAt: at.Add(time.Minute), Explanation: "增长较快，因新统计口径", ReviewComment: "请核实", Computed: true},
		},
		Projects: []project.Project{
			{Code: "w", Position: 1, NameZH: "风电", NameEN: "Wind", OwnerDept: "d", Leader: "副市长", OrgUnitCode: "c.t", Category: "能源",
				Stage: project.Operating, StageNoteZH: "建成投产", PlannedInvestment: ptr(123456.78), AnnualInvestment: ptr(0), StartYear: 2019, EndYear: 2021,
				DescriptionZH: "d", Source: "r", Quote: "q", CityLeader: "市委常委、常务副市长"},
			{Code: "s", NameZH: "示例项目", OwnerDept: "d", OrgUnitCode: "c", Stage: project.Preparation, Sample: true},
		},
		Rules: []rules.Rule{
			{Code: "base-range", Expression: `v("base") >= 0`, Severity: rules.SeverityError, MessageZH: "基数不能为负：{base}", MessageEN: "base cannot be negative: {base}",
				OrgUnits: []string{"c", "c.t"}, PeriodKinds: []period.Kind{period.Month, period.Quarter}, Active: true},
			{Code: "off", Expression: `present("base")`, Severity: rules.SeverityWarning, MessageZH: "缺少基数", MessageEN: "base missing", Active: false},
		},
		CalendarOverrides: []calendar.Override{{Date: day("2024-07-10"), Working: false, NameZH: "防汛", NameEN: "Flood", Reason: "暴雨"},
			{Date: day("2024-07-13"), Working: true, NameZH: "补班", Reason: "补"}},
	}
}

func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

func sameFiles(t *testing.T, want, got string) {
	t.Helper()
	w, g := readDir(t, want), readDir(t, got)
	if len(w) != len(g) {
		t.Errorf("%d files, want %d", len(g), len(w))
	}
	for name, wb := range w {
		if !bytes.Equal(wb, g[name]) {
			t.Errorf("%s differs:\n--- want\n%s\n--- got\n%s", name, wb, g[name])
		}
	}
}

// Export then import into an empty database then export again gives the
// same bytes, and the same bytes as the bundle that was first loaded:
// nothing is lost or changed on the way through the database.
func TestRoundTrip(t *testing.T) {
	bundles := map[string]func(*testing.T) dataset.Bundle{
		"gujiao": gujiao,
		"full":   func(*testing.T) dataset.Bundle { return full() },
	}
	for name, make := range bundles {
		t.Run(name, func(t *testing.T) {
			storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
				original := make(t)
				origDir := t.TempDir()
				if err := dataset.Write(origDir, original); err != nil {
					t.Fatal(err)
				}
				reread, err := dataset.Read(os.DirFS(origDir))
				if err != nil {
					t.Fatalf("re-reading the written bundle: %v", err)
				}
				if err := dataset.Load(ctx, db, actor, reread); err != nil {
					t.Fatal(err)
				}
				exported, err := dataset.Export(ctx, db)
				if err != nil {
					t.Fatal(err)
				}
				dirA := t.TempDir()
				if err := dataset.Write(dirA, exported); err != nil {
					t.Fatal(err)
				}
				sameFiles(t, origDir, dirA)

				second := storagetest.OpenSQLite(t, nil)
				if db.Engine() == storage.SQLite {
					second = storagetest.OpenPostgresIfConfigured(t, nil, second)
				}
				b, err := dataset.Read(os.DirFS(dirA))
				if err != nil {
					t.Fatal(err)
				}
				if err := dataset.Load(ctx, second, actor, b); err != nil {
					t.Fatal(err)
				}
				again, err := dataset.Export(ctx, second)
				if err != nil {
					t.Fatal(err)
				}
				dirB := t.TempDir()
				if err := dataset.Write(dirB, again); err != nil {
					t.Fatal(err)
				}
				sameFiles(t, dirA, dirB)
			})
		})
	}
}

// Loading writes one audit row per object, and loading the same bundle
// again writes none, since nothing changes.
func TestLoadAuditsEveryWrite(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		b := full()
		if err := dataset.Load(ctx, db, actor, b); err != nil {
			t.Fatal(err)
		}
		objects := 4 /* manifest settings */ + len(b.Rules) + len(b.Sources) + len(b.Plans) + len(b.Goals) + len(b.Areas) + len(b.Tasks) + len(b.OrgUnits) + len(b.Departments) +
			len(b.Indicators) + len(b.Targets) + len(b.Values) + len(b.Projects) + len(b.CalendarOverrides)
		n, err := db.AuditCount(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n != int64(objects) {
			t.Errorf("audit rows = %d, want %d (one per object)", n, objects)
		}
		if err := dataset.Load(ctx, db, actor, b); err != nil {
			t.Fatal(err)
		}
		if again, _ := db.AuditCount(ctx); again != n {
			t.Errorf("reloading an unchanged bundle wrote %d audit rows", again-n)
		}
	})
}

func TestRemoveSamples(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		if err := dataset.Load(ctx, db, actor, full()); err != nil {
			t.Fatal(err)
		}
		n, err := dataset.RemoveSamples(ctx, db, actor)
		if err != nil {
			t.Fatal(err)
		}
		if n != 3 { // one value, one target, one project
			t.Errorf("removed %d, want 3", n)
		}
		b, err := dataset.Export(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Values) != 2 || len(b.Targets) != 1 || len(b.Projects) != 1 {
			t.Errorf("after removal: %d values, %d targets, %d projects; want 2, 1, 1", len(b.Values), len(b.Targets), len(b.Projects))
		}
		for _, v := range b.Values {
			if v.Sample {
				t.Errorf("sample value left: %+v", v)
			}
		}
	})
}

// writeBundle writes full() to a map file system, then lets edit change
// the file contents.
func mutated(t *testing.T, edit func(files map[string]string)) fstest.MapFS {
	t.Helper()
	dir := t.TempDir()
	if err := dataset.Write(dir, full()); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for name, b := range readDir(t, dir) {
		files[name] = string(b)
	}
	edit(files)
	fsys := fstest.MapFS{}
	for name, s := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(s)}
	}
	return fsys
}

func TestReadReportsEveryProblem(t *testing.T) {
	replace := func(file, old, new string) func(map[string]string) {
		return func(f map[string]string) {
			if !strings.Contains(f[file], old) {
				t.Fatalf("%s does not contain %q", file, old)
			}
			f[file] = strings.Replace(f[file], old, new, 1)
		}
	}
	cases := []struct {
		name  string
		edit  func(map[string]string)
		wants []string
	}{
		{"ErrNoManifest", func(f map[string]string) { delete(f, "manifest.csv") }, []string{"manifest.csv: 缺少此文件"}},
		{"ErrWrongFormat", replace("manifest.csv", "lantu-dataset", "other"), []string{"manifest.csv: format"}},
		{"ErrUnknownColumn", replace("plans.csv", "base_year", "baseyear"), []string{"plans.csv:1: baseyear: 未知的列", "plans.csv:1: base_year: 缺少必需的列"}},
		{"ErrBadNumber", replace("values.csv", ",1000000000,", ",\"1,000\","), []string{"values.csv:3: number: \"1,000\" 不是有效数值"}},
		{"ErrBadPeriod", replace("values.csv", "2021-11", "2021-13"), []string{"values.csv:3: period: \"2021-13\" 不是有效期别"}},
		{"ErrBadStatus", replace("values.csv", ",submitted,", ",final,"), []string{"values.csv:3", "状态 \"final\" 无效"}},
		{"ErrBadKind", replace("org_units.csv", "town", "borough"), []string{"org_units.csv:3", "类型 \"borough\" 无效"}},
		{"ErrRequiredEmpty", replace("goals.csv", "g,p,", "g,,"), []string{"goals.csv:2: plan: 不能为空"}},
		{"ErrDuplicate", func(f map[string]string) { f["areas.csv"] += "a,g,4,重复,\n" }, []string{"areas.csv:3", "重复（第 2 行已有）"}},
		{"ErrNotUTF8", func(f map[string]string) { f["goals.csv"] = "code,plan,name_zh\ng,p,\xc4\xbf\xb1\xea\n" }, []string{"goals.csv: 文件不是 UTF-8 编码"}},
		{"ErrRuleDoesNotCompile", replace("rules.csv", `v(""base"") >= 0`, `v(""base"") >=`), []string{"rules.csv:2", "表达式"}},
		{"ErrManyAtOnce", func(f map[string]string) {
			replace("values.csv", "2021-11", "2021-13")(f)
			replace("projects.csv", "operating", "finished")(f)
			replace("indicators.csv", "quarter", "fortnight")(f)
		}, []string{"values.csv:3: period", "indicators.csv:3: frequency", "projects.csv"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := dataset.Read(mutated(t, c.edit))
			if err == nil {
				t.Fatal("bad bundle was read without error")
			}
			for _, want := range c.wants {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error does not mention %q:\n%v", want, err)
				}
			}
		})
	}
}

// A bundle whose references do not resolve is refused whole: nothing is
// written, not even the objects that were fine.
func TestLoadRefusesBrokenReferencesWhole(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		b := full()
		b.Values[0].OrgUnitCode = "nowhere"
		b.Projects[0].OwnerDept = "ghost"
		err := dataset.Load(ctx, db, actor, b)
		if err == nil {
			t.Fatal("broken bundle loaded")
		}
		for _, want := range []string{"org_unit: 引用的 nowhere 不存在", "owner_dept: 引用的 ghost 不存在"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error does not mention %q: %v", want, err)
			}
		}
		if n, _ := db.AuditCount(ctx); n != 0 {
			t.Errorf("%d audit rows written by a refused load", n)
		}
		if empty, _ := dataset.IsEmpty(ctx, db); !empty {
			t.Error("refused load left data behind")
		}
	})
}

// Formulas are checked against every indicator, in the bundle or the
// database: an unknown reference or a cycle refuses the load, named.
func TestLoadRefusesFormulaProblems(t *testing.T) {
	for name, c := range map[string]struct {
		formula string
		want    string
	}{
		"ErrCycle":   {`v("pm") + 1`, "公式循环引用：base → pm → base"},
		"ErrUnknown": {`v("ghost") + 1`, "公式引用的指标 ghost 不存在"},
	} {
		t.Run(name, func(t *testing.T) {
			db := storagetest.OpenSQLite(t, nil)
			b := full()
			b.Indicators[1].Definitions[0].Formula = c.formula // base, which pm reads
			err := dataset.Load(ctx, db, actor, b)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want %q", err, c.want)
			}
			if n, _ := db.AuditCount(ctx); n != 0 {
				t.Errorf("a refused load wrote %d audit rows", n)
			}
		})
	}
}
