package reporting

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/storage"
)

// NewRound is what the planning office fills in to open a period.
type NewRound struct {
	Period     string
	DueDate    string   // YYYY-MM-DD, a working day
	Indicators []string // empty: every indicator reported at the period's frequency
	Note       string
}

// OpenRound opens a period for reporting. The due date must be a working
// day of the calendar, so that no department's deadline falls on a
// holiday.
func (s *Service) OpenRound(ctx context.Context, sub auth.Subject, nr NewRound, ip string) (indicator.Round, error) {
	if !sub.Can(auth.ApproveValues) {
		return indicator.Round{}, apperr.New(apperr.Forbidden, "只有规划部门可以开放填报", "only the planning office opens reporting")
	}
	p, err := period.Parse(strings.TrimSpace(nr.Period))
	if err != nil {
		return indicator.Round{}, err
	}
	due, err := time.Parse(time.DateOnly, strings.TrimSpace(nr.DueDate))
	if err != nil {
		return indicator.Round{}, apperr.Invalidf("截止日期 %q 无效，应为 年-月-日", "due date %q is invalid: use YYYY-MM-DD", nr.DueDate)
	}
	cal, err := s.DB.Calendar(ctx)
	if err != nil {
		return indicator.Round{}, err
	}
	if !cal.IsWorkingDay(due) {
		next := cal.NextWorkingDay(due)
		return indicator.Round{}, apperr.Invalidf("截止日期 %s 不是工作日（%s），下一个工作日是 %s",
			"due date %s is not a working day (%s); the next one is %s", due.Format(time.DateOnly), cal.Day(due).Kind.LabelZH(), next.Format(time.DateOnly))
	}
	inds, err := s.DB.Indicators(ctx, storage.IndicatorFilter{})
	if err != nil {
		return indicator.Round{}, err
	}
	known := map[string]indicator.Indicator{}
	for _, ind := range inds {
		known[ind.Code] = ind
	}
	codes := nr.Indicators
	if len(codes) == 0 {
		for _, ind := range inds {
			if ind.Current().Frequency == p.Kind && ind.Current().Formula == "" {
				codes = append(codes, ind.Code)
			}
		}
	}
	for _, c := range codes {
		if _, ok := known[c]; !ok {
			return indicator.Round{}, apperr.Invalidf("指标 %s 不存在", "indicator %s does not exist", c)
		}
	}
	if len(codes) == 0 {
		return indicator.Round{}, apperr.Invalidf("%s 没有需要填报的指标", "no indicator is reported for %s", p.String())
	}
	slices.Sort(codes)
	codes = slices.Compact(codes)
	r := indicator.Round{Period: p, DueDate: due, Indicators: codes, OpenedBy: sub.Name, Note: strings.TrimSpace(nr.Note)}
	a := sub.Actor("开放填报 " + p.String() + " (open reporting)")
	a.IP = ip
	err = s.DB.Write(ctx, a, func(tx *storage.Tx) error {
		r.ID, err = tx.OpenRound(ctx, r)
		return err
	})
	if err != nil {
		return indicator.Round{}, err
	}
	return s.DB.Round(ctx, r.ID)
}

// Progress is one department's completeness and timeliness in a round.
type Progress struct {
	Department string
	Total      int // indicators it must report
	Reported   int // submitted, approved or published
	OnTime     int // of those, submitted by the due date
	Approved   int // approved or published
}

// Rate is Reported/Total (填报率) as a percentage.
func (p Progress) Rate() float64 { return percent(p.Reported, p.Total) }

// OnTimeRate is OnTime/Total (及时率) as a percentage.
func (p Progress) OnTimeRate() float64 { return percent(p.OnTime, p.Total) }

func percent(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return float64(n) * 100 / float64(d)
}

// Completeness returns, per owner department, how much of the round it has
// reported and how much of that on time. It reads every department's
// values, so only city-wide roles may ask.
func (s *Service) Completeness(ctx context.Context, sub auth.Subject, roundID int64) ([]Progress, error) {
	if !sub.Scope().All() {
		return nil, apperr.New(apperr.Forbidden, "只有全市范围的角色可以查看各部门的填报进度", "only city-wide roles see every department's progress")
	}
	r, err := s.DB.Round(ctx, roundID)
	if err != nil {
		return nil, err
	}
	root, err := s.rootOrgUnit(ctx)
	if err != nil {
		return nil, err
	}
	inds, err := s.DB.Indicators(ctx, storage.IndicatorFilter{})
	if err != nil {
		return nil, err
	}
	owner := map[string]string{}
	for _, ind := range inds {
		owner[ind.Code] = ind.OwnerDept
	}
	vals, err := s.DB.Values(ctx, storage.ValueFilter{Period: r.Period, OrgUnitCode: root, Scope: auth.SystemScope()})
	if err != nil {
		return nil, err
	}
	byIndicator := map[string]indicator.Value{}
	for _, v := range vals {
		byIndicator[v.IndicatorCode] = v
	}
	progress := map[string]*Progress{}
	var order []string
	for _, code := range r.Indicators {
		d := owner[code]
		p, ok := progress[d]
		if !ok {
			p = &Progress{Department: d}
			progress[d] = p
			order = append(order, d)
		}
		p.Total++
		v, ok := byIndicator[code]
		if !ok || v.Status == indicator.Draft {
			continue
		}
		p.Reported++
		if r.OnTime(v.SubmittedAt) {
			p.OnTime++
		}
		if v.Status == indicator.Approved || v.Status == indicator.Published {
			p.Approved++
		}
	}
	slices.Sort(order)
	out := make([]Progress, 0, len(order))
	for _, d := range order {
		out = append(out, *progress[d])
	}
	return out, nil
}

// rootOrgUnit is the city: rounds collect the city's figures.
func (s *Service) rootOrgUnit(ctx context.Context) (string, error) {
	units, err := s.DB.OrgUnits(ctx)
	if err != nil {
		return "", err
	}
	for _, u := range units {
		if u.ParentCode == "" {
			return u.Code, nil
		}
	}
	return "", apperr.Invalidf("没有市级组织", "there is no city org unit")
}
