package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"os"
	"strconv"
	"time"

	"github.com/lantu/lantu/apperr"
)

// TLSMode is how an SMTP connection is protected.
type TLSMode string

// The TLS modes. StartTLS is the default.
const (
	StartTLS    TLSMode = "starttls" // plain connection upgraded by STARTTLS, usually port 587
	ImplicitTLS TLSMode = "tls"      // TLS from the first byte, usually port 465
	NoTLS       TLSMode = "none"     // for a relay on the same machine; net/smtp sends a password in clear only to localhost
)

// defaultSMTPTimeout bounds a delivery whose context has no deadline.
const defaultSMTPTimeout = time.Minute

// SMTP sends e-mail through one submission server. The target is the
// recipient's address.
type SMTP struct {
	Host     string
	Port     int // 0: 587 for StartTLS, 465 for ImplicitTLS, 25 for NoTLS
	Username string
	Password string // with Username, AUTH PLAIN; never sent before TLS except to localhost
	From     string // "蓝图 <lantu@gujiao.gov.cn>"
	TLS      TLSMode
	// TLSConfig, if set, is used for the handshake (e.g. with RootCAs of
	// an internal CA); ServerName defaults to Host.
	TLSConfig *tls.Config
	HelloName string           // the name given in EHLO; "" means "localhost"
	Now       func() time.Time // the Date header's clock; nil means time.Now
}

// Channel returns "email".
func (s *SMTP) Channel() string { return ChannelEmail }

// Validate reports a configuration that cannot work, so that main can
// refuse to start with it rather than fail every delivery.
func (s *SMTP) Validate() error {
	if s.Host == "" {
		return apperr.Invalidf("未设置邮件服务器", "no SMTP host is set")
	}
	if s.Port < 0 || s.Port > 65535 {
		return apperr.Invalidf("邮件服务器端口 %d 无效", "invalid SMTP port %d", s.Port)
	}
	switch s.TLS {
	case "", StartTLS, ImplicitTLS, NoTLS:
	default:
		return apperr.Invalidf("未知的 TLS 方式 %q", "unknown TLS mode %q", s.TLS)
	}
	_, err := parseAddress("发件人", s.From)
	return err
}

func (s *SMTP) mode() TLSMode {
	if s.TLS == "" {
		return StartTLS
	}
	return s.TLS
}

func (s *SMTP) addr() string {
	port := s.Port
	if port == 0 {
		port = map[TLSMode]int{StartTLS: 587, ImplicitTLS: 465, NoTLS: 25}[s.mode()]
	}
	return net.JoinHostPort(s.Host, strconv.Itoa(port))
}

func (s *SMTP) tlsConfig() *tls.Config {
	c := &tls.Config{MinVersion: tls.VersionTLS12}
	if s.TLSConfig != nil {
		c = s.TLSConfig.Clone()
		if c.MinVersion == 0 {
			c.MinVersion = tls.VersionTLS12
		}
	}
	if c.ServerName == "" {
		c.ServerName = s.Host
	}
	return c
}

// Send mails m to the address target. The whole dialogue is bounded by ctx
// (or by a minute if ctx has no deadline) and stops when ctx is canceled.
func (s *SMTP) Send(ctx context.Context, target string, m Message) (err error) {
	defer apperr.Wrap(&err, "notify.SMTP.Send(%q)", target)
	if err := s.Validate(); err != nil {
		return err
	}
	if err := m.Validate(); err != nil {
		return err
	}
	from, _ := parseAddress("发件人", s.From)
	to, err := parseAddress("收件人", target)
	if err != nil {
		return err
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	msg, err := composeMail(from, to, m, now())
	if err != nil {
		return err
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, defaultSMTPTimeout)
		defer cancel()
	}
	if err := s.deliver(ctx, from.Address, to.Address, msg); err != nil {
		if errors.Is(err, os.ErrDeadlineExceeded) {
			// The connection's deadline is ctx's, or moved to now when ctx
			// was canceled: ctx is done or about to be, and its error says
			// which.
			<-ctx.Done()
		}
		if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
			return fmt.Errorf("%w: %w", ctxErr, err)
		}
		return err
	}
	return nil
}

func (s *SMTP) deliver(ctx context.Context, from, to string, msg []byte) error {
	conn, err := s.dial(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = conn.Close() }()
	// net/smtp takes no context: a deadline on the connection bounds every
	// read and write, and cancelation moves it to now.
	deadline, _ := ctx.Deadline()
	if err := conn.SetDeadline(deadline); err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Now()) })
	defer stop()

	c, err := smtp.NewClient(conn, s.Host) // NewClient notices a *tls.Conn
	if err != nil {
		return fmt.Errorf("smtp greeting: %w", err)
	}
	defer func() { _ = c.Close() }()
	if err := s.hello(c); err != nil {
		return err
	}
	if err := c.Mail(from); err != nil {
		return fmt.Errorf("smtp MAIL FROM: %w", err)
	}
	if err := c.Rcpt(to); err != nil {
		return fmt.Errorf("smtp RCPT TO: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("smtp DATA: %w", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("smtp DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("smtp end of DATA: %w", err)
	}
	// The message is accepted; a failing QUIT changes nothing.
	_ = c.Quit()
	return nil
}

func (s *SMTP) dial(ctx context.Context) (net.Conn, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.addr())
	if err != nil {
		return nil, fmt.Errorf("smtp connect: %w", err)
	}
	if s.mode() != ImplicitTLS {
		return conn, nil
	}
	tlsConn := tls.Client(conn, s.tlsConfig())
	if err := tlsConn.HandshakeContext(ctx); err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("smtp TLS handshake: %w", err)
	}
	return tlsConn, nil
}

// hello greets the server, upgrades to TLS when asked to and signs in.
func (s *SMTP) hello(c *smtp.Client) error {
	name := s.HelloName
	if name == "" {
		name = "localhost"
	}
	if err := c.Hello(name); err != nil {
		return fmt.Errorf("smtp EHLO: %w", err)
	}
	if s.mode() == StartTLS {
		// Without STARTTLS the password and the message would cross the
		// network in clear; better to fail and have someone look.
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return errors.New("smtp: the server does not offer STARTTLS")
		}
		if err := c.StartTLS(s.tlsConfig()); err != nil {
			return fmt.Errorf("smtp STARTTLS: %w", err)
		}
	}
	if s.Username == "" {
		return nil
	}
	if ok, _ := c.Extension("AUTH"); !ok {
		return errors.New("smtp: the server does not offer AUTH")
	}
	// PlainAuth itself refuses to send the password without TLS unless the
	// server is localhost.
	if err := c.Auth(smtp.PlainAuth("", s.Username, s.Password, s.Host)); err != nil {
		return fmt.Errorf("smtp AUTH: %w", err)
	}
	return nil
}
