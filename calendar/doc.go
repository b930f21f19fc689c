// Package calendar is Lantu's working-day calendar (工作日历): which dates
// are worked under China's statutory holidays and official make-up workdays
// (调休), adjusted by local decisions, and deadline arithmetic in working
// days as administrative rules count them (受理之日起N个工作日).
//
// The national data is github.com/6tail/lunar-go's holiday table, which
// follows the State Council's yearly notices (国务院办公厅关于部分节假日安排的
// 通知). For years the table does not cover, only weekends are known; Day
// reports this so a UI can warn.
//
// Every function reads a time.Time as the calendar date it has in its own
// location (t.Date()); the clock time is ignored. A deadline computed from
// a time in Beijing time is thus counted on Beijing dates, whatever the
// server's zone, and results are midnight in the caller's location.
package calendar
