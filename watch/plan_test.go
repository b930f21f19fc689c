package watch_test

import (
	"testing"
	"time"

	"github.com/lantu/lantu/watch"
)

func even(year int, annual float64) watch.InvestmentPlan {
	p := watch.InvestmentPlan{Year: year, Annual: annual}
	for i := range p.Monthly {
		p.Monthly[i] = annual / 12
	}
	return p
}

func TestExpectedProgress(t *testing.T) {
	monthly := even(2024, 1200) // 100 万元 a month
	// Nothing in January and February (winter, Spring Festival), 100 a
	// month from March to October, 200 in November and December:
	// 8 × 100 + 2 × 200 = 1200.
	backLoaded := watch.InvestmentPlan{Year: 2024, Annual: 1200,
		Monthly: [12]float64{0, 0, 100, 100, 100, 100, 100, 100, 100, 100, 200, 200}}
	linear := watch.InvestmentPlan{Year: 2024, Annual: 1200}
	// Twelve months of 83.33 add up to 999.96, within rounding of 1000.
	rounded := watch.InvestmentPlan{Year: 2024, Annual: 1000}
	for i := range rounded.Monthly {
		rounded.Monthly[i] = 83.33
	}
	tests := []struct {
		name string
		plan watch.InvestmentPlan
		at   time.Time
		want float64 // percent
	}{
		// 31 January completes January: 100 / 1200 = 8.333…%.
		{"EndOfJanuary", monthly, date(2024, 1, 31), 100.0 / 1200 * 100},
		// 2024 is a leap year; 29 February completes February: 200 / 1200.
		{"LeapDay", monthly, date(2024, 2, 29), 200.0 / 1200 * 100},
		// Three full months: 300 / 1200 = 25%.
		{"EndOfMarch", monthly, date(2024, 3, 31), 25},
		// 300 + 15/30 × 100 = 350; 350 / 1200 = 29.1666…%.
		{"MidApril", monthly, date(2024, 4, 15), 25 + 15.0/30*100/1200*100},
		// The date itself counts: 1 April is 300 + 1/30 × 100 = 303.33…
		{"FirstOfApril", monthly, date(2024, 4, 1), (300 + 100.0/30) / 1200 * 100},
		{"EndOfYear", monthly, date(2024, 12, 31), 100},
		// 10 March: 100 × 10/31 of the year's 1200 = 2.688…%.
		{"BackLoadedMarch", backLoaded, date(2024, 3, 10), 100.0 * 10 / 31 / 1200 * 100},
		// 15 November: 800 + 15/30 × 200 = 900; 900 / 1200 = 75%.
		{"BackLoadedNovember", backLoaded, date(2024, 11, 15), 75},
		// February has no plan: still 0 at its end.
		{"BackLoadedFebruary", backLoaded, date(2024, 2, 29), 0},
		// Without months, by day of the year: 1 July is day 183 of 366 = 50%.
		{"LinearJuly", linear, date(2024, 7, 1), 50},
		{"LinearNewYear", linear, date(2024, 1, 1), 100.0 / 366},
		// Divided by the months' own total: 999.96 of 999.96 is 100%.
		{"RoundedMonthsEndOfYear", rounded, date(2024, 12, 31), 100},
		{"BeforeTheYear", monthly, date(2023, 12, 31), 0},
		{"AfterTheYear", monthly, date(2025, 1, 1), 100},
		// 31 March 17:00 UTC is 1 April 01:00 in Beijing: 303.33… / 1200.
		{"ReadInBeijing", monthly, time.Date(2024, 3, 31, 17, 0, 0, 0, time.UTC), (300 + 100.0/30) / 1200 * 100},
		// 31 March 23:59 in Beijing is still 31 March: 25%.
		{"LateEveningBeijing", monthly, bj(2024, 3, 31, 23, 59), 25},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := watch.ExpectedProgress(tt.plan, tt.at); !near(got, tt.want) {
				t.Errorf("ExpectedProgress(%v) = %v, want %v", tt.at, got, tt.want)
			}
		})
	}
	// Spelled out, the figure from the brief: 29.17% to two decimals.
	if got := watch.ExpectedProgress(monthly, date(2024, 4, 15)); got < 29.166 || got > 29.167 {
		t.Errorf("mid-April = %v, want ≈ 29.17", got)
	}
}

func TestInvestmentPlanValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*watch.InvestmentPlan)
		zh   string
	}{
		{"OK", func(*watch.InvestmentPlan) {}, ""},
		{"OKLinear", func(p *watch.InvestmentPlan) { p.Monthly = [12]float64{} }, ""},
		// 0.05 off: within the 0.06 that rounding to 0.01 can explain.
		{"OKWithinRounding", func(p *watch.InvestmentPlan) { p.Monthly[11] -= 0.05 }, ""},
		// 0.1 off: the months do not add up.
		{"ErrSum", func(p *watch.InvestmentPlan) { p.Monthly[11] -= 0.1 }, "不符"},
		{"ErrYear", func(p *watch.InvestmentPlan) { p.Year = 0 }, "年度"},
		{"ErrNegativeAnnual", func(p *watch.InvestmentPlan) { p.Annual = -1 }, "不能为负数"},
		{"ErrNegativeMonth", func(p *watch.InvestmentPlan) { p.Monthly[2] = -100; p.Monthly[3] += 200 }, "3 月"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := even(2024, 1200)
			tt.edit(&p)
			wantInvalid(t, p.Validate(), tt.zh)
		})
	}
}

func TestMilestoneDaysLate(t *testing.T) {
	reached := func(d time.Time) *time.Time { return &d }
	planned := date(2024, 4, 30)
	tests := []struct {
		name   string
		actual *time.Time
		at     time.Time
		want   int
	}{
		// 30 April to 20 May: 1 day to 1 May, then 19 more.
		{"Open", nil, bj(2024, 5, 20, 9, 0), 20},
		{"OpenOnTheDay", nil, bj(2024, 4, 30, 23, 0), 0},
		{"OpenNextDay", nil, bj(2024, 5, 1, 0, 0), 1},
		{"NotYetDue", nil, bj(2024, 4, 1, 9, 0), 0},
		// Reached on 10 May: 10 days late, whenever asked.
		{"ReachedLate", reached(date(2024, 5, 10)), bj(2024, 6, 30, 9, 0), 10},
		{"ReachedEarly", reached(date(2024, 4, 28)), bj(2024, 6, 30, 9, 0), 0},
		// Looking back from 5 May at a milestone reached on 10 May: it was
		// then open and 5 days late.
		{"ReachedAfterAt", reached(date(2024, 5, 10)), bj(2024, 5, 5, 9, 0), 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := watch.Milestone{Name: "主体封顶", Planned: planned, Actual: tt.actual}
			if got := m.DaysLate(tt.at); got != tt.want {
				t.Errorf("DaysLate = %d, want %d", got, tt.want)
			}
		})
	}
}
