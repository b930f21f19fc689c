// Package credential holds the cryptographic pieces of signing in: the
// password policy and password hashes, random session and API tokens, TOTP
// second factors and recovery codes (OWASP ASVS 5.0 chapter V6).
//
// Everything here is a pure function of its arguments and crypto/rand: no
// database, no HTTP and no clock (callers pass the time in). Counting failed
// attempts and locking out (ASVS 6.3.1) is the caller's job, as is deleting a
// recovery code once used and storing the TOTP step that was accepted.
//
// Errors meant for users are *apperr.Error with code apperr.Invalid; any
// other error (a corrupted stored hash, a failing random source) is ours and
// reaches the user as an internal error.
package credential
