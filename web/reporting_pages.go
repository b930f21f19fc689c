package web

import (
	"cmp"
	"errors"
	"fmt"
	"github.com/lantu/lantu/calendar"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/width"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/reporting"
	"github.com/lantu/lantu/storage"
)

// reportingRoutes are the pages that collect figures: the planning office
// opens a round and reviews what comes in; each department fills in its
// form. Every write goes through the reporting service, which checks who
// may do what; the pages only turn forms into its calls.
func (s *Server) reportingRoutes() []route {
	return []route{
		{Method: "GET", Pattern: "/reporting", Name: "reporting", Summary: "the reporting rounds: for the planning office every round with its completeness and a form to open one; for a department its open rounds and how far its figures are", Permission: auth.ReadInternal, Handle: s.reportingHome},
		{Method: "POST", Pattern: "/reporting/rounds", Name: "reporting_round_open", Summary: "opens a period for reporting (period, due date on a working day, note)", Permission: auth.ApproveValues, Handle: s.openRound},
		{Method: "GET", Pattern: "/reporting/rounds/{id}", Name: "reporting_round", Summary: "one round: completeness per department and the review queue (approve, return, publish, reopen)", Permission: auth.ApproveValues, Handle: s.reportingRound},
		{Method: "POST", Pattern: "/reporting/rounds/{id}/review", Name: "reporting_review", Summary: "approves, returns (with a comment), reopens (with a reason) or publishes the selected figures", Permission: auth.ApproveValues, Handle: s.reviewFigures},
		{Method: "GET", Pattern: "/reporting/rounds/{id}/departments/{dept}", Name: "reporting_form", Summary: "a department's form for a round: one row per indicator with last period, target, this period's figure, note, explanation, status and the planning office's comment", Permission: auth.WriteValues, Handle: s.reportingForm},
		{Method: "POST", Pattern: "/reporting/rounds/{id}/departments/{dept}", Name: "reporting_save", Summary: "saves the department's figures as drafts, or submits them for review", Permission: auth.WriteValues, Handle: s.saveReport},
	}
}

// reportingFlashes are the confirmations the reporting pages show after a
// POST: ?done=KEY shows "flash.KEY", with ?n= a count. Only these keys.
var reportingFlashes = []string{"round_opened", "report_saved", "report_submitted", "report_unchanged",
	"review_approve", "review_return", "review_reopen", "review_publish"}

func (s *Server) reportingFlash(r *http.Request) (string, error) {
	q := r.URL.Query()
	key := q.Get("done")
	if !slices.Contains(reportingFlashes, key) {
		return "", nil
	}
	f, err := s.messages.text(languageOf(r), "flash."+key)
	if err != nil {
		return "", err
	}
	if !strings.Contains(f, "%d") {
		return f, nil
	}
	n, _ := strconv.Atoi(q.Get("n"))
	return fmt.Sprintf(f, max(n, 0)), nil
}

func doneURL(path, key string, n int) string {
	return path + "?done=" + url.QueryEscape(key) + "&n=" + strconv.Itoa(n)
}

// percent shows a rate as the offices write it: 87.5%.
func percent(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) + "%" }

type reportingHomePage struct {
	Office   bool // the planning office: opens and reviews rounds
	CityWide bool // sees every department's progress
	Rounds   []roundRow
	Form     roundForm

	Department   named
	CanWrite     bool
	NoDepartment bool // a department role without a department
	Open         []deptRoundRow

	Flash, Error string
}

// roundRow is a round with its completeness over every department.
type roundRow struct {
	Round                             indicator.Round
	Total, Reported, OnTime, Approved int
	Rate, OnTimeRate                  string
}

// deptRoundRow is an open round as a department sees it: its share of the
// indicators and where each figure stands.
type deptRoundRow struct {
	Round                                                indicator.Round
	Total, Missing, Draft, Returned, Submitted, Approved int
	PastDue                                              bool
	// DaysLeft is the working days from today to the due date (today not
	// counted); DueSoon reminds the department when it has figures still
	// to send and little time: remindWorkingDays or fewer.
	DaysLeft int
	DueSoon  bool
}

