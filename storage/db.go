// Package storage keeps Lantu's data in SQLite (embedded, the default) or
// PostgreSQL, with plain database/sql and hand-written SQL in the subset both
// engines share. Every write goes through DB.Write, which runs it in one
// transaction together with its audit rows.
package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// Engine names a database engine.
type Engine string

const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// Config says where the data lives.
type Config struct {
	// URL selects PostgreSQL when it starts with postgres:// or
	// postgresql://. Empty means SQLite in DataDir.
	URL string
	// DataDir holds the SQLite file lantu.db; created if missing.
	DataDir string
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// DB is an open database. For SQLite it holds one writer connection, so that
// writers queue in Go rather than fail with SQLITE_BUSY, and a pool of
// readers, which WAL lets run beside the writer.
type DB struct {
	engine Engine
	write  *sql.DB
	read   *sql.DB
	now    func() time.Time
	where  string // for messages: the file or the host, never a password
	dsn    string // the PostgreSQL URL as given, for tests that connect beside
}

// IsPostgresURL reports whether s selects the PostgreSQL engine.
func IsPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// Open opens (and for SQLite creates) the database. It does not migrate.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	if cfg.URL != "" && !IsPostgresURL(cfg.URL) {
		return nil, fmt.Errorf("数据库地址必须以 postgres:// 开头 (database URL must start with postgres://)")
	}
	if cfg.URL != "" {
		return openPostgres(ctx, cfg.URL, now)
	}
	return openSQLite(ctx, cfg.DataDir, now)
}

func openSQLite(ctx context.Context, dir string, now func() time.Time) (*DB, error) {
	if dir == "" {
		return nil, errors.New("storage: no data directory")
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("storage: create data directory: %w", err)
	}
	path := filepath.Join(dir, "lantu.db")
	// busy_timeout comes first so that switching to WAL cannot fail with
	// SQLITE_BUSY when another process holds the file; _txlock=immediate
	// makes every write transaction take the write lock at BEGIN, so it
	// cannot fail half-way when upgrading a read lock.
	q := url.Values{}
	q.Set("_busy_timeout", "10000")
	q.Set("_journal_mode", "WAL")
	q.Set("_foreign_keys", "1")
	q.Set("_synchronous", "NORMAL")
	q.Set("_txlock", "immediate")
	// A page cache of 64 MiB for the writer keeps a large import's B-tree
	// pages in memory instead of spilling them to the file mid-transaction.
	q.Add("_pragma", "cache_size(-65536)")
	// The statement journal of a multi-row INSERT (the pages it changed,
	// kept until it succeeds) stays in memory instead of a temporary file:
	// it is bounded by one statement, and writing it out cost an import a
	// third of its time.
	q.Add("_pragma", "temp_store(memory)")
	write, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("storage: open %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxIdleTime(0)
	write.SetConnMaxLifetime(0)

	q.Set("_txlock", "deferred")
	q.Set("_query_only", "1")
	q.Del("_pragma")
	read, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		_ = write.Close()
		return nil, fmt.Errorf("storage: open %s: %w", path, err)
	}
	read.SetMaxOpenConns(8)
	db := &DB{engine: SQLite, write: write, read: read, now: now, where: path}
	if err := write.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("storage: open %s: %w", path, err)
	}
	return db, nil
}

func openPostgres(ctx context.Context, dsn string, now func() time.Time) (*DB, error) {
	pool, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("storage: open postgres: %w", err)
	}
	pool.SetMaxOpenConns(16)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	where := "postgres"
	if u, err := url.Parse(dsn); err == nil {
		where = "postgres://" + u.Host + u.Path
	}
	db := &DB{engine: Postgres, write: pool, read: pool, now: now, where: where, dsn: dsn}
	if err := pool.PingContext(ctx); err != nil {
		_ = pool.Close()
		return nil, fmt.Errorf("storage: connect to %s: %w", where, err)
	}
	return db, nil
}

// WithClock returns a handle on the same connections whose writes are
// stamped by now. Closing either closes both.
func (db *DB) WithClock(now func() time.Time) *DB {
	c := *db
	c.now = now
	return &c
}

// Engine returns the engine in use.
func (db *DB) Engine() Engine { return db.engine }

// Where describes the database for logs: the SQLite file or the PostgreSQL
// host and database, never a password.
func (db *DB) Where() string { return db.where }

// DSN returns the PostgreSQL URL the database was opened with (with its
// password), or "" for SQLite. Only tests and the CLI's own commands use it.
func (db *DB) DSN() string { return db.dsn }

// Close closes all connections.
func (db *DB) Close() error {
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// timeFormat is fixed-width so that times sort as text on both engines.
const timeFormat = "2006-01-02T15:04:05.000000Z"

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeFormat)
}

func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.RFC3339Nano, s)
}

func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func parseDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.DateOnly, s)
}

// normalTime is t as it comes back from the database: UTC, microseconds.
func normalTime(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Truncate(time.Microsecond)
}

func dateUTC(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
