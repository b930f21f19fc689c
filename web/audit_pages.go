package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/storage"
)

// auditQuery is the audit page's filter: who, what, which action, when,
// and where the page starts (rows older than Before).
type auditQuery struct {
	Actor      string
	ObjectType string
	ObjectID   string
	Action     string
	From, To   string // dates as typed, YYYY-MM-DD, China time; To included
	Before     int64  // 0 for the newest rows
	from, to   time.Time
}

// auditPageSize is how many rows a page shows.
const auditPageSize = 100

func parseAuditQuery(v url.Values) (auditQuery, error) {
	q := auditQuery{Actor: strings.TrimSpace(v.Get("actor")), ObjectType: strings.TrimSpace(v.Get("type")),
		ObjectID: strings.TrimSpace(v.Get("id")), Action: strings.TrimSpace(v.Get("action")),
		From: strings.TrimSpace(v.Get("from")), To: strings.TrimSpace(v.Get("to"))}
	var err error
	if q.From != "" {
		if q.from, err = time.ParseInLocation(time.DateOnly, q.From, chinaTime); err != nil {
			return q, apperr.Invalidf("起始日期 %q 无效，应为 年-月-日", "from date %q is invalid: use YYYY-MM-DD", q.From)
		}
	}
	if q.To != "" {
		if q.to, err = time.ParseInLocation(time.DateOnly, q.To, chinaTime); err != nil {
			return q, apperr.Invalidf("截止日期 %q 无效，应为 年-月-日", "to date %q is invalid: use YYYY-MM-DD", q.To)
		}
		q.to = q.to.AddDate(0, 0, 1) // the whole day
	}
	if !q.from.IsZero() && !q.to.IsZero() && !q.from.Before(q.to) {
		return q, apperr.Invalidf("起始日期晚于截止日期", "the from date is after the to date")
	}
	if b := v.Get("before"); b != "" {
		if q.Before, err = strconv.ParseInt(b, 10, 64); err != nil || q.Before <= 0 {
			return q, apperr.Invalidf("参数 before 应为记录编号", "before must be a row number")
		}
	}
	return q, nil
}

// storageFilter asks for one page and one row more, which tells whether
// older rows exist.
func (q auditQuery) storageFilter() storage.AuditFilter {
	return storage.AuditFilter{Actor: q.Actor, ObjectType: q.ObjectType, ObjectID: q.ObjectID, Action: audit.Action(q.Action),
		From: q.from, To: q.to, BeforeID: q.Before, Limit: auditPageSize + 1}
}

// url is the audit page for q, with rows older than before.
func (q auditQuery) url(before int64) string {
	v := url.Values{}
	for k, x := range map[string]string{"actor": q.Actor, "type": q.ObjectType, "id": q.ObjectID, "action": q.Action, "from": q.From, "to": q.To} {
		if x != "" {
			v.Set(k, x)
		}
	}
	if before > 0 {
		v.Set("before", strconv.FormatInt(before, 10))
	}
	if len(v) == 0 {
		return "/admin/audit"
	}
	return "/admin/audit?" + v.Encode()
}

type auditPage struct {
	Query   auditQuery
	Actions []option
	Rows    []auditRow
	Older   string // the next page's URL, "" at the oldest
	Newest  string // the first page's URL, "" on it
	Checked int64  // rows whose hash chain was verified
	// The chain's first break: the row and what is wrong; "" when whole.
	ProblemRow int64
	Problem    string
	Filtered   bool
}

type auditRow struct {
	ID          int64
	At          time.Time
	Actor       string
	Action      string
	ActionLabel string
	ObjectType  string
	ObjectID    string
	Before      string // indented JSON
	After       string
	Reason      string
	IP          string
	Hash        string // the first 12 characters
}

// auditActions are the actions the filter offers.
var auditActions = []audit.Action{audit.Create, audit.Update, audit.Delete, audit.SignIn, audit.SignInPassword,
	audit.SignInFailed, audit.SignInThrottled, audit.SignOut, audit.Refused, audit.Download}

func (s *Server) auditTrail(w http.ResponseWriter, r *http.Request) error {
	ctx, lang := r.Context(), languageOf(r)
	if _, err := browserUser(r); err != nil {
		return err
	}
	q, err := parseAuditQuery(r.URL.Query())
	if err != nil {
		return err
	}
	page := auditPage{Query: q, Filtered: q.url(0) != "/admin/audit"}
	checked, problem, err := s.db.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	page.Checked = checked
	if problem != nil {
		page.ProblemRow, page.Problem = problem.ID, pick(lang, problem.ZH, problem.EN)
	}
	entries, err := s.db.AuditEntries(ctx, q.storageFilter())
	if err != nil {
		return err
	}
	rows, more := entries, len(entries) > auditPageSize
	if more {
		rows = rows[:auditPageSize]
	}
	for _, e := range rows {
		page.Rows = append(page.Rows, auditRow{ID: e.ID, At: e.At, Actor: e.Actor, Action: string(e.Action),
			ActionLabel: s.actionLabel(lang, e.Action), ObjectType: e.ObjectType, ObjectID: e.ObjectID,
			Before: indentJSON(e.Before), After: indentJSON(e.After), Reason: e.Reason, IP: e.IP, Hash: e.Hash[:min(12, len(e.Hash))]})
	}
	if more {
		page.Older = q.url(rows[len(rows)-1].ID)
	}
	if q.Before > 0 {
		page.Newest = q.url(0)
	}
	for _, a := range auditActions {
		page.Actions = append(page.Actions, option{Value: string(a), Label: s.actionLabel(lang, a)})
	}
	return s.renderPrivate(w, r, http.StatusOK, "audit", page)
}

// actionLabel names an action in lang; an action without a name in the
// catalog shows as itself.
func (s *Server) actionLabel(lang string, a audit.Action) string {
	if l, err := s.messages.text(lang, "audit.action."+string(a)); err == nil {
		return l
	}
	return string(a)
}

// indentJSON lays out a before or after state for reading.
func indentJSON(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var b bytes.Buffer
	if err := json.Indent(&b, raw, "", "  "); err != nil {
		return string(raw)
	}
	return b.String()
}
