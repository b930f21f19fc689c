// Package notify delivers notifications outside the app: by e-mail over
// SMTP, and to the group robots of WeCom (企业微信) and DingTalk (钉钉).
//
// Lantu's in-app inbox is the record; these senders only carry a copy out.
// Sending must never hold up the workflow, so nothing here is called from a
// request: storage keeps an outbox of deliveries, and a scheduler job calls
// a Sender for each, asks Retryable about a failure and waits Backoff before
// the next attempt, up to MaxAttempts. Delivery is therefore at least once: a
// timeout after the server took the message leads to a second copy, which is
// better for a deadline reminder than none.
//
// There is no database and no global state here. Each sender is a struct
// whose fields main sets (the SMTP account, the *http.Client, the clock); a
// zero field gets a safe default.
//
// Errors that the person who configured a target can fix (a malformed
// address, a webhook that is not https) are *apperr.Error with code
// apperr.Invalid and are never retried. Errors from the far side are
// *RobotError, *HTTPError or the SMTP server's *textproto.Error, wrapped with
// the operation; none of them contains a webhook's key or token.
package notify
