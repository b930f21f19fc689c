package notify_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"net"
	"net/mail"
	"net/textproto"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/notify"
)

var (
	_ notify.Sender = (*notify.SMTP)(nil)
	_ notify.Sender = (*notify.WeCom)(nil)
	_ notify.Sender = (*notify.DingTalk)(nil)
)

// mailNow is the sending time of every test mail: a Friday afternoon in
// Beijing time, when weekly reports fall due.
var mailNow = time.Date(2021, 5, 7, 15, 4, 5, 0, time.FixedZone("CST", 8*3600))

var supervisionMessage = notify.Message{
	Title: "督办单 DB-2021-031 将于3个工作日后到期",
	Body:  "汾河三期河道治理项目进度滞后序时进度15个百分点。\n请于周五前报送整改情况。",
	Link:  "https://lantu.gujiao.gov.cn/supervision/31?tab=reply&from=mail",
}

func smtpSender(s *smtpServer, mode notify.TLSMode, pool *x509.CertPool) *notify.SMTP {
	sender := &notify.SMTP{
		Host: "127.0.0.1",
		Port: s.port(),
		From: "古交市蓝图系统 <lantu@gujiao.gov.cn>",
		TLS:  mode,
		Now:  func() time.Time { return mailNow },
	}
	if pool != nil {
		sender.TLSConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	return sender
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestSMTPSend(t *testing.T) {
	serverTLS, pool := testCertificate(t)

	t.Run("OK", func(t *testing.T) {
		srv := startSMTPServer(t, smtpServerOptions{tls: serverTLS, user: "lantu", pass: "秘密 pass"})
		sender := smtpSender(srv, "", pool) // STARTTLS is the default
		sender.Username, sender.Password = "lantu", "秘密 pass"
		if err := sender.Send(testContext(t), "张三 <zhangsan@gujiao.gov.cn>", supervisionMessage); err != nil {
			t.Fatal(err)
		}
		mails := srv.received()
		if len(mails) != 1 {
			t.Fatalf("server received %d mails, want 1", len(mails))
		}
		got := mails[0]
		if got.From != "lantu@gujiao.gov.cn" || got.To != "zhangsan@gujiao.gov.cn" || !got.TLS {
			t.Errorf("envelope = from %q to %q over TLS %v; want lantu@gujiao.gov.cn to zhangsan@gujiao.gov.cn over TLS", got.From, got.To, got.TLS)
		}
		// The password went only over TLS: every AUTH line came after the handshake.
		authSeen := false
		for _, c := range srv.seen() {
			if strings.Contains(c, "AUTH") {
				authSeen = true
				if !strings.HasPrefix(c, "tls ") {
					t.Errorf("AUTH sent before STARTTLS: %q", c)
				}
			}
		}
		if !authSeen {
			t.Errorf("no AUTH in %q", srv.seen())
		}
		checkMail(t, got.Data, supervisionMessage, "张三", "zhangsan@gujiao.gov.cn")
	})

	t.Run("ImplicitTLS", func(t *testing.T) {
		srv := startSMTPServer(t, smtpServerOptions{tls: serverTLS, implicit: true, user: "lantu", pass: "pw"})
		sender := smtpSender(srv, notify.ImplicitTLS, pool)
		sender.Username, sender.Password = "lantu", "pw"
		if err := sender.Send(testContext(t), "lisi@gujiao.gov.cn", supervisionMessage); err != nil {
			t.Fatal(err)
		}
		mails := srv.received()
		if len(mails) != 1 || !mails[0].TLS {
			t.Fatalf("received %d mails (%+v), want 1 over TLS", len(mails), mails)
		}
		checkMail(t, mails[0].Data, supervisionMessage, "", "lisi@gujiao.gov.cn")
	})

	t.Run("LocalRelayWithoutTLS", func(t *testing.T) {
		srv := startSMTPServer(t, smtpServerOptions{})
		sender := smtpSender(srv, notify.NoTLS, nil)
		urgent := notify.Message{Title: "市长督办: 西北二环高速古交段", Body: "红灯项目，请立即处理。", Urgent: true}
		if err := sender.Send(testContext(t), "wangwu@gujiao.gov.cn", urgent); err != nil {
			t.Fatal(err)
		}
		mails := srv.received()
		if len(mails) != 1 {
			t.Fatalf("received %d mails, want 1", len(mails))
		}
		msg := checkMail(t, mails[0].Data, urgent, "", "wangwu@gujiao.gov.cn")
		if msg.Header.Get("Importance") != "high" || msg.Header.Get("X-Priority") != "1" {
			t.Errorf("urgent mail has Importance %q, X-Priority %q; want high, 1", msg.Header.Get("Importance"), msg.Header.Get("X-Priority"))
		}
	})

	t.Run("LongSubject", func(t *testing.T) {
		srv := startSMTPServer(t, smtpServerOptions{})
		long := notify.Message{Title: strings.Repeat("古交市2021年国民经济和社会发展计划执行情况", 6)}
		if err := smtpSender(srv, notify.NoTLS, nil).Send(testContext(t), "a@gujiao.gov.cn", long); err != nil {
			t.Fatal(err)
		}
		mails := srv.received()
		if len(mails) != 1 {
			t.Fatalf("received %d mails, want 1", len(mails))
		}
		head, _, _ := bytes.Cut(mails[0].Data, []byte("\r\n\r\n"))
		for line := range strings.SplitSeq(string(head), "\r\n") {
			if len(line) > 998 {
				t.Errorf("header line of %d bytes exceeds RFC 5322's 998", len(line))
			}
		}
		if !strings.Contains(string(head), "?=\r\n =?UTF-8?b?") {
			t.Errorf("long subject is not folded between encoded words:\n%s", head)
		}
		checkMail(t, mails[0].Data, long, "", "a@gujiao.gov.cn")
	})
}

// checkMail parses data as the recipient's mail reader would and checks
// every header and the decoded body against m.
func checkMail(t *testing.T, data []byte, m notify.Message, toName, toAddress string) *mail.Message {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("mail does not parse: %v\n%s", err, data)
	}
	h := msg.Header
	raw := h.Get("Subject")
	if !strings.HasPrefix(raw, "=?UTF-8?b?") {
		t.Errorf("Subject %q is not RFC 2047 B-encoded UTF-8", raw)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(raw)
	if err != nil || subject != m.Title {
		t.Errorf("Subject decodes to %q (%v), want %q", subject, err, m.Title)
	}
	from, err := mail.ParseAddress(h.Get("From"))
	if err != nil || from.Name != "古交市蓝图系统" || from.Address != "lantu@gujiao.gov.cn" {
		t.Errorf("From %q parses to %+v (%v)", h.Get("From"), from, err)
	}
	to, err := mail.ParseAddress(h.Get("To"))
	if err != nil || to.Name != toName || to.Address != toAddress {
		t.Errorf("To %q parses to %+v (%v), want %q <%s>", h.Get("To"), to, err, toName, toAddress)
	}
	if date, err := h.Date(); err != nil || !date.Equal(mailNow) {
		t.Errorf("Date %q = %v (%v), want %v", h.Get("Date"), date, err, mailNow)
	}
	if id := h.Get("Message-ID"); !regexp.MustCompile(`^<[0-9a-f]{32}@gujiao\.gov\.cn>$`).MatchString(id) {
		t.Errorf("Message-ID %q, want <32 hex digits@gujiao.gov.cn>", id)
	}
	if h.Get("MIME-Version") != "1.0" {
		t.Errorf("MIME-Version %q", h.Get("MIME-Version"))
	}
	mediaType, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil || mediaType != "text/plain" || !strings.EqualFold(params["charset"], "utf-8") {
		t.Errorf("Content-Type %q, want text/plain; charset=UTF-8", h.Get("Content-Type"))
	}
	if h.Get("Content-Transfer-Encoding") != "base64" {
		t.Errorf("Content-Transfer-Encoding %q, want base64", h.Get("Content-Transfer-Encoding"))
	}
	if h.Get("Auto-Submitted") != "auto-generated" {
		t.Errorf("Auto-Submitted %q, want auto-generated", h.Get("Auto-Submitted"))
	}
	encoded, err := io.ReadAll(msg.Body)
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.SplitSeq(strings.TrimSuffix(string(encoded), "\r\n"), "\r\n") {
		if len(line) > 76 {
			t.Errorf("base64 line of %d characters, RFC 2045 allows 76", len(line))
		}
	}
	body, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, bytes.NewReader(encoded)))
	if err != nil {
		t.Fatalf("body is not base64: %v", err)
	}
	want := strings.ReplaceAll(m.Body, "\n", "\r\n")
	if m.Link != "" {
		want += "\r\n\r\n" + m.Link
	}
	if want += "\r\n"; string(body) != want {
		t.Errorf("body = %q, want %q", body, want)
	}
	return msg
}

