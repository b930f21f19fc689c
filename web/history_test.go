package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/reporting"
	"github.com/lantu/lantu/storage"
	"github.com/lantu/lantu/storage/storagetest"
)

var historyMatrixCases = map[string]matrixCase{
	"value_history": func(_, ind string) []matrixRequest {
		return []matrixRequest{{method: "GET", path: "/values/" + ind + "/gujiao/2022/history"}}
	},
}

// A figure's history shows every change with who, when, old → new and why,
// to those who may see the figure, and nothing to others.
func TestValueHistory(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		_, ts, accounts := gujiaoServer(t, db)
		reporter := signInAs(t, accounts, auth.Reporter)
		ctx := context.Background()
		svc := reporting.New(db)
		forestry := auth.Subject{UserID: 1, Name: "m-reporter", Role: auth.Reporter, Department: "forestry"}
		office := auth.Subject{UserID: 2, Name: "wang", Role: auth.Planner}
		e := reporting.Entry{Indicator: "forest-cover", OrgUnit: "gujiao", Period: "2021", Number: 19.1}
		if _, err := svc.Save(ctx, forestry, []reporting.Entry{e}, true, ""); err != nil {
			t.Fatal(err)
		}
		k := indicator.Key{Indicator: "forest-cover", OrgUnit: "gujiao", Period: period.MustParse("2021")}
		if err := svc.Review(ctx, office, reporting.Return, []indicator.Key{k}, "请核对普查数", ""); err != nil {
			t.Fatal(err)
		}
		e.Number = 19.05
		if _, err := svc.Save(ctx, forestry, []reporting.Entry{e}, true, ""); err != nil {
			t.Fatal(err)
		}
		status, page := do(t, ts.URL, reporter, matrixRequest{method: "GET", path: "/values/forest-cover/gujiao/2021/history"})
		if status != http.StatusOK {
			t.Fatalf("history: %d", status)
		}
		text := problemsOf(page)
		for _, want := range []string{"19.1", "19.05", "请核对普查数", "wang", "m-reporter", "退回：请核对普查数"} {
			if !strings.Contains(text, want) {
				t.Errorf("the history does not show %q", want)
			}
		}
		other := signInAs(t, accounts, auth.Viewer) // a viewer of forestry: same department, may read
		if status, _ := do(t, ts.URL, other, matrixRequest{method: "GET", path: "/values/forest-cover/gujiao/2021/history"}); status != http.StatusOK {
			t.Errorf("a viewer of the department: %d", status)
		}
		if status, _ := do(t, ts.URL, visitorCase{}, matrixRequest{method: "GET", path: "/values/forest-cover/gujiao/2021/history"}); status == http.StatusOK {
			t.Error("the public saw the history of an unpublished figure")
		}
	})
}
