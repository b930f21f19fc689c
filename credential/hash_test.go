package credential_test

import (
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"

	"github.com/lantu/lantu/credential"
)

const samplePassword = "蓝图-plan-2035!"

func TestHashPassword(t *testing.T) {
	first, err := credential.HashPassword(samplePassword)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OKFormat", func(t *testing.T) {
		// 16-byte salt: 22 base64 characters; 32-byte key: 43.
		phc := regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)
		if !phc.MatchString(first) {
			t.Errorf("%q is not a PHC argon2id string with m=19456,t=2,p=1", first)
		}
	})
	t.Run("OKSaltDiffers", func(t *testing.T) {
		second, err := credential.HashPassword(samplePassword)
		if err != nil {
			t.Fatal(err)
		}
		if second == first {
			t.Error("two hashes of one password are equal: no random salt")
		}
	})
	t.Run("OKRightPassword", func(t *testing.T) {
		ok, rehash, err := credential.VerifyPassword(samplePassword, first)
		if !ok || rehash || err != nil {
			t.Errorf("got ok=%v needsRehash=%v err=%v, want true false nil", ok, rehash, err)
		}
	})
	t.Run("ErrWrongPassword", func(t *testing.T) {
		for _, wrong := range []string{"蓝图-plan-2035?", "", "蓝图-PLAN-2035!"} {
			ok, rehash, err := credential.VerifyPassword(wrong, first)
			if ok || rehash || err != nil {
				t.Errorf("%q: got ok=%v needsRehash=%v err=%v, want false false nil", wrong, ok, rehash, err)
			}
		}
	})
}

// TestHashPasswordNFC: "é" typed as one code point or as e + combining
// acute accent is the same password.
func TestHashPasswordNFC(t *testing.T) {
	composed, decomposed := "caf\u00e9-蓝图-2035", "cafe\u0301-蓝图-2035"
	if composed == decomposed {
		t.Fatal("test inputs must differ byte-wise")
	}
	h, err := credential.HashPassword(composed)
	if err != nil {
		t.Fatal(err)
	}
	if ok, _, err := credential.VerifyPassword(decomposed, h); !ok || err != nil {
		t.Errorf("decomposed form refused: ok=%v err=%v", ok, err)
	}
}

// TestVerifyPasswordReferenceVectors checks against hashes made by the
// Argon2 reference implementation (phc-winner-argon2 src/test.c, argon2id
// v=19, password "password", salt "somesalt"), so that our parsing and
// x/crypto agree with other implementations. Their salt is 8 bytes and their
// memory 256 KiB, so they need rehashing.
func TestVerifyPasswordReferenceVectors(t *testing.T) {
	for _, encoded := range []string{
		"$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
		"$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc",
	} {
		ok, rehash, err := credential.VerifyPassword("password", encoded)
		if !ok || !rehash || err != nil {
			t.Errorf("%s: got ok=%v needsRehash=%v err=%v, want true true nil", encoded, ok, rehash, err)
		}
		if ok, _, err := credential.VerifyPassword("passwore", encoded); ok || err != nil {
			t.Errorf("%s: wrong password: ok=%v err=%v", encoded, ok, err)
		}
	}
}

func TestVerifyPasswordNeedsRehash(t *testing.T) {
	salt := []byte("0123456789abcdef")
	b64 := base64.RawStdEncoding
	encode := func(m, tm uint32, keyLen uint32) string {
		key := argon2.IDKey([]byte(samplePassword), salt, tm, m, 1, keyLen)
		return fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=1$%s$%s", m, tm, b64.EncodeToString(salt), b64.EncodeToString(key))
	}
	cases := []struct {
		name    string
		encoded string
		rehash  bool
	}{
		{"LessMemory", encode(4096, 2, 32), true},
		{"FewerPasses", encode(19456, 1, 32), true},
		{"ShorterKey", encode(19456, 2, 16), true},
		{"Current", encode(19456, 2, 32), false},
		{"Stronger", encode(19456, 3, 32), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ok, rehash, err := credential.VerifyPassword(samplePassword, c.encoded)
			if !ok || rehash != c.rehash || err != nil {
				t.Errorf("got ok=%v needsRehash=%v err=%v, want true %v nil", ok, rehash, err, c.rehash)
			}
		})
	}
}

