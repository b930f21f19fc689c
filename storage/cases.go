package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/cases"
)

// Cases are kept whole as JSON beside the columns they are found by — but
// never with their submitter: the name and contact of a deputy, caller,
// applicant or petitioner are in case_submitters, read only through
// CaseSubmitter, and the audit trail records that they were set, not what
// they are. Every transition is one more row of case_events.

func caseID(id int64) string { return strconv.FormatInt(id, 10) }

// caseRecord is a case as stored and audited: without its submitter.
func caseRecord(c cases.Case) cases.Case {
	if c.Submitter != "" || c.SubmitterContact != "" {
		c.Submitter, c.SubmitterContact = submitterKept, ""
	}
	return c
}

// submitterKept stands for the submitter in a case's JSON and audit rows.
const submitterKept = "（另行保存 kept apart）"

// CreateCase stores a newly registered case, its submitter apart, and its
// first event; it returns the case with its ID.
func (tx *Tx) CreateCase(ctx context.Context, c cases.Case, ev cases.Event) (cases.Case, error) {
	if err := c.Validate(); err != nil {
		return c, err
	}
	record := caseRecord(c)
	data, err := json.Marshal(record)
	if err != nil {
		return c, fmt.Errorf("storage: case: %w", err)
	}
	id, err := tx.insert(ctx, "case", func(id int64) (string, any) { record.ID = id; return caseID(id), record },
		`INSERT INTO cases (number, type_code, category, office_dept, lead_dept, state, received_at, version, data)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		c.Number, c.Type.Code, c.Category, c.OfficeDept, leadOf(c), string(c.State), formatTime(c.ReceivedAt), c.Version, string(data))
	if err != nil {
		return c, err
	}
	c.ID = id
	if _, err := tx.tx.ExecContext(ctx, `INSERT INTO case_submitters (case_id, name, contact) VALUES ($1, $2, $3)`,
		id, c.Submitter, c.SubmitterContact); err != nil {
		return c, fmt.Errorf("storage: case submitter: %w", err)
	}
	ev.CaseID = id
	return c, tx.appendCaseEvent(ctx, ev)
}

func leadOf(c cases.Case) string {
	if a, ok := c.Assignment(); ok {
		return a.LeadDept
	}
	return ""
}

// UpdateCase stores a case after a transition from before, and the event,
// if nobody changed it since before was read: of two people acting on one
// case at once exactly one succeeds. The submitter is not changed here.
func (tx *Tx) UpdateCase(ctx context.Context, before, after cases.Case, ev cases.Event) error {
	if err := after.Validate(); err != nil {
		return err
	}
	b, a := caseRecord(before), caseRecord(after)
	data, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("storage: case: %w", err)
	}
	conflict := apperr.New(apperr.Conflict, "事项 "+before.Number+" 已被他人处理，请刷新后重试", "case "+before.Number+" was changed by someone else; reload and try again")
	err = tx.changeVersioned(ctx, "case", caseID(before.ID), b, a, conflict,
		`UPDATE cases SET lead_dept = $1, state = $2, version = $3, data = $4 WHERE id = $5 AND version = $6`,
		leadOf(after), string(after.State), after.Version, string(data), before.ID, before.Version)
	if err != nil {
		return err
	}
	for _, as := range after.Assignments {
		depts := []string{as.LeadDept}
		for _, co := range as.CoHandlers {
			depts = append(depts, co.Dept)
		}
		for _, d := range depts {
			if _, err := tx.tx.ExecContext(ctx, `INSERT INTO case_depts (case_id, dept) VALUES ($1, $2) ON CONFLICT (case_id, dept) DO NOTHING`,
				before.ID, d); err != nil {
				return translateWriteError("case", caseID(before.ID), err)
			}
		}
	}
	ev.CaseID = before.ID
	return tx.appendCaseEvent(ctx, ev)
}

func (tx *Tx) appendCaseEvent(ctx context.Context, ev cases.Event) error {
	return tx.appendEvent(ctx, "case_events", "case_id", ev.CaseID, ev.At, string(ev.Kind), ev)
}

// CaseFilter narrows Cases; empty fields match everything.
type CaseFilter struct {
	TypeCode string
	Dept     string // the registering office, or a department it was ever assigned to
	OpenOnly bool   // not closed, rejected or deemed approved
}

// Cases returns the cases matching f, oldest first, without submitters.
func (db *DB) Cases(ctx context.Context, f CaseFilter) ([]cases.Case, error) {
	var conds []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, strings.ReplaceAll(cond, "$?", "$"+itoa(len(args))))
	}
	if f.TypeCode != "" {
		add("type_code = $?", f.TypeCode)
	}
	if f.Dept != "" {
		add("(office_dept = $? OR id IN (SELECT case_id FROM case_depts WHERE dept = $?))", f.Dept)
	}
	if f.OpenOnly {
		conds = append(conds, "state NOT IN ('closed', 'rejected', 'deemed_approved')")
	}
	query := `SELECT id, data FROM cases`
	if len(conds) > 0 {
		query += " WHERE " + joinAnd(conds)
	}
	// #nosec G202 -- fixed conditions and $n placeholders only
	return queryDocs(ctx, db.read, "cases", query+" ORDER BY received_at, id", setCaseID, args...)
}

func setCaseID(c *cases.Case, id int64) { c.ID = id }

func scanCase(r scanner) (cases.Case, error) { return scanDoc(r, "case", setCaseID) }

// Case returns one case, without its submitter.
func (db *DB) Case(ctx context.Context, id int64) (cases.Case, error) {
	return getCase(ctx, db.read, id)
}

// Case reads a case inside the transaction, for the service changing it.
func (tx *Tx) Case(ctx context.Context, id int64) (cases.Case, error) { return getCase(ctx, tx.tx, id) }

func getCase(ctx context.Context, q queryer, id int64) (cases.Case, error) {
	c, err := scanCase(q.QueryRowContext(ctx, `SELECT id, data FROM cases WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, apperr.NotFoundf("事项 %d 不存在", "case %d not found", id)
	}
	if err != nil {
		return c, fmt.Errorf("storage: case %d: %w", id, err)
	}
	return c, nil
}

// SubmitterAccess is the caller's word that its subject may see a case's
// submitter; the cases service decides it (a petitioner only to the
// petition bureau), so that no other path reads the table.
type SubmitterAccess struct{ granted bool }

// GrantSubmitter is how the cases service hands out SubmitterAccess.
func GrantSubmitter(ok bool) SubmitterAccess { return SubmitterAccess{granted: ok} }

// CaseSubmitter returns a case's submitter's name and contact, given
// access; without it, nothing.
func (db *DB) CaseSubmitter(ctx context.Context, id int64, access SubmitterAccess) (name, contact string, err error) {
	if !access.granted {
		return "", "", apperr.New(apperr.Forbidden, "无权查看来件人信息", "you may not see who submitted this case")
	}
	err = db.read.QueryRowContext(ctx, `SELECT name, contact FROM case_submitters WHERE case_id = $1`, id).Scan(&name, &contact)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", nil
	}
	if err != nil {
		return "", "", fmt.Errorf("storage: case %d submitter: %w", id, err)
	}
	return name, contact, nil
}

// CaseEvents returns a case's history, oldest first.
func (db *DB) CaseEvents(ctx context.Context, id int64) ([]cases.Event, error) {
	return queryDocs(ctx, db.read, "case events", `SELECT case_id, data FROM case_events WHERE case_id = $1 ORDER BY seq`,
		func(ev *cases.Event, id int64) { ev.CaseID = id }, id)
}
