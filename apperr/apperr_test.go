package apperr_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/lantu/lantu/apperr"
)

func TestCodeAndMessage(t *testing.T) {
	inner := apperr.Invalidf("指标 %s 不存在", "indicator %s does not exist", "x")
	var err error = inner
	apperr.Wrap(&err, "storage.Put(%q)", "x")
	if got := apperr.Code(err); got != apperr.Invalid {
		t.Errorf("Code = %q, want invalid", got)
	}
	if got := apperr.Message(err, "zh"); got != "指标 x 不存在" {
		t.Errorf("Message zh = %q", got)
	}
	if got := apperr.Message(err, "en"); got != "indicator x does not exist" {
		t.Errorf("Message en = %q", got)
	}
}

// Errors that are not application errors never show their text to a user.
func TestInternalErrorsStayInternal(t *testing.T) {
	err := fmt.Errorf("query: %w", errors.New(`pq: relation "users" does not exist`))
	if got := apperr.Code(err); got != apperr.Internal {
		t.Errorf("Code = %q, want internal", got)
	}
	if got := apperr.Message(err, "zh"); got != "内部错误" {
		t.Errorf("Message zh = %q", got)
	}
	if got := apperr.Message(err, "en"); got != "Internal error" {
		t.Errorf("Message en = %q", got)
	}
	if apperr.Code(nil) != "" {
		t.Error("Code(nil) is not empty")
	}
}
