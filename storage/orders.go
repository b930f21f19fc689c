package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/supervision"
)

// Supervision orders are kept whole as JSON (data) beside the columns they
// are found by; every transition is one more row of supervision_events.

func orderID(id int64) string { return strconv.FormatInt(id, 10) }

// NextOrderNumber is the number the next order of year gets, e.g.
// 督办〔2024〕13号 after twelve. Two orders issued at once may draw the same
// number; the second is then refused by the unique number and may retry.
func (tx *Tx) NextOrderNumber(ctx context.Context, year int) (string, error) {
	var n int
	prefix := supervision.FormatNumber(year, 0)
	prefix = prefix[:strings.Index(prefix, "〕")+len("〕")]
	if err := tx.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM supervision_orders WHERE number LIKE $1`, prefix+"%").Scan(&n); err != nil {
		return "", fmt.Errorf("storage: next order number: %w", err)
	}
	return supervision.FormatNumber(year, n+1), nil
}

// CreateOrder stores a newly issued order and its first event, and returns
// the order with its ID.
func (tx *Tx) CreateOrder(ctx context.Context, o supervision.Order, ev supervision.Event) (supervision.Order, error) {
	if err := o.Validate(); err != nil {
		return o, err
	}
	data, err := json.Marshal(o)
	if err != nil {
		return o, fmt.Errorf("storage: order: %w", err)
	}
	id, err := tx.insert(ctx, "supervision_order", func(id int64) (string, any) { o.ID = id; return orderID(id), o },
		`INSERT INTO supervision_orders (number, subject_kind, subject_code, lead_dept, state, level, issued_at, deadline, version, data)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		o.Number, string(o.Subject.Kind), o.Subject.Code, o.LeadDept, string(o.State), o.Level.String(), formatTime(o.IssuedAt),
		formatDate(o.Deadline), o.Version, string(data))
	if err != nil {
		return o, err
	}
	o.ID = id
	for _, d := range o.CoDepts {
		if _, err := tx.tx.ExecContext(ctx, `INSERT INTO supervision_order_depts (order_id, dept) VALUES ($1, $2)`, id, d); err != nil {
			return o, translateWriteError("supervision_order", orderID(id), err)
		}
	}
	ev.OrderID = id
	return o, tx.appendOrderEvent(ctx, ev)
}

// UpdateOrder stores the order after a transition from before, and the
// event, if nobody changed the order since before was read: of two people
// acting on one order at once exactly one succeeds; the other gets a
// conflict telling them to reload.
func (tx *Tx) UpdateOrder(ctx context.Context, before, after supervision.Order, ev supervision.Event) error {
	if err := after.Validate(); err != nil {
		return err
	}
	data, err := json.Marshal(after)
	if err != nil {
		return fmt.Errorf("storage: order: %w", err)
	}
	conflict := apperr.New(apperr.Conflict, "督办单 "+before.Number+" 已被他人处理，请刷新后重试",
		"order "+before.Number+" was changed by someone else; reload and try again")
	err = tx.changeVersioned(ctx, "supervision_order", orderID(before.ID), before, after, conflict,
		`UPDATE supervision_orders SET state = $1, level = $2, deadline = $3, version = $4, data = $5 WHERE id = $6 AND version = $7`,
		string(after.State), after.Level.String(), formatDate(after.Deadline), after.Version, string(data), before.ID, before.Version)
	if err != nil {
		return err
	}
	ev.OrderID = before.ID
	return tx.appendOrderEvent(ctx, ev)
}

// appendOrderEvent adds an event to its order's history.
func (tx *Tx) appendOrderEvent(ctx context.Context, ev supervision.Event) error {
	return tx.appendEvent(ctx, "supervision_events", "order_id", ev.OrderID, ev.At, string(ev.Kind), ev)
}

// OrderFilter narrows Orders; empty fields match everything.
type OrderFilter struct {
	Dept        string // lead or co-handler
	OpenOnly    bool   // not closed or returned
	SubjectKind supervision.SubjectKind
	SubjectCode string
}

// Orders returns the orders matching f, by deadline.
func (db *DB) Orders(ctx context.Context, f OrderFilter) ([]supervision.Order, error) {
	var conds []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, strings.ReplaceAll(cond, "$?", "$"+itoa(len(args))))
	}
	if f.Dept != "" {
		add("(lead_dept = $? OR id IN (SELECT order_id FROM supervision_order_depts WHERE dept = $?))", f.Dept)
	}
	if f.OpenOnly {
		conds = append(conds, "state NOT IN ('closed', 'returned')")
	}
	if f.SubjectKind != "" {
		add("subject_kind = $?", string(f.SubjectKind))
	}
	if f.SubjectCode != "" {
		add("subject_code = $?", f.SubjectCode)
	}
	query := `SELECT id, data FROM supervision_orders`
	if len(conds) > 0 {
		query += " WHERE " + joinAnd(conds)
	}
	// #nosec G202 -- fixed conditions and $n placeholders only
	return queryDocs(ctx, db.read, "orders", query+" ORDER BY deadline, id", setOrderID, args...)
}

func setOrderID(o *supervision.Order, id int64) { o.ID = id }

func scanOrder(r scanner) (supervision.Order, error) { return scanDoc(r, "order", setOrderID) }

// Order returns one order.
func (db *DB) Order(ctx context.Context, id int64) (supervision.Order, error) {
	return getOrder(ctx, db.read, id)
}

// Order reads an order inside the transaction, for the service changing it.
func (tx *Tx) Order(ctx context.Context, id int64) (supervision.Order, error) {
	return getOrder(ctx, tx.tx, id)
}

func getOrder(ctx context.Context, q queryer, id int64) (supervision.Order, error) {
	o, err := scanOrder(q.QueryRowContext(ctx, `SELECT id, data FROM supervision_orders WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return o, apperr.NotFoundf("督办单 %d 不存在", "supervision order %d not found", id)
	}
	if err != nil {
		return o, fmt.Errorf("storage: order %d: %w", id, err)
	}
	return o, nil
}

// OrderEvents returns an order's history, oldest first.
func (db *DB) OrderEvents(ctx context.Context, id int64) ([]supervision.Event, error) {
	return db.orderEvents(ctx, `WHERE order_id = $1 ORDER BY seq`, id)
}

// OrderEventsBetween returns every order's events with from <= at < to,
// in time order: what department scores are computed from.
func (db *DB) OrderEventsBetween(ctx context.Context, from, to time.Time) ([]supervision.Event, error) {
	return db.orderEvents(ctx, `WHERE at >= $1 AND at < $2 ORDER BY at, order_id, seq`, formatTime(from), formatTime(to))
}

func (db *DB) orderEvents(ctx context.Context, where string, args ...any) ([]supervision.Event, error) {
	// #nosec G202 -- fixed clauses
	return queryDocs(ctx, db.read, "order events", `SELECT order_id, data FROM supervision_events `+where,
		func(ev *supervision.Event, id int64) { ev.OrderID = id }, args...)
}
