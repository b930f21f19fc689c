package credential

import (
	_ "embed"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/lantu/lantu/apperr"
)

// Password length limits, in Unicode code points after NFC normalisation,
// so that a Chinese password is not penalised for taking three bytes a
// character (ASVS 6.2.1 asks for at least 8; 6.2.9 for at least 64 allowed).
const (
	MinPasswordLength = 8
	MaxPasswordLength = 128
)

// commonPasswordsFile is the list of the most common passwords, one a line,
// lowercase, most common first; lines starting with # are comments. Where
// it comes from and its licence: common-passwords.LICENSE.
//
//go:embed common-passwords.txt
var commonPasswordsFile string

// Policy decides whether a new password may be chosen (ASVS 6.2). It has no
// composition rules, by design (ASVS 6.2.5): length and a list of common
// passwords are what make a password hard to guess. A Policy is read-only
// once made, so one made at start-up can be shared by all requests.
type Policy struct {
	common map[string]struct{}
}

// NewPolicy parses the embedded list of common passwords.
func NewPolicy() *Policy {
	lines := strings.Split(commonPasswordsFile, "\n")
	common := make(map[string]struct{}, len(lines))
	for _, line := range lines {
		line = strings.TrimSuffix(line, "\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		common[line] = struct{}{}
	}
	return &Policy{common: common}
}

// Check returns an apperr.Invalid error if pw may not be used as a new
// password: too short or too long, among the most common passwords, or equal
// (ignoring case) to one of context, the user's own names.
func (p *Policy) Check(pw string, context ...string) error {
	if !utf8.ValidString(pw) {
		return apperr.Invalidf("密码包含无效字符", "password contains invalid characters")
	}
	pw = norm.NFC.String(pw)
	switch n := utf8.RuneCountInString(pw); {
	case n < MinPasswordLength:
		return apperr.Invalidf("密码至少需要 %d 个字符", "password must have at least %d characters", MinPasswordLength)
	case n > MaxPasswordLength:
		return apperr.Invalidf("密码最多 %d 个字符", "password must have at most %d characters", MaxPasswordLength)
	}
	if _, ok := p.common[strings.ToLower(pw)]; ok {
		return apperr.Invalidf("该密码过于常见，容易被猜中，请换一个", "this password is too common and easy to guess; please choose another")
	}
	for _, c := range context {
		c = norm.NFC.String(strings.TrimSpace(c))
		if c != "" && strings.EqualFold(pw, c) {
			return apperr.Invalidf("密码不能与用户名或姓名相同", "password must not be the same as the user name or display name")
		}
	}
	return nil
}

// CheckPassword is Policy.Check with a Policy made for this one call.
// Parsing the list takes well under a millisecond, which is nothing next to
// the hashing that follows a password change; a server that checks often
// should keep one Policy instead.
func CheckPassword(pw string, context ...string) error {
	return NewPolicy().Check(pw, context...)
}
