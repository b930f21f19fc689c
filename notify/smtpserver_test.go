package notify_test

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"net"
	"net/textproto"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// smtpServer is a small SMTP server speaking the dialogue of RFC 5321 over a
// real socket: EHLO, STARTTLS, AUTH PLAIN, MAIL, RCPT, DATA, RSET, NOOP,
// QUIT. Replies maps a verb (or "GREETING", "DATA-END") to a reply line
// given instead of the normal one, for 4xx and 5xx on demand.
type smtpServer struct {
	t       *testing.T
	ln      net.Listener
	tls     *tls.Config // offered by STARTTLS, or used from the start when implicit
	user    string      // with pass: AUTH PLAIN offered and required
	pass    string
	silent  bool // accept and never answer, for timeouts
	replies map[string]string

	mu          sync.Mutex
	connections int
	commands    []string // each command line, prefixed "tls " after the handshake
	mails       []receivedMail
}

type receivedMail struct {
	From, To string
	Data     []byte
	TLS      bool // the mail came over TLS
}

type smtpServerOptions struct {
	listen   string // "127.0.0.1:0" if empty
	tls      *tls.Config
	implicit bool
	user     string
	pass     string
	silent   bool
	replies  map[string]string
}

func startSMTPServer(t *testing.T, o smtpServerOptions) *smtpServer {
	t.Helper()
	if o.listen == "" {
		o.listen = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		t.Skipf("cannot listen on %s: %v", o.listen, err)
	}
	if o.implicit {
		ln = tls.NewListener(ln, o.tls)
	}
	s := &smtpServer{t: t, ln: ln, tls: o.tls, user: o.user, pass: o.pass, silent: o.silent, replies: o.replies}
	var wg sync.WaitGroup
	t.Cleanup(func() { _ = ln.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.connections++
			s.mu.Unlock()
			wg.Go(func() { s.serve(conn, o.implicit) })
		}
	})
	return s
}

func (s *smtpServer) port() int {
	_, port, _ := net.SplitHostPort(s.ln.Addr().String())
	n, _ := strconv.Atoi(port)
	return n
}

func (s *smtpServer) received() []receivedMail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]receivedMail(nil), s.mails...)
}

func (s *smtpServer) seen() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.commands...)
}

func (s *smtpServer) connectionCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.connections
}

func (s *smtpServer) serve(conn net.Conn, isTLS bool) {
	defer func() { _ = conn.Close() }()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	if s.silent {
		_, _ = bufio.NewReader(conn).ReadString(0) // until the client gives up
		return
	}
	tp := textproto.NewConn(conn)
	if reply, ok := s.replies["GREETING"]; ok {
		_ = tp.PrintfLine("%s", reply)
		return
	}
	_ = tp.PrintfLine("220 mail.gujiao.test ESMTP ready")
	var (
		authed bool
		from   string
		to     []string
	)
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb := strings.ToUpper(strings.SplitN(line, " ", 2)[0])
		s.mu.Lock()
		if isTLS {
			s.commands = append(s.commands, "tls "+line)
		} else {
			s.commands = append(s.commands, line)
		}
		s.mu.Unlock()
		if reply, ok := s.replies[verb]; ok {
			_ = tp.PrintfLine("%s", reply)
			continue
		}
		switch verb {
		case "EHLO":
			lines := []string{"mail.gujiao.test greets you"}
			if s.tls != nil && !isTLS {
				lines = append(lines, "STARTTLS")
			}
			if s.user != "" {
				lines = append(lines, "AUTH PLAIN")
			}
			lines = append(lines, "8BITMIME")
			for i, l := range lines {
				sep := "-"
				if i == len(lines)-1 {
					sep = " "
				}
				_ = tp.PrintfLine("250%s%s", sep, l)
			}
		case "STARTTLS":
			if s.tls == nil || isTLS {
				_ = tp.PrintfLine("502 5.5.1 no STARTTLS here")
				continue
			}
			_ = tp.PrintfLine("220 2.0.0 go ahead")
			tlsConn := tls.Server(conn, s.tls)
			if err := tlsConn.Handshake(); err != nil {
				return
			}
			conn, isTLS = tlsConn, true
			tp = textproto.NewConn(tlsConn)
			authed, from, to = false, "", nil // RFC 3207: forget everything
		case "AUTH":
			authed = s.auth(tp, line)
		case "MAIL":
			if s.user != "" && !authed {
				_ = tp.PrintfLine("530 5.7.0 authentication required")
				continue
			}
			from = angleAddress(line)
			_ = tp.PrintfLine("250 2.1.0 ok")
		case "RCPT":
			to = append(to, angleAddress(line))
			_ = tp.PrintfLine("250 2.1.5 ok")
		case "DATA":
			_ = tp.PrintfLine("354 end with <CRLF>.<CRLF>")
			data, err := readData(tp.R)
			if err != nil {
				return
			}
			if reply, ok := s.replies["DATA-END"]; ok {
				_ = tp.PrintfLine("%s", reply)
				continue
			}
			s.mu.Lock()
			for _, rcpt := range to {
				s.mails = append(s.mails, receivedMail{From: from, To: rcpt, Data: data, TLS: isTLS})
			}
			s.mu.Unlock()
			_ = tp.PrintfLine("250 2.0.0 queued")
		case "RSET":
			from, to = "", nil
			_ = tp.PrintfLine("250 2.0.0 ok")
		case "NOOP":
			_ = tp.PrintfLine("250 2.0.0 ok")
		case "QUIT":
			_ = tp.PrintfLine("221 2.0.0 bye")
			return
		default:
			_ = tp.PrintfLine("502 5.5.2 command not recognized")
		}
	}
}

// readData reads a DATA section as it crossed the wire, CRLFs kept, up to
// the line with a single dot, and undoes dot-stuffing (RFC 5321 4.5.2).
func readData(r *bufio.Reader) ([]byte, error) {
	var data []byte
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return nil, err
		}
		if line == ".\r\n" {
			return data, nil
		}
		data = append(data, strings.TrimPrefix(line, ".")...)
	}
}

// auth handles "AUTH PLAIN [initial-response]" (RFC 4616).
func (s *smtpServer) auth(tp *textproto.Conn, line string) bool {
	fields := strings.Fields(line)
	if len(fields) < 2 || !strings.EqualFold(fields[1], "PLAIN") {
		_ = tp.PrintfLine("504 5.5.4 mechanism not supported")
		return false
	}
	response := ""
	if len(fields) == 3 {
		response = fields[2]
	} else {
		_ = tp.PrintfLine("334 ")
		var err error
		if response, err = tp.ReadLine(); err != nil {
			return false
		}
	}
	raw, err := base64.StdEncoding.DecodeString(response)
	if err != nil || string(raw) != "\x00"+s.user+"\x00"+s.pass {
		_ = tp.PrintfLine("535 5.7.8 authentication credentials invalid")
		return false
	}
	_ = tp.PrintfLine("235 2.7.0 authentication successful")
	return true
}

// angleAddress takes the address out of "MAIL FROM:<a@b> BODY=8BITMIME".
func angleAddress(line string) string {
	start, end := strings.IndexByte(line, '<'), strings.IndexByte(line, '>')
	if start < 0 || end < start {
		return ""
	}
	return line[start+1 : end]
}

// testCertificate makes a self-signed certificate for 127.0.0.1 and
// returns the server's configuration and the pool a client trusts it with.
func testCertificate(t *testing.T) (*tls.Config, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	template := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "mail.gujiao.test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	server := &tls.Config{
		MinVersion:   tls.VersionTLS12,
		Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}},
	}
	return server, pool
}
