// Package storagetest opens real databases for tests: a fresh SQLite file,
// and a fresh PostgreSQL schema when LANTU_TEST_POSTGRES names a server.
// Set LANTU_REQUIRE_POSTGRES=1 (CI does) to make the PostgreSQL run
// mandatory instead of skipped.
package storagetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/lantu/lantu/storage"
)

// PostgresURL returns the server to test against, or "" when none is
// configured (and PostgreSQL is not required).
func PostgresURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("LANTU_TEST_POSTGRES")
	if u == "" && os.Getenv("LANTU_REQUIRE_POSTGRES") == "1" {
		t.Fatal("LANTU_REQUIRE_POSTGRES=1 but LANTU_TEST_POSTGRES is not set: PostgreSQL tests are mandatory here")
	}
	return u
}

// Each runs fn once per engine, as subtests "sqlite" and "postgres", each
// with a fresh, migrated database and the given clock (nil for time.Now).
// The PostgreSQL subtest is skipped with a visible notice when no server is
// configured.
func Each(t *testing.T, now func() time.Time, fn func(t *testing.T, db *storage.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, OpenSQLite(t, now)) })
	t.Run("postgres", func(t *testing.T) {
		if PostgresURL(t) == "" {
			t.Skip("NOTICE: PostgreSQL not configured (set LANTU_TEST_POSTGRES=postgres://…); PostgreSQL run skipped")
		}
		fn(t, OpenPostgres(t, now))
	})
}

// OpenSQLite opens a migrated SQLite database in a temporary directory.
func OpenSQLite(t testing.TB, now func() time.Time) *storage.DB {
	t.Helper()
	db, err := storage.Open(context.Background(), storage.Config{DataDir: t.TempDir(), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

// OpenPostgres opens a migrated PostgreSQL database in a schema of its own,
// dropped when the test ends.
func OpenPostgres(t testing.TB, now func() time.Time) *storage.DB {
	t.Helper()
	ctx := context.Background()
	db, err := storage.Open(ctx, storage.Config{URL: PostgresSchemaURL(t), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

// PostgresSchemaURL creates an empty schema of the test's own on the
// configured server, dropped when the test ends, and returns a URL whose
// search_path selects it: for tests that start the binary themselves.
func PostgresSchemaURL(t testing.TB) string {
	t.Helper()
	base := PostgresURL(t)
	if base == "" {
		t.Skip("NOTICE: PostgreSQL not configured; skipped")
	}
	schema := "lantu_test_" + randomHex(t)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.ExecContext(context.Background(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer a.Close()
		_, _ = a.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func randomHex(t testing.TB) string {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// OpenPostgresIfConfigured opens a fresh PostgreSQL database when a server
// is configured, and otherwise returns fallback: for tests that move data
// from one engine to the other.
func OpenPostgresIfConfigured(t testing.TB, now func() time.Time, fallback *storage.DB) *storage.DB {
	t.Helper()
	if PostgresURL(t) == "" {
		return fallback
	}
	return OpenPostgres(t, now)
}

// Raw opens a second, unguarded connection to the same database, as an
// attacker with the file or the owner's password would: for tests that
// tamper on purpose.
func Raw(t testing.TB, db *storage.DB) *sql.DB {
	t.Helper()
	driver, dsn := "sqlite", "file:"+db.Where()
	if db.Engine() == storage.Postgres {
		driver, dsn = "pgx", db.DSN()
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = raw.Close() })
	return raw
}

// DropAuditGuards removes the triggers that keep audit rows append-only.
func DropAuditGuards(t testing.TB, raw *sql.DB, engine storage.Engine) {
	t.Helper()
	stmts := []string{`DROP TRIGGER audit_log_no_update`, `DROP TRIGGER audit_log_no_delete`}
	if engine == storage.Postgres {
		stmts = []string{`DROP TRIGGER audit_log_no_change ON audit_log`, `DROP TRIGGER audit_log_no_truncate ON audit_log`}
	}
	for _, s := range stmts {
		if _, err := raw.ExecContext(context.Background(), s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// WithClock returns a handle on the same database whose writes are stamped
// by now: for tests whose clock moves.
func WithClock(t testing.TB, db *storage.DB, now func() time.Time) *storage.DB {
	t.Helper()
	return db.WithClock(now)
}
