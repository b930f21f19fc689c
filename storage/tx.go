package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/audit"
)

// Tx is a write transaction. Its methods are the only code in Lantu that
// changes data, and each of them records an audit row through Tx.record in
// the same transaction: there is no exported way to write without one.
type Tx struct {
	tx   *sql.Tx
	conn *sql.Conn // the transaction's connection on PostgreSQL, for COPY
	// locked are the parents of figures this transaction has locked FOR
	// KEY SHARE (table + "/" + code); a lock lasts until the end.
	locked map[string]bool
	db     *DB
	actor  audit.Actor
	now    time.Time // one time for the whole transaction, UTC, microseconds
}

// Write runs fn in one transaction on behalf of actor. Either everything fn
// did, audit rows included, is committed, or nothing is.
func (db *DB) Write(ctx context.Context, actor audit.Actor, fn func(*Tx) error) (err error) {
	if strings.TrimSpace(actor.Name) == "" {
		return errors.New("storage: write without an actor")
	}
	var conn *sql.Conn
	if db.engine == Postgres {
		if conn, err = db.write.Conn(ctx); err != nil {
			return fmt.Errorf("storage: begin: %w", err)
		}
		defer conn.Close()
	}
	begin := db.write.BeginTx
	if conn != nil {
		begin = conn.BeginTx
	}
	sqlTx, err := begin(ctx, nil)
	if err != nil {
		return fmt.Errorf("storage: begin: %w", err)
	}
	tx := &Tx{tx: sqlTx, conn: conn, db: db, actor: actor, now: normalTime(db.now())}
	defer func() {
		if p := recover(); p != nil {
			_ = sqlTx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = sqlTx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if err = sqlTx.Commit(); err != nil {
		return fmt.Errorf("storage: commit: %w", err)
	}
	return nil
}

// record writes one audit row, chained to the one before. before and after
// are the object's states (nil for none) and are stored as JSON.
func (tx *Tx) record(ctx context.Context, action audit.Action, objectType, objectID string, before, after any) error {
	b, err := marshalState(before)
	if err != nil {
		return err
	}
	a, err := marshalState(after)
	if err != nil {
		return err
	}
	// Taking the next number locks the head row until commit, so on
	// PostgreSQL concurrent transactions append to the chain one by one.
	var e audit.Entry
	if err := tx.tx.QueryRowContext(ctx, `UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash`).Scan(&e.ID, &e.PrevHash); err != nil {
		return fmt.Errorf("storage: audit head: %w", err)
	}
	e.At, e.Actor, e.Action, e.ObjectType, e.ObjectID = tx.now, tx.actor.Name, action, objectType, objectID
	e.Reason, e.IP = tx.actor.Reason, tx.actor.IP
	if b != "" {
		e.Before = []byte(b)
	}
	if a != "" {
		e.After = []byte(a)
	}
	e.Hash = e.ComputeHash()
	_, err = tx.tx.ExecContext(ctx, `INSERT INTO audit_log (id, at, actor, action, object_type, object_id, before, after, reason, ip, prev_hash, hash)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		e.ID, e.At.Format(audit.TimeFormat), e.Actor, string(action), objectType, objectID, b, a, e.Reason, e.IP, e.PrevHash, e.Hash)
	if err != nil {
		return fmt.Errorf("storage: audit %s %s: %w", objectType, objectID, err)
	}
	if _, err := tx.tx.ExecContext(ctx, `UPDATE audit_head SET hash = $1 WHERE id = 1`, e.Hash); err != nil {
		return fmt.Errorf("storage: audit head: %w", err)
	}
	return nil
}

func marshalState(v any) (string, error) {
	if v == nil {
		return "", nil
	}
	if raw, ok := v.(json.RawMessage); ok { // written as JSON already
		return string(raw), nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("storage: audit state: %w", err)
	}
	return string(b), nil
}

// change executes one statement that changes exactly the object named and
// records it. Every mutating method goes through here.
func (tx *Tx) change(ctx context.Context, objectType, objectID string, before, after any, query string, args ...any) error {
	action := audit.Update
	switch {
	case before == nil && after == nil:
		return nil
	case before == nil:
		action = audit.Create
	case after == nil:
		action = audit.Delete
	}
	if _, err := tx.tx.ExecContext(ctx, query, args...); err != nil {
		return translateWriteError(objectType, objectID, err)
	}
	return tx.record(ctx, action, objectType, objectID, before, after)
}

// changeVersioned executes an UPDATE whose WHERE clause also asks for the
// version the caller read, and records it; when no row matched, someone
// changed the object since, and conflict is returned instead. Of two
// concurrent writers from one version exactly one succeeds, on both
// engines: PostgreSQL re-checks the WHERE clause after waiting for the
// first writer's row lock.
func (tx *Tx) changeVersioned(ctx context.Context, objectType, objectID string, before, after any, conflict error, query string, args ...any) error {
	res, err := tx.tx.ExecContext(ctx, query, args...)
	if err != nil {
		return translateWriteError(objectType, objectID, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		if err != nil {
			return fmt.Errorf("storage: %s %s: %w", objectType, objectID, err)
		}
		return conflict
	}
	return tx.record(ctx, audit.Update, objectType, objectID, before, after)
}

func invalidReference(objectType, objectID string) error {
	return apperr.Invalidf("%s %s 引用了不存在的对象，或仍被其他对象引用", "%s %s refers to a missing object, or is still referred to", objectType, objectID)
}

func exists(objectType, objectID string) error {
	return apperr.Conflictf("%s %s 已存在", "%s %s exists already", objectType, objectID)
}

// queryer is what both *sql.DB and *sql.Tx offer for reading, so that a
// read method can run inside a write transaction (to get the state before a
// change) or on the read pool.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// same reports whether two states are equal, so that writing an unchanged
// object records nothing.
func same(a, b any) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(ja) == string(jb)
}