func TestSMTPSendRefused(t *testing.T) {
	cases := []struct {
		name      string
		replies   map[string]string
		code      int
		retryable bool
	}{
		{"ServiceUnavailable", map[string]string{"GREETING": "421 4.3.2 service not available"}, 421, true},
		{"BadPassword", map[string]string{"AUTH": "535 5.7.8 authentication credentials invalid"}, 535, false},
		{"MailboxFull", map[string]string{"MAIL": "452 4.3.1 insufficient system storage"}, 452, true},
		{"NoSuchUser", map[string]string{"RCPT": "550 5.1.1 mailbox unavailable"}, 550, false},
		{"Greylisted", map[string]string{"RCPT": "451 4.7.1 greylisted, try again later"}, 451, true},
		{"ContentRefused", map[string]string{"DATA-END": "554 5.6.0 message refused"}, 554, false},
		{"QueueFull", map[string]string{"DATA-END": "452 4.3.1 queue full"}, 452, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := startSMTPServer(t, smtpServerOptions{user: "lantu", pass: "pw", replies: c.replies})
			sender := smtpSender(srv, notify.NoTLS, nil)
			sender.Username, sender.Password = "lantu", "pw"
			err := sender.Send(testContext(t), "zhangsan@gujiao.gov.cn", supervisionMessage)
			var reply *textproto.Error
			if !errors.As(err, &reply) || reply.Code != c.code {
				t.Fatalf("err = %v, want SMTP reply %d", err, c.code)
			}
			if got := notify.Retryable(err); got != c.retryable {
				t.Errorf("Retryable(%v) = %v, want %v", err, got, c.retryable)
			}
			if n := len(srv.received()); n != 0 {
				t.Errorf("server kept %d mails, want none", n)
			}
		})
	}
}

