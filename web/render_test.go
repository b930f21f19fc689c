package web

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/period"
)

func testFS(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{
		"i18n/zh.json":              {Data: []byte(`{"hello": "你好"}`)},
		"i18n/en.json":              {Data: []byte(`{"hello": "Hello"}`)},
		"templates/layout.html":     {Data: []byte(`{{define "layout"}}<title>{{template "title" .}}</title>{{template "content" .}}{{end}}`)},
		"templates/pages/home.html": {Data: []byte(`{{define "title"}}{{t "hello"}}{{end}}{{define "content"}}<p>{{t "hello"}}</p>{{end}}`)},
	}
	for name, text := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	return fsys
}

func TestParsePages(t *testing.T) {
	for _, tc := range []struct {
		name    string
		files   map[string]string
		wantErr string // "" for success
	}{
		{"OK", nil, ""},
		{"ErrBrokenTemplate", map[string]string{"templates/pages/bad.html": `{{define "title"}}x{{end}}{{define "content"}}{{if}}{{end}}`}, "bad.html"},
		{"ErrMissingMessage", map[string]string{"templates/pages/bad.html": `{{define "title"}}x{{end}}{{define "content"}}{{t "nope"}}{{end}}`}, `nope`},
		{"ErrNoContent", map[string]string{"templates/pages/bad.html": `{{define "title"}}x{{end}}`}, `must define`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := testFS(tc.files)
			messages, err := loadCatalog(fsys)
			if err != nil {
				t.Fatal(err)
			}
			p, err := parsePages(fsys, messages, &assets{})
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				body, err := p.execute(en, "home", frame{Lang: en})
				if err != nil || string(body) != "<title>Hello</title><p>Hello</p>" {
					t.Errorf("execute = %q, %v", body, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("parsePages error = %v, want one naming %q", err, tc.wantErr)
			}
		})
	}
}

func TestCatalogRefusesMissingTranslation(t *testing.T) {
	fsys := testFS(map[string]string{"i18n/en.json": `{"hello": "Hello", "extra": "Only in English"}`})
	if _, err := loadCatalog(fsys); err == nil || !strings.Contains(err.Error(), "zh:extra") {
		t.Errorf("loadCatalog error = %v, want one naming zh:extra", err)
	}
}

// TestEmbeddedCatalogHasEveryLabel checks the messages that label() looks up
// by computed key, which the template scan in New cannot see.
func TestEmbeddedCatalogHasEveryLabel(t *testing.T) {
	messages, err := loadCatalog(embedded)
	if err != nil {
		t.Fatal(err)
	}
	values := []any{period.Year, period.Quarter, period.Month, period.Week,
		indicator.SumOverTime, indicator.LastOverTime, indicator.AverageOverTime,
		indicator.SumOverPlaces, indicator.AverageOverPlaces, indicator.NoPlaceAggregate,
		indicator.HigherBetter, indicator.Binding, indicator.Published}
	for _, lang := range languages {
		for _, v := range values {
			if s, err := label(lang, messages, v); err != nil || s == "" {
				t.Errorf("label(%s, %v) = %q, %v", lang, v, s, err)
			}
		}
	}
}

func TestPeriodLabel(t *testing.T) {
	for _, tc := range []struct{ in, zh, en string }{
		{"2020", "2020年", "2020"},
		{"2021Q2", "2021年第2季度", "2021 Q2"},
		{"2021-05", "2021年5月", "May 2021"},
		{"2021W08", "2021年第8周", "2021 W08"},
	} {
		p := period.MustParse(tc.in)
		if got := periodLabel(zh, p); got != tc.zh {
			t.Errorf("periodLabel(zh, %s) = %q, want %q", tc.in, got, tc.zh)
		}
		if got := periodLabel(en, p); got != tc.en {
			t.Errorf("periodLabel(en, %s) = %q, want %q", tc.in, got, tc.en)
		}
	}
}

// TestFigureQualifier checks where 余 and 以上 go: 4400余亩, 30%以上, and
// "over 4400 mu", "at least 30 %" in English.
func TestFigureQualifier(t *testing.T) {
	mu := indicator.Definition{UnitZH: "亩", UnitEN: "mu"}
	pct := indicator.Definition{UnitZH: "%", UnitEN: "%"}
	for _, tc := range []struct {
		name string
		f    figure
		zh   string
		en   string
	}{
		{"MoreThan", newFigure(mu, 4400, indicator.MoreThan, false), "4400余亩", "over 4400mu"},
		{"AtLeast", newFigure(pct, 30, indicator.AtLeast, false), "30%以上", "at least 30%"},
		{"Exact", newFigure(indicator.Definition{UnitZH: "%", Decimals: 2}, 18.77, indicator.Exact, false), "18.77%", "18.77%"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for lang, want := range map[string]string{zh: tc.zh, en: tc.en} {
				got := tc.f.Before(lang) + tc.f.Number + tc.f.AfterNumber(lang) + pick(lang, tc.f.UnitZH, tc.f.UnitEN) + tc.f.AfterUnit(lang)
				if got != want {
					t.Errorf("%s: %q, want %q", lang, got, want)
				}
			}
		})
	}
}
