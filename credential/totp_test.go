package credential_test

import (
	"bytes"
	"encoding/base32"
	"image"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/credential"
)

// rfcSecret is the RFC 6238 Appendix B key for SHA-1, the ASCII string
// "12345678901234567890", in base32.
const rfcSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

func TestRFCSecretEncoding(t *testing.T) {
	if got := base32.StdEncoding.EncodeToString([]byte("12345678901234567890")); got != rfcSecret {
		t.Fatalf("base32 of the RFC key is %s, the tests assume %s", got, rfcSecret)
	}
}

// TestTOTPLibraryRFC6238 checks pquerna/otp against RFC 6238 Appendix B
// (SHA-1, 8 digits).
func TestTOTPLibraryRFC6238(t *testing.T) {
	cases := []struct {
		unix int64
		want string
	}{
		{59, "94287082"},
		{1111111109, "07081804"},
		{1111111111, "14050471"},
		{1234567890, "89005924"},
		{2000000000, "69279037"},
		{20000000000, "65353130"},
	}
	opts := totp.ValidateOpts{Period: 30, Digits: otp.DigitsEight, Algorithm: otp.AlgorithmSHA1}
	for _, c := range cases {
		got, err := totp.GenerateCodeCustom(rfcSecret, time.Unix(c.unix, 0).UTC(), opts)
		if err != nil || got != c.want {
			t.Errorf("T=%d: got %q, %v; want %s", c.unix, got, err, c.want)
		}
	}
}

// TestCheckTOTP uses the RFC 6238 vectors cut to 6 digits: an n-digit code
// is the same number modulo 10^n, so the 6-digit code is the last six
// digits of the 8-digit one. The step is the Unix time divided by 30.
func TestCheckTOTP(t *testing.T) {
	const (
		wrongFormat = "验证码应为 6 位数字"
		wrongCode   = "验证码不正确"
		used        = "验证码已使用过"
	)
	cases := []struct {
		name     string
		code     string
		unix     int64
		lastUsed int64
		step     int64
		want     string
	}{
		{"OKT59", "287082", 59, 0, 1, ""},
		{"OKT1111111109", "081804", 1111111109, 0, 37037036, ""},
		{"OKT1111111111", "050471", 1111111111, 0, 37037037, ""},
		{"OKT1234567890", "005924", 1234567890, 0, 41152263, ""},
		{"OKT2000000000", "279037", 2000000000, 0, 66666666, ""},
		{"OKT20000000000", "353130", 20000000000, 0, 666666666, ""},
		{"OKSpaces", " 287 082 ", 59, 0, 1, ""},
		{"OKFullWidth", "２８７０８２", 59, 0, 1, ""},
		{"OKIdeographicSpace", "287\u3000082", 59, 0, 1, ""},
		{"OKClockOneStepAhead", "081804", 1111111109 + 30, 0, 37037036, ""},
		{"OKClockOneStepBehind", "081804", 1111111109 - 30, 0, 37037036, ""},
		{"ErrClockTwoStepsAhead", "081804", 1111111109 + 60, 0, 0, wrongCode},
		{"ErrClockTwoStepsBehind", "081804", 1111111109 - 60, 0, 0, wrongCode},
		{"ErrReplaySameStep", "287082", 59, 1, 0, used},
		{"ErrReplayOlderStep", "081804", 1111111109 + 30, 37037036, 0, used},
		{"ErrReplayAfterLaterStep", "287082", 59, 2, 0, used},
		{"OKNextStepAfterUse", "050471", 1111111111, 37037036, 37037037, ""},
		{"ErrWrongCode", "287083", 59, 0, 0, wrongCode},
		{"ErrFiveDigits", "28708", 59, 0, 0, wrongFormat},
		{"ErrSevenDigits", "2870820", 59, 0, 0, wrongFormat},
		{"ErrEightDigitRFCCode", "94287082", 59, 0, 0, wrongFormat},
		{"ErrLetters", "28708a", 59, 0, 0, wrongFormat},
		{"ErrEmpty", "", 59, 0, 0, wrongFormat},
		{"ErrSigned", "+87082", 59, 0, 0, wrongFormat},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			step, err := credential.CheckTOTP(rfcSecret, c.code, time.Unix(c.unix, 0), c.lastUsed)
			check(t, err, c.want)
			if step != c.step {
				t.Errorf("step %d, want %d", step, c.step)
			}
		})
	}
}

