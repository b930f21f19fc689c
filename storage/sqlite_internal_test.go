package storage

import (
	"context"
	"strings"
	"testing"
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
	if got := db.write.Stats().MaxOpenConnections; got != 1 {
		t.Errorf("writer pool allows %d connections, want 1", got)
	}
	// The read pool cannot write, so no write can bypass Tx and its audit.
	if _, err := db.read.ExecContext(ctx, "INSERT INTO plans (code, name_zh, base_year, start_year, end_year) VALUES ('x', 'x', 2020, 2021, 2025)"); err == nil {
		t.Error("the read pool accepted a write")
	}
}