// remindWorkingDays is how close the due date must be for the reminder,
// the same as the inbox's (reporting.Remind).
const remindWorkingDays = reporting.RemindWorkingDays

// roundForm is the form that opens a round, kept when it is refused.
type roundForm struct {
	Period, DueDate, Note string
}

func (s *Server) reportingHome(w http.ResponseWriter, r *http.Request) error {
	last := strconv.Itoa(s.now().In(chinaTime).Year() - 1)
	page, err := s.reportingHomePage(r, roundForm{Period: last})
	if err != nil {
		return err
	}
	if page.Flash, err = s.reportingFlash(r); err != nil {
		return err
	}
	return s.renderPrivate(w, r, http.StatusOK, "reporting", page)
}

func (s *Server) reportingHomePage(r *http.Request, form roundForm) (reportingHomePage, error) {
	ctx, sub := r.Context(), subjectOf(r)
	page := reportingHomePage{Office: sub.Can(auth.ApproveValues), CityWide: sub.Scope().All(), Form: form, CanWrite: sub.Can(auth.WriteValues)}
	rounds, err := s.db.Rounds(ctx)
	if err != nil {
		return page, err
	}
	if page.CityWide {
		for _, rd := range rounds {
			progress, err := s.reporting.Completeness(ctx, sub, rd.ID)
			if err != nil {
				return page, err
			}
			var sum reporting.Progress
			for _, p := range progress {
				sum.Total += p.Total
				sum.Reported += p.Reported
				sum.OnTime += p.OnTime
				sum.Approved += p.Approved
			}
			page.Rounds = append(page.Rounds, roundRow{Round: rd, Total: sum.Total, Reported: sum.Reported, OnTime: sum.OnTime,
				Approved: sum.Approved, Rate: percent(sum.Rate()), OnTimeRate: percent(sum.OnTimeRate())})
		}
		return page, nil
	}
	dept := sub.Department
	if dept == "" || !sub.Scope().Covers(dept) {
		page.NoDepartment = true
		return page, nil
	}
	n, err := s.names(ctx)
	if err != nil {
		return page, err
	}
	page.Department = n.dept(dept)
	var cal *calendar.Calendar
	for _, rd := range rounds {
		if !rd.Open() {
			continue
		}
		_, tasks, err := s.reporting.Tasks(ctx, sub, rd.ID, dept)
		if err != nil {
			return page, err
		}
		if len(tasks) == 0 {
			continue
		}
		row := deptRoundRow{Round: rd, Total: len(tasks), PastDue: !rd.OnTime(s.now())}
		if cal == nil {
			if cal, err = s.db.Calendar(ctx); err != nil {
				return page, err
			}
		}
		row.DaysLeft = cal.WorkingDaysBetween(s.now().In(indicator.Beijing), rd.DueDate)
		for _, t := range tasks {
			switch {
			case t.Value == nil:
				row.Missing++
			case t.Value.Status == indicator.Draft && t.Value.ReviewComment != "":
				row.Returned++
			case t.Value.Status == indicator.Draft:
				row.Draft++
			case t.Value.Status == indicator.Submitted:
				row.Submitted++
			default:
				row.Approved++
			}
		}
		row.DueSoon = !row.PastDue && row.DaysLeft <= remindWorkingDays && row.Missing+row.Draft+row.Returned > 0
		page.Open = append(page.Open, row)
	}
	return page, nil
}

func (s *Server) openRound(w http.ResponseWriter, r *http.Request) error {
	form := roundForm{Period: strings.TrimSpace(r.PostFormValue("period")), DueDate: strings.TrimSpace(r.PostFormValue("due_date")),
		Note: strings.TrimSpace(r.PostFormValue("note"))}
	rd, err := s.reporting.OpenRound(r.Context(), subjectOf(r), reporting.NewRound{Period: form.Period, DueDate: form.DueDate, Note: form.Note}, clientOf(r).IP)
	if userError(err) {
		page, perr := s.reportingHomePage(r, form)
		if perr != nil {
			return perr
		}
		page.Error = apperr.Message(err, languageOf(r))
		return s.renderPrivate(w, r, statusOf(err), "reporting", page)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, doneURL(roundPath(rd.ID), "round_opened", len(rd.Indicators)), http.StatusSeeOther)
	return nil
}

