// Package period is Lantu's reporting period: a year (2021), a quarter
// (2021Q2), a month (2021-05) or an ISO 8601 week (2021W18). Figures are
// reported per period, and plans compare periods of different kinds, so the
// package also answers which period contains which.
//
// Weeks follow ISO 8601: they start on Monday and week 1 is the week that
// holds the year's first Thursday, so a week's Year is its ISO week-year,
// which differs from the calendar year for a few days around New Year. When
// a week is filed under a month, quarter or year, the Thursday decides too:
// 2020W53 (2020-12-28 to 2021-01-03) belongs to December 2020.
//
// All dates are calendar dates; Start and End are midnight UTC.
package period
