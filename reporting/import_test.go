package reporting_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/excelio"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/reporting"
	"github.com/lantu/lantu/storage"
	"github.com/lantu/lantu/storage/storagetest"
)

func rec(row int, ind, period, value string) excelio.Record {
	return excelio.Record{Sheet: "数据", Row: row, Indicator: ind, OrgUnit: "gujiao", Period: period, Value: value,
		ValueCell: "数据!I" + strconv.Itoa(row)}
}

func TestImportAllOrNothing(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		now := time.Date(2022, 1, 10, 9, 0, 0, 0, indicator.Beijing)
		svc := setup(t, db, &now)
		bad := []excelio.Record{
			rec(2, "forest-cover", "2021", "187.7"),
			rec(3, "afforestation", "2021", "abc"),
			rec(4, "hazelnut-area-added", "2021", "1,000"),
			rec(5, "sea-buckthorn-area", "2021", "5400"),
			rec(6, "sea-buckthorn-area", "2021", "5500"),
			rec(7, "unknown-thing", "2021", "1"),
			rec(8, "urban-jobs-new", "2021", "3700"),
			rec(9, "afforestation", "2022", "3"),
			rec(10, "afforestation", "2021", ""), // empty: skipped
		}
		rep, err := svc.Import(ctx, forestry, bad, reporting.ImportOptions{}, "")
		if apperr.Code(err) != apperr.Invalid {
			t.Fatalf("bad import: %v", err)
		}
		got := apperr.Message(err, "zh")
		for _, want := range []string{
			"数据!I3：「营造林面积」应为数字（不用千位分隔符），填写的是 abc",
			"数据!I4：「新增榛子种植面积」应为数字（不用千位分隔符），填写的是 1,000",
		} {
			if !strings.Contains(got, want) {
				t.Errorf("missing %q in:\n%s", want, got)
			}
		}
		// Numbers first: with them fixed, the other problems show, each at its cell.
		bad[1].Value, bad[2].Value = "3.1", "4500"
		_, err = svc.Import(ctx, forestry, bad, reporting.ImportOptions{}, "")
		got = apperr.Message(err, "zh")
		for _, want := range []string{
			"数据!I2：森林覆盖率 应在 0–100 之间，填写的是 187.7",
			"数据!I6：sea-buckthorn-area/gujiao/2021 与第 4 条重复",
			"数据!I7：指标 unknown-thing 不存在",
			"数据!I8：无权填报指标「城镇新增就业人数」",
			"数据!I9：2022 尚未开放填报",
		} {
			if !strings.Contains(got, want) {
				t.Errorf("missing %q in:\n%s", want, got)
			}
		}
		if vals, _ := db.Values(ctx, storage.ValueFilter{Period: y2021, Scope: auth.SystemScope()}); len(vals) != 0 {
			t.Fatalf("a refused import wrote %d values", len(vals))
		}

		good := []excelio.Record{rec(2, "forest-cover", "2021", "19.1"), rec(3, "afforestation", "2021", "3.1"), rec(4, "afforestation", "2020", "")}
		rep, err = svc.Import(ctx, forestry, good, reporting.ImportOptions{DryRun: true}, "")
		if err != nil || rep.New != 2 || rep.Written || len(rep.Changes) != 2 || rep.Changes[0].Where != "数据!I2" {
			t.Fatalf("dry run = %+v, %v", rep, err)
		}
		if vals, _ := db.Values(ctx, storage.ValueFilter{Period: y2021, Scope: auth.SystemScope()}); len(vals) != 0 {
			t.Fatal("a dry run wrote values")
		}
		rep, err = svc.Import(ctx, forestry, good, reporting.ImportOptions{}, "10.0.0.9")
		if err != nil || rep.New != 2 || !rep.Written {
			t.Fatalf("import = %+v, %v", rep, err)
		}
		if v := value(t, db, "forest-cover"); v.Number != 19.1 || v.Status != indicator.Draft || v.EnteredBy != "li" {
			t.Errorf("imported = %+v", v)
		}
		good[0].Value = "19.2"
		rep, err = svc.Import(ctx, forestry, good, reporting.ImportOptions{Submit: true}, "")
		if err != nil || rep.Changed != 2 || rep.Changes[0].Old == nil || *rep.Changes[0].Old != 19.1 {
			t.Fatalf("re-import = %+v, %v", rep, err)
		}
		if v := value(t, db, "forest-cover"); v.Status != indicator.Submitted || v.SubmittedBy != "li" {
			t.Errorf("submitted by import = %+v", v)
		}
		entries, _ := db.ValueHistory(ctx, indicator.Key{Indicator: "forest-cover", OrgUnit: "gujiao", Period: period.MustParse("2021")}, 0)
		if len(entries) != 2 || entries[1].IP != "10.0.0.9" || !strings.Contains(entries[0].Reason, "导入") {
			t.Errorf("import history = %+v", entries)
		}
		if _, p, err := db.VerifyAudit(ctx); p != nil || err != nil {
			t.Errorf("audit chain after imports: %v %v", p, err)
		}
	})
}

