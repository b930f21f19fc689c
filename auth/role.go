// Package auth says who may do what: users and their roles, the
// permissions each role has, the scope of data a user may see, sessions
// and API tokens, and the rules on their lifetimes. It holds no HTTP and no
// SQL; storage applies the scopes where data is read, and the web layer
// checks each route's permission in one place.
package auth

import "slices"

// Role is what a user does in Lantu (PRODUCT.md, "Who uses it").
type Role string

const (
	Admin       Role = "admin"        // 系统管理员: users, settings, audit
	Planner     Role = "planner"      // 发改: plan, indicators, approval
	Supervisor  Role = "supervisor"   // 督查: projects and supervision, city-wide
	Reporter    Role = "reporter"     // 部门填报员: their department's figures and projects
	CaseOfficer Role = "case_officer" // 建议提案/信访/审批: cases of their office
	Leader      Role = "leader"       // 市领导: reads everything
	DeptHead    Role = "dept_head"    // 部门负责人: signs off their department's answers to cases
	Viewer      Role = "viewer"       // 只读: reads their department's data
)

// Roles lists every role, most powerful first.
var Roles = []Role{Admin, Planner, Supervisor, Leader, DeptHead, Reporter, CaseOfficer, Viewer}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// LabelZH is the role's Chinese name.
func (r Role) LabelZH() string {
	return map[Role]string{Admin: "系统管理员", Planner: "规划管理（发改）", Supervisor: "督查室", Reporter: "部门填报员",
		CaseOfficer: "事项办理员", Leader: "市领导", DeptHead: "部门负责人", Viewer: "只读用户"}[r]
}

// LabelEN is the role's English name.
func (r Role) LabelEN() string {
	return map[Role]string{Admin: "administrator", Planner: "planner", Supervisor: "supervisor", Reporter: "department reporter",
		CaseOfficer: "case officer", Leader: "leader", DeptHead: "head of department", Viewer: "viewer"}[r]
}

// CityWide reports whether the role reads every department's data; the
// other roles read only their own department's (and what is public).
func (r Role) CityWide() bool {
	switch r {
	case Admin, Planner, Supervisor, Leader:
		return true
	}
	return false
}

// Permission is something a route or an API call needs.
type Permission string

const (
	// Public needs nothing: the open pages, readable without signing in.
	Public Permission = "public"
	// SignedIn needs any signed-in user: their own account pages.
	SignedIn Permission = "signed_in"
	// ReadInternal reads data that is not yet public, within the scope.
	ReadInternal Permission = "internal.read"
	// WriteValues enters and submits figures, within the scope.
	WriteValues Permission = "values.write"
	// ApproveValues approves, returns and publishes figures.
	ApproveValues Permission = "values.approve"
	// WriteProjects edits key projects, within the scope.
	WriteProjects Permission = "projects.write"
	// ManageUsers creates users and sets roles, departments and policies.
	ManageUsers Permission = "users.manage"
	// ReadAudit browses the audit trail.
	ReadAudit Permission = "audit.read"
	// ManageCalendar edits the local working-day overrides.
	ManageCalendar Permission = "calendar.manage"
	// Export downloads data files.
	Export Permission = "export"
	// Supervise is the supervision office's: reviewing weekly reports,
	// issuing supervision orders and deciding on them, the lights' rules.
	Supervise Permission = "supervision.manage"
	// RespondOrders lets a department act on the supervision orders it
	// leads or helps with, within its scope.
	RespondOrders Permission = "orders.respond"
	// ApproveAnswers signs off, as the department's head (负责人), the
	// answers its department drafts to the cases it leads.
	ApproveAnswers Permission = "answers.approve"
)

// Permissions lists every permission that a role can hold.
var Permissions = []Permission{ReadInternal, WriteValues, ApproveValues, WriteProjects, ManageUsers, ReadAudit, ManageCalendar, Export,
	Supervise, RespondOrders, ApproveAnswers}

var rolePermissions = map[Role][]Permission{
	Admin:       {ReadInternal, ManageUsers, ReadAudit, ManageCalendar, Export},
	Planner:     {ReadInternal, WriteValues, ApproveValues, WriteProjects, Export},
	Supervisor:  {ReadInternal, WriteProjects, ReadAudit, Export, Supervise},
	Leader:      {ReadInternal, Export},
	DeptHead:    {ReadInternal, Export, RespondOrders, ApproveAnswers},
	Reporter:    {ReadInternal, WriteValues, WriteProjects, Export, RespondOrders},
	CaseOfficer: {ReadInternal, Export, RespondOrders},
	Viewer:      {ReadInternal},
}

// PermissionsOf returns what a role may do, beyond Public and SignedIn.
func PermissionsOf(r Role) []Permission { return slices.Clone(rolePermissions[r]) }

// Has reports whether role r holds permission p.
func (r Role) Has(p Permission) bool {
	switch p {
	case Public:
		return true
	case SignedIn:
		return r.Valid()
	}
	return slices.Contains(rolePermissions[r], p)
}
