package credential

import (
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Recovery codes (ASVS 6.5, "look-up secrets") let a user sign in without
// the authenticator app. Each is 10 characters from a 32-symbol alphabet,
// 50 random bits, shown as two groups of five: "abcde-fghjk".
//
// The alphabet leaves out 0, 1, l and o, which are easily misread for one
// another; capital I never shows as codes are lowercase.
const (
	DefaultRecoveryCodes = 10
	maxRecoveryCodes     = 100
	recoveryCodeLen      = 10
	recoveryGroupLen     = 5
	recoveryAlphabet     = "abcdefghijkmnpqrstuvwxyz23456789"
)

// NewRecoveryCodes returns n new recovery codes (DefaultRecoveryCodes if n is
// 0 or less) to show the user once, and their hashes to store.
//
// The hashes are argon2id, salted, like passwords: ASVS 5.0 6.5.2 asks for
// a password hash for look-up secrets below 112 bits, and a code has 50.
// The cost is one password hash per stored code when a code is tried (a
// rare event, and throttled like sign-in).
func NewRecoveryCodes(n int) (plain []string, hashes []string, err error) {
	if n <= 0 {
		n = DefaultRecoveryCodes
	}
	if n > maxRecoveryCodes {
		return nil, nil, fmt.Errorf("credential.NewRecoveryCodes(%d): at most %d codes", n, maxRecoveryCodes)
	}
	seen := make(map[string]bool, n)
	for len(plain) < n {
		code, err := newRecoveryCode()
		if err != nil {
			return nil, nil, fmt.Errorf("credential.NewRecoveryCodes(%d): %w", n, err)
		}
		if seen[code] { // about one chance in 2^44 for ten codes
			continue
		}
		seen[code] = true
		plain = append(plain, code[:recoveryGroupLen]+"-"+code[recoveryGroupLen:])
		h, err := HashPassword(code)
		if err != nil {
			return nil, nil, fmt.Errorf("credential.NewRecoveryCodes(%d): %w", n, err)
		}
		hashes = append(hashes, h)
	}
	return plain, hashes, nil
}

// MatchRecoveryCode reports which of hashes (as made by NewRecoveryCodes)
// input matches, ignoring case, spaces and dashes. The caller must then
// delete the matched hash, so that each code works once (ASVS 6.5.1); an
// empty or malformed string in hashes never matches. Input that cannot be
// a code is refused before any hashing.
func MatchRecoveryCode(input string, hashes []string) (index int, ok bool) {
	code := normaliseRecoveryCode(input)
	if len(code) != recoveryCodeLen || strings.Trim(code, recoveryAlphabet) != "" {
		return -1, false
	}
	for i, h := range hashes {
		if match, _, err := VerifyPassword(code, h); err == nil && match {
			return i, true
		}
	}
	return -1, false
}

func newRecoveryCode() (string, error) {
	b, err := randomBytes(recoveryCodeLen)
	if err != nil {
		return "", err
	}
	// 32 symbols: the low five bits of a random byte pick one without bias.
	code := make([]byte, recoveryCodeLen)
	for i, x := range b {
		code[i] = recoveryAlphabet[x&31]
	}
	return string(code), nil
}

// normaliseRecoveryCode turns what a user typed into the form that was
// hashed: full-width characters from a Chinese input method folded (NFKC),
// lowercase, without spaces or dashes.
func normaliseRecoveryCode(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '-' {
			return -1
		}
		return unicode.ToLower(r)
	}, norm.NFKC.String(s))
}
