package storage_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/storage"
	"github.com/lantu/lantu/storage/storagetest"
)

// writeSources makes n audit rows.
func writeSources(t *testing.T, db *storage.DB, n int) {
	t.Helper()
	for i := range n {
		err := db.Write(ctx, actor, func(tx *storage.Tx) error {
			return tx.PutSource(ctx, indicator.Source{Code: fmt.Sprintf("s%d", i), TitleZH: "来源"})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func verify(t *testing.T, db *storage.DB) *audit.Problem {
	t.Helper()
	_, p, err := db.VerifyAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestAuditChainVerifies(t *testing.T) {
	storagetest.Each(t, clock, func(t *testing.T, db *storage.DB) {
		if p := verify(t, db); p != nil {
			t.Fatalf("empty trail: %v", p)
		}
		writeSources(t, db, 5)
		n, p, err := db.VerifyAudit(ctx)
		if err != nil || p != nil || n != 5 {
			t.Fatalf("verify = %d, %v, %v; want 5 rows, no problem", n, p, err)
		}
		entries, _ := db.AuditEntries(ctx, storage.AuditFilter{})
		if entries[0].ID != 5 || entries[0].PrevHash != entries[1].Hash || entries[4].PrevHash != "" {
			t.Errorf("chain links wrong: %+v", entries)
		}
	})
}

// The database itself refuses to change or remove audit rows.
func TestAuditRowsCannotBeChanged(t *testing.T) {
	storagetest.Each(t, clock, func(t *testing.T, db *storage.DB) {
		writeSources(t, db, 2)
		raw := storagetest.Raw(t, db)
		for _, stmt := range []string{
			`UPDATE audit_log SET actor = 'mallory' WHERE id = 1`,
			`DELETE FROM audit_log WHERE id = 2`,
		} {
			if _, err := raw.ExecContext(ctx, stmt); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: err = %v, want the append-only refusal", stmt, err)
			}
		}
		if p := verify(t, db); p != nil {
			t.Errorf("after refused changes: %v", p)
		}
	})
}

// Someone with the database file or owner rights drops the guard and
// tampers: verify finds the first bad row, whatever was done.
func TestAuditVerifyFindsTampering(t *testing.T) {
	cases := []struct {
		name   string
		attack []string
		wantID int64
		wantZH string
	}{
		{"Edited", []string{`UPDATE audit_log SET actor = 'mallory' WHERE id = 3`}, 3, "记录被修改"},
		{"EditedAndRehashed", []string{`UPDATE audit_log SET reason = 'x', hash = 'deadbeef' WHERE id = 2`}, 2, "记录被修改"},
		{"Deleted", []string{`DELETE FROM audit_log WHERE id = 2`}, 2, "记录被删除"},
		{"DeletedLast", []string{`DELETE FROM audit_log WHERE id = 5`}, 5, "缺失"},
		{"Reordered", []string{
			`UPDATE audit_log SET id = 100 WHERE id = 2`,
			`UPDATE audit_log SET id = 2 WHERE id = 3`,
			`UPDATE audit_log SET id = 3 WHERE id = 100`,
		}, 2, "链接不符"},
		{"HeadRewound", []string{`DELETE FROM audit_log WHERE id = 5`, `UPDATE audit_head SET seq = 4`}, 4, "链头"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			storagetest.Each(t, clock, func(t *testing.T, db *storage.DB) {
				writeSources(t, db, 5)
				raw := storagetest.Raw(t, db)
				storagetest.DropAuditGuards(t, raw, db.Engine())
				for _, stmt := range c.attack {
					if _, err := raw.ExecContext(ctx, stmt); err != nil {
						t.Fatalf("%s: %v", stmt, err)
					}
				}
				p := verify(t, db)
				if p == nil {
					t.Fatal("tampering not found")
				}
				if p.ID != c.wantID || !strings.Contains(p.ZH, c.wantZH) {
					t.Errorf("problem = %v, want row %d with %q", p, c.wantID, c.wantZH)
				}
			})
		})
	}
}

func TestAuditFilter(t *testing.T) {
	storagetest.Each(t, clock, func(t *testing.T, db *storage.DB) {
		writeSources(t, db, 3) // rows 1–3, all at clock()
		err := db.Write(ctx, actor, func(tx *storage.Tx) error {
			return tx.RecordEvent(ctx, audit.SignInFailed, "user", "li", nil)
		})
		if err != nil {
			t.Fatal(err)
		}
		ids := func(f storage.AuditFilter) string {
			entries, err := db.AuditEntries(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, e := range entries {
				out = append(out, fmt.Sprint(e.ID))
			}
			return strings.Join(out, ",")
		}
		now := clock()
		for name, c := range map[string]struct {
			f    storage.AuditFilter
			want string
		}{
			"all":        {storage.AuditFilter{}, "4,3,2,1"},
			"action":     {storage.AuditFilter{Action: audit.SignInFailed}, "4"},
			"before":     {storage.AuditFilter{BeforeID: 3}, "2,1"},
			"limit":      {storage.AuditFilter{Limit: 2}, "4,3"},
			"from":       {storage.AuditFilter{From: now}, "4,3,2,1"},
			"fromLater":  {storage.AuditFilter{From: now.Add(time.Second)}, ""},
			"toExcluded": {storage.AuditFilter{To: now}, ""},
			"to":         {storage.AuditFilter{To: now.Add(time.Second), ObjectType: "source"}, "3,2,1"},
		} {
			if got := ids(c.f); got != c.want {
				t.Errorf("%s: %s, want %s", name, got, c.want)
			}
		}
	})
}
