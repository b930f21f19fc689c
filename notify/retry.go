package notify

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"syscall"
	"time"

	"github.com/lantu/lantu/apperr"
)

// RobotError is a robot's answer with an errcode other than 0.
type RobotError struct {
	Channel string // ChannelWeCom or ChannelDingTalk
	Code    int    // errcode
	Message string // errmsg, as the robot wrote it
}

func (e *RobotError) Error() string {
	return fmt.Sprintf("%s robot: errcode %d: %s", e.Channel, e.Code, e.Message)
}

// HTTPError is an answer whose HTTP status was not 200 OK.
type HTTPError struct {
	Channel    string
	StatusCode int
	Body       string // the start of the answer, for the log
}

func (e *HTTPError) Error() string {
	return fmt.Sprintf("%s robot: HTTP %d: %s", e.Channel, e.StatusCode, e.Body)
}

// retryableRobotCode reports the errcodes that mean "too busy, try later".
// Both robots take at most 20 messages a minute; DingTalk then blocks the
// robot for 10 minutes. -1 is "系统繁忙" in both platforms' global code
// tables.
func retryableRobotCode(channel string, code int) bool {
	switch channel {
	case ChannelWeCom:
		return code == -1 || code == 45009 // 45009: api freq out of limit (接口调用超过限制)
	case ChannelDingTalk:
		// 130101: send too fast, exceed 20 times per minute. 660026 is
		// reported as a throttling code but is in no DingTalk table we could
		// find; wrongly retrying it costs at most MaxAttempts tries.
		return code == -1 || code == 130101 || code == 660026
	}
	return false
}

// Retryable reports whether a failed delivery may succeed if tried again
// later: the network, a timeout, a busy or throttling server. It is false
// for what only a person can fix: a bad address or webhook, a refused
// recipient, a wrong key or password, a certificate that does not verify.
// An error it does not know is not retried, so that a bug cannot turn into
// a flood of messages.
func Retryable(err error) bool {
	if err == nil {
		return false
	}
	var (
		appErr   *apperr.Error
		robotErr *RobotError
		httpErr  *HTTPError
		smtpErr  *textproto.Error
	)
	switch {
	case errors.As(err, &appErr):
		return false
	case errors.As(err, &robotErr):
		return retryableRobotCode(robotErr.Channel, robotErr.Code)
	case errors.As(err, &httpErr):
		s := httpErr.StatusCode
		return s >= 500 || s == 429 || s == 408 // 408: the server timed out waiting for us
	case errors.As(err, &smtpErr):
		return smtpErr.Code >= 400 && smtpErr.Code < 500 // RFC 5321 4.2.1: transient
	case certificateError(err):
		return false
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		// Canceled: the server is shutting down; the next run tries again.
		return true
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.EPIPE):
		return true
	}
	var netErr net.Error
	return errors.As(err, &netErr)
}

// certificateError reports a TLS peer that could not be verified, or one
// that does not speak TLS at all. Both are configuration, and trying again
// against a server that may be an impostor helps nobody.
func certificateError(err error) bool {
	var (
		verifyErr    *tls.CertificateVerificationError
		unknownErr   x509.UnknownAuthorityError
		hostErr      x509.HostnameError
		invalidErr   x509.CertificateInvalidError
		recordHdrErr tls.RecordHeaderError
	)
	return errors.As(err, &verifyErr) || errors.As(err, &unknownErr) || errors.As(err, &hostErr) ||
		errors.As(err, &invalidErr) || errors.As(err, &recordHdrErr)
}

// MaxAttempts is how many times a delivery is tried in all before it is
// given up and marked failed in the outbox.
const MaxAttempts = 6

var backoffSchedule = []time.Duration{
	time.Minute,
	5 * time.Minute,
	30 * time.Minute,
	2 * time.Hour,
	6 * time.Hour,
}

// Backoff is how long to wait after the attempt-th failed attempt (counted
// from 1) before the next one: 1 min, 5 min, 30 min, 2 h, then 6 h. The
// first steps outlast both robots' throttles (DingTalk blocks a robot for
// 10 minutes); the whole schedule spans a working day, so a reminder sent in
// the evening still arrives the next morning if the mail server was down.
func Backoff(attempt int) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	if attempt > len(backoffSchedule) {
		return backoffSchedule[len(backoffSchedule)-1]
	}
	return backoffSchedule[attempt-1]
}
