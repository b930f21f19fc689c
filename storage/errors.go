package storage

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// constraint says which kind of constraint a driver error reports, read
// from the driver's error codes rather than its message text.
type constraint int

const (
	noConstraint constraint = iota
	foreignKey
	uniqueKey
)

func constraintOf(err error) constraint {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return foreignKey
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return uniqueKey
		}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23503": // foreign_key_violation
			return foreignKey
		case "23505": // unique_violation
			return uniqueKey
		}
	}
	return noConstraint
}

// translateWriteError turns constraint violations into errors a user can
// read; anything else stays internal.
func translateWriteError(objectType, objectID string, err error) error {
	switch constraintOf(err) {
	case foreignKey:
		return &wrapped{user: invalidReference(objectType, objectID), cause: err}
	case uniqueKey:
		return &wrapped{user: exists(objectType, objectID), cause: err}
	}
	return fmt.Errorf("storage: write %s %s: %w", objectType, objectID, err)
}

// wrapped keeps the driver's error for the log while Code and Message find
// the user's error first.
type wrapped struct {
	user  error
	cause error
}

func (w *wrapped) Error() string   { return w.user.Error() + ": " + w.cause.Error() }
func (w *wrapped) Unwrap() []error { return []error{w.user, w.cause} }
