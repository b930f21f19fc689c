package web

import (
	"bytes"
	"fmt"
	"github.com/lantu/lantu/auth"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strings"
	"time"

	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/period"
)

// pages holds the parsed templates: language → page → template. Each
// language has its own set so that the template functions (t, pick, label)
// know the language without it being passed around.
type pages map[string]map[string]*template.Template

// actionPattern and messagePattern find {{t "key"}} and {{tf "key" …}}
// inside template actions, so that New can check that every key exists
// before a user meets a missing one.
var (
	actionPattern  = regexp.MustCompile(`\{\{.*?\}\}`)
	messagePattern = regexp.MustCompile(`\btf?\s+"([^"]*)"`)
)

func parsePages(fsys fs.FS, messages catalog, a *assets) (pages, error) {
	base, err := readTemplates(fsys, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pageFiles, err := readTemplates(fsys, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	if err := checkMessages(messages, base, pageFiles); err != nil {
		return nil, err
	}
	p := pages{}
	for _, lang := range languages {
		root := template.New("").Funcs(templateFuncs(lang, messages, a))
		for _, f := range base {
			if _, err := root.New(f.name).Parse(f.text); err != nil {
				return nil, fmt.Errorf("web: template %s: %w", f.name, err)
			}
		}
		p[lang] = map[string]*template.Template{}
		for _, f := range pageFiles {
			t, err := root.Clone()
			if err != nil {
				return nil, fmt.Errorf("web: template %s: %w", f.name, err)
			}
			if _, err := t.New(f.name).Parse(f.text); err != nil {
				return nil, fmt.Errorf("web: template %s: %w", f.name, err)
			}
			if t.Lookup("content") == nil || t.Lookup("title") == nil {
				return nil, fmt.Errorf("web: template %s must define \"title\" and \"content\"", f.name)
			}
			p[lang][strings.TrimSuffix(path.Base(f.name), ".html")] = t
		}
	}
	return p, nil
}

type templateFile struct{ name, text string }

func readTemplates(fsys fs.FS, pattern string) ([]templateFile, error) {
	names, err := fs.Glob(fsys, pattern)
	if err != nil {
		return nil, fmt.Errorf("web: templates %s: %w", pattern, err)
	}
	var out []templateFile
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		out = append(out, templateFile{name: name, text: string(b)})
	}
	return out, nil
}

func checkMessages(messages catalog, sets ...[]templateFile) error {
	var missing []string
	for _, files := range sets {
		for _, f := range files {
			for _, action := range actionPattern.FindAllString(f.text, -1) {
				for _, m := range messagePattern.FindAllStringSubmatch(action, -1) {
					if _, err := messages.text(zh, m[1]); err != nil {
						missing = append(missing, f.name+": "+m[1])
					}
				}
			}
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("web: templates use messages that do not exist: %s", strings.Join(missing, ", "))
	}
	return nil
}

// labeled is what the domain enums offer: Direction, Nature, Status, Stage,
// OrgKind.
type labeled interface {
	LabelZH() string
	LabelEN() string
}

func templateFuncs(lang string, messages catalog, a *assets) template.FuncMap {
	return template.FuncMap{
		"lang": func() string { return lang },
		"t":    func(key string) (string, error) { return messages.text(lang, key) },
		"tf": func(key string, args ...any) (string, error) {
			f, err := messages.text(lang, key)
			if err != nil {
				return "", err
			}
			return fmt.Sprintf(f, args...), nil
		},
		"pick":   func(zhText, enText string) string { return pick(lang, zhText, enText) },
		"label":  func(v any) (string, error) { return label(lang, messages, v) },
		"period": func(p period.Period) string { return periodLabel(lang, p) },
		"static": a.url,
		"quoted": func(q string, source named) quote { return quote{Quote: q, Source: source} },
		"when":   when,
		"inc":    func(i int) int { return i + 1 },
		"deref":  func(v *float64) string { return indicator.FormatNumber(*v, -1) },
	}
}

// label returns the word for an enum value in lang.
func label(lang string, messages catalog, v any) (string, error) {
	switch v := v.(type) {
	case labeled:
		return pick(lang, v.LabelZH(), v.LabelEN()), nil
	case period.Kind:
		return messages.text(lang, "frequency."+v.String())
	case indicator.TimeAggregation:
		return messages.text(lang, "time_agg."+string(v))
	case indicator.PlaceAggregation:
		return messages.text(lang, "place_agg."+string(v))
	}
	return "", fmt.Errorf("web: no label for %T", v)
}

// periodLabel writes a period the way each language reads it: 2021年第2季度,
// 2021 Q2.
func periodLabel(lang string, p period.Period) string {
	if lang == en {
		switch p.Kind {
		case period.Quarter:
			return fmt.Sprintf("%d Q%d", p.Year, p.N)
		case period.Month:
			return p.Start().Format("Jan 2006")
		case period.Week:
			return fmt.Sprintf("%d W%02d", p.Year, p.N)
		}
		return p.String()
	}
	switch p.Kind {
	case period.Year:
		return fmt.Sprintf("%d年", p.Year)
	case period.Quarter:
		return fmt.Sprintf("%d年第%d季度", p.Year, p.N)
	case period.Month:
		return fmt.Sprintf("%d年%d月", p.Year, p.N)
	case period.Week:
		return fmt.Sprintf("%d年第%d周", p.Year, p.N)
	}
	return p.String()
}

// chinaTime is the time zone every Chinese office reads times in.
var chinaTime = time.FixedZone("UTC+8", 8*3600)

// when shows a time as the offices read it, to the minute; "" for none.
func when(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(chinaTime).Format("2006-01-02 15:04")
}

// frame is what the layout needs around every page.
type frame struct {
	Unread    int // the signed-in user's unread notifications
	Lang      string
	Nav       string // which main-menu item is current
	SwitchURL string // the same page in the other language
	RequestID string
	// Who is looking: User is nil for the anonymous public; CSRF is the
	// token every form that changes something must carry (field _csrf).
	User    *auth.User
	Subject auth.Subject
	CSRF    string
	Page    any
}

// navOf says which menu item a page belongs under.
func navOf(page string) string {
	switch page {
	case "goal":
		return "home"
	case "indicator":
		return "indicators"
	case "project":
		return "projects"
	}
	return page
}

func (s *Server) frame(r *http.Request, page string, data any) frame {
	lang := languageOf(r)
	other := en
	if lang == en {
		other = zh
	}
	// The switch returns to this page without a ?lang= that would
	// override the cookie it is about to set.
	q := r.URL.Query()
	q.Del("lang")
	back := r.URL.Path
	if len(q) > 0 {
		back += "?" + q.Encode()
	}
	v := visitorOf(r)
	f := frame{
		Lang:      lang,
		Nav:       navOf(page),
		SwitchURL: "/lang/" + other + "?next=" + url.QueryEscape(back),
		RequestID: requestID(r),
		User:      v.User,
		Subject:   v.Subject,
		Page:      data,
	}
	if v.Session != nil {
		f.CSRF = v.Session.CSRFToken
	}
	if v.User != nil && !v.Pending {
		// A count the layout shows beside the inbox; a failure to count
		// must not stop the page.
		if n, err := s.db.UnreadCount(r.Context(), v.User.ID); err == nil {
			f.Unread = n
		}
	}
	return f
}

func (p pages) execute(lang, page string, data frame) ([]byte, error) {
	t, ok := p[lang][page]
	if !ok {
		return nil, fmt.Errorf("web: no page %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		return nil, fmt.Errorf("web: render %s (%s): %w", page, lang, err)
	}
	return buf.Bytes(), nil
}

// render writes a page with status 200. It renders into a buffer first, so
// a failing template becomes a clean error page rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, page string, data any) error {
	f := s.frame(r, page, data)
	body, err := s.pages.execute(f.Lang, page, f)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", map[string]string{zh: "zh-CN", en: "en"}[f.Lang])
	h.Set("Vary", "Cookie")
	_, _ = w.Write(body)
	return nil
}
