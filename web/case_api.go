package web

import (
	"net/http"
	"time"

	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/calendar"
	"github.com/lantu/lantu/cases"
	"github.com/lantu/lantu/storage"
)

// caseAPIRoutes are the cases for machine clients, through casework like
// the pages: a case the caller may not see is not found, and its submitter
// is in the answer only where the caller may see it.
func (s *Server) caseAPIRoutes() []route {
	return []route{
		{Method: "GET", Pattern: "/api/v1/cases", Name: "api_cases", Summary: "the cases the caller may see (open ones unless ?state=all), without submitters: number, type, category, matter, state, office, departments, first deadline with how it was computed, light", Permission: auth.ReadInternal, Handle: s.apiCases},
		{Method: "GET", Pattern: "/api/v1/cases/{id}", Name: "api_case", Summary: "one case the caller may see, with its clocks, answers and promises; the submitter only where the caller may see it", Permission: auth.ReadInternal, Handle: s.apiCase},
	}
}

// apiCase is a case as the API gives it: named fields, nothing the page
// would not show.
type apiCase struct {
	ID               int64        `json:"id"`
	Number           string       `json:"number"`
	Type             string       `json:"type"`
	Category         string       `json:"category,omitempty"`
	Title            string       `json:"title"`
	State            cases.State  `json:"state"`
	Round            int          `json:"round"`
	OfficeDept       string       `json:"office_dept"`
	LeadDept         string       `json:"lead_dept,omitempty"`
	CoDepts          []string     `json:"co_depts,omitempty"`
	ReceivedAt       time.Time    `json:"received_at"`
	Deadline         string       `json:"deadline,omitempty"` // the first clock's, YYYY-MM-DD
	DeadlineHow      string       `json:"deadline_computed,omitempty"`
	WorkingDaysLeft  *int         `json:"working_days_left,omitempty"`
	Light            cases.Light  `json:"light,omitempty"`
	PublishConsent   bool         `json:"publish_consent,omitempty"`
	Submitter        string       `json:"submitter,omitempty"`
	SubmitterContact string       `json:"submitter_contact,omitempty"`
	Clocks           []apiClock   `json:"clocks,omitempty"`
	Answers          []apiAnswer  `json:"answers,omitempty"`
	Promises         []apiPromise `json:"promises,omitempty"`
	Returns          []apiReturn  `json:"returns,omitempty"`
}

type apiClock struct {
	Kind        cases.ClockKind `json:"kind"`
	Deadline    string          `json:"deadline,omitempty"`
	DeadlineHow string          `json:"deadline_computed,omitempty"`
	Running     bool            `json:"running"`
	Light       cases.Light     `json:"light,omitempty"`
}

type apiAnswer struct {
	Round      int          `json:"round"`
	AnsweredAt time.Time    `json:"answered_at"`
	Result     string       `json:"result,omitempty"`
	Text       string       `json:"text"`
	OnTime     bool         `json:"on_time"`
	Rating     cases.Rating `json:"rating,omitempty"`
}

type apiPromise struct {
	Text   string     `json:"text"`
	Due    string     `json:"due"`
	KeptAt *time.Time `json:"kept_at,omitempty"`
}

type apiReturn struct {
	Dept   string    `json:"dept"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason"`
}

// apiCaseOf is the case for the API; the detail adds every clock, the
// answers, promises and returns.
func (s *Server) apiCaseOf(r *http.Request, c cases.Case, cal *calendar.Calendar, detail bool) apiCase {
	now, lang := s.now(), languageOf(r)
	out := apiCase{ID: c.ID, Number: c.Number, Type: c.Type.Code, Category: c.Category, Title: c.Title, State: c.State, Round: c.Round(),
		OfficeDept: c.OfficeDept, ReceivedAt: c.ReceivedAt, Light: c.Light(now, cal), PublishConsent: c.PublishConsent,
		Submitter: c.Submitter, SubmitterContact: c.SubmitterContact}
	if a, ok := c.Assignment(); ok {
		out.LeadDept = a.LeadDept
		for _, h := range a.CoHandlers {
			out.CoDepts = append(out.CoDepts, h.Dept)
		}
	}
	clocks := c.Clocks(now, cal)
	for i, k := range clocks {
		ac := apiClock{Kind: k.Rule.Kind, Running: k.Running(), Light: k.Light(now, cal, c.Type.YellowDays)}
		if k.Started {
			howZH, howEN := k.Explained()
			ac.Deadline, ac.DeadlineHow = k.Deadline.Format(time.DateOnly), pick(lang, howZH, howEN)
		}
		if i == 0 && k.Started {
			out.Deadline, out.DeadlineHow = ac.Deadline, ac.DeadlineHow
			if k.Running() {
				left := k.WorkingDaysLeft(now, cal)
				out.WorkingDaysLeft = &left
			}
		}
		if detail {
			out.Clocks = append(out.Clocks, ac)
		}
	}
	if !detail {
		return out
	}
	for _, a := range c.Answers {
		out.Answers = append(out.Answers, apiAnswer{Round: a.Round, AnsweredAt: a.AnsweredAt, Result: a.Result, Text: a.Text, OnTime: a.OnTime, Rating: a.Rating})
	}
	for _, p := range c.Promises {
		ap := apiPromise{Text: p.Text, Due: p.Due.Format(time.DateOnly)}
		if !p.KeptAt.IsZero() {
			kept := p.KeptAt
			ap.KeptAt = &kept
		}
		out.Promises = append(out.Promises, ap)
	}
	for _, a := range c.Assignments {
		if !a.ReturnedAt.IsZero() {
			out.Returns = append(out.Returns, apiReturn{Dept: a.LeadDept, At: a.ReturnedAt, Reason: a.ReturnReason})
		}
	}
	return out
}

func (s *Server) apiCases(w http.ResponseWriter, r *http.Request) error {
	list, err := s.caseService().Cases(r.Context(), subjectOf(r), storage.CaseFilter{OpenOnly: r.URL.Query().Get("state") != "all"})
	if err != nil {
		return err
	}
	cal, err := s.db.Calendar(r.Context())
	if err != nil {
		return err
	}
	out := make([]apiCase, 0, len(list))
	for _, c := range list {
		out = append(out, s.apiCaseOf(r, c, cal, false))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiCase(w http.ResponseWriter, r *http.Request) error {
	c, err := s.caseOf(r)
	if err != nil {
		return err
	}
	cal, err := s.db.Calendar(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.apiCaseOf(r, c, cal, true))
	return nil
}
