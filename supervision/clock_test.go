package supervision_test

import (
	"testing"

	"github.com/lantu/lantu/supervision"
)

func TestWorkingDaysLeftAndLight(t *testing.T) {
	spring := issued(t, "2024-02-08 09:30", 5)   // deadline Wed Feb 21 (TestIssueDeadline)
	national := issued(t, "2024-09-27 16:00", 3) // deadline Tue Oct 8
	plain := issued(t, "2024-03-04 10:00", 4)    // deadline Fri Mar 8
	cases := []struct {
		name       string
		o          supervision.Order
		now        string
		yellowDays int
		left       int
		light      supervision.Light
	}{
		// Left: Feb 18, 19, 20, 21 = 4 (Feb 10–17 off).
		{"SpringBeforeHoliday", spring, "2024-02-09 10:00", 2, 4, supervision.Green},
		{"SpringOnHoliday", spring, "2024-02-17 10:00", 2, 4, supervision.Green},
		{"SpringMakeUpSunday", spring, "2024-02-18 10:00", 2, 3, supervision.Green},    // Feb 19, 20, 21
		{"SpringYellowBoundary", spring, "2024-02-19 08:00", 2, 2, supervision.Yellow}, // Feb 20, 21
		{"SpringGreenAtYellow1", spring, "2024-02-19 08:00", 1, 2, supervision.Green},  // 2 > 1
		{"SpringDeadlineDate", spring, "2024-02-21 23:59", 2, 0, supervision.Yellow},   // the deadline date itself
		{"SpringDeadlineDateYellow0", spring, "2024-02-21 09:00", 0, 0, supervision.Yellow},
		{"SpringDayAfter", spring, "2024-02-22 00:00", 2, -1, supervision.Red},
		{"SpringTwoDaysLate", spring, "2024-02-23 10:00", 2, -2, supervision.Red}, // Feb 22, 23
		// Left: Sep 30, Oct 8 = 2 (Oct 1–7 off).
		{"NationalMakeUpSunday", national, "2024-09-29 10:00", 1, 2, supervision.Green},
		{"NationalYellow", national, "2024-09-30 10:00", 1, 1, supervision.Yellow},  // Oct 8
		{"NationalHoliday", national, "2024-10-03 10:00", 1, 1, supervision.Yellow}, // Oct 8
		{"NationalLate", national, "2024-10-09 10:00", 1, -1, supervision.Red},
		{"NationalLateOverMakeUpSaturday", national, "2024-10-12 10:00", 1, -4, supervision.Red}, // Oct 9, 10, 11, 12 (make-up)
		// A weekend right after a Friday deadline is already late.
		{"PlainSaturdayAfter", plain, "2024-03-09 10:00", 2, -1, supervision.Red},
		{"PlainMondayAfter", plain, "2024-03-11 10:00", 2, -1, supervision.Red},
		{"PlainTuesdayAfter", plain, "2024-03-12 10:00", 2, -2, supervision.Red},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			now := at(c.now)
			if got := c.o.WorkingDaysLeft(now, cal); got != c.left {
				t.Errorf("working days left = %d, want %d", got, c.left)
			}
			if got := c.o.Light(now, cal, c.yellowDays); got != c.light {
				t.Errorf("light = %q, want %q", got, c.light)
			}
			if got := c.o.Overdue(now); got != (c.left < 0) {
				t.Errorf("overdue = %v", got)
			}
		})
	}
}

func TestLightOfReportedOrder(t *testing.T) {
	o := issued(t, "2024-02-08 09:30", 5) // deadline Feb 21
	o, _ = step(t, o, Action{Kind: supervision.Sign}, lead, "2024-02-09 09:00")
	onTime, _ := step(t, o, Action{Kind: supervision.Report, Note: "已完成"}, lead, "2024-02-21 18:00")
	late, _ := step(t, o, Action{Kind: supervision.Report, Note: "已完成"}, lead, "2024-02-22 09:00")
	now := at("2024-02-26 09:00")
	if got := onTime.Light(now, cal, 2); got != supervision.Green || onTime.Overdue(now) {
		t.Errorf("report on time, waiting for review: light %q, overdue %v", got, onTime.Overdue(now))
	}
	if got := late.Light(now, cal, 2); got != supervision.Red || !late.Overdue(now) {
		t.Errorf("late report: light %q", got)
	}
}
