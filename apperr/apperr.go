// Package apperr is Lantu's one error type: a code that maps to an HTTP
// status and a message fit to show a user, in Chinese first and English.
// Anything that is not an *Error reaches the user as "Internal error" and
// is logged in full.
package apperr

import (
	"errors"
	"fmt"
)

// Codes. Kept few so that every layer can map them without a table.
const (
	Invalid   = "invalid"   // the user's input is wrong
	NotFound  = "not_found" // the object does not exist (or may not be seen)
	Conflict  = "conflict"  // the object changed or exists already
	Forbidden = "forbidden" // the actor may not do this
	// Unauthenticated means nobody (valid) is signed in.
	Unauthenticated = "unauthenticated"
	// TooMany means the request must wait: a throttle holds it back.
	TooMany  = "too_many"
	Internal = "internal" // our fault; message is generic
)

// Error is an application error whose message may be shown to a user.
type Error struct {
	Code string
	ZH   string // message in Chinese
	EN   string // message in English
}

func (e *Error) Error() string {
	if e.EN == "" || e.EN == e.ZH {
		return e.ZH
	}
	return e.ZH + " (" + e.EN + ")"
}

// New returns an *Error with the given code and messages.
func New(code, zh, en string) *Error { return &Error{Code: code, ZH: zh, EN: en} }

// Invalidf is a shortcut for the most common error: bad input. The same
// format arguments are used for both languages.
func Invalidf(zhFormat, enFormat string, args ...any) *Error {
	return &Error{Code: Invalid, ZH: fmt.Sprintf(zhFormat, args...), EN: fmt.Sprintf(enFormat, args...)}
}

// NotFoundf reports a missing object, naming it.
func NotFoundf(zhFormat, enFormat string, args ...any) *Error {
	return &Error{Code: NotFound, ZH: fmt.Sprintf(zhFormat, args...), EN: fmt.Sprintf(enFormat, args...)}
}

// Conflictf reports a conflicting change, naming the object.
func Conflictf(zhFormat, enFormat string, args ...any) *Error {
	return &Error{Code: Conflict, ZH: fmt.Sprintf(zhFormat, args...), EN: fmt.Sprintf(enFormat, args...)}
}

// Code returns the code of the first *Error in err's chain, or Internal.
func Code(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// Message returns the user-facing message of err in the language lang
// ("zh" or "en"). Errors that are not *Error get a generic message, so
// internal details never reach a user.
func Message(err error, lang string) string {
	var e *Error
	if !errors.As(err, &e) || e.Code == Internal {
		if lang == "en" {
			return "Internal error"
		}
		return "内部错误"
	}
	if lang == "en" && e.EN != "" {
		return e.EN
	}
	return e.ZH
}

// Wrap annotates *errp with the operation that failed, keeping the chain so
// that Code and Message still find an *Error inside. Use with defer:
//
//	defer apperr.Wrap(&err, "storage.Goal(%q)", code)
func Wrap(errp *error, format string, args ...any) {
	if *errp != nil {
		*errp = fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), *errp)
	}
}