func roundPath(id int64) string { return "/reporting/rounds/" + strconv.FormatInt(id, 10) }

func formPath(id int64, dept string) string {
	return roundPath(id) + "/departments/" + url.PathEscape(dept)
}

type roundPage struct {
	Round     indicator.Round
	PastDue   bool
	Progress  []progressRow
	Sum       progressRow
	Submitted []queueRow
	Approved  []queueRow
	// What the reviewer had selected and typed, kept when a review is
	// refused.
	Selected map[string]bool
	Comment  string
	Flash    string
	Error    string
}

type progressRow struct {
	Dept                              named
	Total, Reported, OnTime, Approved int
	Rate, OnTimeRate                  string
}

// queueRow is a figure waiting for the planning office.
type queueRow struct {
	Key         string // indicator/orgunit/period, the form's key
	ID          int    // for the element ids
	Code        string
	Name        named
	Dept        named
	Place       named
	AtRoot      bool
	Figure      figure
	EnteredBy   string
	SubmittedBy string
	SubmittedAt time.Time
	Late        bool
	Explanation string
	Note        string
	Computed    bool
}

func (s *Server) reportingRound(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	page, err := s.roundPage(r, id)
	if err != nil {
		return err
	}
	if page.Flash, err = s.reportingFlash(r); err != nil {
		return err
	}
	return s.renderPrivate(w, r, http.StatusOK, "reporting_round", page)
}

func (s *Server) roundPage(r *http.Request, id int64) (roundPage, error) {
	ctx, sub := r.Context(), subjectOf(r)
	rd, err := s.db.Round(ctx, id)
	if err != nil {
		return roundPage{}, err
	}
	page := roundPage{Round: rd, PastDue: !rd.OnTime(s.now()), Selected: map[string]bool{}}
	n, err := s.names(ctx)
	if err != nil {
		return page, err
	}
	progress, err := s.reporting.Completeness(ctx, sub, id)
	if err != nil {
		return page, err
	}
	var sum reporting.Progress
	for _, p := range progress {
		page.Progress = append(page.Progress, progressRowOf(n.dept(p.Department), p))
		sum.Total += p.Total
		sum.Reported += p.Reported
		sum.OnTime += p.OnTime
		sum.Approved += p.Approved
	}
	page.Sum = progressRowOf(named{}, sum)
	submitted, approved, err := s.reporting.ReviewQueue(ctx, sub, id)
	if err != nil {
		return page, err
	}
	inds, err := s.db.Indicators(ctx, storage.IndicatorFilter{})
	if err != nil {
		return page, err
	}
	byCode := map[string]indicator.Indicator{}
	for _, ind := range inds {
		byCode[ind.Code] = ind
	}
	next := 0
	rows := func(vals []indicator.Value) []queueRow {
		var out []queueRow
		for _, v := range vals {
			ind, ok := byCode[v.IndicatorCode]
			if !ok {
				continue
			}
			next++
			d := definitionFor(ind, v.Period)
			out = append(out, queueRow{Key: v.Key().String(), ID: next, Code: ind.Code, Name: named{Code: ind.Code, NameZH: d.NameZH, NameEN: d.NameEN},
				Dept: n.dept(ind.OwnerDept), Place: n.unit(v.OrgUnitCode), AtRoot: v.OrgUnitCode == n.root,
				Figure: newFigure(d, v.Number, v.Qualifier, v.Sample), EnteredBy: v.EnteredBy, SubmittedBy: v.SubmittedBy,
				SubmittedAt: v.SubmittedAt, Late: v.Status == indicator.Submitted && !rd.OnTime(v.SubmittedAt),
				Explanation: v.Explanation, Note: v.Note, Computed: v.Computed})
		}
		// By department, then the indicators as the plan lists them.
		slices.SortStableFunc(out, func(a, b queueRow) int {
			return cmp.Or(cmp.Compare(a.Dept.Code, b.Dept.Code), cmp.Compare(byCode[a.Code].Position, byCode[b.Code].Position), cmp.Compare(a.Code, b.Code))
		})
		return out
	}
	page.Submitted, page.Approved = rows(submitted), rows(approved)
	return page, nil
}

