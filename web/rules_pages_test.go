package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/storage"
	"github.com/lantu/lantu/storage/storagetest"
)

var rulesMatrixCases = map[string]matrixCase{
	"rules": get("/reporting/rules"),
	"rules_save": func(string, string) []matrixRequest {
		return []matrixRequest{{method: "POST", path: "/reporting/rules"}}
	},
	"rules_delete": func(string, string) []matrixRequest {
		return []matrixRequest{{method: "POST", path: "/reporting/rules/none-such/delete"}}
	},
}

func TestRulesPage(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		_, ts, accounts := gujiaoServer(t, db)
		planner := signInAs(t, accounts, auth.Planner)
		form := func(expr, msg string) url.Values {
			return url.Values{"code": {"urban-dibao-floor"}, "expression": {expr}, "severity": {"warning"},
				"message_zh": {msg}, "message_en": {"urban minimum living standard below 600: {urban-dibao-standard}"}, "active": {"1"}}
		}
		cases := []struct {
			name string
			form url.Values
			want int
		}{
			{"ErrSyntax", form(`v("urban-dibao-standard") >=`, "城市低保标准低于 600：{urban-dibao-standard}"), http.StatusBadRequest},
			{"ErrNotABool", form(`v("urban-dibao-standard") + 1`, "城市低保标准低于 600：{urban-dibao-standard}"), http.StatusBadRequest},
			{"ErrUnknownIndicator", form(`v("ghost") >= 600`, "城市低保标准低于 600"), http.StatusBadRequest},
			{"OK", form(`v("urban-dibao-standard") >= 600`, "城市低保标准低于 600：{urban-dibao-standard}"), http.StatusSeeOther},
		}
		for _, c := range cases {
			if got := postForm(t, ts.URL, planner, "/reporting/rules", c.form); got != c.want {
				t.Errorf("%s: %d, want %d", c.name, got, c.want)
			}
		}
		list, err := db.ValidationRules(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var codes []string
		for _, r := range list {
			codes = append(codes, r.Code)
		}
		if !strings.Contains(strings.Join(codes, " "), "urban-dibao-floor") {
			t.Fatalf("the rule was not stored: %v", codes)
		}
		_, page := do(t, ts.URL, planner, matrixRequest{method: "GET", path: "/reporting/rules"})
		if !strings.Contains(page, "urban-dibao-floor") || !strings.Contains(page, "forest-cover-range") {
			t.Error("the rules page does not list the rules")
		}
		entries, _ := db.AuditEntries(context.Background(), storage.AuditFilter{ObjectType: "validation_rule", ObjectID: "urban-dibao-floor"})
		if len(entries) != 1 || entries[0].Actor != "m-planner" {
			t.Errorf("the rule's audit = %+v", entries)
		}
		if got := postForm(t, ts.URL, planner, "/reporting/rules/urban-dibao-floor/delete", url.Values{}); got != http.StatusSeeOther {
			t.Errorf("delete: %d", got)
		}
		if list, _ := db.ValidationRules(context.Background()); len(list) != len(codes)-1 {
			t.Errorf("after delete %d rules, want %d", len(list), len(codes)-1)
		}
	})
}
