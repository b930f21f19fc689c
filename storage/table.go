package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// table describes how one kind of object maps to one table, so that reading,
// writing and auditing are written once. SQL stays explicit: the column list
// is spelled out for each table, next to the code that binds it.
type table[T any] struct {
	name       string        // SQL table
	objectType string        // audit object type
	key        []string      // key columns, a prefix of cols
	cols       []string      // all columns, key first
	args       func(T) []any // values in cols order
	scan       func(scanner) (T, error)
	id         func(T) string // audit object id
}

func (t table[T]) selectSQL() string {
	return "SELECT " + strings.Join(t.cols, ", ") + " FROM " + t.name
}

func (t table[T]) keyWhere() string {
	parts := make([]string, len(t.key))
	for i, k := range t.key {
		parts[i] = k + " = $" + strconv.Itoa(i+1)
	}
	return " WHERE " + strings.Join(parts, " AND ")
}

// get reads the object with the given key; found is false if there is none.
func (t table[T]) get(ctx context.Context, q queryer, key ...any) (v T, found bool, err error) {
	v, err = t.scan(q.QueryRowContext(ctx, t.selectSQL()+t.keyWhere(), key...))
	if errors.Is(err, sql.ErrNoRows) {
		return v, false, nil
	}
	if err != nil {
		return v, false, fmt.Errorf("storage: get %s %v: %w", t.name, key, err)
	}
	return v, true, nil
}

// list reads the objects matching where (may be empty) in the given order.
func (t table[T]) list(ctx context.Context, q queryer, where, order string, args ...any) ([]T, error) {
	query := t.selectSQL()
	if where != "" {
		query += " WHERE " + where
	}
	if order != "" {
		query += " ORDER BY " + order
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("storage: list %s: %w", t.name, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := t.scan(rows)
		if err != nil {
			return nil, fmt.Errorf("storage: scan %s: %w", t.name, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: list %s: %w", t.name, err)
	}
	return out, nil
}

func (t table[T]) insertSQL() string {
	ph := make([]string, len(t.cols))
	for i := range t.cols {
		ph[i] = "$" + strconv.Itoa(i+1)
	}
	return "INSERT INTO " + t.name + " (" + strings.Join(t.cols, ", ") + ") VALUES (" + strings.Join(ph, ", ") + ")"
}

func (t table[T]) updateSQL() string {
	set := make([]string, 0, len(t.cols)-len(t.key))
	for i := len(t.key); i < len(t.cols); i++ {
		set = append(set, t.cols[i]+" = $"+strconv.Itoa(i+1))
	}
	return "UPDATE " + t.name + " SET " + strings.Join(set, ", ") + t.keyWhere()
}

// put creates or updates v and records the change; an unchanged object
// writes nothing and records nothing.
func (t table[T]) put(ctx context.Context, tx *Tx, v T) error {
	args := t.args(v)
	before, found, err := t.get(ctx, tx.tx, args[:len(t.key)]...)
	if err != nil {
		return err
	}
	if !found {
		return tx.change(ctx, t.objectType, t.id(v), nil, v, t.insertSQL(), args...)
	}
	if same(before, v) {
		return nil
	}
	return tx.change(ctx, t.objectType, t.id(v), before, v, t.updateSQL(), args...)
}

// remove deletes the object with the given key and records it; a missing
// object is a NotFound error for the caller to report.
func (t table[T]) remove(ctx context.Context, tx *Tx, key ...any) (found bool, err error) {
	before, found, err := t.get(ctx, tx.tx, key...)
	if err != nil || !found {
		return found, err
	}
	return true, tx.change(ctx, t.objectType, t.id(before), before, nil, "DELETE FROM "+t.name+t.keyWhere(), key...)
}

// nullFloat turns an optional number into a value for a nullable column.
func nullFloat(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func itoa(i int) string { return strconv.Itoa(i) }

func joinAnd(conds []string) string { return strings.Join(conds, " AND ") }
