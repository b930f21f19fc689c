package credential_test

import (
	"encoding/base64"
	"regexp"
	"strings"
	"testing"

	"github.com/lantu/lantu/credential"
)

func TestNewToken(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		plain, hash, err := credential.NewToken()
		if err != nil {
			t.Fatal(err)
		}
		raw, err := base64.RawURLEncoding.DecodeString(plain)
		if err != nil || len(raw) < 16 {
			t.Fatalf("token %q: %d bytes, %v; want at least 16 random bytes in base64url", plain, len(raw), err)
		}
		if hash != credential.HashToken(plain) {
			t.Fatalf("hash %q is not HashToken of the token", hash)
		}
		if seen[plain] {
			t.Fatalf("token %q made twice", plain)
		}
		seen[plain] = true
	}
}

func TestHashToken(t *testing.T) {
	// FIPS 180-2 test vectors for SHA-256.
	cases := map[string]string{
		"abc": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
		"":    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	}
	for in, want := range cases {
		if got := credential.HashToken(in); got != want {
			t.Errorf("HashToken(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestNewAPIToken(t *testing.T) {
	form := regexp.MustCompile(`^lantu_[a-z2-7]{52}$`)
	seen := map[string]bool{}
	for range 1000 {
		plain, hash, err := credential.NewAPIToken()
		if err != nil {
			t.Fatal(err)
		}
		if !form.MatchString(plain) || !credential.LooksLikeAPIToken(plain) {
			t.Fatalf("token %q does not have the API token form", plain)
		}
		if hash != credential.HashToken(plain) {
			t.Fatalf("hash %q is not HashToken of the token", hash)
		}
		if seen[plain] {
			t.Fatalf("token %q made twice", plain)
		}
		seen[plain] = true
	}
}

func TestLooksLikeAPIToken(t *testing.T) {
	// 32 zero bytes are 52 "a"s in lowercase base32; the 52nd character
	// holds one bit of data and four zero bits, so only a or q may end it.
	zeros := "lantu_" + strings.Repeat("a", 52)
	session, _, err := credential.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		s    string
		want bool
	}{
		{"OKZeros", zeros, true},
		{"OKLastBitSet", zeros[:57] + "q", true},
		{"ErrBitsBeyond256", zeros[:57] + "b", false},
		{"ErrUppercase", "lantu_" + strings.Repeat("A", 52), false},
		{"ErrPrefixCase", "Lantu_" + strings.Repeat("a", 52), false},
		{"ErrNoPrefix", strings.Repeat("a", 58), false},
		{"ErrShort", zeros[:57], false},
		{"ErrLong", zeros + "a", false},
		{"ErrDigitOne", zeros[:56] + "1a", false},
		{"ErrDigitEight", zeros[:56] + "8a", false},
		{"ErrPadding", zeros[:57] + "=", false},
		{"ErrEmpty", "", false},
		{"ErrPrefixOnly", "lantu_", false},
		{"ErrSessionToken", session, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := credential.LooksLikeAPIToken(c.s); got != c.want {
				t.Errorf("LooksLikeAPIToken(%q) = %v, want %v", c.s, got, c.want)
			}
		})
	}
}
