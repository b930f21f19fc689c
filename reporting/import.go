package reporting

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/excelio"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/storage"
)

// ImportOptions say what an import does.
type ImportOptions struct {
	DryRun bool // check and report what would change; write nothing
	Submit bool // submit the figures for review, not just save them as drafts
}

// Change is one figure an import writes (or would write).
type Change struct {
	Where  string // the cell or line it came from
	Key    indicator.Key
	Old    *float64 // nil for a new figure
	New    float64
	Status indicator.Status
}

// ImportReport is the answer to an import: what it found, what it changed
// (or would change), and why it was refused if it was.
type ImportReport struct {
	Rows      int // records read, empty values included
	New       int
	Changed   int
	Unchanged int
	Changes   []Change
	Warnings  []excelio.Problem // rule warnings, by cell
	Problems  []excelio.Problem // why nothing was written; empty when it was
	DryRun    bool
	Written   bool
}

// maxReportedChanges keeps the report readable; the counts are complete.
const maxReportedChanges = 1000

// Import enters the figures of records (a filled template, any sheet with
// the documented columns, a CSV, or the bulk API) with the same checks as
// the web form, all or nothing: every problem is reported at once, naming
// the cell, and nothing is written while any remains. Empty value cells are
// skipped.
func (s *Service) Import(ctx context.Context, sub auth.Subject, records []excelio.Record, opts ImportOptions, ip string) (ImportReport, error) {
	rep := ImportReport{Rows: len(records), DryRun: opts.DryRun}
	if !sub.Can(auth.WriteValues) {
		return rep, apperr.New(apperr.Forbidden, "没有填报权限", "you may not report figures")
	}
	c, err := s.context(ctx)
	if err != nil {
		return rep, err
	}
	entries := make([]Entry, 0, len(records))
	where := make([]string, 0, len(records))
	for _, rec := range records {
		raw := strings.TrimSpace(rec.Value)
		if raw == "" {
			continue
		}
		x, err := strconv.ParseFloat(raw, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			name := rec.Indicator
			if ind, ok := c.indicators[rec.Indicator]; ok {
				name = ind.Current().NameZH
			}
			rep.Problems = append(rep.Problems, excelio.Problem{Where: rec.ValueCell,
				ZH: fmt.Sprintf("「%s」应为数字（不用千位分隔符），填写的是 %s", name, raw),
				EN: fmt.Sprintf("%s must be a number (no thousands separators), not %s", rec.Indicator, raw)})
			continue
		}
		entries = append(entries, Entry{Indicator: strings.TrimSpace(rec.Indicator), OrgUnit: strings.TrimSpace(rec.OrgUnit),
			Period: strings.TrimSpace(rec.Period), Number: x, Note: rec.Note, Explanation: rec.Note})
		where = append(where, rec.ValueCell)
	}
	if len(entries) == 0 && len(rep.Problems) == 0 {
		rep.Problems = append(rep.Problems, excelio.Problem{Where: "", ZH: "文件中没有填写任何数值", EN: "the file holds no figure"})
	}
	if len(rep.Problems) > 0 {
		return rep, importRefused(rep)
	}
	p := s.plan(ctx, c, sub, entries, opts.Submit)
	for _, pr := range p.problems {
		at := ""
		if pr.Index >= 0 {
			at = where[pr.Index]
		}
		rep.Problems = append(rep.Problems, excelio.Problem{Where: at, ZH: pr.ZH, EN: pr.EN})
	}
	if len(rep.Problems) > 0 {
		return rep, importRefused(rep)
	}
	at := make(map[indicator.Key]string, len(p.values))
	for i, v := range p.values {
		at[v.Key()] = where[i]
	}
	for _, w := range p.warnings {
		rep.Warnings = append(rep.Warnings, excelio.Problem{Where: at[w.Key], ZH: w.MessageZH, EN: w.MessageEN})
	}
	write := make([]indicator.Value, 0, len(p.values))
	for _, v := range p.values {
		old, exists, err := c.existing(ctx, v.Key())
		if err != nil {
			return rep, err
		}
		ch := Change{Where: at[v.Key()], Key: v.Key(), New: v.Number, Status: v.Status}
		switch {
		case !exists:
			rep.New++
		case old.Number == v.Number && old.Status == v.Status && old.Note == v.Note:
			rep.Unchanged++
			continue
		default:
			rep.Changed++
			n := old.Number
			ch.Old = &n
		}
		write = append(write, v)
		if len(rep.Changes) < maxReportedChanges {
			rep.Changes = append(rep.Changes, ch)
		}
	}
	if opts.DryRun || len(write) == 0 {
		return rep, nil
	}
	a := sub.Actor(fmt.Sprintf("导入 %d 条数据 (import %d figures)", len(write), len(write)))
	a.IP = ip
	err = s.DB.Write(ctx, a, func(tx *storage.Tx) error {
		if err := tx.PutValues(ctx, write); err != nil {
			return err
		}
		_, err := s.recompute(ctx, tx, c, write)
		return err
	})
	if err != nil {
		return rep, err
	}
	rep.Written = true
	return rep, nil
}

// importRefused is the error of a refused import: the report's problems.
func importRefused(rep ImportReport) error {
	return excelio.Problems(rep.Problems)
}
