package watch_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/indicator"
)

// date is a calendar date as callers store it: midnight UTC.
func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// bj is a moment in Beijing time.
func bj(y int, m time.Month, d, hour, minute int) time.Time {
	return time.Date(y, m, d, hour, minute, 0, 0, indicator.Beijing)
}

func near(got, want float64) bool { return math.Abs(got-want) < 1e-9 }

// wantInvalid fails unless err is an invalid-input error whose Chinese
// message mentions zh.
func wantInvalid(t *testing.T, err error, zh string) {
	t.Helper()
	if zh == "" {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	if apperr.Code(err) != apperr.Invalid {
		t.Fatalf("got %v, want an invalid error mentioning %q", err, zh)
	}
	if msg := apperr.Message(err, "zh"); !strings.Contains(msg, zh) {
		t.Fatalf("message %q does not mention %q", msg, zh)
	}
}
