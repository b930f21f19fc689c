package period

import (
	"cmp"
	"time"
)

// Of returns the period of kind k that contains t's calendar date, read in
// t's own location. Weeks are ISO weeks, so 2021-01-01 gives 2020W53. An
// invalid k gives the zero Period.
func Of(k Kind, t time.Time) Period {
	y, m, _ := t.Date()
	switch k {
	case Year:
		return Period{Kind: Year, Year: y}
	case Quarter:
		return Period{Kind: Quarter, Year: y, N: (int(m)-1)/3 + 1}
	case Month:
		return Period{Kind: Month, Year: y, N: int(m)}
	case Week:
		wy, w := t.ISOWeek() // in t's location, like t.Date()
		return Period{Kind: Week, Year: wy, N: w}
	}
	return Period{}
}

// Next returns the period of the same kind that follows p.
func (p Period) Next() Period { return p.step(1) }

// Prev returns the period of the same kind that precedes p.
func (p Period) Prev() Period { return p.step(-1) }

// step moves p by one period forward (d = 1) or back (d = -1).
func (p Period) step(d int) Period {
	switch p.Kind {
	case Year:
		p.Year += d
		return p
	case Quarter, Month, Week:
	default:
		return Period{}
	}
	p.N += d
	if p.N > p.lastN() {
		p.Year, p.N = p.Year+1, 1
	}
	if p.N < 1 {
		p.Year--
		p.N = p.lastN() // of the previous year: 52 or 53 for weeks
	}
	return p
}

// lastN returns the largest N of p's kind in p's year.
func (p Period) lastN() int {
	switch p.Kind {
	case Quarter:
		return 4
	case Month:
		return 12
	case Week:
		return WeeksInYear(p.Year)
	}
	return 0
}

// Parent returns the period of the coarser (or equal) kind k that contains
// p. A week belongs where its Thursday is, as ISO 8601 assigns weeks to
// years, so 2020W53 (2020-12-28 to 2021-01-03) has parent 2020-12 and 2020.
// If k is finer than p's kind, no such period exists and Parent returns the
// zero Period.
func (p Period) Parent(k Kind) Period {
	if !p.Kind.valid() || !k.valid() || k > p.Kind {
		return Period{}
	}
	if k == p.Kind {
		return p
	}
	anchor := p.Start()
	if p.Kind == Week {
		anchor = anchor.AddDate(0, 0, 3) // Thursday
	}
	return Of(k, anchor)
}

// Contains reports whether q lies within p: p is of a coarser or equal kind
// and q's parent of that kind is p (see Parent for weeks across month and
// year ends). A period contains itself; a week contains nothing but itself.
func (p Period) Contains(q Period) bool {
	if !p.Kind.valid() || !q.Kind.valid() {
		return false
	}
	return q.Parent(p.Kind) == p
}

// Compare orders periods by start date, then coarse before fine, so that a
// sorted list reads 2021, 2021Q1, 2021-01, 2021-02, … It returns -1, 0 or +1
// and suits slices.SortFunc.
func (p Period) Compare(q Period) int {
	if c := p.Start().Compare(q.Start()); c != 0 {
		return c
	}
	if c := cmp.Compare(p.Kind, q.Kind); c != 0 {
		return c
	}
	// Only invalid periods get here with different years or numbers (for
	// instance Year with N set); order them anyway so sorting is total.
	if c := cmp.Compare(p.Year, q.Year); c != 0 {
		return c
	}
	return cmp.Compare(p.N, q.N)
}
