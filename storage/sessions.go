package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/auth"
)

const sessionColumns = `id, token_hash, user_id, created_at, last_seen_at, mfa_pending, csrf_token, ip, user_agent, ended_at, end_reason`

func scanSession(r scanner) (auth.Session, error) {
	var s auth.Session
	var created, seen, ended string
	err := r.Scan(&s.ID, &s.TokenHash, &s.UserID, &created, &seen, &s.MFAPending, &s.CSRFToken, &s.IP, &s.UserAgent, &ended, &s.EndReason)
	if err != nil {
		return s, err
	}
	if s.CreatedAt, err = parseTime(created); err != nil {
		return s, err
	}
	if s.LastSeenAt, err = parseTime(seen); err != nil {
		return s, err
	}
	s.EndedAt, err = parseTime(ended)
	return s, err
}

// sessionRecord is a session as the audit trail shows it: no token, no
// CSRF secret.
type sessionRecord struct {
	ID         int64
	UserID     int64
	IP         string
	UserAgent  string
	MFAPending bool
	EndReason  string `json:",omitempty"`
}

func sessionRecordOf(s auth.Session) sessionRecord {
	return sessionRecord{ID: s.ID, UserID: s.UserID, IP: s.IP, UserAgent: s.UserAgent, MFAPending: s.MFAPending, EndReason: s.EndReason}
}

