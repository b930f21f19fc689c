package storage

import (
	"context"
	"fmt"
	"regexp"

	"github.com/jackc/pgx/v5"
)

var roleName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// GrantApp gives a PostgreSQL role what the server needs — read and write
// every table of the current schema, use its sequences — and withholds
// UPDATE, DELETE and TRUNCATE on the audit trail, so that a server running
// as that role cannot rewrite its own history even if its code tried. Run
// it as the tables' owner, after Migrate. The grant is in the audit trail.
func (tx *Tx) GrantApp(ctx context.Context, role string) error {
	if tx.db.engine != Postgres {
		return fmt.Errorf("storage: grant-app needs PostgreSQL")
	}
	if !roleName.MatchString(role) {
		return fmt.Errorf("角色名 %q 无效 (invalid role name)", role)
	}
	r := pgx.Identifier{role}.Sanitize()
	var schema string
	if err := tx.tx.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return fmt.Errorf("storage: grant-app: %w", err)
	}
	s := pgx.Identifier{schema}.Sanitize()
	stmts := []string{
		"GRANT USAGE ON SCHEMA " + s + " TO " + r,
		"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + s + " TO " + r,
		"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA " + s + " TO " + r,
		"REVOKE UPDATE, DELETE, TRUNCATE ON " + s + ".audit_log FROM " + r,
		"REVOKE DELETE, TRUNCATE ON " + s + ".audit_head FROM " + r,
	}
	for _, stmt := range stmts {
		if _, err := tx.tx.ExecContext(ctx, stmt); err != nil { // #nosec G202 -- identifiers checked and quoted by pgx.Identifier
			return fmt.Errorf("storage: grant-app: %s: %w", stmt, err)
		}
	}
	return tx.record(ctx, "grant_app", "db_role", role, nil, map[string]any{"schema": schema, "statements": stmts})
}
