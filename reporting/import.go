package reporting

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/excelio"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/period"
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
	// The figures are checked one place and period at a time, and while the
	// next part is checked the last one is already being written, inside
	// one transaction that is rolled back if any problem turns up: two cores
	// import a large file in little more than the time of its writing.
	pl := s.newPlanner(c, sub, entries, opts.Submit, 1024)
	var w *importWriter
	if !opts.DryRun {
		a := sub.Actor(fmt.Sprintf("导入文件中的 %d 条数据 (import of %d figures)", len(entries), len(entries)))
		a.IP = ip
		w = s.startImportWriter(ctx, a, c)
	}
	pending := make([]indicator.Value, 0, importBatch+1000)
	for _, part := range importParts(entries) {
		first := len(pl.values)
		pl.check(ctx, part)
		if len(pl.problems) > 0 {
			pl.forgetPart()
			continue // every problem is still listed; nothing more is written
		}
		for j := first; j < len(pl.values); j++ {
			v := pl.values[j]
			old, exists, err := c.existing(ctx, v.Key())
			if err != nil {
				w.abort()
				return rep, err
			}
			ch := Change{Where: where[pl.entryOf[j]], Key: v.Key(), New: v.Number, Status: v.Status}
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
			pending = append(pending, v)
			if len(rep.Changes) < maxReportedChanges {
				rep.Changes = append(rep.Changes, ch)
			}
		}
		pl.forgetPart()
		if w != nil && len(pending) >= importBatch {
			w.send(pending)
			pending = make([]indicator.Value, 0, importBatch+1000)
		}
	}
	if len(pl.problems) > 0 {
		w.abort()
		pl.sortProblems()
		for _, pr := range pl.problems {
			at := ""
			if pr.Index >= 0 {
				at = where[pr.Index]
			}
			rep.Problems = append(rep.Problems, excelio.Problem{Where: at, ZH: pr.ZH, EN: pr.EN})
		}
		rep.New, rep.Changed, rep.Unchanged, rep.Changes = 0, 0, 0, nil
		return rep, importRefused(rep)
	}
	for k, f := range pl.warnings {
		rep.Warnings = append(rep.Warnings, excelio.Problem{Where: where[pl.warnEntry[k]], ZH: f.MessageZH, EN: f.MessageEN})
	}
	if w == nil {
		return rep, nil
	}
	w.send(pending)
	written, err := w.finish()
	if err != nil {
		rep.New, rep.Changed, rep.Unchanged, rep.Changes = 0, 0, 0, nil
		return rep, err
	}
	rep.Written = written > 0
	return rep, nil
}

// importBatch is how many figures the checking hands to the writing at a
// time: whole places and periods, at least this many.
var importBatch = 5_000

// importParts splits the entries into the parts checked at once: one per
// org unit and period, in the order they first appear. An entry whose
// period does not parse is a part of its own kind, checked like the rest.
func importParts(entries []Entry) [][]int {
	type key struct {
		org    string
		period period.Period
		raw    string // the period as written, when it does not parse
	}
	index := map[key]int{}
	var parts [][]int
	for i, e := range entries {
		k := key{org: e.OrgUnit}
		if p, err := period.Parse(e.Period); err == nil {
			k.period = p
		} else {
			k.raw = e.Period
		}
		n, ok := index[k]
		if !ok {
			n = len(parts)
			index[k] = n
			parts = append(parts, nil)
		}
		parts[n] = append(parts[n], i)
	}
	return parts
}

// importWriter writes an import's figures in one transaction, in a
// goroutine of its own, as they are handed over; the transaction commits
// at finish and is rolled back at abort.
type importWriter struct {
	batches chan []indicator.Value
	aborted atomic.Bool
	done    chan error
	written int
}

var errImportAborted = errors.New("reporting: import aborted")

func (s *Service) startImportWriter(ctx context.Context, a audit.Actor, c *checkContext) *importWriter {
	w := &importWriter{batches: make(chan []indicator.Value, 1), done: make(chan error, 1)}
	go func() {
		w.done <- s.DB.Write(ctx, a, func(tx *storage.Tx) error {
			// Only figures some formula reads are kept for recomputing:
			// a million figures need not stay in memory for none.
			inputs := map[string]bool{}
			for code := range c.indicators {
				inputs[code] = len(c.formulas.Dependents([]string{code})) > 0
			}
			var all []indicator.Value
			written := 0
			for batch := range w.batches {
				if w.aborted.Load() {
					continue // drain: the checking goes on to list every problem
				}
				if err := tx.PutValues(ctx, batch); err != nil {
					w.aborted.Store(true)
					for range w.batches {
					}
					return err
				}
				written += len(batch)
				for _, v := range batch {
					if inputs[v.IndicatorCode] {
						all = append(all, v)
					}
				}
			}
			if w.aborted.Load() {
				return errImportAborted
			}
			w.written = written
			if len(all) == 0 {
				return nil
			}
			_, err := s.recompute(ctx, tx, c, all)
			return err
		})
	}()
	return w
}

// send hands figures over to be written.
func (w *importWriter) send(vals []indicator.Value) {
	if len(vals) > 0 {
		w.batches <- vals
	}
}

// abort rolls the transaction back and waits for it; nil does nothing.
func (w *importWriter) abort() {
	if w == nil {
		return
	}
	w.aborted.Store(true)
	close(w.batches)
	<-w.done
}

// finish commits what was handed over and says how many figures it wrote.
func (w *importWriter) finish() (int, error) {
	close(w.batches)
	if err := <-w.done; err != nil {
		return 0, err
	}
	return w.written, nil
}

// importRefused is the error of a refused import: the report's problems.
func importRefused(rep ImportReport) error {
	return excelio.Problems(rep.Problems)
}
