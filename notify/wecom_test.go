package notify_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/notify"
)

const weComKey = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"

func weComHook(srv *robotServer) string {
	return srv.URL + "/cgi-bin/webhook/send?key=" + weComKey
}

func TestWeComSend(t *testing.T) {
	t.Run("Markdown", func(t *testing.T) {
		srv := startRobotServer(t, false, http.StatusOK, okAnswer)
		w := &notify.WeCom{Client: srv.Client()}
		if err := w.Send(testContext(t), weComHook(srv), supervisionMessage); err != nil {
			t.Fatal(err)
		}
		got := srv.only(t)
		if got.Method != http.MethodPost || got.Path != "/cgi-bin/webhook/send" || got.RawQuery != "key="+weComKey {
			t.Errorf("request %s %s?%s, want POST /cgi-bin/webhook/send?key=…", got.Method, got.Path, got.RawQuery)
		}
		if got.ContentType != "application/json; charset=utf-8" {
			t.Errorf("Content-Type %q", got.ContentType)
		}
		want := `{"msgtype":"markdown","markdown":{"content":"**督办单 DB-2021-031 将于3个工作日后到期**\n` +
			`汾河三期河道治理项目进度滞后序时进度15个百分点。\n请于周五前报送整改情况。\n` +
			`[查看](https://lantu.gujiao.gov.cn/supervision/31?tab=reply&from=mail)"}}`
		if got.Body != want {
			t.Errorf("body\n got %s\nwant %s", got.Body, want)
		}
	})

	t.Run("UrgentMentionsAll", func(t *testing.T) {
		srv := startRobotServer(t, false, http.StatusOK, okAnswer)
		urgent := supervisionMessage
		urgent.Urgent = true
		if err := (&notify.WeCom{Client: srv.Client()}).Send(testContext(t), weComHook(srv), urgent); err != nil {
			t.Fatal(err)
		}
		want := `{"msgtype":"text","text":{"content":"督办单 DB-2021-031 将于3个工作日后到期\n` +
			`汾河三期河道治理项目进度滞后序时进度15个百分点。\n请于周五前报送整改情况。\n` +
			`https://lantu.gujiao.gov.cn/supervision/31?tab=reply&from=mail","mentioned_list":["@all"]}}`
		if got := srv.only(t).Body; got != want {
			t.Errorf("body\n got %s\nwant %s", got, want)
		}
	})

	t.Run("LinkWithParentheses", func(t *testing.T) {
		srv := startRobotServer(t, false, http.StatusOK, okAnswer)
		m := notify.Message{Title: "周报", Link: "https://lantu.gujiao.gov.cn/projects?q=(风电)"}
		if err := (&notify.WeCom{Client: srv.Client()}).Send(testContext(t), weComHook(srv), m); err != nil {
			t.Fatal(err)
		}
		content := decodeWeCom(t, srv.only(t).Body).Markdown.Content
		if want := "**周报**\n[查看](https://lantu.gujiao.gov.cn/projects?q=%28风电%29)"; content != want {
			t.Errorf("content %q, want %q", content, want)
		}
	})

	t.Run("LongBodyTruncated", func(t *testing.T) {
		long := notify.Message{
			Title: "2021年第18周重点项目周报汇总",
			Body:  strings.Repeat("中电投岔口风电项目本周完成投资1200万元。", 300), // about 17,000 bytes
			Link:  "https://lantu.gujiao.gov.cn/projects/weekly/2021W18",
		}
		for _, c := range []struct {
			urgent bool
			limit  int
		}{{false, 4096}, {true, 2048}} {
			srv := startRobotServer(t, false, http.StatusOK, okAnswer)
			m := long
			m.Urgent = c.urgent
			if err := (&notify.WeCom{Client: srv.Client()}).Send(testContext(t), weComHook(srv), m); err != nil {
				t.Fatal(err)
			}
			sent := decodeWeCom(t, srv.only(t).Body)
			content := sent.Markdown.Content + sent.Text.Content
			if len(content) > c.limit || len(content) < c.limit-6 {
				t.Errorf("urgent %v: content of %d bytes, want at most %d and not much less", c.urgent, len(content), c.limit)
			}
			if !utf8.ValidString(content) {
				t.Errorf("urgent %v: content cut inside a character", c.urgent)
			}
			if !strings.Contains(content, "…") || !strings.HasSuffix(content, "/2021W18)") && !strings.HasSuffix(content, "/2021W18") {
				t.Errorf("urgent %v: truncated content must mark the cut and keep the link: …%s", c.urgent, content[len(content)-80:])
			}
		}
	})
}

