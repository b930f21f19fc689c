package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/lantu/lantu/apperr"
)

// Conservative limits, in bytes. DingTalk's global error table (34016)
// limits a chat message's title to 64 and its markdown to 5000 without
// saying whether it counts bytes or characters; we found no limit published
// for robots, and bytes are never more than characters.
const (
	dingTalkTitleLimit = 64
	dingTalkTextLimit  = 5000
)

// DingTalk sends to a DingTalk (钉钉) group robot. The target is the robot's
// webhook URL, https://oapi.dingtalk.com/robot/send?access_token=…; for a
// robot with 加签 security, the signing secret follows in the URL's fragment
// (see DingTalkTarget), which is never sent to the server.
type DingTalk struct {
	Client *http.Client // nil: http.DefaultClient; without a deadline in ctx, 15 seconds
	// AllowHTTP admits http:// webhooks: for tests and for a relay inside
	// a trusted network. Elsewhere the token in the URL would travel in clear.
	AllowHTTP bool
	// Now is the clock the signature's timestamp comes from; DingTalk
	// refuses a timestamp too far from its own clock. Nil: time.Now.
	Now func() time.Time
}

// DingTalkTarget is the target for a robot whose webhook is webhook and,
// when it uses 加签, whose signing secret (SEC…) is secret.
func DingTalkTarget(webhook, secret string) string {
	if secret == "" {
		return webhook
	}
	return webhook + "#" + (&url.URL{Fragment: secret}).EscapedFragment()
}

// Channel returns "dingtalk".
func (d *DingTalk) Channel() string { return ChannelDingTalk }

// Send posts m to the robot as markdown, mentioning everyone when m is
// urgent.
func (d *DingTalk) Send(ctx context.Context, target string, m Message) (err error) {
	defer apperr.Wrap(&err, "notify.DingTalk.Send(%q)", m.Title)
	if err := m.Validate(); err != nil {
		return err
	}
	hook := robotHook{channel: ChannelDingTalk, tokenName: "access_token", client: d.Client, allowHTTP: d.AllowHTTP}
	u, err := hook.parseWebhook(target)
	if err != nil {
		return err
	}
	secret := u.Fragment // url.Parse has unescaped it
	u.Fragment, u.RawFragment = "", ""
	if secret != "" {
		now := time.Now
		if d.Now != nil {
			now = d.Now
		}
		timestamp := strconv.FormatInt(now().UnixMilli(), 10)
		q := u.Query()
		q.Set("timestamp", timestamp)
		q.Set("sign", dingTalkSign(secret, timestamp))
		u.RawQuery = q.Encode()
	}
	return hook.post(ctx, u, dingTalkPayload(m))
}

// dingTalkSign is DingTalk's 加签: base64 of HMAC-SHA256 over
// timestamp+"\n"+secret, keyed with the secret.
func dingTalkSign(secret, timestamp string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(timestamp + "\n" + secret))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

type dingTalkMessage struct {
	MsgType  string           `json:"msgtype"`
	Markdown dingTalkMarkdown `json:"markdown"`
	At       dingTalkAt       `json:"at"`
}

type dingTalkMarkdown struct {
	Title string `json:"title"`
	Text  string `json:"text"`
}

type dingTalkAt struct {
	IsAtAll bool `json:"isAtAll"`
}

func dingTalkPayload(m Message) dingTalkMessage {
	title := strings.ToValidUTF8(m.Title, "?")
	// In markdown a single line break only joins lines; a blank line keeps
	// the body's lines apart.
	body := strings.ReplaceAll(strings.ToValidUTF8(normalizeNewlines(m.Body), "?"), "\n", "\n\n")
	head, tail := "**"+title+"**", ""
	if body != "" {
		head += "\n\n"
	}
	if m.Link != "" {
		tail = "\n\n" + markdownLink("查看", m.Link)
	}
	return dingTalkMessage{
		MsgType: "markdown",
		Markdown: dingTalkMarkdown{
			Title: truncateBytes(title, dingTalkTitleLimit),
			Text:  fitBytes(head, body, tail, dingTalkTextLimit),
		},
		At: dingTalkAt{IsAtAll: m.Urgent},
	}
}