func progressRowOf(dept named, p reporting.Progress) progressRow {
	return progressRow{Dept: dept, Total: p.Total, Reported: p.Reported, OnTime: p.OnTime, Approved: p.Approved,
		Rate: percent(p.Rate()), OnTimeRate: percent(p.OnTimeRate())}
}

func (s *Server) reviewFigures(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Invalidf("表单无效", "invalid form")
	}
	rd, err := s.db.Round(r.Context(), id)
	if err != nil {
		return err
	}
	action := reporting.Action(r.PostForm.Get("action"))
	comment := strings.TrimSpace(r.PostForm.Get("comment"))
	raw := r.PostForm["key"]
	keys, err := reviewKeys(raw, rd.Period)
	if err == nil {
		err = s.reporting.Review(r.Context(), subjectOf(r), action, keys, comment, clientOf(r).IP)
	}
	if userError(err) {
		page, perr := s.roundPage(r, id)
		if perr != nil {
			return perr
		}
		page.Error, page.Comment = apperr.Message(err, languageOf(r)), comment
		for _, k := range raw {
			page.Selected[k] = true
		}
		return s.renderPrivate(w, r, statusOf(err), "reporting_round", page)
	}
	if err != nil {
		return err
	}
	// The action passed Review, which knows only its four actions; the
	// path is this site's own.
	http.Redirect(w, r, doneURL(roundPath(id), "review_"+string(action), len(keys))+"#queue", http.StatusSeeOther) // #nosec G710 -- local path, escaped known action
	return nil
}

// reviewKeys reads the form's keys, indicator/orgunit/period, each of the
// round's period.
func reviewKeys(raw []string, p period.Period) ([]indicator.Key, error) {
	var keys []indicator.Key
	for _, k := range raw {
		parts := strings.Split(k, "/")
		if len(parts) != 3 {
			return nil, apperr.Invalidf("数据 %q 无效", "invalid figure %q", k)
		}
		kp, err := period.Parse(parts[2])
		if err != nil || kp != p {
			return nil, apperr.Invalidf("数据 %s 不属于 %s 的填报", "figure %s is not of the %s round", k, p.String())
		}
		keys = append(keys, indicator.Key{Indicator: parts[0], OrgUnit: parts[1], Period: kp})
	}
	return keys, nil
}

type reportFormPage struct {
	Round        indicator.Round
	Dept         named
	PastDue      bool
	Rows         []formRow
	Office       bool // the planning office: links back to the round
	Problems     []string
	Warned       int // figures saved with a warning, shown inline
	Flash, Error string
	// Excel: the template download and the upload form.
	Excel       bool
	TemplateURL string
	UploadURL   string
}

// Count is the number of rows in a state (see formRow.StatusKey), for
// the summary line.
func (p reportFormPage) Count(status string) int {
	n := 0
	for _, r := range p.Rows {
		if r.StatusKey() == status {
			n++
		}
	}
	return n
}

// formRow is one line of the form: what the department sees of an
// indicator, and what it typed.
type formRow struct {
	Code       string
	Name       named
	UnitZH     string
	UnitEN     string
	Last       *figure
	LastPeriod period.Period
	Target     *figure
	Value      string // as typed, or the stored figure
	Qualifier  indicator.Qualifier
	Note       string
	// Explanation answers a warning; Reason explains a change to a
	// submitted figure.
	Explanation string
	Reason      string
	Status      indicator.Status // "" when nothing is stored
	Comment     string           // the planning office's, when it returned the figure
	Locked      bool
	Problems    []string
	Warnings    []string
}

// StatusKey is the row's state: none, draft, returned, submitted,
// approved, published.
func (r formRow) StatusKey() string {
	switch {
	case r.Status == "":
		return "none"
	case r.Status == indicator.Draft && r.Comment != "":
		return "returned"
	}
	return string(r.Status)
}

// Change is the change the row's figure implies against last period's, as
// shown: "+3.2%"; "" when either is missing or last period's is zero.
func (r formRow) Change() string {
	if r.Last == nil {
		return ""
	}
	last, ok1 := parseNumber(r.Last.Number)
	now, ok2 := parseNumber(r.Value)
	if !ok1 || !ok2 || last == 0 {
		return ""
	}
	pct := (now - last) / math.Abs(last) * 100
	if math.Abs(pct) < 0.05 {
		return "0.0%"
	}
	return fmt.Sprintf("%+.1f%%", pct)
}