func TestSMTPSendTLSFailures(t *testing.T) {
	serverTLS, pool := testCertificate(t)

	t.Run("ErrNoSTARTTLS", func(t *testing.T) {
		srv := startSMTPServer(t, smtpServerOptions{user: "lantu", pass: "pw"}) // offers no STARTTLS
		sender := smtpSender(srv, notify.StartTLS, pool)
		sender.Username, sender.Password = "lantu", "pw"
		err := sender.Send(testContext(t), "zhangsan@gujiao.gov.cn", supervisionMessage)
		if err == nil || notify.Retryable(err) || !strings.Contains(err.Error(), "STARTTLS") {
			t.Fatalf("err = %v, want a permanent error", err)
		}
		for _, c := range srv.seen() {
			if strings.HasPrefix(c, "AUTH") || strings.HasPrefix(c, "MAIL") {
				t.Errorf("client sent %q over a plain connection", c)
			}
		}
	})

	t.Run("ErrUntrustedCertificate", func(t *testing.T) {
		srv := startSMTPServer(t, smtpServerOptions{tls: serverTLS, user: "lantu", pass: "pw"})
		sender := smtpSender(srv, notify.StartTLS, nil) // system roots do not know the test CA
		sender.Username, sender.Password = "lantu", "pw"
		err := sender.Send(testContext(t), "zhangsan@gujiao.gov.cn", supervisionMessage)
		var verifyErr *tls.CertificateVerificationError
		if !errors.As(err, &verifyErr) {
			t.Fatalf("err = %v, want a certificate verification error", err)
		}
		if notify.Retryable(err) {
			t.Errorf("Retryable(%v) = true, want false", err)
		}
		for _, c := range srv.seen() {
			if strings.Contains(c, "AUTH") {
				t.Errorf("client sent %q to an unverified server", c)
			}
		}
	})

	t.Run("ErrPasswordInClear", func(t *testing.T) {
		// 127.0.0.2 is loopback on Linux but not "localhost" to net/smtp,
		// which must then refuse to send the password without TLS.
		srv := startSMTPServer(t, smtpServerOptions{listen: "127.0.0.2:0", user: "lantu", pass: "pw"})
		sender := smtpSender(srv, notify.NoTLS, nil)
		sender.Host = "127.0.0.2"
		sender.Username, sender.Password = "lantu", "pw"
		err := sender.Send(testContext(t), "zhangsan@gujiao.gov.cn", supervisionMessage)
		if err == nil || notify.Retryable(err) || !strings.Contains(err.Error(), "unencrypted") {
			t.Fatalf("err = %v, want a permanent error", err)
		}
		for _, c := range srv.seen() {
			if strings.Contains(c, "AUTH") {
				t.Errorf("client sent %q in clear", c)
			}
		}
	})
}