// SessionByToken returns the session whose token hashes to hash, live or
// not: the caller decides with Session.Live and the clock.
func (db *DB) SessionByToken(ctx context.Context, hash string) (auth.Session, error) {
	s, err := scanSession(db.read.QueryRowContext(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE token_hash = $1`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return s, apperr.NotFoundf("会话不存在", "no such session")
	}
	if err != nil {
		return s, fmt.Errorf("storage: session: %w", err)
	}
	return s, nil
}

// Sessions returns the user's sessions that have not been ended, newest
// first; some may have timed out.
func (db *DB) Sessions(ctx context.Context, userID int64) ([]auth.Session, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE user_id = $1 AND ended_at = '' ORDER BY id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("storage: sessions: %w", err)
	}
	defer rows.Close()
	var out []auth.Session
	for rows.Next() {
		s, err := scanSession(rows)
		if err != nil {
			return nil, fmt.Errorf("storage: sessions: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// CreateSession stores a new session (its token hash set by the caller) and
// records the sign-in step it stands for as action.
func (tx *Tx) CreateSession(ctx context.Context, s auth.Session, action audit.Action, userName string) (int64, error) {
	s.CreatedAt, s.LastSeenAt = tx.now, tx.now
	var id int64
	err := tx.tx.QueryRowContext(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, mfa_pending, csrf_token, ip, user_agent)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		s.TokenHash, s.UserID, formatTime(s.CreatedAt), formatTime(s.LastSeenAt), s.MFAPending, s.CSRFToken, s.IP, s.UserAgent).Scan(&id)
	if err != nil {
		return 0, translateWriteError("session", "", err)
	}
	s.ID = id
	return id, tx.record(ctx, action, "user", userName, nil, sessionRecordOf(s))
}

// EndSession ends one session for the reason given, recording it; ending an
// ended session does nothing.
func (tx *Tx) EndSession(ctx context.Context, id int64, reason string) error {
	s, err := scanSession(tx.tx.QueryRowContext(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.NotFoundf("会话不存在", "no such session")
	}
	if err != nil || !s.EndedAt.IsZero() {
		return err
	}
	after := s
	after.EndReason = reason
	return tx.change(ctx, "session", fmt.Sprint(id), sessionRecordOf(s), sessionRecordOf(after),
		`UPDATE sessions SET ended_at = $2, end_reason = $3 WHERE id = $1`, id, formatTime(tx.now), reason)
}

// EndUserSessions ends every session of a user except keep (0 for none):
// on sign-out everywhere, a password change, a disabled account.
func (tx *Tx) EndUserSessions(ctx context.Context, userID, keep int64, reason string) (int, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT id FROM sessions WHERE user_id = $1 AND ended_at = '' AND id <> $2`, userID, keep)
	if err != nil {
		return 0, fmt.Errorf("storage: sessions: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			_ = rows.Close()
			return 0, err
		}
		ids = append(ids, id)
	}
	_ = rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, id := range ids {
		if err := tx.EndSession(ctx, id, reason); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

// CompleteMFA marks a session as past its second factor and gives it a new
// token, so that the token seen before the second factor is worthless.
func (tx *Tx) CompleteMFA(ctx context.Context, id int64, newTokenHash, userName string) error {
	s, err := scanSession(tx.tx.QueryRowContext(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE id = $1`, id))
	if err != nil {
		return fmt.Errorf("storage: session: %w", err)
	}
	after := s
	after.MFAPending = false
	if err := tx.change(ctx, "session", fmt.Sprint(id), sessionRecordOf(s), sessionRecordOf(after),
		`UPDATE sessions SET mfa_pending = FALSE, token_hash = $2, last_seen_at = $3 WHERE id = $1`, id, newTokenHash, formatTime(tx.now)); err != nil {
		return err
	}
	return tx.record(ctx, audit.SignIn, "user", userName, nil, sessionRecordOf(after))
}

// TouchSession moves a session's idle deadline. It is the one write that is
// not audited: it happens on every request and changes nothing a person
// decided; sign-in, sign-out and every end of a session are audited.
func (db *DB) TouchSession(ctx context.Context, id int64, at time.Time) error {
	_, err := db.write.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $2 WHERE id = $1 AND ended_at = ''`, id, formatTime(at))
	if err != nil {
		return fmt.Errorf("storage: touch session: %w", err)
	}
	return nil
}

const tokenColumns = `id, user_id, name, hash, permissions, created_at, expires_at, revoked_at, last_used_at` // #nosec G101 -- column names, not a credential

func scanToken(r scanner) (auth.APIToken, error) {
	var t auth.APIToken
	var perms, created, expires, revoked, used string
	if err := r.Scan(&t.ID, &t.UserID, &t.Name, &t.Hash, &perms, &created, &expires, &revoked, &used); err != nil {
		return t, err
	}
	for _, p := range strings.Fields(perms) {
		t.Permissions = append(t.Permissions, auth.Permission(p))
	}
	var err error
	for _, f := range []struct {
		dst *time.Time
		s   string
	}{{&t.CreatedAt, created}, {&t.ExpiresAt, expires}, {&t.RevokedAt, revoked}, {&t.LastUsedAt, used}} {
		if *f.dst, err = parseTime(f.s); err != nil {
			return t, err
		}
	}
	return t, nil
}

type tokenRecord struct {
	ID          int64
	UserID      int64
	Name        string
	Permissions []auth.Permission
	ExpiresAt   time.Time
	RevokedAt   time.Time `json:",omitzero"`
}

func tokenRecordOf(t auth.APIToken) tokenRecord {
	return tokenRecord{ID: t.ID, UserID: t.UserID, Name: t.Name, Permissions: t.Permissions, ExpiresAt: t.ExpiresAt, RevokedAt: t.RevokedAt}
}

func joinPermissions(ps []auth.Permission) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = string(p)
	}
	return strings.Join(s, " ")
}

// APITokenByHash returns the token with the hash, live or not.
func (db *DB) APITokenByHash(ctx context.Context, hash string) (auth.APIToken, error) {
	t, err := scanToken(db.read.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE hash = $1`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return t, apperr.NotFoundf("令牌不存在", "no such token")
	}
	if err != nil {
		return t, fmt.Errorf("storage: token: %w", err)
	}
	return t, nil
}

// APITokens returns a user's tokens, newest first.
func (db *DB) APITokens(ctx context.Context, userID int64) ([]auth.APIToken, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE user_id = $1 ORDER BY id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("storage: tokens: %w", err)
	}
	defer rows.Close()
	var out []auth.APIToken
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, fmt.Errorf("storage: tokens: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// CreateAPIToken stores a token (hash set by the caller) and returns its id.
func (tx *Tx) CreateAPIToken(ctx context.Context, t auth.APIToken) (int64, error) {
	t.CreatedAt = tx.now
	t.ExpiresAt = normalTime(t.ExpiresAt)
	return tx.insert(ctx, "api_token", func(id int64) (string, any) { t.ID = id; return fmt.Sprint(id), tokenRecordOf(t) },
		`INSERT INTO api_tokens (user_id, name, hash, permissions, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		t.UserID, t.Name, t.Hash, joinPermissions(t.Permissions), formatTime(t.CreatedAt), formatTime(t.ExpiresAt))
}

// RevokeAPIToken revokes the user's token id.
func (tx *Tx) RevokeAPIToken(ctx context.Context, userID, id int64) error {
	t, err := scanToken(tx.tx.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE id = $1 AND user_id = $2`, id, userID))
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.NotFoundf("令牌不存在", "no such token")
	}
	if err != nil || !t.RevokedAt.IsZero() {
		return err
	}
	after := t
	after.RevokedAt = tx.now
	return tx.change(ctx, "api_token", fmt.Sprint(id), tokenRecordOf(t), tokenRecordOf(after),
		`UPDATE api_tokens SET revoked_at = $2 WHERE id = $1`, id, formatTime(tx.now))
}

// TouchAPIToken notes when a token was last used; like TouchSession it is
// not audited.
func (db *DB) TouchAPIToken(ctx context.Context, id int64, at time.Time) error {
	_, err := db.write.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $2 WHERE id = $1`, id, formatTime(at))
	if err != nil {
		return fmt.Errorf("storage: touch token: %w", err)
	}
	return nil
}
