package cases_test

import (
	"testing"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/cases"
)

// A suggestion's answer may be published only with the deputy's consent,
// which the office records — at any time, and may record withdrawn; a
// petition's answer is never published.
func TestConsentToPublish(t *testing.T) {
	c := register(t, cases.NPCSuggestion(), "", npcOffice, "2024-03-08 09:00")
	if c.PublishConsent {
		t.Fatal("consent without anyone giving it")
	}
	try(t, c, cases.Action{Kind: cases.Consent, Accept: true}, lead, "2024-03-08 10:00", apperr.Forbidden)
	try(t, c, cases.Action{Kind: cases.Consent, Accept: false}, npcOffice, "2024-03-08 10:00", apperr.Conflict, "未记录同意公开答复")
	c, e := step(t, c, cases.Action{Kind: cases.Consent, Accept: true}, npcOffice, "2024-03-08 10:00")
	if !c.PublishConsent || !e.Accepted || c.State != cases.Registered {
		t.Errorf("consent recorded: %v, event %v, %s", c.PublishConsent, e.Accepted, c.State)
	}
	try(t, c, cases.Action{Kind: cases.Consent, Accept: true}, npcOffice, "2024-03-08 11:00", apperr.Conflict, "已记录同意公开答复")
	c, e = step(t, c, cases.Action{Kind: cases.Consent, Accept: false}, npcOffice, "2024-03-09 10:00")
	if c.PublishConsent || e.Accepted {
		t.Errorf("consent withdrawn: %v, event %v", c.PublishConsent, e.Accepted)
	}

	// Registered with consent: only where the type publishes answers.
	if r, _, err := cases.Register(cases.Case{Number: "建议〔2024〕9号", Type: cases.CPPCCProposal(), Title: "提案", PublishConsent: true},
		npcOffice, at("2024-03-08 09:00")); err != nil || !r.PublishConsent {
		t.Errorf("a proposal registered with consent: %v, %v", r.PublishConsent, err)
	}
	_, _, err := cases.Register(cases.Case{Number: "信访〔2024〕9号", Type: cases.Petition(), Title: "信访", PublishConsent: true},
		bureau, at("2024-03-08 09:00"))
	if apperr.Code(err) != apperr.Invalid {
		t.Errorf("a petition registered with consent: %v, want invalid", err)
	}
	p := register(t, cases.Petition(), "", bureau, "2024-03-08 09:00")
	try(t, p, cases.Action{Kind: cases.Consent, Accept: true}, bureau, "2024-03-08 10:00", apperr.Conflict, "不设")
}
