package storage

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/period"
)

// The SQLite settings the issue asks for, read back from the connections
// themselves rather than trusted from the DSN.
func TestSQLiteSettings(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		pragma, want string
	}{
		{"journal_mode", "wal"},
		{"foreign_keys", "1"},
		{"busy_timeout", "10000"},
	} {
		for name, pool := range map[string]queryer{"writer": db.write, "reader": db.read} {
			var got string
			if err := pool.QueryRowContext(ctx, "PRAGMA "+c.pragma).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if strings.ToLower(got) != c.want {
				t.Errorf("%s: PRAGMA %s = %q, want %q", name, c.pragma, got, c.want)
			}
		}
	}
	for pragma, want := range map[string]string{"temp_store": "2", "cache_size": "-65536"} { // 2 = memory
		var got string
		if err := db.write.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil || got != want {
			t.Errorf("writer: PRAGMA %s = %q (%v), want %q", pragma, got, err, want)
		}
	}
	if got := db.write.Stats().MaxOpenConnections; got != 1 {
		t.Errorf("writer pool allows %d connections, want 1", got)
	}
	// The read pool cannot write, so no write can bypass Tx and its audit.
	if _, err := db.read.ExecContext(ctx, "INSERT INTO plans (code, name_zh, base_year, start_year, end_year) VALUES ('x', 'x', 2020, 2021, 2025)"); err == nil {
		t.Error("the read pool accepted a write")
	}
}

// Two processes on one file (a server and `lantu dataset import`, say) are
// two DBs here: with BEGIN IMMEDIATE and busy_timeout their write
// transactions wait for each other instead of failing with SQLITE_BUSY half
// way, which a deferred transaction upgrading its read lock would do.
func TestSQLiteTwoWritersOnOneFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	var dbs [2]*DB
	for i := range dbs {
		db, err := Open(ctx, Config{DataDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		dbs[i] = db
	}
	const each = 40
	errs := make(chan error, 2*each)
	done := make(chan struct{})
	for i, db := range dbs {
		go func() {
			defer func() { done <- struct{}{} }()
			for n := range each {
				key := fmt.Sprintf("writer%d.%d", i, n)
				errs <- db.Write(ctx, audit.Actor{Name: "t"}, func(tx *Tx) error {
					// read first, then write: the pattern that fails with
					// SQLITE_BUSY under deferred transactions
					if _, err := db.Settings(ctx); err != nil {
						return err
					}
					return tx.PutSetting(ctx, key, "v")
				})
			}
		}()
	}
	<-done
	<-done
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	set, err := dbs[0].Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(set) != 2*each {
		t.Errorf("%d settings, want %d", len(set), 2*each)
	}
}

// The review queue's queries read the partial indexes of the figures under
// review, which an import of drafts does not touch: the statuses must reach
// SQLite as literals for its planner to prove an index applies.
func TestReviewQueueUsesPartialIndex(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	for status, index := range map[indicator.Status]string{indicator.Submitted: "indicator_values_submitted", indicator.Approved: "indicator_values_approved"} {
		f := ValueFilter{Period: period.MustParse("2024-03"), Statuses: []indicator.Status{status}, Scope: auth.SystemScope()}
		where, args := f.where(true)
		rows, err := db.read.QueryContext(ctx, "EXPLAIN QUERY PLAN SELECT number FROM indicator_values WHERE "+where, args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		if !strings.Contains(strings.Join(plan, "\n"), index) {
			t.Errorf("%s: query plan does not use %s:\n%s", status, index, strings.Join(plan, "\n"))
		}
	}
}
