// Package audit describes the audit trail: who changed what, when, from
// what to what, and why. Storage writes an Entry in the same transaction as
// every change it makes.
package audit

import (
	"encoding/json"
	"time"
)

// Action is the kind of change.
type Action string

const (
	Create Action = "create"
	Update Action = "update"
	Delete Action = "delete"
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
}

// Actor is who is acting and why; every write is made on someone's behalf.
type Actor struct {
	Name   string
	Reason string
}
