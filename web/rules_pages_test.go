package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/indicator"
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

// A department with figures still to send sees how many working days are
// left once the due date is three working days away or closer.
func TestDueDateReminder(t *testing.T) {
	db := storagetest.OpenSQLite(t, nil)
	_, _, accounts := gujiaoServer(t, db) // loads Gujiao and opens 2021, due 2024-01-15 (a Monday)
	reporter := signInAs(t, accounts, auth.Reporter)
	for _, c := range []struct {
		today string
		want  string
	}{
		// Working days after today up to Monday 15 January, counted by hand.
		{"2024-01-09", ""},          // 10, 11, 12, 15: four, no reminder yet
		{"2024-01-10", "还剩 3 个工作日"}, // 11, 12, 15
		{"2024-01-12", "还剩 1 个工作日"}, // 15
		{"2024-01-16", "已过截止日期"},    // past
	} {
		now, _ := time.ParseInLocation("2006-01-02 15:04", c.today+" 10:00", indicator.Beijing)
		srv, err := New(Config{DB: db, Accounts: accounts.Service, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return now }})
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(srv.Handler())
		_, page := do(t, ts.URL, reporter, matrixRequest{method: "GET", path: "/reporting"})
		ts.Close()
		for _, phrase := range []string{"还剩", "已过截止日期"} {
			if shown := strings.Contains(page, phrase); shown != (c.want != "" && strings.Contains(c.want, phrase)) {
				t.Errorf("%s: %q shown = %v, want %q", c.today, phrase, shown, c.want)
			}
		}
		if c.want != "" && !strings.Contains(page, c.want) {
			t.Errorf("%s: the page does not say %q", c.today, c.want)
		}
	}
}
