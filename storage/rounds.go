package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/period"
)

const roundColumns = `id, period, due_date, opened_by, opened_at, closed_at, note`

func scanRound(r scanner) (indicator.Round, error) {
	var rd indicator.Round
	var p, due, opened, closed string
	if err := r.Scan(&rd.ID, &p, &due, &rd.OpenedBy, &opened, &closed, &rd.Note); err != nil {
		return rd, err
	}
	var err error
	if rd.Period, err = period.Parse(p); err != nil {
		return rd, err
	}
	if rd.DueDate, err = parseDate(due); err != nil {
		return rd, err
	}
	if rd.OpenedAt, err = parseTime(opened); err != nil {
		return rd, err
	}
	rd.ClosedAt, err = parseTime(closed)
	return rd, err
}

// Rounds returns every reporting round, newest period first, with its
// indicators.
func (db *DB) Rounds(ctx context.Context) ([]indicator.Round, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+roundColumns+` FROM rounds ORDER BY period_start DESC, period`)
	if err != nil {
		return nil, fmt.Errorf("storage: rounds: %w", err)
	}
	var out []indicator.Round
	for rows.Next() {
		rd, err := scanRound(rows)
		if err != nil {
			_ = rows.Close()
			return nil, fmt.Errorf("storage: rounds: %w", err)
		}
		out = append(out, rd)
	}
	_ = rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: rounds: %w", err)
	}
	for i := range out {
		if out[i].Indicators, err = roundIndicators(ctx, db.read, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Round returns one round with its indicators.
func (db *DB) Round(ctx context.Context, id int64) (indicator.Round, error) {
	rd, err := scanRound(db.read.QueryRowContext(ctx, `SELECT `+roundColumns+` FROM rounds WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return rd, apperr.NotFoundf("填报轮次 %d 不存在", "reporting round %d not found", id)
	}
	if err != nil {
		return rd, fmt.Errorf("storage: round %d: %w", id, err)
	}
	rd.Indicators, err = roundIndicators(ctx, db.read, id)
	return rd, err
}

// RoundOf returns the round of a period, if one is open or was.
func (db *DB) RoundOf(ctx context.Context, p period.Period) (indicator.Round, error) {
	var id int64
	err := db.read.QueryRowContext(ctx, `SELECT id FROM rounds WHERE period = $1`, p.String()).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return indicator.Round{}, apperr.NotFoundf("%s 尚未开放填报", "%s is not open for reporting", p.String())
	}
	if err != nil {
		return indicator.Round{}, fmt.Errorf("storage: round of %s: %w", p, err)
	}
	return db.Round(ctx, id)
}

func roundIndicators(ctx context.Context, q queryer, id int64) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT indicator_code FROM round_indicators WHERE round_id = $1 ORDER BY indicator_code`, id)
	if err != nil {
		return nil, fmt.Errorf("storage: round indicators: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// roundRecord is a round as the audit trail shows it.
type roundRecord struct {
	ID         int64
	Period     string
	DueDate    string
	Indicators []string
	ClosedAt   string `json:",omitempty"`
	Note       string `json:",omitempty"`
}

func roundRecordOf(r indicator.Round) roundRecord {
	return roundRecord{ID: r.ID, Period: r.Period.String(), DueDate: formatDate(r.DueDate), Indicators: r.Indicators, ClosedAt: formatTime(r.ClosedAt), Note: r.Note}
}

// OpenRound creates a reporting round; one round per period.
func (tx *Tx) OpenRound(ctx context.Context, r indicator.Round) (int64, error) {
	var exists int
	if err := tx.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM rounds WHERE period = $1`, r.Period.String()).Scan(&exists); err != nil {
		return 0, fmt.Errorf("storage: open round: %w", err)
	}
	if exists > 0 {
		return 0, apperr.Conflictf("%s 已有填报轮次", "%s already has a reporting round", r.Period.String())
	}
	r.OpenedAt = tx.now
	id, err := tx.insert(ctx, "round", func(id int64) (string, any) { r.ID = id; return strconv.FormatInt(id, 10), roundRecordOf(r) },
		`INSERT INTO rounds (period, period_start, due_date, opened_by, opened_at, note) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		r.Period.String(), formatDate(r.Period.Start()), formatDate(r.DueDate), r.OpenedBy, formatTime(r.OpenedAt), r.Note)
	if err != nil {
		return 0, err
	}
	for _, code := range r.Indicators {
		if err := tx.addRoundIndicator(ctx, id, code); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// addRoundIndicator is part of opening a round, whose audit row lists the
// indicators.
func (tx *Tx) addRoundIndicator(ctx context.Context, id int64, code string) error {
	if _, err := tx.tx.ExecContext(ctx, `INSERT INTO round_indicators (round_id, indicator_code) VALUES ($1, $2)`, id, code); err != nil {
		return translateWriteError("round", code, err)
	}
	return nil
}

// CloseRound closes a round: no more entry.
func (tx *Tx) CloseRound(ctx context.Context, id int64) error {
	before, err := scanRound(tx.tx.QueryRowContext(ctx, `SELECT `+roundColumns+` FROM rounds WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.NotFoundf("填报轮次 %d 不存在", "reporting round %d not found", id)
	}
	if err != nil || !before.ClosedAt.IsZero() {
		return err
	}
	after := before
	after.ClosedAt = tx.now
	return tx.change(ctx, "round", strconv.FormatInt(id, 10), roundRecordOf(before), roundRecordOf(after),
		`UPDATE rounds SET closed_at = $2 WHERE id = $1`, id, formatTime(tx.now))
}
