package credential_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/lantu/lantu/credential"
)

func TestNewRecoveryCodes(t *testing.T) {
	plain, hashes, err := credential.NewRecoveryCodes(0)
	if err != nil {
		t.Fatal(err)
	}
	if len(plain) != 10 || len(hashes) != 10 {
		t.Fatalf("%d codes and %d hashes, want 10 of each", len(plain), len(hashes))
	}
	// Lowercase letters without l and o, digits without 0 and 1.
	form := regexp.MustCompile(`^[a-km-np-z2-9]{5}-[a-km-np-z2-9]{5}$`)
	seen := map[string]bool{}
	for i, code := range plain {
		if !form.MatchString(code) {
			t.Errorf("code %q is not two groups of five unambiguous characters", code)
		}
		if seen[code] {
			t.Errorf("code %q repeated", code)
		}
		seen[code] = true
		// Stored as a salted argon2id hash of the code without its dash
		// (ASVS 5.0 6.5.2), which verifies like a password.
		if !strings.HasPrefix(hashes[i], "$argon2id$v=19$m=19456,t=2,p=1$") {
			t.Errorf("hash of %q is %s, want argon2id", code, hashes[i])
		}
		if ok, _, err := credential.VerifyPassword(strings.ReplaceAll(code, "-", ""), hashes[i]); !ok || err != nil {
			t.Errorf("hash of %q does not verify the code: %v", code, err)
		}
	}
}

func TestNewRecoveryCodesCount(t *testing.T) {
	plain, hashes, err := credential.NewRecoveryCodes(3)
	if err != nil || len(plain) != 3 || len(hashes) != 3 {
		t.Errorf("asked for 3: got %d codes, %d hashes, %v", len(plain), len(hashes), err)
	}
	if _, _, err := credential.NewRecoveryCodes(101); err == nil {
		t.Error("101 codes made, want an error")
	}
}

func TestMatchRecoveryCode(t *testing.T) {
	plain, hashes, err := credential.NewRecoveryCodes(10)
	if err != nil {
		t.Fatal(err)
	}
	code := plain[6]
	cases := []struct {
		name  string
		input string
		index int
	}{
		{"OKAsShown", code, 6},
		{"OKUpper", strings.ToUpper(code), 6},
		{"OKNoDash", strings.ReplaceAll(code, "-", ""), 6},
		{"OKSpaces", " " + strings.ReplaceAll(code, "-", " ") + " ", 6},
		{"OKDashes", code[:2] + "-" + code[2:4] + "-" + code[4:], 6},
		{"OKOtherCode", plain[0], 0},
		{"ErrWrongCode", "aaaaa-aaaaa", -1},
		{"ErrOneCharOff", code[:10] + string(rune(code[10]^1)), -1},
		{"ErrEmpty", "", -1},
		{"ErrHalf", code[:5], -1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			index, ok := credential.MatchRecoveryCode(c.input, hashes)
			if index != c.index || ok != (c.index >= 0) {
				t.Errorf("got %d %v, want %d", index, ok, c.index)
			}
		})
	}
}

func TestMatchRecoveryCodeFullWidth(t *testing.T) {
	// A Chinese input method in full-width mode types ＡＢＣ and －.
	h, err := credential.HashPassword("abcdefghjk")
	if err != nil {
		t.Fatal(err)
	}
	hashes := []string{"", h}
	index, ok := credential.MatchRecoveryCode("ＡＢＣＤＥ－ｆｇｈｊｋ", hashes)
	if !ok || index != 1 {
		t.Errorf("got %d %v, want 1 true", index, ok)
	}
	if index, ok := credential.MatchRecoveryCode("", hashes); ok {
		t.Errorf("empty input matched hash %d", index)
	}
}
