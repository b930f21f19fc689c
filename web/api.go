package web

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/excelio"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/reporting"
	"github.com/lantu/lantu/storage"
)

// apiRoutes are the JSON API for machine clients (with an API token) and
// the data downloads. Reads are scoped like the pages; writes are checked
// by the reporting service.
func (s *Server) apiRoutes() []route {
	return []route{
		{Method: "GET", Pattern: "/api/v1/me", Name: "api_me", Summary: "who the token or session acts as: user, role, department, permissions", Permission: auth.SignedIn, Handle: s.apiMe},
		{Method: "GET", Pattern: "/api/v1/indicators", Name: "api_indicators", Summary: "every indicator with its current definition", Permission: auth.Public, Handle: s.apiIndicators},
		{Method: "GET", Pattern: "/api/v1/indicators/{code}/values", Name: "api_values", Summary: "an indicator's values the caller may see (the public: published ones)", Permission: auth.Public, Handle: s.apiValues},
		{Method: "PUT", Pattern: "/api/v1/values", Name: "api_put_value", Summary: "enter or change one value (draft or submitted) of an indicator of the caller's department", Permission: auth.WriteValues, Handle: s.apiPutValue},
		{Method: "GET", Pattern: "/indicators/{code}/values.csv", Name: "values_csv", Summary: "download an indicator's values the visitor may see, as CSV (audited)", Permission: auth.Public, Handle: s.valuesCSV},
	}
}

type apiSubject struct {
	Name        string            `json:"name"`
	Role        auth.Role         `json:"role"`
	Department  string            `json:"department"`
	Permissions []auth.Permission `json:"permissions"`
	Token       bool              `json:"token"`
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) error {
	sub := subjectOf(r)
	perms := auth.PermissionsOf(sub.Role)
	if sub.TokenID != 0 {
		perms = sub.TokenPermissions
	}
	writeJSON(w, http.StatusOK, apiSubject{Name: sub.Name, Role: sub.Role, Department: sub.Department, Permissions: perms, Token: sub.TokenID != 0})
	return nil
}

type apiIndicator struct {
	Code      string `json:"code"`
	Area      string `json:"area"`
	OwnerDept string `json:"owner_department"`
	NameZH    string `json:"name_zh"`
	NameEN    string `json:"name_en"`
	UnitZH    string `json:"unit_zh"`
	Nature    string `json:"nature"`
	Frequency string `json:"frequency"`
}

