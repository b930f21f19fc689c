package rules_test

import (
	"strings"
	"testing"

	"github.com/lantu/lantu/apperr"
)

// figures is an Env over maps; a code absent from a map has no value.
type figures struct {
	now, prev, target map[string]float64
}

func (f figures) Value(code string) (float64, bool)  { x, ok := f.now[code]; return x, ok }
func (f figures) Prev(code string) (float64, bool)   { x, ok := f.prev[code]; return x, ok }
func (f figures) Target(code string) (float64, bool) { x, ok := f.target[code]; return x, ok }

func now(kv map[string]float64) figures { return figures{now: kv} }

// wantInvalid fails unless err is an Invalid apperr whose message, in both
// languages, holds every one of the wanted fragments.
func wantInvalid(t *testing.T, err error, fragments ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("err = nil, want Invalid holding %q", fragments)
	}
	if apperr.Code(err) != apperr.Invalid {
		t.Fatalf("code = %s, want %s; err = %v", apperr.Code(err), apperr.Invalid, err)
	}
	msg := err.Error()
	for _, f := range fragments {
		if !strings.Contains(msg, f) {
			t.Errorf("error %q does not contain %q", msg, f)
		}
	}
}
