package auth

import "slices"

// Scope is the part of the data a reader may see beyond what is public. The
// zero Scope sees only public data, so a read that forgets to pass a scope
// leaks nothing.
type Scope struct {
	all         bool
	departments []string
}

// PublicScope sees only what is published.
func PublicScope() Scope { return Scope{} }

// SystemScope sees everything: the command line and the program itself.
func SystemScope() Scope { return Scope{all: true} }

// DepartmentScope sees what is public and what belongs to the departments.
func DepartmentScope(depts ...string) Scope {
	return Scope{departments: slices.Clone(depts)}
}

// All reports whether the scope covers every department.
func (s Scope) All() bool { return s.all }

// Departments lists the departments whose internal data the scope covers;
// meaningless when All.
func (s Scope) Departments() []string { return slices.Clone(s.departments) }

// Covers reports whether internal data owned by dept is visible.
func (s Scope) Covers(dept string) bool {
	return s.all || (dept != "" && slices.Contains(s.departments, dept))
}
