package notify

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"mime"
	"net/mail"
	"strings"
	"time"

	"github.com/lantu/lantu/apperr"
)

// parseAddress accepts one mailbox, "name@example.cn" or
// "张三 <name@example.cn>", and nothing that could add a header or a second
// recipient.
func parseAddress(field, s string) (*mail.Address, error) {
	bad := apperr.Invalidf("%s邮箱地址无效: %q", "invalid %s e-mail address: %q", field, s)
	if strings.ContainsAny(s, "\r\n") {
		return nil, bad
	}
	a, err := mail.ParseAddress(s)
	if err != nil || strings.ContainsFunc(a.Address, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return nil, bad
	}
	return a, nil
}

// composeMail writes the message as RFC 5322 text with CRLF line ends: a
// UTF-8 subject in RFC 2047 encoded words, a base64 text/plain body.
func composeMail(from, to *mail.Address, m Message, now time.Time) ([]byte, error) {
	id, err := messageID(from.Address)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	header := func(name, value string) { b.WriteString(name + ": " + value + "\r\n") }
	header("From", from.String())
	header("To", to.String())
	header("Subject", encodeSubject(m.Title))
	header("Date", now.Format(time.RFC1123Z))
	header("Message-ID", id)
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=UTF-8")
	header("Content-Transfer-Encoding", "base64")
	// RFC 3834: keeps vacation responders from answering a robot.
	header("Auto-Submitted", "auto-generated")
	if m.Urgent {
		header("Importance", "high")
		header("X-Priority", "1")
	}
	b.WriteString("\r\n")
	writeBase64Lines(&b, []byte(mailBody(m)))
	return b.Bytes(), nil
}

// encodeSubject B-encodes the title (mime.BEncoding splits it into encoded
// words of at most 75 characters) and folds between the words, keeping
// header lines near RFC 5322's 78.
func encodeSubject(title string) string {
	encoded := mime.BEncoding.Encode("UTF-8", strings.ToValidUTF8(title, "?"))
	return strings.ReplaceAll(encoded, "?= =?", "?=\r\n =?")
}

func mailBody(m Message) string {
	body := strings.ToValidUTF8(normalizeNewlines(m.Body), "?")
	if m.Link != "" {
		if body != "" {
			body += "\n\n"
		}
		body += m.Link
	}
	return strings.ReplaceAll(body, "\n", "\r\n") + "\r\n"
}

// writeBase64Lines writes data in base64 lines of 76 characters (RFC 2045
// 6.8).
func writeBase64Lines(b *bytes.Buffer, data []byte) {
	encoded := base64.StdEncoding.EncodeToString(data)
	for len(encoded) > 76 {
		b.WriteString(encoded[:76] + "\r\n")
		encoded = encoded[76:]
	}
	b.WriteString(encoded + "\r\n")
}

func messageID(fromAddress string) (string, error) {
	var random [16]byte
	if _, err := rand.Read(random[:]); err != nil {
		return "", err
	}
	domain := "lantu.invalid"
	if at := strings.LastIndexByte(fromAddress, '@'); at >= 0 && at < len(fromAddress)-1 {
		domain = fromAddress[at+1:]
	}
	return "<" + hex.EncodeToString(random[:]) + "@" + domain + ">", nil
}
