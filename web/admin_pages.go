package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/lantu/lantu/account"
	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/auth"
)

// adminRoutes are the administrator's pages: users, the second-factor
// policy, and the audit trail.
func (s *Server) adminRoutes() []route {
	return []route{
		{Method: "GET", Pattern: "/admin/users", Name: "admin_users", Summary: "every user (role, department, second factor, disabled) and the second-factor policy", Permission: auth.ManageUsers, Handle: s.adminUsers},
		{Method: "GET", Pattern: "/admin/users/new", Name: "admin_user_new", Summary: "the form for a new user", Permission: auth.ManageUsers, Handle: s.adminNewUserForm},
		{Method: "POST", Pattern: "/admin/users", Name: "admin_user_create", Summary: "creates a user with an initial password the administrator types", Permission: auth.ManageUsers, Handle: s.adminCreateUser},
		{Method: "GET", Pattern: "/admin/users/{id}", Name: "admin_user", Summary: "one user: display name, role, department, disabled, second-factor reset, password reset", Permission: auth.ManageUsers, Handle: s.adminUser},
		{Method: "POST", Pattern: "/admin/users/{id}", Name: "admin_user_update", Summary: "changes a user; a new role, department, disabling or second-factor reset ends the user's sessions", Permission: auth.ManageUsers, Handle: s.adminUpdateUser},
		{Method: "POST", Pattern: "/admin/users/{id}/password", Name: "admin_user_password", Summary: "sets a user's password; the user's sessions end", Permission: auth.ManageUsers, Handle: s.adminSetPassword},
		{Method: "POST", Pattern: "/admin/mfa-policy", Name: "admin_mfa_policy", Summary: "sets which roles must use a second factor (administrators always must)", Permission: auth.ManageUsers, Handle: s.adminSetMFAPolicy},
		{Method: "GET", Pattern: "/admin/audit", Name: "audit", Summary: "the audit trail, newest first, filtered by actor, object, action and dates, with the hash chain verified", Permission: auth.ReadAudit, Handle: s.auditTrail},
	}
}

// userRow is what the pages show of a user: never the secrets.
type userRow struct {
	ID          int64
	Name        string
	DisplayName string
	Role        auth.Role
	Department  string // the name
	HasTOTP     bool
	Disabled    bool
	CreatedAt   time.Time
}

type adminUsersPage struct {
	Users  []userRow
	Policy []policyOption
	Flash  string
}

// policyOption is one role's box in the second-factor policy form.
type policyOption struct {
	Role     auth.Role
	Required bool
	Fixed    bool // administrators: always required
}

func (s *Server) adminUsers(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if _, err := browserUser(r); err != nil {
		return err
	}
	users, err := s.db.Users(ctx)
	if err != nil {
		return err
	}
	depts, err := s.departmentNames(r)
	if err != nil {
		return err
	}
	var page adminUsersPage
	for _, u := range users {
		page.Users = append(page.Users, userRow{ID: u.ID, Name: u.Name, DisplayName: u.DisplayName, Role: u.Role,
			Department: depts[u.Department], HasTOTP: u.HasTOTP(), Disabled: u.Disabled, CreatedAt: u.CreatedAt})
	}
	policy, err := s.accounts.MFAPolicy(ctx)
	if err != nil {
		return err
	}
	for _, role := range auth.Roles {
		page.Policy = append(page.Policy, policyOption{Role: role, Required: policy.Requires(role), Fixed: role == auth.Admin})
	}
	if page.Flash, err = s.flashOf(r); err != nil {
		return err
	}
	return s.renderPrivate(w, r, http.StatusOK, "admin_users", page)
}

// departmentNames maps department codes to names in the request's
// language.
func (s *Server) departmentNames(r *http.Request) (map[string]string, error) {
	depts, err := s.db.Departments(r.Context())
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, d := range depts {
		names[d.Code] = pick(languageOf(r), d.NameZH, d.NameEN)
	}
	return names, nil
}

// userForm is the user form as filled in: new, or an existing user's.
type userForm struct {
	ID          int64 // 0 for a new user
	Name        string
	DisplayName string
	Role        auth.Role
	Department  string
	Disabled    bool
	HasTOTP     bool
	CreatedAt   time.Time
	Roles       []auth.Role
	Departments []option
	Flash       string
	Error       string
}

// option is one choice of a <select>.
type option struct {
	Value, Label string
}

func (s *Server) userFormPage(r *http.Request, f userForm) (userForm, error) {
	depts, err := s.db.Departments(r.Context())
	if err != nil {
		return f, err
	}
	f.Roles = auth.Roles
	f.Departments = nil
	for _, d := range depts {
		f.Departments = append(f.Departments, option{Value: d.Code, Label: pick(languageOf(r), d.NameZH, d.NameEN)})
	}
	return f, nil
}

