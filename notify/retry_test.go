package notify_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"syscall"
	"testing"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/notify"
)

func TestBackoff(t *testing.T) {
	want := map[int]time.Duration{
		0:   time.Minute, // a caller counting from 0 still waits
		1:   time.Minute,
		2:   5 * time.Minute,
		3:   30 * time.Minute,
		4:   2 * time.Hour,
		5:   6 * time.Hour,
		6:   6 * time.Hour,
		100: 6 * time.Hour,
	}
	for attempt, d := range want {
		if got := notify.Backoff(attempt); got != d {
			t.Errorf("Backoff(%d) = %v, want %v", attempt, got, d)
		}
	}
	if notify.MaxAttempts < 2 {
		t.Errorf("MaxAttempts = %d leaves no retry", notify.MaxAttempts)
	}
}

func TestRetryable(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"Nil", nil, false},
		{"Unknown", errors.New("something else"), false},
		{"Invalid", fmt.Errorf("send: %w", apperr.Invalidf("地址无效", "bad address")), false},
		{"Deadline", fmt.Errorf("send: %w", context.DeadlineExceeded), true},
		{"Canceled", context.Canceled, true},
		{"Refused", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, true},
		{"Reset", fmt.Errorf("read: %w", syscall.ECONNRESET), true},
		{"SMTP421", &textproto.Error{Code: 421, Msg: "try later"}, true},
		{"SMTP550", fmt.Errorf("rcpt: %w", &textproto.Error{Code: 550, Msg: "no such user"}), false},
		{"HTTP503", &notify.HTTPError{Channel: notify.ChannelWeCom, StatusCode: 503}, true},
		{"HTTP429", &notify.HTTPError{Channel: notify.ChannelWeCom, StatusCode: 429}, true},
		{"HTTP408", &notify.HTTPError{Channel: notify.ChannelWeCom, StatusCode: 408}, true},
		{"HTTP400", &notify.HTTPError{Channel: notify.ChannelWeCom, StatusCode: 400}, false},
		{"WeCom45009", &notify.RobotError{Channel: notify.ChannelWeCom, Code: 45009}, true},
		{"DingTalkCodeOnWeCom", &notify.RobotError{Channel: notify.ChannelWeCom, Code: 130101}, false},
		{"DingTalk130101", &notify.RobotError{Channel: notify.ChannelDingTalk, Code: 130101}, true},
		{"DingTalk660026", &notify.RobotError{Channel: notify.ChannelDingTalk, Code: 660026}, true},
		{"DingTalk310000", &notify.RobotError{Channel: notify.ChannelDingTalk, Code: 310000}, false},
	}
	for _, c := range cases {
		if got := notify.Retryable(c.err); got != c.want {
			t.Errorf("%s: Retryable(%v) = %v, want %v", c.name, c.err, got, c.want)
		}
	}
}