func TestSMTPSendTimeout(t *testing.T) {
	t.Run("Deadline", func(t *testing.T) {
		srv := startSMTPServer(t, smtpServerOptions{silent: true})
		ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
		defer cancel()
		start := time.Now()
		err := smtpSender(srv, notify.NoTLS, nil).Send(ctx, "zhangsan@gujiao.gov.cn", supervisionMessage)
		if elapsed := time.Since(start); elapsed > 5*time.Second {
			t.Errorf("Send took %v against a silent server, want about 300ms", elapsed)
		}
		if !errors.Is(err, context.DeadlineExceeded) || !notify.Retryable(err) {
			t.Errorf("err = %v (retryable %v), want a retryable deadline", err, notify.Retryable(err))
		}
	})

	t.Run("Canceled", func(t *testing.T) {
		srv := startSMTPServer(t, smtpServerOptions{silent: true})
		ctx, cancel := context.WithCancel(t.Context()) // no deadline: only cancelation stops it
		time.AfterFunc(300*time.Millisecond, cancel)
		start := time.Now()
		err := smtpSender(srv, notify.NoTLS, nil).Send(ctx, "zhangsan@gujiao.gov.cn", supervisionMessage)
		if elapsed := time.Since(start); elapsed > 5*time.Second {
			t.Errorf("Send took %v after cancelation", elapsed)
		}
		if !errors.Is(err, context.Canceled) || !notify.Retryable(err) {
			t.Errorf("err = %v, want a retryable cancelation", err)
		}
	})

	t.Run("ConnectionRefused", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := ln.Addr().(*net.TCPAddr).Port
		_ = ln.Close()
		sender := &notify.SMTP{Host: "127.0.0.1", Port: port, From: "lantu@gujiao.gov.cn", TLS: notify.NoTLS}
		err = sender.Send(testContext(t), "zhangsan@gujiao.gov.cn", supervisionMessage)
		if err == nil || !notify.Retryable(err) {
			t.Errorf("err = %v, want a retryable network error", err)
		}
	})
}

func TestSMTPSendInvalid(t *testing.T) {
	srv := startSMTPServer(t, smtpServerOptions{})
	cases := []struct {
		name   string
		from   string
		target string
		m      notify.Message
	}{
		{"ErrHeaderInTarget", "", "zhangsan@gujiao.gov.cn\r\nBcc: spy@example.com", supervisionMessage},
		{"ErrHeaderInTargetName", "", "\"张三\r\nBcc: spy@example.com\" <zhangsan@gujiao.gov.cn>", supervisionMessage},
		{"ErrSecondRecipient", "", "zhangsan@gujiao.gov.cn, spy@example.com", supervisionMessage},
		{"ErrNotAnAddress", "", "张三", supervisionMessage},
		{"ErrHeaderInTitle", "", "zhangsan@gujiao.gov.cn", notify.Message{Title: "周报\r\nBcc: spy@example.com"}},
		{"ErrHeaderInFrom", "lantu@gujiao.gov.cn\r\nBcc: spy@example.com", "zhangsan@gujiao.gov.cn", supervisionMessage},
		{"ErrNoTitle", "", "zhangsan@gujiao.gov.cn", notify.Message{Body: "正文"}},
		{"ErrRelativeLink", "", "zhangsan@gujiao.gov.cn", notify.Message{Title: "周报", Link: "/projects/7"}},
		{"ErrLinkWithLineBreak", "", "zhangsan@gujiao.gov.cn", notify.Message{Title: "周报", Link: "https://lantu.gujiao.gov.cn/\r\nBcc: x"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sender := smtpSender(srv, notify.NoTLS, nil)
			if c.from != "" {
				sender.From = c.from
			}
			err := sender.Send(testContext(t), c.target, c.m)
			if apperr.Code(err) != apperr.Invalid {
				t.Errorf("err = %v, want an invalid-input error", err)
			}
			if notify.Retryable(err) {
				t.Errorf("Retryable(%v) = true", err)
			}
		})
	}
	if n := srv.connectionCount(); n != 0 {
		t.Errorf("server saw %d connections; invalid messages must be refused before connecting", n)
	}
}

func TestSMTPValidate(t *testing.T) {
	ok := notify.SMTP{Host: "smtp.gujiao.gov.cn", From: "lantu@gujiao.gov.cn"}
	if err := ok.Validate(); err != nil {
		t.Errorf("Validate(%+v) = %v", ok, err)
	}
	for name, s := range map[string]notify.SMTP{
		"ErrNoHost":  {From: "lantu@gujiao.gov.cn"},
		"ErrBadMode": {Host: "smtp.gujiao.gov.cn", From: "lantu@gujiao.gov.cn", TLS: "ssl"},
		"ErrBadPort": {Host: "smtp.gujiao.gov.cn", From: "lantu@gujiao.gov.cn", Port: 70000},
		"ErrNoFrom":  {Host: "smtp.gujiao.gov.cn"},
		"ErrBadFrom": {Host: "smtp.gujiao.gov.cn", From: "蓝图"},
	} {
		if err := s.Validate(); apperr.Code(err) != apperr.Invalid {
			t.Errorf("%s: Validate = %v, want an invalid-input error", name, err)
		}
	}
}