// Qualifiers are the choices of the qualifier list.
func (r formRow) Qualifiers() []indicator.Qualifier {
	return []indicator.Qualifier{indicator.Exact, indicator.MoreThan, indicator.AtLeast}
}

var numberPattern = regexp.MustCompile(`^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$`)

// parseNumber reads a figure as offices type it: full-width digits (from a
// Chinese input method) and thousands separators are accepted.
func parseNumber(s string) (float64, bool) {
	s = width.Narrow.String(strings.TrimSpace(s))
	s = strings.NewReplacer(",", "", "，", "", " ", "", "。", ".").Replace(s)
	if !numberPattern.MatchString(s) {
		return 0, false
	}
	x, err := strconv.ParseFloat(s, 64)
	return x, err == nil && !math.IsInf(x, 0)
}

func formRows(tasks []reporting.Task) []formRow {
	rows := make([]formRow, 0, len(tasks))
	for _, t := range tasks {
		d := t.Indicator.Current()
		row := formRow{Code: t.Indicator.Code, Name: named{Code: t.Indicator.Code, NameZH: d.NameZH, NameEN: d.NameEN},
			UnitZH: d.UnitZH, UnitEN: d.UnitEN, Locked: t.Locked()}
		if v := t.Last; v != nil {
			f := newFigure(definitionFor(t.Indicator, v.Period), v.Number, v.Qualifier, v.Sample)
			row.Last, row.LastPeriod = &f, v.Period
		}
		if x := t.Target; x != nil {
			f := newFigure(definitionFor(t.Indicator, x.Period), x.Number, x.Qualifier, x.Sample)
			row.Target = &f
		}
		if v := t.Value; v != nil {
			row.Value = indicator.FormatNumber(v.Number, -1)
			row.Qualifier, row.Note, row.Explanation = v.Qualifier, v.Note, v.Explanation
			row.Status, row.Comment = v.Status, v.ReviewComment
		}
		rows = append(rows, row)
	}
	return rows
}

// reportForm is the form of a department in a round: the tasks as the
// service gives them (it refuses another department's), with names.
func (s *Server) reportForm(r *http.Request) (reportFormPage, []reporting.Task, error) {
	ctx, sub := r.Context(), subjectOf(r)
	id, err := pathID(r)
	if err != nil {
		return reportFormPage{}, nil, err
	}
	dept := r.PathValue("dept")
	rd, tasks, err := s.reporting.Tasks(ctx, sub, id, dept)
	if err != nil {
		return reportFormPage{}, nil, err
	}
	if _, err := s.db.Department(ctx, dept); err != nil {
		return reportFormPage{}, nil, err
	}
	n, err := s.names(ctx)
	if err != nil {
		return reportFormPage{}, nil, err
	}
	path := formPath(id, dept)
	page := reportFormPage{Round: rd, Dept: n.dept(dept), PastDue: !rd.OnTime(s.now()), Rows: formRows(tasks),
		Office: sub.Can(auth.ApproveValues), Excel: true, TemplateURL: path + "/template.xlsx", UploadURL: path + "/upload"}
	return page, tasks, nil
}

func (s *Server) reportingForm(w http.ResponseWriter, r *http.Request) error {
	page, _, err := s.reportForm(r)
	if err != nil {
		return err
	}
	if page.Flash, err = s.reportingFlash(r); err != nil {
		return err
	}
	return s.renderPrivate(w, r, http.StatusOK, "reporting_form", page)
}

