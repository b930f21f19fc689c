package credential

import (
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"
)

// Argon2id parameters for new hashes: the OWASP Password Storage Cheat
// Sheet's first configuration (19 MiB, 2 passes, 1 lane). They may be raised
// here at any time: every stored hash carries its own parameters, and
// VerifyPassword reports needsRehash for hashes made with weaker ones, so
// they are upgraded at each user's next sign-in.
const (
	argonMemoryKiB = 19456
	argonTime      = 2
	argonThreads   = 1
	argonSaltLen   = 16
	argonKeyLen    = 32
)

// Bounds on the parameters read from a stored hash. A corrupted or planted
// row must not make one sign-in allocate gigabytes or run for minutes.
const (
	maxArgonMemoryKiB = 1 << 20 // 1 GiB
	maxArgonTime      = 16
	maxArgonThreads   = 16
	maxArgonWork      = 2 << 20 // KiB × passes: 1 GiB twice, some 50 times the current cost
	minArgonSaltLen   = 8       // the PHC string format's minimum
	maxArgonSaltLen   = 64
	minArgonKeyLen    = 16
	maxArgonKeyLen    = 64
	maxEncodedLen     = 256 // the longest within the bounds above is 208
)

// ErrMalformedHash is returned by VerifyPassword for a stored string that is
// not an argon2id hash this package accepts. It means the stored data is
// wrong, not the user's input.
var ErrMalformedHash = errors.New("credential: malformed password hash")

// phcHash is an argon2id hash in the parts of its PHC string,
// $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<key>, where salt and
// key are in standard base64 without padding.
type phcHash struct {
	memory  uint32
	time    uint32
	threads uint8
	salt    []byte
	key     []byte
}

// HashPassword returns the argon2id hash of the NFC form of pw as a PHC
// string, with a fresh random salt.
func HashPassword(pw string) (string, error) {
	salt, err := randomBytes(argonSaltLen)
	if err != nil {
		return "", fmt.Errorf("credential.HashPassword: %w", err)
	}
	h := phcHash{memory: argonMemoryKiB, time: argonTime, threads: argonThreads, salt: salt}
	h.key = h.derive(pw, argonKeyLen)
	return h.String(), nil
}

// VerifyPassword reports whether pw matches the stored hash encoded, in
// constant time. needsRehash is true when pw matches and the stored hash was
// made with parameters weaker than the current ones: the caller should then
// store HashPassword(pw). err is ErrMalformedHash (wrapped) if encoded cannot
// be used; a wrong password is ok == false with a nil error.
func VerifyPassword(pw, encoded string) (ok bool, needsRehash bool, err error) {
	h, err := parsePHC(encoded)
	if err != nil {
		return false, false, err
	}
	got := h.derive(pw, uint32(len(h.key))) // #nosec G115 -- parsePHC bounds the key to 64 bytes
	if subtle.ConstantTimeCompare(got, h.key) != 1 {
		return false, false, nil
	}
	return true, h.weakerThanCurrent(), nil
}

// DummyVerify does the work of VerifyPassword against a hash with the
// current parameters and throws the result away. Call it when no user has
// the name given, so that a failed sign-in takes as long whether or not the
// account exists and its timing does not reveal user names.
func DummyVerify(pw string) {
	dummy := phcHash{
		memory: argonMemoryKiB, time: argonTime, threads: argonThreads,
		salt: make([]byte, argonSaltLen), key: make([]byte, argonKeyLen),
	}
	// Going through the string and VerifyPassword keeps the cost identical,
	// parsing included.
	_, _, _ = VerifyPassword(pw, dummy.String())
}

func (h phcHash) derive(pw string, keyLen uint32) []byte {
	return argon2.IDKey([]byte(norm.NFC.String(pw)), h.salt, h.time, h.memory, h.threads, keyLen)
}

func (h phcHash) weakerThanCurrent() bool {
	return h.memory < argonMemoryKiB || h.time < argonTime ||
		len(h.salt) < argonSaltLen || len(h.key) < argonKeyLen
}

func (h phcHash) String() string {
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, h.memory, h.time, h.threads, b64.EncodeToString(h.salt), b64.EncodeToString(h.key))
}

func parsePHC(s string) (phcHash, error) {
	var h phcHash
	if len(s) > maxEncodedLen {
		return h, malformed("too long")
	}
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" {
		return h, malformed("not a PHC string")
	}
	if parts[1] != "argon2id" {
		return h, malformed("not argon2id")
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return h, malformed("unsupported version")
	}
	if err := h.parseParams(parts[3]); err != nil {
		return h, err
	}
	// Strict: only the canonical encoding, so one hash has one spelling.
	b64 := base64.RawStdEncoding.Strict()
	var err error
	if h.salt, err = b64.DecodeString(parts[4]); err != nil || len(h.salt) < minArgonSaltLen || len(h.salt) > maxArgonSaltLen {
		return h, malformed("bad salt")
	}
	if h.key, err = b64.DecodeString(parts[5]); err != nil || len(h.key) < minArgonKeyLen || len(h.key) > maxArgonKeyLen {
		return h, malformed("bad key")
	}
	return h, nil
}

// parseParams reads "m=19456,t=2,p=1", in that order as the PHC format
// requires, and refuses values outside the bounds.
func (h *phcHash) parseParams(s string) error {
	fields := strings.Split(s, ",")
	if len(fields) != 3 {
		return malformed("bad parameters")
	}
	m, okM := paramValue(fields[0], "m=", maxArgonMemoryKiB)
	t, okT := paramValue(fields[1], "t=", maxArgonTime)
	p, okP := paramValue(fields[2], "p=", maxArgonThreads)
	if !okM || !okT || !okP {
		return malformed("bad parameters")
	}
	// Argon2 needs at least 8 KiB per lane; x/crypto would silently raise a
	// smaller value, giving a hash no other implementation reproduces.
	if t < 1 || p < 1 || m < 8*p || m*t > maxArgonWork {
		return malformed("parameters out of range")
	}
	h.memory, h.time, h.threads = uint32(m), uint32(t), uint8(p) // #nosec G115 -- bounded by paramValue
	return nil
}

// paramValue reads the number in a field such as "m=19456", up to max.
func paramValue(field, prefix string, max uint64) (uint64, bool) {
	digits, ok := strings.CutPrefix(field, prefix)
	if !ok {
		return 0, false
	}
	v, err := strconv.ParseUint(digits, 10, 32)
	return v, err == nil && v <= max
}

// malformed names what is wrong but never repeats the stored string, which
// is secret.
func malformed(why string) error {
	return fmt.Errorf("%w: %s", ErrMalformedHash, why)
}