func TestVerifyPasswordMalformed(t *testing.T) {
	const salt, key = "c29tZXNhbHQ", "nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4"
	cases := []struct{ name, encoded string }{
		{"Empty", ""},
		{"Prefix", "$argon2id$"},
		{"Plain", "password"},
		{"Bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
		{"Argon2i", "$argon2i$v=19$m=256,t=2,p=1$c29tZXNhbHQ$iekCn0Y3spW+sCcFanM2xBT63UP2sghkUoHLIUpWRS8"},
		{"NoVersion", "$argon2id$m=256,t=2,p=1$" + salt + "$" + key},
		{"OldVersion", "$argon2id$v=16$m=256,t=2,p=1$" + salt + "$" + key},
		{"MemoryOver1GiB", "$argon2id$v=19$m=1048577,t=2,p=1$" + salt + "$" + key},
		{"MemoryOverflow", "$argon2id$v=19$m=99999999999,t=2,p=1$" + salt + "$" + key},
		{"MemoryBelow8PerLane", "$argon2id$v=19$m=15,t=2,p=2$" + salt + "$" + key},
		{"TooMuchWork", "$argon2id$v=19$m=1048576,t=3,p=1$" + salt + "$" + key},
		{"ManyPasses", "$argon2id$v=19$m=256,t=17,p=1$" + salt + "$" + key},
		{"ZeroPasses", "$argon2id$v=19$m=256,t=0,p=1$" + salt + "$" + key},
		{"ZeroLanes", "$argon2id$v=19$m=256,t=2,p=0$" + salt + "$" + key},
		{"ManyLanes", "$argon2id$v=19$m=4096,t=2,p=255$" + salt + "$" + key},
		{"NegativeMemory", "$argon2id$v=19$m=-256,t=2,p=1$" + salt + "$" + key},
		{"ParamsOutOfOrder", "$argon2id$v=19$t=2,m=256,p=1$" + salt + "$" + key},
		{"ExtraParam", "$argon2id$v=19$m=256,t=2,p=1,x=1$" + salt + "$" + key},
		{"SpaceInParams", "$argon2id$v=19$m= 256,t=2,p=1$" + salt + "$" + key},
		{"ShortSalt", "$argon2id$v=19$m=256,t=2,p=1$c29tZQ$" + key},
		{"NoSalt", "$argon2id$v=19$m=256,t=2,p=1$$" + key},
		{"PaddedKey", "$argon2id$v=19$m=256,t=2,p=1$" + salt + "$" + key + "="},
		{"URLBase64Key", "$argon2id$v=19$m=256,t=2,p=1$" + salt + "$" + strings.ReplaceAll(key, "/", "_")},
		{"NonCanonicalSalt", "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHR$" + key},
		{"ShortKey", "$argon2id$v=19$m=256,t=2,p=1$" + salt + "$nf65EOgLrQMR"},
		{"ExtraField", "$argon2id$v=19$m=256,t=2,p=1$" + salt + "$" + key + "$"},
		{"TooLong", "$argon2id$v=19$m=256,t=2,p=1$" + strings.Repeat("A", 300) + "$" + key},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ok, rehash, err := credential.VerifyPassword("password", c.encoded)
			if ok || rehash || !errors.Is(err, credential.ErrMalformedHash) {
				t.Errorf("got ok=%v needsRehash=%v err=%v, want false false ErrMalformedHash", ok, rehash, err)
			}
			if err != nil && strings.Contains(err.Error(), key) {
				t.Errorf("error %q repeats the stored hash", err)
			}
		})
	}
}

// TestDummyVerifyDoesTheWork checks, without timing anything, that
// DummyVerify runs argon2id with the current parameters: it allocates what
// a real verification allocates (about 19 MiB), within 5 %.
func TestDummyVerifyDoesTheWork(t *testing.T) {
	h, err := credential.HashPassword(samplePassword)
	if err != nil {
		t.Fatal(err)
	}
	real := allocated(func() { _, _, _ = credential.VerifyPassword("wrong password", h) })
	dummy := allocated(func() { credential.DummyVerify("wrong password") })
	if real < 19456*1024 {
		t.Fatalf("a real verification allocated %d bytes, less than m=19456 KiB", real)
	}
	if ratio := float64(dummy) / float64(real); ratio < 0.95 || ratio > 1.05 {
		t.Errorf("DummyVerify allocated %d bytes, a real verification %d", dummy, real)
	}
}

func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func FuzzVerifyPassword(f *testing.F) {
	f.Add("password", "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4")
	f.Add("password", "$argon2id$v=19$m=8,t=1,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4")
	f.Add("", "")
	f.Add("x", "$argon2id$v=19$m=,t=,p=$$")
	f.Add("x", "$$$$$$")
	f.Add("x", "$argon2id$v=19$m=4294967295,t=4294967295,p=255$c29tZXNhbHQ$c29tZXNhbHQ")
	f.Fuzz(func(t *testing.T, pw, encoded string) {
		ok, rehash, err := credential.VerifyPassword(pw, encoded)
		if err != nil && (ok || rehash) {
			t.Errorf("ok=%v needsRehash=%v together with error %v", ok, rehash, err)
		}
		if !ok && rehash {
			t.Error("needsRehash without a match")
		}
	})
}

func BenchmarkHashPassword(b *testing.B) {
	for b.Loop() {
		if _, err := credential.HashPassword(samplePassword); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyPassword(b *testing.B) {
	h, err := credential.HashPassword(samplePassword)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		_, _, _ = credential.VerifyPassword("wrong password", h)
	}
}

func BenchmarkDummyVerify(b *testing.B) {
	for b.Loop() {
		credential.DummyVerify("wrong password")
	}
}
