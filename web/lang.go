package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/lantu/lantu/apperr"
)

// setLanguage remembers the language in a cookie and goes back to the page
// the switch was clicked on.
func (s *Server) setLanguage(w http.ResponseWriter, r *http.Request) error {
	lang := r.PathValue("lang")
	if !isLanguage(lang) {
		return apperr.Invalidf("不支持的语言 %q：应为 zh 或 en", "unsupported language %q: zh or en", lang)
	}
	// A language preference is no credential; Secure follows the connection
	// so that the switch works on plain-HTTP localhost too.
	http.SetCookie(w, &http.Cookie{ // #nosec G124 -- preference cookie, Secure when served over TLS
		Name:     "lang",
		Value:    lang,
		Path:     "/",
		MaxAge:   365 * 24 * 3600,
		HttpOnly: true,
		Secure:   r.TLS != nil,
		SameSite: http.SameSiteLaxMode,
	})
	http.Redirect(w, r, localPath(r.URL.Query().Get("next")), http.StatusSeeOther) // #nosec G710 -- localPath admits only same-site paths
	return nil
}

// localPath returns next if it is a path on this site, else "/": a link
// such as /lang/en?next=//evil.example must not send users elsewhere.
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	// Browsers ignore tabs and newlines in URLs, so "/\t/evil.example"
	// would become "//evil.example".
	if strings.ContainsFunc(next, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	return next
}
