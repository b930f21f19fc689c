package web

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"slices"
	"strings"
)

// The languages of the interface. Chinese is the default: the offices that
// use Lantu work in it, and domain data is always there in Chinese.
const (
	zh = "zh"
	en = "en"
)

var languages = []string{zh, en}

// isLanguage reports whether l is a language of the interface.
func isLanguage(l string) bool { return slices.Contains(languages, l) }

// languageOf returns the language for the request: ?lang= for this request,
// else the lang cookie, else Chinese.
func languageOf(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); isLanguage(l) {
		return l
	}
	if c, err := r.Cookie("lang"); err == nil && isLanguage(c.Value) {
		return c.Value
	}
	return zh
}

// pick returns the English text in English when there is one, else the
// Chinese: every object has a Chinese name, not all have an English one.
func pick(lang, zhText, enText string) string {
	if lang == en && strings.TrimSpace(enText) != "" {
		return enText
	}
	return zhText
}

// catalog holds the interface messages, language → key → text, read from
// i18n/<lang>.json.
type catalog map[string]map[string]string

func loadCatalog(fsys fs.FS) (catalog, error) {
	c := catalog{}
	for _, lang := range languages {
		b, err := fs.ReadFile(fsys, "i18n/"+lang+".json")
		if err != nil {
			return nil, fmt.Errorf("web: messages: %w", err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("web: messages i18n/%s.json: %w", lang, err)
		}
		c[lang] = m
	}
	// A key present in one language only would show a raw key to the
	// users of the other: refuse to start instead.
	var missing []string
	for _, lang := range languages {
		for _, other := range languages {
			for key := range c[other] {
				if _, ok := c[lang][key]; !ok {
					missing = append(missing, lang+":"+key)
				}
			}
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		return nil, fmt.Errorf("web: messages missing in one language: %s", strings.Join(missing, ", "))
	}
	return c, nil
}

// text returns the message for key in lang, or an error naming the key.
func (c catalog) text(lang, key string) (string, error) {
	if s, ok := c[lang][key]; ok {
		return s, nil
	}
	return "", fmt.Errorf("web: no message %q", key)
}