// An import is checked one place and period at a time while the parts
// already checked are written: a problem in the last part still leaves
// nothing written, and a clean import writes every part, one audit row each.
func TestImportInPartsIsAllOrNothing(t *testing.T) {
	defer reporting.SetImportBatch(1)()
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		now := time.Date(2022, 1, 10, 9, 0, 0, 0, indicator.Beijing)
		svc := setup(t, db, &now)
		var recs []excelio.Record
		row := 2
		for _, org := range []string{"gujiao", "gujiao.chakou", "gujiao.changan"} {
			for _, ind := range []string{"forest-cover", "afforestation"} {
				r := rec(row, ind, "2021", strconv.Itoa(row))
				r.OrgUnit = org
				recs = append(recs, r)
				row++
			}
		}
		before, err := db.AuditCount(ctx)
		if err != nil {
			t.Fatal(err)
		}
		bad := append([]excelio.Record(nil), recs...)
		bad[len(bad)-2].Value = "187.7" // the last place's forest cover, row 6
		_, err = svc.Import(ctx, forestry, bad, reporting.ImportOptions{}, "")
		if got := apperr.Message(err, "zh"); !strings.Contains(got, "数据!I6：森林覆盖率 应在 0–100 之间，填写的是 187.7") {
			t.Fatalf("import with a problem in its last part: %v", err)
		}
		if vals, _ := db.Values(ctx, storage.ValueFilter{Period: y2021, Scope: auth.SystemScope()}); len(vals) != 0 {
			t.Fatalf("a refused import wrote %d values: %+v", len(vals), vals)
		}
		if after, _ := db.AuditCount(ctx); after != before {
			t.Fatalf("a refused import left %d audit rows", after-before)
		}
		rep, err := svc.Import(ctx, forestry, recs, reporting.ImportOptions{}, "")
		if err != nil || rep.New != 6 || !rep.Written {
			t.Fatalf("clean import = %+v, %v", rep, err)
		}
		vals, _ := db.Values(ctx, storage.ValueFilter{Period: y2021, Scope: auth.SystemScope()})
		if len(vals) != 6 {
			t.Errorf("clean import wrote %d values, want 6", len(vals))
		}
		rows, _ := db.AuditEntries(ctx, storage.AuditFilter{ObjectType: storage.ImportedValues})
		if len(rows) != 3 {
			t.Errorf("%d import audit rows, want one per org unit: %+v", len(rows), rows)
		}
	})
}

// An import recomputes the formulas that read its figures, however many
// parts it is written in: the ratio of the two dibao standards.
func TestImportRecomputesFormulas(t *testing.T) {
	defer reporting.SetImportBatch(1)()
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		now := time.Date(2022, 1, 10, 9, 0, 0, 0, indicator.Beijing)
		svc := setup(t, db, &now)
		recs := []excelio.Record{rec(2, "rural-dibao-standard", "2021", "600"), rec(3, "urban-dibao-standard", "2021", "800")}
		if _, err := svc.Import(ctx, civil, recs, reporting.ImportOptions{}, ""); err != nil {
			t.Fatal(err)
		}
		v, err := db.Value(ctx, auth.SystemScope(), "dibao-ratio", "gujiao", y2021)
		if err != nil || v.Number != 75 || !v.Computed {
			t.Errorf("dibao-ratio after the import = %+v, %v; want 600/800×100 = 75", v, err)
		}
	})
}

// A warning found in a later part of an import names its own cell.
func TestImportWarningsNameTheirCell(t *testing.T) {
	defer reporting.SetImportBatch(1)()
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		now := time.Date(2022, 1, 10, 9, 0, 0, 0, indicator.Beijing)
		svc := setup(t, db, &now)
		first := rec(2, "urban-jobs-new", "2021", "10")
		first.OrgUnit = "gujiao.chakou"                                           // no figure for 2020 there: no warning
		recs := []excelio.Record{first, rec(3, "urban-jobs-new", "2021", "9000")} // 3610 in 2020: +149%
		rep, err := svc.Import(ctx, hr, recs, reporting.ImportOptions{}, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Warnings) != 1 || rep.Warnings[0].Where != "数据!I3" || !strings.Contains(rep.Warnings[0].ZH, "变化超过 50%") {
			t.Errorf("warnings = %+v", rep.Warnings)
		}
	})
}