func (s *Server) apiIndicators(w http.ResponseWriter, r *http.Request) error {
	list, err := s.db.Indicators(r.Context(), storage.IndicatorFilter{})
	if err != nil {
		return err
	}
	out := make([]apiIndicator, 0, len(list))
	for _, ind := range list {
		d := ind.Current()
		out = append(out, apiIndicator{Code: ind.Code, Area: ind.AreaCode, OwnerDept: ind.OwnerDept, NameZH: d.NameZH, NameEN: d.NameEN,
			UnitZH: d.UnitZH, Nature: string(d.Nature), Frequency: d.Frequency.String()})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type apiValue struct {
	Indicator   string     `json:"indicator"`
	OrgUnit     string     `json:"org_unit"`
	Period      string     `json:"period"`
	Number      float64    `json:"number"`
	Qualifier   string     `json:"qualifier,omitempty"`
	Status      string     `json:"status"`
	EnteredBy   string     `json:"entered_by,omitempty"`
	EnteredAt   *time.Time `json:"entered_at,omitempty"`
	ApprovedBy  string     `json:"approved_by,omitempty"`
	ApprovedAt  *time.Time `json:"approved_at,omitempty"`
	PublishedAt *time.Time `json:"published_at,omitempty"`
	Source      string     `json:"source,omitempty"`
	Quote       string     `json:"quote,omitempty"`
	Note        string     `json:"note,omitempty"`
	Sample      bool       `json:"sample,omitempty"`
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func apiValueOf(v indicator.Value) apiValue {
	return apiValue{Indicator: v.IndicatorCode, OrgUnit: v.OrgUnitCode, Period: v.Period.String(), Number: v.Number, Qualifier: string(v.Qualifier),
		Status: string(v.Status), EnteredBy: v.EnteredBy, EnteredAt: optTime(v.EnteredAt), ApprovedBy: v.ApprovedBy, ApprovedAt: optTime(v.ApprovedAt),
		PublishedAt: optTime(v.PublishedAt), Source: v.Source, Quote: v.Quote, Note: v.Note, Sample: v.Sample}
}

// indicatorValues loads the indicator of the path and its values the
// visitor may see.
func (s *Server) indicatorValues(r *http.Request) (indicator.Indicator, []indicator.Value, error) {
	ind, err := s.db.Indicator(r.Context(), r.PathValue("code"))
	if err != nil {
		return ind, nil, err
	}
	vals, err := s.db.Values(r.Context(), storage.ValueFilter{IndicatorCode: ind.Code, Scope: scopeOf(r)})
	return ind, vals, err
}

func (s *Server) apiValues(w http.ResponseWriter, r *http.Request) error {
	_, vals, err := s.indicatorValues(r)
	if err != nil {
		return err
	}
	out := make([]apiValue, 0, len(vals))
	for _, v := range vals {
		out = append(out, apiValueOf(v))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// putValueRequest is everything a client may send; any other field —
// entered_by, approved_by, department, published_at … — is refused, not
// ignored, so that a client never believes it set something it did not.
type putValueRequest struct {
	Indicator   string  `json:"indicator"`
	OrgUnit     string  `json:"org_unit"`
	Period      string  `json:"period"`
	Number      float64 `json:"number"`
	Qualifier   string  `json:"qualifier"`
	Status      string  `json:"status"`
	Source      string  `json:"source"`
	Quote       string  `json:"quote"`
	Note        string  `json:"note"`
	Explanation string  `json:"explanation"`
	Reason      string  `json:"reason"`
}

func (s *Server) apiPutValue(w http.ResponseWriter, r *http.Request) error {
	var req putValueRequest
	if err := decodeJSON(r.Body, &req); err != nil {
		return err
	}
	e := reporting.Entry{Indicator: req.Indicator, OrgUnit: req.OrgUnit, Period: req.Period, Number: req.Number,
		Qualifier: indicator.Qualifier(req.Qualifier), Status: indicator.Status(req.Status), Source: req.Source, Quote: req.Quote,
		Note: req.Note, Explanation: req.Explanation, Reason: req.Reason}
	saved, err := s.reporting.Save(r.Context(), subjectOf(r), []reporting.Entry{e}, false, clientOf(r).IP)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, apiSaved(saved))
	return nil
}

// apiSavedAnswer is the answer to a save: the figures as stored (computed
// ones included) and the warnings they raised.
type apiSavedAnswer struct {
	Values   []apiValue   `json:"values"`
	Warnings []apiWarning `json:"warnings"`
}

type apiWarning struct {
	Value     string `json:"value"`
	Rule      string `json:"rule"`
	MessageZH string `json:"message_zh"`
	MessageEN string `json:"message_en"`
}

func apiSaved(s reporting.Saved) apiSavedAnswer {
	out := apiSavedAnswer{Values: []apiValue{}, Warnings: []apiWarning{}}
	for _, v := range s.Values {
		out.Values = append(out.Values, apiValueOf(v))
	}
	for _, w := range s.Warnings {
		out.Warnings = append(out.Warnings, apiWarning{Value: w.Key.String(), Rule: w.Rule, MessageZH: w.MessageZH, MessageEN: w.MessageEN})
	}
	return out
}

// decodeJSON reads one JSON object into v, refusing unknown fields and
// trailing data with a message that names the problem.
func decodeJSON(body io.Reader, v any) error {
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return err
		}
		msg := err.Error()
		if field, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
			return apperr.Invalidf("不允许设置字段 %s", "field %s may not be set", field)
		}
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return apperr.Invalidf("字段 %s 的类型不对：应为 %s", "field %s has the wrong type: want %s", typeErr.Field, typeErr.Type.String())
		}
		return apperr.Invalidf("请求不是有效的 JSON", "the request is not valid JSON")
	}
	if dec.More() {
		return apperr.Invalidf("请求只能包含一个 JSON 对象", "the request must hold one JSON object")
	}
	return nil
}

// valuesCSV downloads what the visitor may see of an indicator's values.
// Cells that a spreadsheet would run as a formula are neutralised, and the
// download is audited.
func (s *Server) valuesCSV(w http.ResponseWriter, r *http.Request) error {
	ind, vals, err := s.indicatorValues(r)
	if err != nil {
		return err
	}
	s.audit(r, audit.Download, "indicator", ind.Code, map[string]any{"file": "values.csv", "rows": len(vals)})
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-values.csv"`, ind.Code))
	h.Set("Cache-Control", "no-store")
	_, _ = io.WriteString(w, "\uFEFF")
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"indicator", "name_zh", "unit_zh", "org_unit", "period", "number", "qualifier", "status", "source", "quote", "note", "sample"})
	d := ind.Current()
	for _, v := range vals {
		_ = cw.Write(excelio.SafeCells(v.IndicatorCode, d.NameZH, d.UnitZH, v.OrgUnitCode, v.Period.String(), indicator.FormatNumber(v.Number, -1),
			string(v.Qualifier), string(v.Status), v.Source, v.Quote, v.Note, fmt.Sprint(v.Sample)))
	}
	cw.Flush()
	return cw.Error()
}
