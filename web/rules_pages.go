package web

import (
	"net/http"
	"strings"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/rules"
	"github.com/lantu/lantu/storage"
)

// rulesRoutes let the planning office keep the validation rules: each is
// compiled and type-checked when saved, so a broken rule never reaches a
// department's form.
func (s *Server) rulesRoutes() []route {
	return []route{
		{Method: "GET", Pattern: "/reporting/rules", Name: "rules", Summary: "the validation rules: expression, severity, messages, where and when they apply; a form to add or change one", Permission: auth.ApproveValues, Handle: s.rulesPage},
		{Method: "POST", Pattern: "/reporting/rules", Name: "rules_save", Summary: "adds or changes a rule (compiled and type-checked before it is stored; audited)", Permission: auth.ApproveValues, Handle: s.saveRule},
		{Method: "POST", Pattern: "/reporting/rules/{code}/delete", Name: "rules_delete", Summary: "removes a rule (audited)", Permission: auth.ApproveValues, Handle: s.deleteRule},
	}
}

type rulesPage struct {
	Rules []rules.Rule
	Form  ruleForm
	Error string
	Done  string
}

// ruleForm is the rule being edited, as typed.
type ruleForm struct {
	Code, Expression, Severity, MessageZH, MessageEN, OrgUnits, PeriodKinds string
	Active                                                                  bool
}

func (s *Server) rulesPage(w http.ResponseWriter, r *http.Request) error {
	page, err := s.rulesPageData(r, ruleForm{Severity: string(rules.SeverityError), Active: true})
	if err != nil {
		return err
	}
	if code := r.URL.Query().Get("edit"); code != "" {
		for _, rule := range page.Rules {
			if rule.Code == code {
				page.Form = formOfRule(rule)
			}
		}
	}
	switch r.URL.Query().Get("done") {
	case "saved":
		page.Done = pick(languageOf(r), "规则已保存。", "The rule was saved.")
	case "deleted":
		page.Done = pick(languageOf(r), "规则已删除。", "The rule was removed.")
	}
	return s.renderPrivate(w, r, http.StatusOK, "rules", page)
}

func (s *Server) rulesPageData(r *http.Request, form ruleForm) (rulesPage, error) {
	list, err := s.db.ValidationRules(r.Context())
	return rulesPage{Rules: list, Form: form}, err
}

func formOfRule(r rules.Rule) ruleForm {
	kinds := make([]string, len(r.PeriodKinds))
	for i, k := range r.PeriodKinds {
		kinds[i] = k.String()
	}
	return ruleForm{Code: r.Code, Expression: r.Expression, Severity: string(r.Severity), MessageZH: r.MessageZH, MessageEN: r.MessageEN,
		OrgUnits: strings.Join(r.OrgUnits, " "), PeriodKinds: strings.Join(kinds, " "), Active: r.Active}
}

func (s *Server) saveRule(w http.ResponseWriter, r *http.Request) error {
	f := ruleForm{Code: strings.TrimSpace(r.PostFormValue("code")), Expression: strings.TrimSpace(r.PostFormValue("expression")),
		Severity: r.PostFormValue("severity"), MessageZH: strings.TrimSpace(r.PostFormValue("message_zh")),
		MessageEN: strings.TrimSpace(r.PostFormValue("message_en")), OrgUnits: strings.TrimSpace(r.PostFormValue("org_units")),
		PeriodKinds: strings.TrimSpace(r.PostFormValue("period_kinds")), Active: r.PostFormValue("active") != ""}
	rule := rules.Rule{Code: f.Code, Expression: f.Expression, Severity: rules.Severity(f.Severity), MessageZH: f.MessageZH,
		MessageEN: f.MessageEN, OrgUnits: strings.Fields(f.OrgUnits), Active: f.Active}
	err := func() error {
		for _, k := range strings.Fields(f.PeriodKinds) {
			kind, err := period.ParseKind(k)
			if err != nil {
				return err
			}
			rule.PeriodKinds = append(rule.PeriodKinds, kind)
		}
		if err := s.checkRuleRefs(r, rule); err != nil {
			return err
		}
		a := subjectOf(r).Actor("保存校验规则 " + rule.Code + " (save a validation rule)")
		a.IP = clientOf(r).IP
		return s.db.Write(r.Context(), a, func(tx *storage.Tx) error { return tx.PutValidationRule(r.Context(), rule) })
	}()
	if userError(err) {
		page, perr := s.rulesPageData(r, f)
		if perr != nil {
			return perr
		}
		page.Error = apperr.Message(err, languageOf(r))
		return s.renderPrivate(w, r, http.StatusBadRequest, "rules", page)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/reporting/rules?done=saved", http.StatusSeeOther)
	return nil
}

// checkRuleRefs refuses a rule that names an indicator or a place that
// does not exist: it would never apply, silently.
func (s *Server) checkRuleRefs(r *http.Request, rule rules.Rule) error {
	p, err := rules.CompileRule(rule.Expression)
	if err != nil {
		return err
	}
	for _, code := range p.Refs() {
		if _, err := s.db.Indicator(r.Context(), code); err != nil {
			return apperr.Invalidf("规则引用的指标 %s 不存在", "the rule refers to indicator %s, which does not exist", code)
		}
	}
	for _, code := range rule.OrgUnits {
		if _, err := s.db.OrgUnit(r.Context(), code); err != nil {
			return apperr.Invalidf("组织 %s 不存在", "org unit %s does not exist", code)
		}
	}
	return nil
}

func (s *Server) deleteRule(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	a := subjectOf(r).Actor("删除校验规则 " + code + " (remove a validation rule)")
	a.IP = clientOf(r).IP
	err := s.db.Write(r.Context(), a, func(tx *storage.Tx) error { return tx.DeleteValidationRule(r.Context(), code) })
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/reporting/rules?done=deleted", http.StatusSeeOther) // #nosec G710 -- a fixed local path
	return nil
}
