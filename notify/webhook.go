package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lantu/lantu/apperr"
)

// defaultRobotTimeout bounds a delivery whose context has no deadline: the
// robots answer in well under a second, and a scheduler job must not hang
// on one.
const defaultRobotTimeout = 15 * time.Second

// robotHook is what the two robot senders share: checking the URL, posting
// the JSON and reading the answer.
type robotHook struct {
	channel   string
	tokenName string // the query parameter that holds the robot's secret token
	client    *http.Client
	allowHTTP bool
}

// parseWebhook checks a robot's webhook URL. The URL itself is the robot's
// credential (WeCom's key=, DingTalk's access_token=): whoever reads it can
// post to the group. Over plain http anyone on the path reads it, so http is
// refused unless AllowHTTP says the path is trusted (a test server, or a
// relay inside the government network that forwards over https).
func (w robotHook) parseWebhook(target string) (*url.URL, error) {
	bad := apperr.Invalidf("机器人地址无效: %s", "invalid robot webhook: %s", redactURL(target))
	if strings.ContainsFunc(target, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return nil, bad
	}
	u, err := url.Parse(target)
	if err != nil || u.Host == "" || u.User != nil {
		return nil, bad
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && w.allowHTTP:
	case u.Scheme == "http":
		return nil, apperr.Invalidf("机器人地址必须使用 https: %s", "the robot webhook must use https: %s", redactURL(target))
	default:
		return nil, bad
	}
	if u.Query().Get(w.tokenName) == "" {
		return nil, apperr.Invalidf("机器人地址缺少 %s 参数: %s", "the robot webhook has no %s parameter: %s", w.tokenName, redactURL(target))
	}
	return u, nil
}

// robotAnswer is the answer both robots give, with HTTP status 200 even
// when the message was refused.
type robotAnswer struct {
	ErrCode *int   `json:"errcode"`
	ErrMsg  string `json:"errmsg"`
}

func (w robotHook) post(ctx context.Context, u *url.URL, payload any) error {
	body, err := marshalJSON(payload)
	if err != nil {
		return err
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, defaultRobotTimeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%s robot: %w", w.channel, redactErr(err))
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	client := w.client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("%s robot: %w", w.channel, redactErr(err))
	}
	defer func() { _ = resp.Body.Close() }()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return fmt.Errorf("%s robot: reading the answer: %w", w.channel, err)
	}
	if resp.StatusCode != http.StatusOK {
		return &HTTPError{Channel: w.channel, StatusCode: resp.StatusCode, Body: truncateBytes(string(answer), 200)}
	}
	var a robotAnswer
	if err := json.Unmarshal(answer, &a); err != nil || a.ErrCode == nil {
		return fmt.Errorf("%s robot: unexpected answer %q", w.channel, truncateBytes(string(answer), 200))
	}
	if *a.ErrCode != 0 {
		return &RobotError{Channel: w.channel, Code: *a.ErrCode, Message: a.ErrMsg}
	}
	return nil
}

// marshalJSON writes "<" and "&" as themselves rather than \u003c: the
// robots take either, and the plain form is what their documentation shows.
func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// redactErr removes the query (key, access_token, sign) and fragment from
// the URL that net/http puts in its errors, so that the outbox and the log
// never hold a robot's credential.
func redactErr(err error) error {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		urlErr.URL = redactURL(urlErr.URL)
	}
	return err
}

func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	shown := u.Scheme + "://" + u.Host + u.EscapedPath()
	if u.RawQuery != "" || u.Fragment != "" {
		shown += "?…"
	}
	return shown
}

const ellipsis = "…"

// fitBytes returns head+body+tail in at most limit bytes of UTF-8, cutting
// the body (and marking the cut with "…") so that the title before it and
// the link after it survive. Only when head and tail alone are too long is
// the whole cut.
func fitBytes(head, body, tail string, limit int) string {
	whole := head + body + tail
	if len(whole) <= limit {
		return whole
	}
	room := limit - len(head) - len(tail) - len(ellipsis)
	if room < 0 {
		return truncateBytes(whole, limit)
	}
	return head + cutAtRune(body, room) + ellipsis + tail
}

// truncateBytes cuts s to at most limit bytes at a rune boundary, ending
// with "…" when it cut.
func truncateBytes(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	if limit < len(ellipsis) {
		return cutAtRune(s, limit)
	}
	return cutAtRune(s, limit-len(ellipsis)) + ellipsis
}

func cutAtRune(s string, n int) string {
	if n >= len(s) {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
