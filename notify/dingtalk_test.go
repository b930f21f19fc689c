package notify_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lantu/lantu/notify"
)

const (
	dingTalkToken  = "566cc69da782ec0d9d5f2f3e6b9e1c8a7f4b2d1e0c9a8b7f6e5d4c3b2a1f0e9d"
	dingTalkSecret = "SECb6f7b1e4c6b3f2a1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7"
)

func dingTalkHook(srv *robotServer) string {
	return srv.URL + "/robot/send?access_token=" + dingTalkToken
}

// signedAt is the clock of the signing tests: 1700000000000 ms after the epoch.
var signedAt = time.UnixMilli(1700000000000)

func TestDingTalkSend(t *testing.T) {
	t.Run("SignedMarkdown", func(t *testing.T) {
		srv := startRobotServer(t, false, http.StatusOK, okAnswer)
		d := &notify.DingTalk{Client: srv.Client(), Now: func() time.Time { return signedAt }}
		if err := d.Send(testContext(t), notify.DingTalkTarget(dingTalkHook(srv), dingTalkSecret), supervisionMessage); err != nil {
			t.Fatal(err)
		}
		got := srv.only(t)
		if got.Method != http.MethodPost || got.Path != "/robot/send" || got.ContentType != "application/json; charset=utf-8" {
			t.Errorf("request %s %s (%s), want POST /robot/send with JSON in UTF-8", got.Method, got.Path, got.ContentType)
		}
		query, err := url.ParseQuery(got.RawQuery)
		if err != nil {
			t.Fatal(err)
		}
		// The signature computed here by hand, as DingTalk's documentation
		// describes it, and as computed outside Go (openssl dgst -sha256
		// -hmac, and Python's hmac with urllib.parse.quote_plus).
		mac := hmac.New(sha256.New, []byte(dingTalkSecret))
		mac.Write([]byte("1700000000000\n" + dingTalkSecret))
		wantSign := base64.StdEncoding.EncodeToString(mac.Sum(nil))
		if wantSign != "CtctRfwi0rj1Htl8NQjsOcU0zRhCXNNVLJpzMo3iM3U=" {
			t.Fatalf("the test's own signature %s differs from openssl's", wantSign)
		}
		if query.Get("access_token") != dingTalkToken || query.Get("timestamp") != "1700000000000" || query.Get("sign") != wantSign {
			t.Errorf("query %q, want access_token, timestamp=1700000000000 and sign=%s", got.RawQuery, wantSign)
		}
		if !strings.Contains(got.RawQuery, "sign=CtctRfwi0rj1Htl8NQjsOcU0zRhCXNNVLJpzMo3iM3U%3D") {
			t.Errorf("query %q does not carry the sign URL-encoded", got.RawQuery)
		}
		if strings.Contains(got.RawQuery, dingTalkSecret) || strings.Contains(got.Path, dingTalkSecret) {
			t.Errorf("the signing secret was sent: %s?%s", got.Path, got.RawQuery)
		}
		want := `{"msgtype":"markdown","markdown":{"title":"督办单 DB-2021-031 将于3个工作日后到期",` +
			`"text":"**督办单 DB-2021-031 将于3个工作日后到期**\n\n汾河三期河道治理项目进度滞后序时进度15个百分点。\n\n请于周五前报送整改情况。\n\n` +
			`[查看](https://lantu.gujiao.gov.cn/supervision/31?tab=reply&from=mail)"},"at":{"isAtAll":false}}`
		if got.Body != want {
			t.Errorf("body\n got %s\nwant %s", got.Body, want)
		}
	})

	t.Run("Unsigned", func(t *testing.T) {
		srv := startRobotServer(t, false, http.StatusOK, okAnswer)
		if err := (&notify.DingTalk{Client: srv.Client()}).Send(testContext(t), dingTalkHook(srv), supervisionMessage); err != nil {
			t.Fatal(err)
		}
		if got := srv.only(t).RawQuery; got != "access_token="+dingTalkToken {
			t.Errorf("query %q, want only the access token", got)
		}
	})

	t.Run("SecretWithOddCharacters", func(t *testing.T) {
		srv := startRobotServer(t, false, http.StatusOK, okAnswer)
		secret := "SEC+/=#%?& 古交"
		d := &notify.DingTalk{Client: srv.Client(), Now: func() time.Time { return signedAt }}
		if err := d.Send(testContext(t), notify.DingTalkTarget(dingTalkHook(srv), secret), supervisionMessage); err != nil {
			t.Fatal(err)
		}
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write([]byte("1700000000000\n" + secret))
		query, _ := url.ParseQuery(srv.only(t).RawQuery)
		if got, want := query.Get("sign"), base64.StdEncoding.EncodeToString(mac.Sum(nil)); got != want {
			t.Errorf("sign %q, want %q: the secret did not survive DingTalkTarget", got, want)
		}
	})

	t.Run("UrgentMentionsAll", func(t *testing.T) {
		srv := startRobotServer(t, false, http.StatusOK, okAnswer)
		urgent := notify.Message{Title: "市长督办", Body: "西北二环高速古交段连续两周未报送周报。", Urgent: true}
		if err := (&notify.DingTalk{Client: srv.Client()}).Send(testContext(t), dingTalkHook(srv), urgent); err != nil {
			t.Fatal(err)
		}
		want := `{"msgtype":"markdown","markdown":{"title":"市长督办","text":"**市长督办**\n\n西北二环高速古交段连续两周未报送周报。"},"at":{"isAtAll":true}}`
		if got := srv.only(t).Body; got != want {
			t.Errorf("body\n got %s\nwant %s", got, want)
		}
	})

	t.Run("LongTitleAndBodyTruncated", func(t *testing.T) {
		srv := startRobotServer(t, false, http.StatusOK, okAnswer)
		m := notify.Message{
			Title: strings.Repeat("汾河三期河道治理", 5),
			Body:  strings.Repeat("本周完成河道清淤3.2公里。", 400),
			Link:  "https://lantu.gujiao.gov.cn/projects/12",
		}
		if err := (&notify.DingTalk{Client: srv.Client()}).Send(testContext(t), dingTalkHook(srv), m); err != nil {
			t.Fatal(err)
		}
		var sent struct {
			Markdown struct{ Title, Text string }
		}
		if err := json.Unmarshal([]byte(srv.only(t).Body), &sent); err != nil {
			t.Fatal(err)
		}
		if n := len(sent.Markdown.Title); n > 64 || !strings.HasSuffix(sent.Markdown.Title, "…") {
			t.Errorf("title of %d bytes %q, want at most 64 ending in …", n, sent.Markdown.Title)
		}
		text := sent.Markdown.Text
		if len(text) > 5000 || !strings.HasPrefix(text, "**"+m.Title+"**") || !strings.HasSuffix(text, "…\n\n[查看](https://lantu.gujiao.gov.cn/projects/12)") {
			t.Errorf("text of %d bytes does not keep title and link around a marked cut", len(text))
		}
	})
}

