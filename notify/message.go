package notify

import (
	"context"
	"net/url"
	"strings"

	"github.com/lantu/lantu/apperr"
)

// The channels, as stored with each delivery in the outbox.
const (
	ChannelEmail    = "email"
	ChannelWeCom    = "wecom"
	ChannelDingTalk = "dingtalk"
)

// Message is one notification, in the words the inbox shows.
type Message struct {
	Title  string // one line, e.g. "督办单 DB-2021-031 将于3个工作日后到期"
	Body   string // plain text, may span lines
	Link   string // absolute http(s) URL of the object in Lantu; optional
	Urgent bool   // asks the channel to draw attention (@all, high importance)
}

// Sender delivers a message to one target of its channel: an e-mail address
// for "email", a robot's webhook URL for "wecom" and "dingtalk". Senders are
// safe for concurrent use.
type Sender interface {
	Send(ctx context.Context, target string, m Message) error
	Channel() string
}

// Validate reports what makes m unfit to send.
func (m Message) Validate() error {
	if strings.TrimSpace(m.Title) == "" {
		return apperr.Invalidf("通知标题不能为空", "the notification has no title")
	}
	// A line break in the title could start a new mail header, and a robot
	// message's title is one line anyway.
	if strings.ContainsAny(m.Title, "\r\n") {
		return apperr.Invalidf("通知标题不能换行", "the notification title must be one line")
	}
	if m.Link != "" {
		return validateLink(m.Link)
	}
	return nil
}

func validateLink(link string) error {
	bad := apperr.Invalidf("通知链接 %q 不是完整的网址", "notification link %q is not an absolute URL", link)
	if strings.ContainsFunc(link, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return bad
	}
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return bad
	}
	return nil
}

// normalizeNewlines turns CRLF and CR into LF and drops trailing line breaks.
func normalizeNewlines(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.TrimRight(strings.ReplaceAll(s, "\r", "\n"), "\n")
}
