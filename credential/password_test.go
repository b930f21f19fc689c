package credential_test

import (
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/credential"
)

func TestPolicyCheck(t *testing.T) {
	const (
		tooShort = "至少需要 8 个字符"
		tooLong  = "最多 128 个字符"
		common   = "过于常见"
		sameName = "不能与用户名或姓名相同"
	)
	names := []string{"ZhangWei2024", "张伟 城市规划局"}
	cases := []struct {
		name string
		pw   string
		want string // "" for accepted, else part of the Chinese message
	}{
		{"ErrSeven", "kx7#Lm2", tooShort},
		{"OKEight", "kx7#Lm2q", ""},
		{"OK128", strings.Repeat("kx7#Lm2q", 16), ""},
		{"Err129", strings.Repeat("kx7#Lm2q", 16) + "z", tooLong},
		{"OKEightChineseRunes", "城市规划蓝图计划", ""},
		{"ErrSevenChineseRunes", "城市规划蓝图计", tooShort},
		// Eight code points as typed, four once NFC composes e + U+0301.
		{"ErrShortAfterNFC", strings.Repeat("e\u0301", 4), tooShort},
		{"OKSpacesAndSymbols", "  城市 plan!  ", ""},
		{"OKEmoji", "🔑🔑🔑🔑🔑🔑🔑🔑", ""},
		{"ErrCommonPassword", "password", common},
		{"ErrCommonDigits", "123456789", common},
		{"ErrCommonQwerty", "qwerty123", common},
		{"ErrCommonMixedCase", "PassWord1", common},
		{"ErrCommonUpper", "ILOVEYOU", common},
		{"ErrSameAsUserName", "zhangwei2024", sameName},
		{"ErrSameAsDisplayName", "张伟 城市规划局", sameName},
		{"OKContainsUserName", "zhangwei2024!", ""},
		{"ErrInvalidUTF8", "abcdefgh\xff", "无效字符"},
	}
	policy := credential.NewPolicy()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			check(t, policy.Check(c.pw, names...), c.want)
		})
	}
}

func TestPolicyCountsRunesNotBytes(t *testing.T) {
	pw := "城市规划蓝图计划"
	if n, r := len(pw), utf8.RuneCountInString(pw); n != 24 || r != 8 {
		t.Fatalf("test input has %d bytes and %d runes, want 24 and 8", n, r)
	}
	if err := credential.CheckPassword(pw); err != nil {
		t.Errorf("8 Chinese characters refused: %v", err)
	}
}

func TestPolicyIgnoresEmptyContext(t *testing.T) {
	if err := credential.NewPolicy().Check("kx7#Lm2q", "", "  "); err != nil {
		t.Error(err)
	}
}

func TestCheckPasswordMessage(t *testing.T) {
	err := credential.CheckPassword("short")
	if got, want := apperr.Message(err, "zh"), "密码至少需要 8 个字符"; got != want {
		t.Errorf("zh message %q, want %q", got, want)
	}
	if got, want := apperr.Message(err, "en"), "password must have at least 8 characters"; got != want {
		t.Errorf("en message %q, want %q", got, want)
	}
}

// TestCommonPasswordList checks the embedded list itself: 3000 entries,
// lowercase, distinct, most common first, and that the passwords the policy
// tests rely on are in it.
func TestCommonPasswordList(t *testing.T) {
	data, err := os.ReadFile("common-passwords.txt")
	if err != nil {
		t.Fatal(err)
	}
	var entries []string
	for _, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		if !strings.HasPrefix(line, "#") {
			entries = append(entries, line)
		}
	}
	if len(entries) != 3000 {
		t.Errorf("%d entries, want 3000", len(entries))
	}
	if entries[0] != "123456" || entries[1] != "password" {
		t.Errorf("list starts %q, want the most common first: 123456, password", entries[:2])
	}
	seen := map[string]bool{}
	for i, e := range entries {
		if e == "" || e != strings.ToLower(e) || e != strings.TrimSpace(e) {
			t.Errorf("entry %d %q is empty, not lowercase or padded", i+1, e)
		}
		if seen[e] {
			t.Errorf("entry %d %q repeated", i+1, e)
		}
		seen[e] = true
	}
	for _, pw := range []string{"password", "123456789", "qwerty123", "password1", "iloveyou"} {
		if !seen[pw] {
			t.Errorf("%q not in the list; the policy tests assume it is", pw)
		}
	}
	if _, err := os.Stat("common-passwords.LICENSE"); err != nil {
		t.Errorf("the list's licence is missing: %v", err)
	}
}
