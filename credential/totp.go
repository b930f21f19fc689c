package credential

import (
	"bytes"
	"crypto/subtle"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"strings"
	"time"
	"unicode"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
	"github.com/pquerna/otp/totp"
	"golang.org/x/text/unicode/norm"

	"github.com/lantu/lantu/apperr"
)

// TOTP parameters (RFC 6238): SHA-1, 6 digits, 30-second steps, the only
// combination every authenticator app supports. SHA-1 is sound inside HMAC.
// The secret is 20 random bytes, the HMAC-SHA-1 key size RFC 4226 asks for.
const (
	TOTPIssuer     = "Lantu 蓝图"
	totpPeriod     = 30
	totpDigits     = 6
	totpSecretSize = 20
	totpQRSize     = 256
)

// NewTOTP makes a new TOTP secret for account (the user name) and returns
// it in base32 (to store, encrypted if the storage allows), the otpauth://
// URL authenticator apps read, and that URL as a 256×256 QR code PNG.
func NewTOTP(issuer, account string) (secret, otpauthURL string, qrPNG []byte, err error) {
	defer apperr.Wrap(&err, "credential.NewTOTP(%q, %q)", issuer, account)
	// The label is "issuer:account"; a colon in either would split it
	// wrongly in the app.
	if issuer == "" || account == "" || strings.Contains(issuer, ":") || strings.Contains(account, ":") {
		return "", "", nil, errors.New("issuer and account must be non-empty and without ':'")
	}
	key, err := totp.Generate(totp.GenerateOpts{
		Issuer:      issuer,
		AccountName: account,
		Period:      totpPeriod,
		SecretSize:  totpSecretSize,
		Digits:      otp.DigitsSix,
		Algorithm:   otp.AlgorithmSHA1,
	})
	if err != nil {
		return "", "", nil, err
	}
	qrPNG, err = qrCode(key)
	if err != nil {
		return "", "", nil, err
	}
	return key.Secret(), key.String(), qrPNG, nil
}

// qrCode draws key's QR code in a 256×256 PNG. The library draws the code
// edge to edge; the white border of 16 pixels added here is the quiet zone
// scanners need (four modules or more for URLs of our length), even on a
// page with a dark background.
func qrCode(key *otp.Key) ([]byte, error) {
	const border = 16
	code, err := key.Image(totpQRSize-2*border, totpQRSize-2*border)
	if err != nil {
		return nil, err
	}
	img := image.NewGray(image.Rect(0, 0, totpQRSize, totpQRSize))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	draw.Draw(img, code.Bounds().Add(image.Pt(border, border)), code, code.Bounds().Min, draw.Src)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// CheckTOTP checks code against secret at now. It accepts the codes of the
// current 30-second step and of the steps just before and after (for clocks
// a little off), but none of a step at or before lastUsedStep, so that a code
// seen over someone's shoulder cannot be used again (ASVS 6.5.1). On
// success it returns the step matched, which the caller stores as the new
// lastUsedStep (0 before the first use). Spaces in code are ignored, and
// full-width digits typed with a Chinese input method count as digits.
func CheckTOTP(secret, code string, now time.Time, lastUsedStep int64) (step int64, err error) {
	code = stripSpaces(norm.NFKC.String(code))
	if !isDigits(code, totpDigits) {
		return 0, apperr.Invalidf("验证码应为 %d 位数字", "code must be %d digits", totpDigits)
	}
	current := now.Unix() / totpPeriod
	replayed := false
	for _, s := range []int64{current, current - 1, current + 1} {
		if s < 0 {
			continue
		}
		want, err := hotp.GenerateCodeCustom(secret, uint64(s), hotp.ValidateOpts{Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err != nil {
			// The stored secret is broken: our fault, not the user's.
			return 0, fmt.Errorf("credential.CheckTOTP: %w", err)
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) != 1 {
			continue
		}
		if s > lastUsedStep {
			return s, nil
		}
		replayed = true
	}
	if replayed {
		return 0, apperr.Invalidf("验证码已使用过，请等待下一个验证码", "code already used; wait for the next one")
	}
	return 0, apperr.Invalidf("验证码不正确", "code is incorrect")
}

func stripSpaces(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