func (s *Server) adminNewUserForm(w http.ResponseWriter, r *http.Request) error {
	if _, err := browserUser(r); err != nil {
		return err
	}
	page, err := s.userFormPage(r, userForm{Role: auth.Viewer})
	if err != nil {
		return err
	}
	return s.renderPrivate(w, r, http.StatusOK, "admin_user", page)
}

func (s *Server) adminCreateUser(w http.ResponseWriter, r *http.Request) error {
	if _, err := browserUser(r); err != nil {
		return err
	}
	nu := account.NewUser{Name: r.PostFormValue("name"), DisplayName: r.PostFormValue("display_name"),
		Role: auth.Role(r.PostFormValue("role")), Department: r.PostFormValue("department"), Password: r.PostFormValue("password")}
	var id int64
	var err error = errPasswordsDiffer
	if nu.Password == r.PostFormValue("confirm_password") {
		id, err = s.accounts.CreateUser(r.Context(), subjectOf(r), nu, clientOf(r))
	}
	if userError(err) {
		page, perr := s.userFormPage(r, userForm{Name: nu.Name, DisplayName: nu.DisplayName, Role: nu.Role, Department: nu.Department,
			Error: apperr.Message(err, languageOf(r))})
		if perr != nil {
			return perr
		}
		return s.renderPrivate(w, r, statusOf(err), "admin_user", page)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(id, 10)+"?done=user_created", http.StatusSeeOther)
	return nil
}

func (s *Server) adminUser(w http.ResponseWriter, r *http.Request) error {
	if _, err := browserUser(r); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	u, err := s.db.User(r.Context(), id)
	if err != nil {
		return err
	}
	page, err := s.userFormPage(r, formOf(u))
	if err != nil {
		return err
	}
	if page.Flash, err = s.flashOf(r); err != nil {
		return err
	}
	return s.renderPrivate(w, r, http.StatusOK, "admin_user", page)
}

func formOf(u auth.User) userForm {
	return userForm{ID: u.ID, Name: u.Name, DisplayName: u.DisplayName, Role: u.Role, Department: u.Department,
		Disabled: u.Disabled, HasTOTP: u.HasTOTP(), CreatedAt: u.CreatedAt}
}

// refuseOnUser shows a user's page again with the service's message; the
// fields keep what the administrator typed (edited, when not nil).
func (s *Server) refuseOnUser(w http.ResponseWriter, r *http.Request, id int64, err error, edited func(*userForm)) error {
	if !userError(err) {
		return err
	}
	u, uerr := s.db.User(r.Context(), id)
	if uerr != nil {
		return uerr
	}
	f := formOf(u)
	if edited != nil {
		edited(&f)
	}
	f.Error = apperr.Message(err, languageOf(r))
	page, perr := s.userFormPage(r, f)
	if perr != nil {
		return perr
	}
	return s.renderPrivate(w, r, statusOf(err), "admin_user", page)
}

func (s *Server) adminUpdateUser(w http.ResponseWriter, r *http.Request) error {
	if _, err := browserUser(r); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	displayName, role, dept := r.PostFormValue("display_name"), auth.Role(r.PostFormValue("role")), r.PostFormValue("department")
	disabled := r.PostFormValue("disabled") == "on"
	ch := account.UserChange{DisplayName: &displayName, Role: &role, Department: &dept, Disabled: &disabled,
		ResetTOTP: r.PostFormValue("reset_totp") == "on"}
	err = s.accounts.UpdateUser(r.Context(), subjectOf(r), id, ch, clientOf(r))
	if err != nil {
		return s.refuseOnUser(w, r, id, err, func(f *userForm) {
			f.DisplayName, f.Role, f.Department, f.Disabled = displayName, role, dept, disabled
		})
	}
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(id, 10)+"?done=user_saved", http.StatusSeeOther)
	return nil
}

func (s *Server) adminSetPassword(w http.ResponseWriter, r *http.Request) error {
	if _, err := browserUser(r); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	password := r.PostFormValue("password")
	err = errPasswordsDiffer
	if password == r.PostFormValue("confirm_password") {
		err = s.accounts.SetPassword(r.Context(), subjectOf(r), id, password, clientOf(r))
	}
	if err != nil {
		return s.refuseOnUser(w, r, id, err, nil)
	}
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(id, 10)+"?done=password_set", http.StatusSeeOther)
	return nil
}

func (s *Server) adminSetMFAPolicy(w http.ResponseWriter, r *http.Request) error {
	if _, err := browserUser(r); err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Invalidf("表单无效", "invalid form")
	}
	var roles []auth.Role
	for _, v := range r.PostForm["role"] {
		// Administrators are required by the rule itself, not the setting.
		if role := auth.Role(v); role != auth.Admin {
			roles = append(roles, role)
		}
	}
	if err := s.accounts.SetMFAPolicy(r.Context(), subjectOf(r), roles, clientOf(r)); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/users?done=mfa_policy_saved#mfa-policy", http.StatusSeeOther)
	return nil
}