// saveReport turns the form into entries and saves them. Rows left empty
// are skipped, and so are figures the form only shows again unchanged: a
// submitted figure re-sent with a draft would go back to draft, and one
// re-sent with a submission would lose its submission time.
func (s *Server) saveReport(w http.ResponseWriter, r *http.Request) error {
	page, tasks, err := s.reportForm(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Invalidf("表单无效", "invalid form")
	}
	lang := languageOf(r)
	submit := r.PostForm.Get("submit") == "1"
	var entries []reporting.Entry
	var rowOf []int // entry → row
	typed, bad := 0, false
	for i, t := range tasks {
		row := &page.Rows[i]
		if row.Locked {
			continue
		}
		code := t.Indicator.Code
		row.Value = strings.TrimSpace(r.PostForm.Get("value_" + code))
		row.Qualifier = indicator.Qualifier(r.PostForm.Get("qualifier_" + code))
		row.Note = strings.TrimSpace(r.PostForm.Get("note_" + code))
		row.Explanation = strings.TrimSpace(r.PostForm.Get("explanation_" + code))
		row.Reason = strings.TrimSpace(r.PostForm.Get("reason_" + code))
		if row.Value == "" {
			continue
		}
		typed++
		x, ok := parseNumber(row.Value)
		if !ok {
			bad = true
			msg := pick(lang, fmt.Sprintf("「%s」应为数字，填写的是 %s", row.Name.NameZH, row.Value),
				fmt.Sprintf("%s must be a number, not %q", pick(lang, row.Name.NameZH, row.Name.NameEN), row.Value))
			row.Problems = append(row.Problems, msg)
			page.Problems = append(page.Problems, msg)
			continue
		}
		e := reporting.Entry{Indicator: code, OrgUnit: t.OrgUnit, Period: page.Round.Period.String(), Number: x, Qualifier: row.Qualifier,
			Note: row.Note, Explanation: row.Explanation, Reason: row.Reason}
		if old := t.Value; old != nil && old.Number == x && old.Qualifier == e.Qualifier {
			if old.Note == e.Note && old.Explanation == e.Explanation && (old.Status == indicator.Submitted || !submit) {
				continue // nothing new to say about it
			}
			// The same figure keeps the document it was read from.
			e.Source, e.Quote = old.Source, old.Quote
		}
		entries = append(entries, e)
		rowOf = append(rowOf, i)
	}
	if bad {
		return s.renderPrivate(w, r, http.StatusBadRequest, "reporting_form", page)
	}
	if len(entries) == 0 && typed > 0 {
		http.Redirect(w, r, doneURL(formPath(page.Round.ID, page.Dept.Code), "report_unchanged", 0), http.StatusSeeOther)
		return nil
	}
	saved, err := s.reporting.Save(r.Context(), subjectOf(r), entries, submit, clientOf(r).IP)
	var refused *reporting.Refused
	if errors.As(err, &refused) {
		for _, p := range refused.Problems {
			msg := pick(lang, p.ZH, p.EN)
			if p.Index >= 0 && p.Index < len(rowOf) {
				page.Rows[rowOf[p.Index]].Problems = append(page.Rows[rowOf[p.Index]].Problems, msg)
			}
			page.Problems = append(page.Problems, msg)
		}
		return s.renderPrivate(w, r, statusOf(err), "reporting_form", page)
	}
	if userError(err) {
		page.Error = apperr.Message(err, lang)
		return s.renderPrivate(w, r, statusOf(err), "reporting_form", page)
	}
	if err != nil {
		return err
	}
	if submit || len(saved.Warnings) == 0 {
		key := "report_saved"
		if submit {
			key = "report_submitted"
		}
		http.Redirect(w, r, doneURL(formPath(page.Round.ID, page.Dept.Code), key, len(entries)), http.StatusSeeOther)
		return nil
	}
	// A draft that raised warnings is shown again at once, the warnings on
	// their rows, so that the reporter checks the figure or explains it
	// before submitting.
	fresh, _, err := s.reportForm(r)
	if err != nil {
		return err
	}
	for _, f := range saved.Warnings {
		for i := range fresh.Rows {
			if fresh.Rows[i].Code == f.Key.Indicator {
				fresh.Rows[i].Warnings = append(fresh.Rows[i].Warnings, pick(lang, f.MessageZH, f.MessageEN))
			}
		}
	}
	fresh.Warned = len(saved.Warnings)
	if fresh.Flash, err = s.messages.text(lang, "flash.report_saved"); err != nil {
		return err
	}
	fresh.Flash = fmt.Sprintf(fresh.Flash, len(entries))
	return s.renderPrivate(w, r, http.StatusOK, "reporting_form", fresh)
}