type weComSent struct {
	MsgType  string `json:"msgtype"`
	Markdown struct {
		Content string `json:"content"`
	} `json:"markdown"`
	Text struct {
		Content       string   `json:"content"`
		MentionedList []string `json:"mentioned_list"`
	} `json:"text"`
}

func decodeWeCom(t *testing.T, body string) weComSent {
	t.Helper()
	var sent weComSent
	if err := json.Unmarshal([]byte(body), &sent); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, body)
	}
	return sent
}

// robotFailures are the answers both robots' tests try, with whether each
// is worth retrying.
var httpFailures = []struct {
	name      string
	status    int
	answer    string
	retryable bool
}{
	{"ServerError", 500, "internal error", true},
	{"BadGateway", 502, "<html>bad gateway</html>", true},
	{"TooManyRequests", 429, "slow down", true},
	{"NotFound", 404, "not found", false},
	{"Forbidden", 403, "forbidden", false},
	{"NotJSON", 200, "<html>login</html>", false},
	{"NoErrcode", 200, `{"ok":true}`, false},
}

func TestWeComSendFailures(t *testing.T) {
	robotCases := []struct {
		name      string
		answer    string
		code      int
		retryable bool
	}{
		// The answers as WeCom words them (developer.work.weixin.qq.com, global error codes).
		{"RateLimited", `{"errcode":45009,"errmsg":"api freq out of limit, hint: [1651125626252370061579454], more info at https://open.work.weixin.qq.com/devtool/query?e=45009"}`, 45009, true},
		{"Busy", `{"errcode":-1,"errmsg":"system busy"}`, -1, true},
		{"InvalidKey", `{"errcode":93000,"errmsg":"invalid webhook url, hint: [1717571485419203277035119]"}`, 93000, false},
		{"TooLong", `{"errcode":40058,"errmsg":"markdown.content exceed max length 4096. invalid Request Parameter"}`, 40058, false},
	}
	for _, c := range robotCases {
		t.Run(c.name, func(t *testing.T) {
			srv := startRobotServer(t, false, http.StatusOK, c.answer)
			err := (&notify.WeCom{Client: srv.Client()}).Send(testContext(t), weComHook(srv), supervisionMessage)
			var robotErr *notify.RobotError
			if !errors.As(err, &robotErr) || robotErr.Code != c.code || robotErr.Channel != notify.ChannelWeCom {
				t.Fatalf("err = %v, want a WeCom robot error %d", err, c.code)
			}
			var answer struct{ ErrMsg string }
			_ = json.Unmarshal([]byte(c.answer), &answer)
			if robotErr.Message != answer.ErrMsg {
				t.Errorf("Message %q, want the errmsg %q", robotErr.Message, answer.ErrMsg)
			}
			if got := notify.Retryable(err); got != c.retryable {
				t.Errorf("Retryable(%v) = %v, want %v", err, got, c.retryable)
			}
		})
	}
	for _, c := range httpFailures {
		t.Run(c.name, func(t *testing.T) {
			srv := startRobotServer(t, false, c.status, c.answer)
			err := (&notify.WeCom{Client: srv.Client()}).Send(testContext(t), weComHook(srv), supervisionMessage)
			checkHTTPFailure(t, err, c.status, c.retryable, weComKey)
		})
	}
	t.Run("ClientTimeout", func(t *testing.T) {
		srv := startSlowRobot(t)
		client := srv.Client()
		client.Timeout = 200 * time.Millisecond
		err := (&notify.WeCom{Client: client}).Send(testContext(t), srv.URL+"/cgi-bin/webhook/send?key="+weComKey, supervisionMessage)
		checkNetworkFailure(t, err, weComKey)
	})
	t.Run("ContextDeadline", func(t *testing.T) {
		srv := startSlowRobot(t)
		ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
		defer cancel()
		err := (&notify.WeCom{Client: srv.Client()}).Send(ctx, srv.URL+"/cgi-bin/webhook/send?key="+weComKey, supervisionMessage)
		checkNetworkFailure(t, err, weComKey)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want the context's deadline", err)
		}
	})
	t.Run("ConnectionRefused", func(t *testing.T) {
		err := (&notify.WeCom{}).Send(testContext(t), closedURL(t)+"/cgi-bin/webhook/send?key="+weComKey, supervisionMessage)
		checkNetworkFailure(t, err, weComKey)
	})
	t.Run("UntrustedCertificate", func(t *testing.T) {
		srv := startRobotServer(t, false, http.StatusOK, okAnswer)
		err := (&notify.WeCom{}).Send(testContext(t), weComHook(srv), supervisionMessage) // default client: system roots
		if err == nil || notify.Retryable(err) || strings.Contains(err.Error(), weComKey) {
			t.Errorf("err = %v, want a permanent error without the key", err)
		}
		if n := len(srv.received()); n != 0 {
			t.Errorf("robot received %d requests over an unverified connection", n)
		}
	})
}

