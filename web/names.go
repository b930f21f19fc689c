package web

import (
	"context"

	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/plan"
)

// names turns the codes that objects refer to into the names a page shows.
type names struct {
	depts   map[string]plan.Department
	units   map[string]plan.OrgUnit
	sources map[string]indicator.Source
	order   map[string]int // org units in tree order
	root    string         // the top org unit (the city), whose figures come first
}

func (s *Server) names(ctx context.Context) (names, error) {
	n := names{depts: map[string]plan.Department{}, units: map[string]plan.OrgUnit{}, sources: map[string]indicator.Source{}, order: map[string]int{}}
	depts, err := s.db.Departments(ctx)
	if err != nil {
		return n, err
	}
	for _, d := range depts {
		n.depts[d.Code] = d
	}
	units, err := s.db.OrgUnits(ctx)
	if err != nil {
		return n, err
	}
	for i, u := range units {
		n.units[u.Code] = u
		n.order[u.Code] = i
		if n.root == "" && u.ParentCode == "" {
			n.root = u.Code
		}
	}
	sources, err := s.db.Sources(ctx)
	if err != nil {
		return n, err
	}
	for _, src := range sources {
		n.sources[src.Code] = src
	}
	return n, nil
}

// named is a code with the names to show for it; a code that names nothing
// known is shown as itself.
type named struct {
	Code   string
	NameZH string
	NameEN string
}

func (n names) dept(code string) named {
	d, ok := n.depts[code]
	if !ok {
		return named{Code: code, NameZH: code}
	}
	return named{Code: code, NameZH: d.NameZH, NameEN: d.NameEN}
}

func (n names) unit(code string) named {
	u, ok := n.units[code]
	if !ok {
		return named{Code: code, NameZH: code}
	}
	return named{Code: code, NameZH: u.NameZH, NameEN: u.NameEN}
}

// source resolves a source code to its document; free text that names no
// known source is shown as it is.
func (n names) source(code string) named {
	if code == "" {
		return named{}
	}
	src, ok := n.sources[code]
	if !ok {
		return named{NameZH: code}
	}
	return named{Code: code, NameZH: src.TitleZH, NameEN: src.TitleEN}
}

// quote is a sentence from a source document, for the quote partial.
type quote struct {
	Quote  string
	Source named
}
