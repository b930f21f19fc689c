package storage_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"net/url"
	"strings"
	"testing"

	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/storage"
	"github.com/lantu/lantu/storage/storagetest"
)

// On PostgreSQL the server can run as a role that cannot rewrite the audit
// trail at all: the database refuses it the privilege, triggers aside.
func TestAppRoleCannotRewriteAudit(t *testing.T) {
	if storagetest.PostgresURL(t) == "" {
		t.Skip("NOTICE: PostgreSQL not configured (set LANTU_TEST_POSTGRES); skipped")
	}
	owner := storagetest.OpenPostgres(t, nil)
	writeSources(t, owner, 2)

	role := "lantu_app_" + strings.ToLower(rand.Text()[:8])
	raw := storagetest.Raw(t, owner)
	if _, err := raw.ExecContext(ctx, "CREATE ROLE "+role+" LOGIN PASSWORD 'app-secret'"); err != nil {
		t.Fatalf("create role (the test user needs CREATEROLE): %v", err)
	}
	t.Cleanup(func() {
		_, _ = raw.ExecContext(context.Background(), "DROP OWNED BY "+role)
		_, _ = raw.ExecContext(context.Background(), "DROP ROLE "+role)
	})
	err := owner.Write(ctx, audit.Actor{Name: "cli:test"}, func(tx *storage.Tx) error { return tx.GrantApp(ctx, role) })
	if err != nil {
		t.Fatal(err)
	}
	entries, _ := owner.AuditEntries(ctx, storage.AuditFilter{ObjectType: "db_role", ObjectID: role})
	if len(entries) != 1 {
		t.Errorf("the grant is not in the audit trail: %v", entries)
	}

	u, _ := url.Parse(owner.DSN())
	u.User = url.UserPassword(role, "app-secret")
	app, err := storage.Open(ctx, storage.Config{URL: u.String()})
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	if err := app.Migrate(ctx); err != nil {
		t.Fatalf("the app role cannot check the schema version: %v", err)
	}
	// Ordinary work, audit rows included, goes on.
	err = app.Write(ctx, actor, func(tx *storage.Tx) error {
		return tx.PutSource(ctx, indicator.Source{Code: "by-app", TitleZH: "应用写入"})
	})
	if err != nil {
		t.Fatalf("the app role cannot write: %v", err)
	}
	appRaw, err := sql.Open("pgx", u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer appRaw.Close()
	for _, stmt := range []string{
		"UPDATE audit_log SET actor = 'mallory' WHERE id = 1",
		"DELETE FROM audit_log WHERE id = 1",
		"TRUNCATE audit_log",
		"DROP TRIGGER audit_log_no_change ON audit_log",
	} {
		_, err := appRaw.ExecContext(ctx, stmt)
		if err == nil || !(strings.Contains(err.Error(), "permission denied") || strings.Contains(err.Error(), "must be owner")) {
			t.Errorf("%s as the app role: %v, want permission denied", stmt, err)
		}
	}
	if _, p, err := app.VerifyAudit(ctx); err != nil || p != nil {
		t.Errorf("verify as the app role: %v %v", p, err)
	}
}