func checkHTTPFailure(t *testing.T, err error, status int, retryable bool, secrets ...string) {
	t.Helper()
	var httpErr *notify.HTTPError
	if status != http.StatusOK && (!errors.As(err, &httpErr) || httpErr.StatusCode != status) {
		t.Fatalf("err = %v, want HTTP status %d", err, status)
	}
	if err == nil {
		t.Fatal("no error")
	}
	if got := notify.Retryable(err); got != retryable {
		t.Errorf("Retryable(%v) = %v, want %v", err, got, retryable)
	}
	checkNoSecrets(t, err, secrets...)
}

func checkNetworkFailure(t *testing.T, err error, secrets ...string) {
	t.Helper()
	if err == nil || !notify.Retryable(err) {
		t.Fatalf("err = %v, want a retryable network error", err)
	}
	checkNoSecrets(t, err, secrets...)
}

func checkNoSecrets(t *testing.T, err error, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if strings.Contains(err.Error(), s) {
			t.Errorf("error %q reveals the secret %q", err, s)
		}
	}
}

// closedURL is the address of a port nobody listens on any more.
func closedURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return "https://" + addr
}

func TestWeComSendWebhookChecks(t *testing.T) {
	plain := startRobotServer(t, true, http.StatusOK, okAnswer)
	cases := []struct {
		name   string
		sender *notify.WeCom
		target string
		ok     bool
	}{
		{"ErrPlainHTTP", &notify.WeCom{}, weComHook(plain), false},
		{"PlainHTTPAllowed", &notify.WeCom{AllowHTTP: true}, weComHook(plain), true},
		{"ErrNoKey", &notify.WeCom{AllowHTTP: true}, plain.URL + "/cgi-bin/webhook/send", false},
		{"ErrOtherScheme", &notify.WeCom{AllowHTTP: true}, "ftp://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" + weComKey, false},
		{"ErrNotAURL", &notify.WeCom{AllowHTTP: true}, "qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" + weComKey, false},
		{"ErrUserInfo", &notify.WeCom{AllowHTTP: true}, "http://me:pw@" + strings.TrimPrefix(weComHook(plain), "http://"), false},
		{"ErrSpace", &notify.WeCom{AllowHTTP: true}, weComHook(plain) + " ", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := len(plain.received())
			err := c.sender.Send(testContext(t), c.target, supervisionMessage)
			sent := len(plain.received()) - before
			if c.ok {
				if err != nil || sent != 1 {
					t.Errorf("err = %v, %d requests; want delivery", err, sent)
				}
				return
			}
			if apperr.Code(err) != apperr.Invalid || notify.Retryable(err) {
				t.Errorf("err = %v, want a permanent invalid-input error", err)
			}
			if sent != 0 {
				t.Errorf("%d requests sent to a refused webhook", sent)
			}
			checkNoSecrets(t, err, weComKey)
		})
	}
}
