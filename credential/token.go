package credential

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
)

// Sessions and API tokens are stored only as HashToken of the token. A
// plain SHA-256 is enough here, unlike for passwords: the tokens carry 256
// random bits, so a leaked hash cannot be reversed by guessing (ASVS 6.5.2
// allows a standard hash from 112 bits up).
const (
	tokenBytes = 32
	// APITokenPrefix starts every API token, so that a token pasted into a
	// script, a log or a repository is recognisable by people and by secret
	// scanners.
	APITokenPrefix = "lantu_"
	apiTokenBytes  = 32
	apiTokenLen    = len(APITokenPrefix) + (apiTokenBytes*8+4)/5 // 6 + 52
)

// NewToken returns a new session token, 32 random bytes in base64url without
// padding (43 characters), and its hash to store.
func NewToken() (plain, hash string, err error) {
	b, err := randomBytes(tokenBytes)
	if err != nil {
		return "", "", fmt.Errorf("credential.NewToken: %w", err)
	}
	plain = base64.RawURLEncoding.EncodeToString(b)
	return plain, HashToken(plain), nil
}

// HashToken is the hex SHA-256 of a token, the form in which tokens are
// stored and looked up.
func HashToken(plain string) string {
	sum := sha256.Sum256([]byte(plain))
	return hex.EncodeToString(sum[:])
}

// NewAPIToken returns a new API token, "lantu_" and 32 random bytes in
// lowercase base32 without padding (58 characters in all), and its hash.
func NewAPIToken() (plain, hash string, err error) {
	b, err := randomBytes(apiTokenBytes)
	if err != nil {
		return "", "", fmt.Errorf("credential.NewAPIToken: %w", err)
	}
	plain = APITokenPrefix + strings.ToLower(base32NoPadding().EncodeToString(b))
	return plain, HashToken(plain), nil
}

// LooksLikeAPIToken reports whether s has the form of a token made by
// NewAPIToken. It says nothing about whether the token is valid.
func LooksLikeAPIToken(s string) bool {
	body, ok := strings.CutPrefix(s, APITokenPrefix)
	if !ok || len(s) != apiTokenLen {
		return false
	}
	for i := 0; i < len(body); i++ {
		if c := body[i]; (c < 'a' || c > 'z') && (c < '2' || c > '7') {
			return false
		}
	}
	// The round trip refuses a last character with bits set beyond the
	// 256th, which NewAPIToken never writes.
	enc := base32NoPadding()
	b, err := enc.DecodeString(strings.ToUpper(body))
	return err == nil && len(b) == apiTokenBytes && strings.ToLower(enc.EncodeToString(b)) == body
}

func base32NoPadding() *base32.Encoding {
	return base32.StdEncoding.WithPadding(base32.NoPadding)
}

func randomBytes(n int) ([]byte, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	return b, nil
}