func TestCheckTOTPMessages(t *testing.T) {
	_, err := credential.CheckTOTP(rfcSecret, "287082", time.Unix(59, 0), 1)
	if got := apperr.Message(err, "en"); !strings.Contains(got, "code already used") {
		t.Errorf("en message %q, want it to say the code was already used", got)
	}
	_, err = credential.CheckTOTP(rfcSecret, "12ab", time.Unix(59, 0), 0)
	if got, want := err.Error(), "验证码应为 6 位数字 (code must be 6 digits)"; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
}

func TestCheckTOTPBrokenSecret(t *testing.T) {
	_, err := credential.CheckTOTP("not base32!", "123456", time.Unix(59, 0), 0)
	if err == nil || apperr.Code(err) != apperr.Internal {
		t.Errorf("got %v, want an internal error", err)
	}
}

func TestNewTOTP(t *testing.T) {
	secret, url, qr, err := credential.NewTOTP(credential.TOTPIssuer, "zhangwei")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OKSecret", func(t *testing.T) {
		raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret)
		if err != nil || len(raw) != 20 {
			t.Errorf("secret %q: %d bytes, %v; want 20 bytes of base32", secret, len(raw), err)
		}
		other, _, _, err := credential.NewTOTP(credential.TOTPIssuer, "zhangwei")
		if err != nil || other == secret {
			t.Errorf("second secret %q, %v: want a different one", other, err)
		}
	})
	t.Run("OKURL", func(t *testing.T) {
		// 蓝 is U+84DD, UTF-8 E8 93 9D; 图 is U+56FE, UTF-8 E5 9B BE; the
		// space must be %20, as authenticator apps do not read + as a space.
		if !strings.HasPrefix(url, "otpauth://totp/Lantu%20%E8%93%9D%E5%9B%BE:zhangwei?") ||
			!strings.Contains(url, "issuer=Lantu%20%E8%93%9D%E5%9B%BE") {
			t.Errorf("url %q lacks the escaped issuer label", url)
		}
		key, err := otp.NewKeyFromURL(url)
		if err != nil {
			t.Fatal(err)
		}
		if key.Type() != "totp" || key.Issuer() != "Lantu 蓝图" || key.AccountName() != "zhangwei" ||
			key.Secret() != secret || key.Period() != 30 || key.Digits() != otp.DigitsSix ||
			key.Algorithm() != otp.AlgorithmSHA1 {
			t.Errorf("url %q: type %s issuer %q account %q period %d digits %d algorithm %s",
				url, key.Type(), key.Issuer(), key.AccountName(), key.Period(), key.Digits(), key.Algorithm())
		}
	})
	t.Run("OKQRCode", func(t *testing.T) {
		img, err := png.Decode(bytes.NewReader(qr))
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); b.Dx() != 256 || b.Dy() != 256 {
			t.Fatalf("QR code is %dx%d, want 256x256", b.Dx(), b.Dy())
		}
		// The quiet zone: a white border of 16 pixels all round.
		for i := range 256 {
			for j := range 16 {
				for _, p := range []image.Point{{i, j}, {i, 255 - j}, {j, i}, {255 - j, i}} {
					if r, g, b, _ := img.At(p.X, p.Y).RGBA(); r != 0xffff || g != 0xffff || b != 0xffff {
						t.Fatalf("pixel %v of the border is not white", p)
					}
				}
			}
		}
		// Something is drawn inside it.
		dark := 0
		for y := 16; y < 240; y++ {
			for x := 16; x < 240; x++ {
				if r, _, _, _ := img.At(x, y).RGBA(); r == 0 {
					dark++
				}
			}
		}
		if dark < 224*224/4 {
			t.Errorf("only %d dark pixels inside the border: no QR code drawn", dark)
		}
	})
	t.Run("OKCodeFromLibrary", func(t *testing.T) {
		at := time.Date(2035, 6, 1, 9, 30, 15, 0, time.UTC)
		code, err := totp.GenerateCode(secret, at)
		if err != nil {
			t.Fatal(err)
		}
		step, err := credential.CheckTOTP(secret, code, at, 0)
		if err != nil || step != at.Unix()/30 {
			t.Errorf("got step %d, %v; want %d", step, err, at.Unix()/30)
		}
	})
	t.Run("ErrColonInAccount", func(t *testing.T) {
		if _, _, _, err := credential.NewTOTP(credential.TOTPIssuer, "a:b"); err == nil {
			t.Error("account with ':' accepted")
		}
	})
}
