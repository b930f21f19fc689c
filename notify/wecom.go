package notify

import (
	"context"
	"net/http"
	"strings"

	"github.com/lantu/lantu/apperr"
)

// WeCom's limits on a robot message's content, in bytes of UTF-8: the
// robot refuses longer content (errcode 40058, "markdown.content exceed max
// length 4096").
const (
	weComMarkdownLimit = 4096
	weComTextLimit     = 2048
)

// WeCom sends to a WeCom (企业微信) group robot. The target is the robot's
// webhook URL, https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=….
type WeCom struct {
	Client *http.Client // nil: http.DefaultClient; without a deadline in ctx, 15 seconds
	// AllowHTTP admits http:// webhooks: for tests and for a relay inside
	// a trusted network. Elsewhere the key in the URL would travel in clear.
	AllowHTTP bool
}

// Channel returns "wecom".
func (w *WeCom) Channel() string { return ChannelWeCom }

// Send posts m to the robot: as markdown with the title in bold and a
// 查看 link, or, when m is urgent, as text mentioning everyone, since WeCom's
// markdown messages cannot mention anyone.
func (w *WeCom) Send(ctx context.Context, target string, m Message) (err error) {
	defer apperr.Wrap(&err, "notify.WeCom.Send(%q)", m.Title)
	if err := m.Validate(); err != nil {
		return err
	}
	hook := robotHook{channel: ChannelWeCom, tokenName: "key", client: w.Client, allowHTTP: w.AllowHTTP}
	u, err := hook.parseWebhook(target)
	if err != nil {
		return err
	}
	return hook.post(ctx, u, weComPayload(m))
}

type weComMessage struct {
	MsgType  string         `json:"msgtype"`
	Markdown *weComMarkdown `json:"markdown,omitempty"`
	Text     *weComText     `json:"text,omitempty"`
}

type weComMarkdown struct {
	Content string `json:"content"`
}

type weComText struct {
	Content       string   `json:"content"`
	MentionedList []string `json:"mentioned_list,omitempty"`
}

func weComPayload(m Message) weComMessage {
	title := strings.ToValidUTF8(m.Title, "?")
	body := strings.ToValidUTF8(normalizeNewlines(m.Body), "?")
	if m.Urgent {
		head, tail := title, ""
		if body != "" {
			head += "\n"
		}
		if m.Link != "" {
			tail = "\n" + m.Link
		}
		return weComMessage{MsgType: "text", Text: &weComText{
			Content:       fitBytes(head, body, tail, weComTextLimit),
			MentionedList: []string{"@all"},
		}}
	}
	head, tail := "**"+title+"**", ""
	if body != "" {
		head += "\n"
	}
	if m.Link != "" {
		tail = "\n" + markdownLink("查看", m.Link)
	}
	return weComMessage{MsgType: "markdown", Markdown: &weComMarkdown{Content: fitBytes(head, body, tail, weComMarkdownLimit)}}
}

// markdownLink writes [text](link), escaping the parentheses that would end
// the link early. Validate has already refused spaces and control
// characters in link.
func markdownLink(text, link string) string {
	link = strings.NewReplacer("(", "%28", ")", "%29").Replace(link)
	return "[" + text + "](" + link + ")"
}
