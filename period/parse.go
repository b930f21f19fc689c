package period

import "github.com/lantu/lantu/apperr"

// The years Lantu accepts. Plans span decades, not centuries; the bounds
// catch typos such as 0221 or 20211 while leaving room for history and
// long-range targets.
const (
	minYear = 1900
	maxYear = 2200
)

// Parse reads a period written as 2021 (year), 2021Q2 (quarter; q accepted),
// 2021-05 (month, two digits) or 2021W18 (ISO week; also 2021-W18, and the
// week may have one or two digits). Nothing else is accepted, not even
// surrounding spaces: periods are keys, and a lenient parser would let two
// spellings of one key into the data. Errors are *apperr.Error (Invalid).
func Parse(s string) (Period, error) {
	p, ok := parseSyntax(s)
	if !ok {
		return Period{}, apperr.Invalidf(
			"期间格式无效 %q: 应为 2021、2021Q2、2021-05 或 2021W18",
			"invalid period %q: want 2021, 2021Q2, 2021-05 or 2021W18", s)
	}
	if err := checkRange(s, p); err != nil {
		return Period{}, err
	}
	return p, nil
}

// MustParse is Parse for tests and tables of constants; it panics on error.
func MustParse(s string) Period {
	p, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return p
}

// parseSyntax splits s into kind, year and number without checking ranges,
// so that range errors can say what is out of range.
func parseSyntax(s string) (Period, bool) {
	if len(s) < 4 || !digits(s[:4]) {
		return Period{}, false
	}
	year, rest := atoi(s[:4]), s[4:]
	switch {
	case rest == "":
		return Period{Kind: Year, Year: year}, true
	case len(rest) == 2 && (rest[0] == 'Q' || rest[0] == 'q') && digits(rest[1:]):
		return Period{Kind: Quarter, Year: year, N: atoi(rest[1:])}, true
	case len(rest) == 3 && rest[0] == '-' && digits(rest[1:]):
		return Period{Kind: Month, Year: year, N: atoi(rest[1:])}, true
	}
	if len(rest) > 0 && rest[0] == '-' {
		rest = rest[1:] // ISO 8601 extended form, 2021-W18
	}
	if len(rest) < 2 || len(rest) > 3 || (rest[0] != 'W' && rest[0] != 'w') || !digits(rest[1:]) {
		return Period{}, false
	}
	return Period{Kind: Week, Year: year, N: atoi(rest[1:])}, true
}

// checkRange reports a syntactically valid period whose numbers are out of
// range, naming the limit so the user can fix it.
func checkRange(s string, p Period) error {
	if p.Year < minYear || p.Year > maxYear {
		return apperr.Invalidf("期间超出范围 %q: 年份应在 %d 至 %d 之间",
			"period %q out of range: year must be %d to %d", s, minYear, maxYear)
	}
	switch p.Kind {
	case Quarter:
		if p.N < 1 || p.N > 4 {
			return apperr.Invalidf("期间超出范围 %q: 季度应为 1 至 4",
				"period %q out of range: quarter must be 1 to 4", s)
		}
	case Month:
		if p.N < 1 || p.N > 12 {
			return apperr.Invalidf("期间超出范围 %q: 月份应为 01 至 12",
				"period %q out of range: month must be 01 to 12", s)
		}
	case Week:
		if n := WeeksInYear(p.Year); p.N < 1 || p.N > n {
			return apperr.Invalidf("期间超出范围 %q: %d 年共有 %d 个 ISO 周",
				"period %q out of range: %d has %d ISO weeks", s, p.Year, n)
		}
	}
	return nil
}

// digits reports whether s is non-empty and all ASCII digits. strconv.Atoi
// would also take signs, which have no place in a period.
func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// atoi converts a string already checked by digits.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
