package web

import (
	"net/http"

	"github.com/lantu/lantu/plan"
	"github.com/lantu/lantu/storage"
)

type orgPage struct {
	Tree  []orgNode
	Units int
	Depts []deptRow
}

// orgNode is an org unit with the units under it.
type orgNode struct {
	Unit     plan.OrgUnit
	Children []orgNode
}

type deptRow struct {
	Dept       plan.Department
	Unit       named
	Indicators int
	Projects   int
	Tasks      int
}

// org shows the org-unit tree and the departments, each with what it owns.
func (s *Server) org(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	units, err := s.db.OrgUnits(ctx)
	if err != nil {
		return err
	}
	depts, err := s.db.Departments(ctx)
	if err != nil {
		return err
	}
	inds, err := s.db.Indicators(ctx, storage.IndicatorFilter{})
	if err != nil {
		return err
	}
	projects, err := s.db.Projects(ctx, storage.ProjectFilter{})
	if err != nil {
		return err
	}
	tasks, err := s.db.Tasks(ctx)
	if err != nil {
		return err
	}
	n, err := s.names(ctx)
	if err != nil {
		return err
	}
	page := orgPage{Tree: orgTree(units), Units: len(units)}
	owned := map[string]*deptRow{}
	for _, d := range depts {
		page.Depts = append(page.Depts, deptRow{Dept: d, Unit: n.unit(d.OrgUnitCode)})
	}
	for i := range page.Depts {
		owned[page.Depts[i].Dept.Code] = &page.Depts[i]
	}
	for _, ind := range inds {
		if d, ok := owned[ind.OwnerDept]; ok {
			d.Indicators++
		}
	}
	for _, p := range projects {
		if d, ok := owned[p.OwnerDept]; ok {
			d.Projects++
		}
	}
	for _, t := range tasks {
		if d, ok := owned[t.OwnerDept]; ok {
			d.Tasks++
		}
	}
	return s.render(w, r, "org", page)
}

// orgTree nests units, given parents before children, under their parents.
func orgTree(units []plan.OrgUnit) []orgNode {
	children := map[string][]plan.OrgUnit{}
	known := map[string]bool{}
	for _, u := range units {
		known[u.Code] = true
	}
	var roots []plan.OrgUnit
	for _, u := range units {
		if u.ParentCode == "" || !known[u.ParentCode] {
			roots = append(roots, u)
		} else {
			children[u.ParentCode] = append(children[u.ParentCode], u)
		}
	}
	var build func([]plan.OrgUnit) []orgNode
	build = func(list []plan.OrgUnit) []orgNode {
		var out []orgNode
		for _, u := range list {
			out = append(out, orgNode{Unit: u, Children: build(children[u.Code])})
		}
		return out
	}
	return build(roots)
}
