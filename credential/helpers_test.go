package credential_test

import (
	"strings"
	"testing"

	"github.com/lantu/lantu/apperr"
)

// wantInvalid fails unless err is an apperr.Invalid whose Chinese message
// contains zh (the field or the reason).
func wantInvalid(t *testing.T, err error, zh string) {
	t.Helper()
	if apperr.Code(err) != apperr.Invalid || !strings.Contains(apperr.Message(err, "zh"), zh) {
		t.Errorf("got %v, want an invalid error mentioning %q", err, zh)
	}
}

// check fails unless err is nil (zh == "") or wantInvalid(zh).
func check(t *testing.T, err error, zh string) {
	t.Helper()
	if zh == "" {
		if err != nil {
			t.Errorf("unexpected error: %v", err)
		}
		return
	}
	wantInvalid(t, err, zh)
}
