package storage

import (
	"context"
	"strings"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/period"
	"github.com/lantu/lantu/rules"
)

func kindsText(ks []period.Kind) string {
	s := make([]string, len(ks))
	for i, k := range ks {
		s[i] = k.String()
	}
	return strings.Join(s, " ")
}

var validationRules = table[rules.Rule]{
	name: "validation_rules", objectType: "validation_rule",
	key:  []string{"code"},
	cols: []string{"code", "expression", "severity", "message_zh", "message_en", "org_units", "period_kinds", "active"},
	args: func(r rules.Rule) []any {
		return []any{r.Code, r.Expression, string(r.Severity), r.MessageZH, r.MessageEN, strings.Join(r.OrgUnits, " "), kindsText(r.PeriodKinds), r.Active}
	},
	scan: func(s scanner) (r rules.Rule, err error) {
		var units, kinds string
		if err = s.Scan(&r.Code, &r.Expression, &r.Severity, &r.MessageZH, &r.MessageEN, &units, &kinds, &r.Active); err != nil {
			return r, err
		}
		if units != "" {
			r.OrgUnits = strings.Fields(units)
		}
		for _, k := range strings.Fields(kinds) {
			kind, err := period.ParseKind(k)
			if err != nil {
				return r, err
			}
			r.PeriodKinds = append(r.PeriodKinds, kind)
		}
		return r, nil
	},
	id: func(r rules.Rule) string { return r.Code },
}

// ValidationRules returns every rule, by code.
func (db *DB) ValidationRules(ctx context.Context) ([]rules.Rule, error) {
	return validationRules.list(ctx, db.read, "", "code")
}

// PutValidationRule creates or updates a rule; it must compile.
func (tx *Tx) PutValidationRule(ctx context.Context, r rules.Rule) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return validationRules.put(ctx, tx, r)
}

// DeleteValidationRule removes a rule.
func (tx *Tx) DeleteValidationRule(ctx context.Context, code string) error {
	found, err := validationRules.remove(ctx, tx, code)
	if err == nil && !found {
		err = apperr.NotFoundf("校验规则 %s 不存在", "validation rule %s not found", code)
	}
	return err
}
