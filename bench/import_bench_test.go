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
	"fmt"
	"os"
	"strconv"
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

// bare writes n rows of the value table's shape as fast as the engine
// allows, into a table of its own without constraints or audit.
func bare(b *testing.B, db *storage.DB, indicators, places int) {
	b.Helper()
	ctx := context.Background()
	raw := storagetest.Raw(b, db)
	const ddl = `CREATE TABLE bare_values (indicator_code TEXT NOT NULL, org_unit_code TEXT NOT NULL, period TEXT NOT NULL,
period_start TEXT NOT NULL, number DOUBLE PRECISION NOT NULL, status TEXT NOT NULL, entered_by TEXT NOT NULL, entered_at TEXT NOT NULL,
PRIMARY KEY (indicator_code, org_unit_code, period))`
	if _, err := raw.ExecContext(ctx, ddl); err != nil {
		b.Fatal(err)
	}
	at := time.Now().UTC().Format(time.RFC3339)
	if db.Engine() == storage.Postgres {
		conn, err := raw.Conn(ctx)
		if err != nil {
			b.Fatal(err)
		}
		defer conn.Close()
		err = conn.Raw(func(dc any) error {
			pc := dc.(*stdlib.Conn).Conn()
			i := 0
			_, err := pc.CopyFrom(ctx, pgx.Identifier{"bare_values"},
				[]string{"indicator_code", "org_unit_code", "period", "period_start", "number", "status", "entered_by", "entered_at"},
				pgx.CopyFromFunc(func() ([]any, error) {
					if i == indicators*places {
						return nil, nil
					}
					p, ind := i/indicators, i%indicators
					i++
					return []any{fmt.Sprintf("i%04d", ind), fmt.Sprintf("t%04d", p), month, "2024-03-01", float64(p*10+ind%10) + 0.5, "draft", "bench", at}, nil
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
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO bare_values VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`)
	if err != nil {
		b.Fatal(err)
	}
	for p := range places {
		for ind := range indicators {
			if _, err := stmt.ExecContext(ctx, fmt.Sprintf("i%04d", ind), fmt.Sprintf("t%04d", p), month, "2024-03-01", float64(p*10+ind%10)+0.5, "draft", "bench", at); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}
