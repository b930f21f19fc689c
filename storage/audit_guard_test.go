package storage

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// Every statement that can change data runs in one of these functions, each
// of which records the change in the audit trail in the same transaction.
// A new write path elsewhere in storage fails this test: route it through
// Tx.change, or add it here only with its own audit row.
var auditedWriters = map[string]bool{
	"Tx.change":          true, // every table[T].put / remove
	"Tx.changeVersioned": true, // an update guarded by the version read, then its audit row
	"Tx.record":          true, // the audit row itself
	"Tx.PutIndicator":    true, // an indicator and its versions, one audit row
	"Tx.insert":          true, // INSERT … RETURNING id, then its audit row
	"Tx.CreateSession":   true, // the session row, then its audit row
	"Tx.GrantApp":        true, // privileges, then their audit row
	// The indicators of a round, listed in the round's own audit row,
	// written by OpenRound in the same transaction.
	"Tx.addRoundIndicator": true,
	// Many values and their audit rows at once (imports).
	"Tx.PutValues":    true,
	"Tx.recordMany":   true,
	"Tx.chunked":      true, // the statements of PutValues and recordMany
	"Tx.insertValues": true, // the new figures of PutValues
	"Tx.copyValues":   true, // the same with COPY on PostgreSQL
	// A notification's audit row is written by insert; its deliveries are
	// queued in the same statement's transaction and audited as they are
	// sent, retried or given up (RecordDelivery, then its audit row).
	"Tx.Notify":         true,
	"Tx.RecordDelivery": true,
	// A supervision order's co-handlers and its events, written in the
	// transaction of the order's own audited insert or versioned update.
	"Tx.CreateOrder":      true,
	"Tx.appendOrderEvent": true,
	// A project's set of linked indicators, replaced whole, then one audit
	// row with the set before and after.
	"Tx.SetProjectIndicators": true,
	// A case's submitter, departments and events, written in the
	// transaction of the case's own audited insert or versioned update
	// (the submitter is kept out of the trail on purpose).
	"Tx.CreateCase":      true,
	"Tx.UpdateCase":      true,
	"Tx.appendCaseEvent": true,
	"Tx.appendEvent":     true, // the one writer of both event tables
	// A scheduled job's claim and end, each then recorded in the trail.
	"Tx.ClaimJob":  true,
	"Tx.FinishJob": true,
	// Reading one's inbox changes nothing of the work (as liveness below).
	"DB.MarkRead": true,
	// Liveness of a session or token changes on every request and is no
	// one's decision; its start and end are audited.
	"DB.TouchSession":  true,
	"DB.TouchAPIToken": true,
}

func TestEveryWriteIsAudited(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	writes := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			owner := funcName(fn)
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				write := false
				switch sel.Sel.Name {
				case "ExecContext", "Exec", "PrepareContext", "Prepare":
					write = true
				case "QueryContext", "QueryRowContext", "Query", "QueryRow":
					write = writesData(call.Args) // UPDATE … RETURNING
				}
				if write {
					writes++
					if !auditedWriters[owner] {
						t.Errorf("%s: %s calls %s outside the audited write paths", fset.Position(call.Pos()), owner, sel.Sel.Name)
					}
				}
				return true
			})
		}
	}
	if writes == 0 {
		t.Fatal("found no write at all: the test no longer sees the storage code")
	}
}

// writesData reports whether a query's SQL text, where it is a literal,
// changes data.
func writesData(args []ast.Expr) bool {
	for _, a := range args {
		lit, ok := a.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			continue
		}
		sql := strings.ToUpper(strings.TrimLeft(strings.Trim(lit.Value, "`\""), " \n\t"))
		for _, verb := range []string{"INSERT", "UPDATE", "DELETE", "WITH"} {
			if strings.HasPrefix(sql, verb) {
				return true
			}
		}
	}
	return false
}

func funcName(fn *ast.FuncDecl) string {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return fn.Name.Name
	}
	typ := fn.Recv.List[0].Type
	if star, ok := typ.(*ast.StarExpr); ok {
		typ = star.X
	}
	if id, ok := typ.(*ast.Ident); ok {
		return id.Name + "." + fn.Name.Name
	}
	return fn.Name.Name
}
