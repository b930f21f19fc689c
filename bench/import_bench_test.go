// Package bench holds the benchmarks that measure Lantu against the
// fastest bare path of each engine. They run only when asked:
//
//	go test ./bench -run '^$' -bench Import -benchtime 1x -timeout 60m
//
// with LANTU_TEST_POSTGRES set for the PostgreSQL half, and
// LANTU_BENCH_VALUES to change the size (default 1,000,000).
package bench

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/xuri/excelize/v2"

	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/excelio"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/plan"
	"github.com/lantu/lantu/reporting"
	"github.com/lantu/lantu/rules"
	"github.com/lantu/lantu/storage"
	"github.com/lantu/lantu/storage/storagetest"
)

// shape of the synthetic city: indicators × places for one month.
func shape() (indicators, places int) {
	n := 1_000_000
	if s := os.Getenv("LANTU_BENCH_VALUES"); s != "" {
		if v, err := strconv.Atoi(s); err == nil && v >= 1000 {
			n = v
		}
	}
	return 1000, n / 1000
}

const month = "2024-03"

// seed writes a plan of `indicators` monthly indicators owned by one
// department, `places` towns, a range rule and a round for the month.
func seed(b *testing.B, db *storage.DB, indicators, places int) {
	b.Helper()
	ctx := context.Background()
	err := db.Write(ctx, audit.Actor{Name: "bench"}, func(tx *storage.Tx) error {
		steps := []error{
			tx.PutPlan(ctx, plan.Plan{Code: "p", NameZH: "规划", BaseYear: 2020, StartYear: 2021, EndYear: 2025}),
			tx.PutGoal(ctx, plan.Goal{Code: "g", PlanCode: "p", NameZH: "目标"}),
			tx.PutArea(ctx, plan.Area{Code: "a", GoalCode: "g", NameZH: "领域"}),
			tx.PutOrgUnit(ctx, plan.OrgUnit{Code: "city", Kind: plan.City, NameZH: "市"}),
			tx.PutDepartment(ctx, plan.Department{Code: "stats", OrgUnitCode: "city", NameZH: "统计局"}),
			tx.PutValidationRule(ctx, rules.Rule{Code: "range", Expression: `v("i0000") >= 0 && v("i0000") <= 1e9`, Severity: rules.SeverityError,
				MessageZH: "i0000 超出范围：{i0000}", MessageEN: "i0000 out of range: {i0000}", Active: true}),
		}
		for _, err := range steps {
			if err != nil {
				return err
			}
		}
		for i := range indicators {
			ind := indicator.Indicator{Code: fmt.Sprintf("i%04d", i), AreaCode: "a", OwnerDept: "stats", Definitions: []indicator.Definition{{
				EffectiveFrom: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), NameZH: fmt.Sprintf("指标%d", i), UnitZH: "个",
				Direction: indicator.HigherBetter, Nature: indicator.Expected, Frequency: period.Month,
				TimeAgg: indicator.SumOverTime, PlaceAgg: indicator.SumOverPlaces}}}
			if err := tx.PutIndicator(ctx, ind); err != nil {
				return err
			}
		}
		for p := range places {
			if err := tx.PutOrgUnit(ctx, plan.OrgUnit{Code: fmt.Sprintf("t%04d", p), ParentCode: "city", Kind: plan.Town, NameZH: fmt.Sprintf("镇%d", p)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	svc := reporting.New(db)
	office := auth.Subject{UserID: 1, Name: "bench", Role: auth.Planner}
	if _, err := svc.OpenRound(ctx, office, reporting.NewRound{Period: month, DueDate: "2024-04-15"}, ""); err != nil {
		b.Fatal(err)
	}
}

// files returns the same figures as CSV and as XLSX.
func files(b *testing.B, indicators, places int) (csvData, xlsxData []byte) {
	b.Helper()
	var c bytes.Buffer
	c.WriteString("indicator,org_unit,period,value\n")
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	if err := sw.SetRow("A1", []any{"indicator", "org_unit", "period", "value"}); err != nil {
		b.Fatal(err)
	}
	row := 2
	for p := range places {
		for i := range indicators {
			ind, org, x := fmt.Sprintf("i%04d", i), fmt.Sprintf("t%04d", p), float64(p*10+i%10)+0.5
			fmt.Fprintf(&c, "%s,%s,%s,%g\n", ind, org, month, x)
			cell, _ := excelize.CoordinatesToCellName(1, row)
			if err := sw.SetRow(cell, []any{ind, org, month, x}); err != nil {
				b.Fatal(err)
			}
			row++
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	var x bytes.Buffer
	if err := f.Write(&x); err != nil {
		b.Fatal(err)
	}
	return c.Bytes(), x.Bytes()
}

func engines(b *testing.B) map[string]func() *storage.DB {
	out := map[string]func() *storage.DB{"sqlite": func() *storage.DB { return storagetest.OpenSQLite(b, nil) }}
	if storagetest.PostgresURL(b) != "" {
		out["postgres"] = func() *storage.DB { return storagetest.OpenPostgres(b, nil) }
	}
	return out
}

// BenchmarkImport imports the figures through Lantu — file reading,
// validation rules, department and round checks, audit rows with the hash
// chain — from CSV and from XLSX, and, in the same run, writes rows of the
// same shape through the engine's fastest bare path: a prepared INSERT in
// one transaction on SQLite, COPY on PostgreSQL.
func BenchmarkImport(b *testing.B) {
	indicators, places := shape()
	n := indicators * places
	csvData, xlsxData := files(b, indicators, places)
	office := auth.Subject{UserID: 1, Name: "bench", Role: auth.Planner}
	for engine, open := range engines(b) {
		for _, format := range []string{"csv", "xlsx"} {
			b.Run(engine+"/"+format, func(b *testing.B) {
				for b.Loop() {
					b.StopTimer()
					db := open()
					seed(b, db, indicators, places)
					data := csvData
					if format == "xlsx" {
						data = xlsxData
					}
					b.StartTimer()
					records, err := excelio.Read("values."+format, bytes.NewReader(data), int64(len(data)), excelio.Limits{MaxFileBytes: 256 << 20, MaxUncompressedBytes: 1 << 30})
					if err != nil {
						b.Fatal(err)
					}
					rep, err := reporting.New(db).Import(context.Background(), office, records, reporting.ImportOptions{}, "")
					if err != nil {
						b.Fatal(err)
					}
					if rep.New != n {
						b.Fatalf("imported %d, want %d", rep.New, n)
					}
				}
				b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "values/s")
			})
		}
		b.Run(engine+"/bare", func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				db := open()
				b.StartTimer()
				bare(b, db, indicators, places)
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "values/s")
		})
	}
}

// bare writes n rows as fast as the engine allows into a table of the
// value table's shape — its columns, key and indexes, copied from the
// migrated schema — without foreign keys, checks or audit.
func bare(b *testing.B, db *storage.DB, indicators, places int) {
	b.Helper()
	ctx := context.Background()
	raw := storagetest.Raw(b, db)
	if db.Engine() == storage.SQLite {
		// the writer's own settings: a 64 MiB page cache, journals in memory
		var err error
		raw, err = sql.Open("sqlite", "file:"+db.Where()+"?_pragma=cache_size(-65536)&_pragma=temp_store(memory)&_pragma=synchronous(normal)&_pragma=busy_timeout(10000)")
		if err != nil {
			b.Fatal(err)
		}
		defer raw.Close()
		raw.SetMaxOpenConns(1)
	}
	copyValueTable(b, raw, db.Engine())
	at := time.Now().UTC().Format(time.RFC3339)
	row := func(i int) []any {
		p, ind := i/indicators, i%indicators
		return []any{fmt.Sprintf("i%04d", ind), fmt.Sprintf("t%04d", p), month, "2024-03-01", float64(p*10+ind%10) + 0.5, "", "draft", "bench", at,
			"", "", "", "", "", "", false, "", "", "", "", false}
	}
	n := indicators * places
	if db.Engine() == storage.Postgres {
		conn, err := raw.Conn(ctx)
		if err != nil {
			b.Fatal(err)
		}
		defer conn.Close()
		err = conn.Raw(func(dc any) error {
			pc := dc.(*stdlib.Conn).Conn()
			i := 0
			_, err := pc.CopyFrom(ctx, pgx.Identifier{"bare_values"}, valueColumns, pgx.CopyFromFunc(func() ([]any, error) {
				if i == n {
					return nil, nil
				}
				i++
				return row(i - 1), nil
			}))
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		return
	}
	tx, err := raw.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(valueColumns)), ", ")
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO bare_values (`+strings.Join(valueColumns, ", ")+`) VALUES (`+marks+`)`)
	if err != nil {
		b.Fatal(err)
	}
	for i := range n {
		if _, err := stmt.ExecContext(ctx, row(i)...); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

// valueColumns are the columns of indicator_values, in order.
var valueColumns = []string{"indicator_code", "org_unit_code", "period", "period_start", "number", "qualifier", "status",
	"entered_by", "entered_at", "approved_by", "approved_at", "published_at", "source", "quote", "note", "sample",
	"submitted_by", "submitted_at", "explanation", "review_comment", "computed"}

// copyValueTable creates bare_values with the columns, key and indexes of
// indicator_values as migrated, but no foreign keys.
func copyValueTable(b *testing.B, raw *sql.DB, engine storage.Engine) {
	b.Helper()
	ctx := context.Background()
	if engine == storage.Postgres {
		if _, err := raw.ExecContext(ctx, `CREATE TABLE bare_values (LIKE indicator_values INCLUDING DEFAULTS INCLUDING INDEXES)`); err != nil {
			b.Fatal(err)
		}
		return
	}
	rows, err := raw.QueryContext(ctx, `SELECT type, sql FROM sqlite_master WHERE tbl_name = 'indicator_values' AND sql IS NOT NULL ORDER BY type = 'index'`)
	if err != nil {
		b.Fatal(err)
	}
	var ddl []string
	for rows.Next() {
		var kind, text string
		if err := rows.Scan(&kind, &text); err != nil {
			b.Fatal(err)
		}
		text = references.ReplaceAllString(text, "")
		text = strings.Replace(text, `"indicator_values"`, "bare_values", 1)
		text = strings.Replace(text, "ON indicator_values", "ON bare_values", 1)
		text = strings.Replace(text, "INDEX indicator_values", "INDEX bare_values", 1)
		ddl = append(ddl, text)
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	rows.Close()
	if len(ddl) < 2 || !strings.Contains(ddl[0], "bare_values") {
		b.Fatalf("cannot copy the value table: %q", ddl)
	}
	for _, q := range ddl {
		if _, err := raw.ExecContext(ctx, q); err != nil {
			b.Fatalf("%s: %v", q, err)
		}
	}
}

var references = regexp.MustCompile(`\s*REFERENCES \w+ \(\w+\)`)
