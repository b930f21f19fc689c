package calendar_test

import (
	"testing"
	"time"
)

// The State Council notices (国务院办公厅关于YYYY年部分节假日安排的通知) for
// 2023–2026, typed in from the notices: days off (inclusive ranges,
// weekends inside them included) and make-up workdays. Every other date is
// worked Monday to Friday. This checks lunar-go's table day by day against
// the notices, independently of its encoding.
var notices = struct {
	off  [][2]time.Time
	work []time.Time
}{
	off: [][2]time.Time{
		// 2023
		{date(2022, 12, 31), date(2023, 1, 2)}, // 元旦
		{date(2023, 1, 21), date(2023, 1, 27)}, // 春节
		{date(2023, 4, 5), date(2023, 4, 5)},   // 清明节
		{date(2023, 4, 29), date(2023, 5, 3)},  // 劳动节
		{date(2023, 6, 22), date(2023, 6, 24)}, // 端午节
		{date(2023, 9, 29), date(2023, 10, 6)}, // 中秋节、国庆节
		// 2024
		{date(2023, 12, 30), date(2024, 1, 1)}, // 元旦
		// 春节: 2月10日至17日放假调休，共8天. 除夕 (02-09) is only
		// "encouraged" off, not a holiday.
		{date(2024, 2, 10), date(2024, 2, 17)},
		{date(2024, 4, 4), date(2024, 4, 6)},   // 清明节
		{date(2024, 5, 1), date(2024, 5, 5)},   // 劳动节
		{date(2024, 6, 8), date(2024, 6, 10)},  // 端午节
		{date(2024, 9, 15), date(2024, 9, 17)}, // 中秋节
		{date(2024, 10, 1), date(2024, 10, 7)}, // 国庆节
		// 2025 (除夕 becomes statutory)
		{date(2025, 1, 1), date(2025, 1, 1)},   // 元旦
		{date(2025, 1, 28), date(2025, 2, 4)},  // 春节
		{date(2025, 4, 4), date(2025, 4, 6)},   // 清明节
		{date(2025, 5, 1), date(2025, 5, 5)},   // 劳动节
		{date(2025, 5, 31), date(2025, 6, 2)},  // 端午节
		{date(2025, 10, 1), date(2025, 10, 8)}, // 国庆节、中秋节
		// 2026
		{date(2026, 1, 1), date(2026, 1, 3)},   // 元旦
		{date(2026, 2, 15), date(2026, 2, 23)}, // 春节
		{date(2026, 4, 4), date(2026, 4, 6)},   // 清明节
		{date(2026, 5, 1), date(2026, 5, 5)},   // 劳动节
		{date(2026, 6, 19), date(2026, 6, 21)}, // 端午节
		{date(2026, 9, 25), date(2026, 9, 27)}, // 中秋节
		{date(2026, 10, 1), date(2026, 10, 7)}, // 国庆节
	},
	work: []time.Time{
		date(2023, 1, 28), date(2023, 1, 29), date(2023, 4, 23), date(2023, 5, 6),
		date(2023, 6, 25), date(2023, 10, 7), date(2023, 10, 8),
		date(2024, 2, 4), date(2024, 2, 18), date(2024, 4, 7), date(2024, 4, 28),
		date(2024, 5, 11), date(2024, 9, 14), date(2024, 9, 29), date(2024, 10, 12),
		date(2025, 1, 26), date(2025, 2, 8), date(2025, 4, 27), date(2025, 9, 28),
		date(2025, 10, 11),
		date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28), date(2026, 5, 9),
		date(2026, 9, 20), date(2026, 10, 10),
	},
}

func officialWorking(d time.Time) bool {
	for _, w := range notices.work {
		if d.Equal(w) {
			return true
		}
	}
	for _, r := range notices.off {
		if !d.Before(r[0]) && !d.After(r[1]) {
			return false
		}
	}
	return d.Weekday() != time.Saturday && d.Weekday() != time.Sunday
}

func TestOfficialNotices(t *testing.T) {
	c := plainCalendar()
	for d := date(2023, 1, 1); d.Year() <= 2026; d = d.AddDate(0, 0, 1) {
		if got, want := c.IsWorkingDay(d), officialWorking(d); got != want {
			t.Errorf("%s (%v): IsWorkingDay = %v, notice says %v", d.Format(time.DateOnly), d.Weekday(), got, want)
		}
	}
	// Working days per year, counted by hand from the notices: weekdays
	// (260 in 2023, which starts on a Sunday; 262 in 2024, a leap year
	// starting Monday; 261 in 2025 and 2026), minus holidays falling on
	// weekdays, plus make-up days.
	tests := []struct {
		year, want int
	}{
		{2023, 249}, // 260 - 18 + 7
		{2024, 251}, // 262 - 19 + 8
		{2025, 248}, // 261 - 18 + 5
		{2026, 248}, // 261 - 19 + 6
	}
	for _, tt := range tests {
		got := c.WorkingDaysBetween(date(tt.year-1, 12, 31), date(tt.year, 12, 31))
		if got != tt.want {
			t.Errorf("working days in %d = %d, want %d", tt.year, got, tt.want)
		}
	}
}
