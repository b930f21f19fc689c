// Package audit describes the audit trail: who changed what, when, from
// what to what, and why. Storage writes an Entry in the same transaction as
// every change it makes.
package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"
)

// Action is the kind of change.
type Action string

const (
	Create Action = "create"
	Update Action = "update"
	Delete Action = "delete"
	Import Action = "import" // many objects created or updated at once, in one row

	// Events: things that happened without a change of data.
	SignIn          Action = "sign_in"           // a session began (past every factor)
	SignInPassword  Action = "sign_in_password"  // the password was right; a second factor is due
	SignInFailed    Action = "sign_in_failed"    // a wrong password, code or recovery code
	SignInThrottled Action = "sign_in_throttled" // an attempt refused by the throttle
	SignOut         Action = "sign_out"
	Refused         Action = "refused"  // a request the actor had no permission for
	Download        Action = "download" // a file of data left the system
	Export          Action = "export"   // a whole dataset left the system
)

// Entry is one row of the audit trail.
type Entry struct {
	ID         int64
	At         time.Time // UTC
	Actor      string    // a user name, or "system:…" for the program itself
	Action     Action
	ObjectType string // e.g. "indicator", "value"
	ObjectID   string // e.g. "forest_cover" or "forest_cover/gujiao/2020"
	Before     json.RawMessage
	After      json.RawMessage
	Reason     string
	IP         string // the client's address, for requests
	PrevHash   string // Hash of the row before; "" for the first
	Hash       string // ComputeHash of this row
}

// TimeFormat is how At is written in the chain and the database: fixed
// width, so that it sorts as text and hashes the same everywhere.
const TimeFormat = "2006-01-02T15:04:05.000000Z"

// ComputeHash is the SHA-256 of the row's content and the previous row's
// hash, so that changing, removing or reordering any row changes every
// hash after it.
func (e Entry) ComputeHash() string {
	content, _ := json.Marshal([]any{e.ID, e.At.UTC().Format(TimeFormat), e.Actor, string(e.Action), e.ObjectType, e.ObjectID,
		string(e.Before), string(e.After), e.Reason, e.IP, e.PrevHash})
	sum := sha256.Sum256(content)
	return hex.EncodeToString(sum[:])
}

// Actor is who is acting and why; every write is made on someone's behalf.
type Actor struct {
	Name   string
	Reason string
	IP     string // the client's address, when acting on a request
}