func TestDingTalkSendFailures(t *testing.T) {
	robotCases := []struct {
		name      string
		answer    string
		code      int
		retryable bool
	}{
		// The throttled answer as DingTalk sends it (reported on blog.csdn.net).
		{"SendTooFast", `{"status":1111,"wait":5,"source":"x5","punish":"deny","uuid":"9ff0e7e2346aabb5a8bcbb7c93c71636","errcode":130101,"errmsg":"send too fast, exceed 20 times per minute"}`, 130101, true},
		{"RateLimited660026", `{"errcode":660026,"errmsg":"rate limited"}`, 660026, true},
		{"Busy", `{"errcode":-1,"errmsg":"系统繁忙"}`, -1, true},
		{"SignNotMatch", `{"errcode":310000,"errmsg":"sign not match"}`, 310000, false},
		{"TokenNotExist", `{"errcode":300001,"errmsg":"token is not exist"}`, 300001, false},
	}
	for _, c := range robotCases {
		t.Run(c.name, func(t *testing.T) {
			srv := startRobotServer(t, false, http.StatusOK, c.answer)
			d := &notify.DingTalk{Client: srv.Client(), Now: func() time.Time { return signedAt }}
			err := d.Send(testContext(t), notify.DingTalkTarget(dingTalkHook(srv), dingTalkSecret), supervisionMessage)
			var robotErr *notify.RobotError
			if !errors.As(err, &robotErr) || robotErr.Code != c.code || robotErr.Channel != notify.ChannelDingTalk {
				t.Fatalf("err = %v, want a DingTalk robot error %d", err, c.code)
			}
			if got := notify.Retryable(err); got != c.retryable {
				t.Errorf("Retryable(%v) = %v, want %v", err, got, c.retryable)
			}
			checkNoSecrets(t, err, dingTalkToken, dingTalkSecret)
		})
	}
	for _, c := range httpFailures {
		t.Run(c.name, func(t *testing.T) {
			srv := startRobotServer(t, false, c.status, c.answer)
			d := &notify.DingTalk{Client: srv.Client(), Now: func() time.Time { return signedAt }}
			err := d.Send(testContext(t), notify.DingTalkTarget(dingTalkHook(srv), dingTalkSecret), supervisionMessage)
			checkHTTPFailure(t, err, c.status, c.retryable, dingTalkToken, dingTalkSecret, "CtctRfwi0rj1")
		})
	}
	t.Run("Timeout", func(t *testing.T) {
		srv := startSlowRobot(t)
		client := srv.Client()
		client.Timeout = 200 * time.Millisecond
		target := notify.DingTalkTarget(srv.URL+"/robot/send?access_token="+dingTalkToken, dingTalkSecret)
		err := (&notify.DingTalk{Client: client, Now: func() time.Time { return signedAt }}).Send(testContext(t), target, supervisionMessage)
		checkNetworkFailure(t, err, dingTalkToken, dingTalkSecret, "CtctRfwi0rj1")
	})
	t.Run("ErrPlainHTTP", func(t *testing.T) {
		srv := startRobotServer(t, true, http.StatusOK, okAnswer)
		err := (&notify.DingTalk{}).Send(testContext(t), dingTalkHook(srv), supervisionMessage)
		if err == nil || notify.Retryable(err) || len(srv.received()) != 0 {
			t.Errorf("err = %v, %d requests; want http refused before sending", err, len(srv.received()))
		}
		checkNoSecrets(t, err, dingTalkToken)
		if err := (&notify.DingTalk{AllowHTTP: true}).Send(testContext(t), dingTalkHook(srv), supervisionMessage); err != nil {
			t.Errorf("with AllowHTTP: %v", err)
		}
	})
	t.Run("ErrNoToken", func(t *testing.T) {
		srv := startRobotServer(t, false, http.StatusOK, okAnswer)
		err := (&notify.DingTalk{Client: srv.Client()}).Send(testContext(t), srv.URL+"/robot/send", supervisionMessage)
		if err == nil || notify.Retryable(err) || len(srv.received()) != 0 {
			t.Errorf("err = %v, want a webhook without access_token refused", err)
		}
	})
}
