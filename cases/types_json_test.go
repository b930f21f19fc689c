package cases_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/cases"
)

// The default types survive a trip through JSON unchanged, so that a city
// can start from them, and a faulty file is refused naming what is wrong.
func TestTypesFromJSON(t *testing.T) {
	data, err := json.MarshalIndent(cases.DefaultTypes(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got, err := cases.DecodeTypes(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, cases.DefaultTypes()) {
		t.Error("the default types changed on the way through JSON")
	}

	// A province whose offices sign within 7 working days.
	local := strings.Replace(string(data), `"ReturnWindow": {
      "N": 5,`, `"ReturnWindow": {
      "N": 7,`, 1)
	if got, err := cases.DecodeTypes([]byte(local)); err != nil || got[0].ReturnWindow.N != 7 {
		t.Errorf("a local return window: %v, %v", got[0].ReturnWindow, err)
	}

	for name, tt := range map[string]struct{ edit, want string }{
		"misspelt field": {`"YellowDays"`, `unknown field "YelowDays"`},
		"duplicate code": {`"Code": "cppcc_proposal"`, "npc_suggestion 重复"},
		"orphan review":  {`"FollowUpOf": "petition"`, "跟进的类型 nothing 不存在"},
		"bad unit":       {`"Unit": "working_days"`, "事项类型 npc_suggestion 的规则有误"},
	} {
		bad := string(data)
		switch name {
		case "misspelt field":
			bad = strings.Replace(bad, tt.edit, `"YelowDays"`, 1)
		case "duplicate code":
			bad = strings.Replace(bad, tt.edit, `"Code": "npc_suggestion"`, 1)
		case "orphan review":
			bad = strings.Replace(bad, tt.edit, `"FollowUpOf": "nothing"`, 1)
		case "bad unit":
			bad = strings.Replace(bad, tt.edit, `"Unit": "fortnights"`, 1)
		}
		_, err := cases.DecodeTypes([]byte(bad))
		if apperr.Code(err) != apperr.Invalid || !strings.Contains(apperr.Message(err, "zh"), tt.want) {
			t.Errorf("%s: %v, want invalid saying %q", name, err, tt.want)
		}
	}
	if _, err := cases.DecodeTypes([]byte(`[]`)); apperr.Code(err) != apperr.Invalid {
		t.Errorf("no types: %v", err)
	}
}
