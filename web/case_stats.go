package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/cases"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/storage"
)

// caseStatsRoutes are the public figures of the cases: counts and rates by
// type and year, never a case, a number or a name.
func (s *Server) caseStatsRoutes() []route {
	return []route{
		{Method: "GET", Pattern: "/statistics/cases", Name: "case_statistics", Summary: "public statistics of the cases by type for a year: how many were registered, and each rate with its formula and both terms (no case listed)", Permission: auth.Public, Handle: s.caseStatistics},
	}
}

// yearParam is the year a page of yearly figures asks for (?year=, this
// year by default) and the last five years it offers.
func yearParam(r *http.Request, now time.Time) (int, []int, error) {
	year := now.Year()
	if y := r.URL.Query().Get("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 2000 || n > now.Year() {
			return 0, nil, apperr.Invalidf("年份 %q 无效", "invalid year %q", y)
		}
		year = n
	}
	var years []int
	for y := now.Year(); y >= now.Year()-4; y-- {
		years = append(years, y)
	}
	return year, years, nil
}

// yearPeriod is the cases of a year as they stood at its end or, for
// the year running, as they stand now.
func yearPeriod(year int, now time.Time) cases.Period {
	from := time.Date(year, 1, 1, 0, 0, 0, 0, indicator.Beijing)
	p := cases.Period{From: from, To: from.AddDate(1, 0, 0)}
	if now.Before(p.To) {
		p.AsOf = now
	}
	return p
}

type caseStatsPage struct {
	Year  int
	Years []int
	Types []caseTypeStats
}

type caseTypeStats struct {
	Code, NameZH, NameEN string
	Registered           int
	Metrics              []cases.Metric
}

func (s *Server) caseStatistics(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	now := s.now().In(indicator.Beijing)
	var page caseStatsPage
	var err error
	if page.Year, page.Years, err = yearParam(r, now); err != nil {
		return err
	}
	cal, err := s.db.Calendar(ctx)
	if err != nil {
		return err
	}
	period := yearPeriod(page.Year, now)
	types, err := s.caseService().Types(ctx)
	if err != nil {
		return err
	}
	for _, t := range types {
		list, err := s.db.Cases(ctx, storage.CaseFilter{TypeCode: t.Code})
		if err != nil {
			return err
		}
		st := caseTypeStats{Code: t.Code, NameZH: t.NameZH, NameEN: t.NameEN}
		for _, c := range list {
			if !c.ReceivedAt.Before(period.From) && c.ReceivedAt.Before(period.To) {
				st.Registered++
			}
		}
		for _, m := range cases.Metrics(list, period, cal) {
			m.NumeratorCases, m.DenominatorCases = nil, nil // the public sees figures, not cases
			st.Metrics = append(st.Metrics, m)
		}
		page.Types = append(page.Types, st)
	}
	return s.render(w, r, "case_statistics", page)
}
