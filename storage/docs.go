package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// Supervision orders and cases are kept as JSON documents beside the
// columns they are found by, each with a table of events; these helpers
// read and write both kinds the same way.

// scanDoc reads one (id, data) row into a T and gives it the id.
func scanDoc[T any](r scanner, what string, setID func(*T, int64)) (T, error) {
	var v T
	var id int64
	var data string
	if err := r.Scan(&id, &data); err != nil {
		return v, err
	}
	if err := json.Unmarshal([]byte(data), &v); err != nil {
		return v, fmt.Errorf("storage: %s %d: %w", what, id, err)
	}
	setID(&v, id)
	return v, nil
}

// queryDocs runs a query of (id, data) rows and reads every row.
func queryDocs[T any](ctx context.Context, q queryer, what, query string, setID func(*T, int64), args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("storage: %s: %w", what, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scanDoc(rows, what, setID)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// appendEvent adds an event to the history table of its document, numbered
// after the last; it is written in the transaction of the document's own
// audited change.
func (tx *Tx) appendEvent(ctx context.Context, table, idColumn string, id int64, at time.Time, kind string, ev any) error {
	data, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("storage: %s: %w", table, err)
	}
	// #nosec G202 -- fixed table and column names
	_, err = tx.tx.ExecContext(ctx, `INSERT INTO `+table+` (`+idColumn+`, seq, at, kind, data)
VALUES ($1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM `+table+` WHERE `+idColumn+` = $1), $2, $3, $4)`,
		id, formatTime(at), kind, string(data))
	if err != nil {
		return fmt.Errorf("storage: %s: %w", table, err)
	}
	return nil
}
