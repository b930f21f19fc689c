package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/auth"
)

const userColumns = `id, name, display_name, role, department, password_hash, totp_secret, totp_last_step, recovery_codes,
disabled, created_at, password_changed_at`

func scanUser(r scanner) (auth.User, error) {
	var u auth.User
	var dept sql.NullString
	var codes, created, changed string
	err := r.Scan(&u.ID, &u.Name, &u.DisplayName, &u.Role, &dept, &u.PasswordHash, &u.TOTPSecret, &u.TOTPLastStep, &codes,
		&u.Disabled, &created, &changed)
	if err != nil {
		return u, err
	}
	u.Department = dept.String
	u.RecoveryCodes = strings.Fields(codes)
	if u.CreatedAt, err = parseTime(created); err != nil {
		return u, err
	}
	u.PasswordChangedAt, err = parseTime(changed)
	return u, err
}

// userRecord is a user as the audit trail shows it: every field a person
// sets, and whether the secrets exist, never the secrets themselves.
type userRecord struct {
	ID                int64
	Name              string
	DisplayName       string
	Role              auth.Role
	Department        string
	Disabled          bool
	TOTPEnrolled      bool
	RecoveryCodesLeft int
	PasswordChangedAt time.Time
}

func recordOf(u auth.User) userRecord {
	return userRecord{ID: u.ID, Name: u.Name, DisplayName: u.DisplayName, Role: u.Role, Department: u.Department,
		Disabled: u.Disabled, TOTPEnrolled: u.HasTOTP(), RecoveryCodesLeft: len(u.RecoveryCodes), PasswordChangedAt: u.PasswordChangedAt}
}

func userID(id int64) string { return strconv.FormatInt(id, 10) }

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// User returns one user.
func (db *DB) User(ctx context.Context, id int64) (auth.User, error) {
	return getUser(ctx, db.read, "id = $1", id)
}

// UserByName returns the user with the sign-in name.
func (db *DB) UserByName(ctx context.Context, name string) (auth.User, error) {
	return getUser(ctx, db.read, "name = $1", auth.NormalizeName(name))
}

func getUser(ctx context.Context, q queryer, where string, arg any) (auth.User, error) {
	u, err := scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE `+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return u, apperr.NotFoundf("用户不存在", "user not found")
	}
	if err != nil {
		return u, fmt.Errorf("storage: user: %w", err)
	}
	return u, nil
}

// Users returns every user by name.
func (db *DB) Users(ctx context.Context) ([]auth.User, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("storage: users: %w", err)
	}
	defer rows.Close()
	var out []auth.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("storage: users: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// CreateUser adds a user and returns its id. The password hash must be set.
func (tx *Tx) CreateUser(ctx context.Context, u auth.User) (int64, error) {
	u.Name = auth.NormalizeName(u.Name)
	if err := u.Validate(); err != nil {
		return 0, err
	}
	if u.PasswordHash == "" {
		return 0, errors.New("storage: user without password hash")
	}
	if _, err := getUser(ctx, tx.tx, "name = $1", u.Name); err == nil {
		return 0, apperr.Conflictf("用户名 %s 已被使用", "user name %s is taken", u.Name)
	}
	u.CreatedAt, u.PasswordChangedAt = tx.now, tx.now
	id, err := tx.insert(ctx, "user", func(id int64) (string, any) { u.ID = id; return userID(id), recordOf(u) },
		`INSERT INTO users (name, display_name, role, department, password_hash, totp_secret, totp_last_step, recovery_codes,
disabled, created_at, password_changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		u.Name, u.DisplayName, string(u.Role), nullString(u.Department), u.PasswordHash, u.TOTPSecret, u.TOTPLastStep,
		strings.Join(u.RecoveryCodes, " "), u.Disabled, formatTime(u.CreatedAt), formatTime(u.PasswordChangedAt))
	return id, err
}

// UpdateUser writes every field of u. A changed password hash sets
// PasswordChangedAt.
func (tx *Tx) UpdateUser(ctx context.Context, u auth.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	before, err := getUser(ctx, tx.tx, "id = $1", u.ID)
	if err != nil {
		return err
	}
	u.Name, u.CreatedAt = before.Name, before.CreatedAt // never change
	if u.PasswordHash != before.PasswordHash {
		u.PasswordChangedAt = tx.now
	} else {
		u.PasswordChangedAt = before.PasswordChangedAt
	}
	if same(before, u) {
		return nil
	}
	return tx.change(ctx, "user", userID(u.ID), recordOf(before), recordOf(u),
		`UPDATE users SET display_name = $2, role = $3, department = $4, password_hash = $5, totp_secret = $6, totp_last_step = $7,
recovery_codes = $8, disabled = $9, password_changed_at = $10 WHERE id = $1`,
		u.ID, u.DisplayName, string(u.Role), nullString(u.Department), u.PasswordHash, u.TOTPSecret, u.TOTPLastStep,
		strings.Join(u.RecoveryCodes, " "), u.Disabled, formatTime(u.PasswordChangedAt))
}

// insert runs an INSERT … RETURNING id and records the new object, whose
// audit id and state describe may depend on the id.
func (tx *Tx) insert(ctx context.Context, objectType string, describe func(id int64) (string, any), query string, args ...any) (int64, error) {
	var id int64
	if err := tx.tx.QueryRowContext(ctx, query, args...).Scan(&id); err != nil {
		return 0, translateWriteError(objectType, "", err)
	}
	objectID, after := describe(id)
	return id, tx.record(ctx, audit.Create, objectType, objectID, nil, after)
}

// RecordEvent writes an audit row for something that happened without a
// change of data: a sign-in, a failed one, a refused request, a download.
func (tx *Tx) RecordEvent(ctx context.Context, action audit.Action, objectType, objectID string, details any) error {
	return tx.record(ctx, action, objectType, objectID, nil, details)
}

// SignInAttempts counts the failed sign-ins that the throttle weighs: on
// the account since its last success, and from the address, both since
// since. They are read from the audit trail, where every attempt is.
func (db *DB) SignInAttempts(ctx context.Context, name, ip string, since time.Time) (auth.Attempts, error) {
	var a auth.Attempts
	var last, oldest sql.NullString
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*), MAX(at) FROM audit_log
WHERE action = 'sign_in_failed' AND object_id = $1 AND at > $2
AND at > COALESCE((SELECT MAX(at) FROM audit_log WHERE action = 'sign_in' AND object_id = $1), '')`,
		auth.NormalizeName(name), formatTime(since)).Scan(&a.AccountFailures, &last)
	if err != nil {
		return a, fmt.Errorf("storage: sign-in attempts: %w", err)
	}
	if ip != "" {
		err = db.read.QueryRowContext(ctx, `SELECT COUNT(*), MIN(at) FROM audit_log
WHERE action = 'sign_in_failed' AND ip = $1 AND at > $2`, ip, formatTime(since)).Scan(&a.IPFailures, &oldest)
		if err != nil {
			return a, fmt.Errorf("storage: sign-in attempts: %w", err)
		}
	}
	if a.LastAccountFailure, err = parseTime(last.String); err != nil {
		return a, err
	}
	a.OldestIPFailure, err = parseTime(oldest.String)
	return a, err
}
