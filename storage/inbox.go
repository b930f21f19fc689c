package storage

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/audit"
)

// Notification is an item of a user's in-app inbox.
type Notification struct {
	ID               int64
	UserID           int64
	At               time.Time
	Kind             string // e.g. order_assigned, report_due, light_changed, bulletin
	TitleZH, TitleEN string
	BodyZH, BodyEN   string
	Link             string    // a path inside Lantu
	Ref              string    // what it is about, unique per user: the same reminder is not put twice
	ReadAt           time.Time // zero while unread
}

const notificationColumns = `id, user_id, at, kind, title_zh, title_en, body_zh, body_en, link, ref, read_at`

func scanNotification(r scanner) (Notification, error) {
	var n Notification
	var at, read string
	if err := r.Scan(&n.ID, &n.UserID, &at, &n.Kind, &n.TitleZH, &n.TitleEN, &n.BodyZH, &n.BodyEN, &n.Link, &n.Ref, &read); err != nil {
		return n, err
	}
	var err error
	if n.At, err = parseTime(at); err != nil {
		return n, err
	}
	n.ReadAt, err = parseTime(read)
	return n, err
}

// Notify puts n in its user's inbox and queues its delivery on the user's
// and department's active channels, unless the user already has an item
// with the same Ref; it reports whether it added one.
func (tx *Tx) Notify(ctx context.Context, n Notification) (bool, error) {
	if n.UserID == 0 || n.TitleZH == "" || n.Ref == "" || n.Kind == "" {
		return false, apperr.Invalidf("通知缺少收件人、标题或类别", "a notification needs a user, a title and a kind")
	}
	var exists int
	if err := tx.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND ref = $2`, n.UserID, n.Ref).Scan(&exists); err != nil {
		return false, fmt.Errorf("storage: notify: %w", err)
	}
	if exists > 0 {
		return false, nil
	}
	n.At = tx.now
	id, err := tx.insert(ctx, "notification", func(id int64) (string, any) { n.ID = id; return strconv.FormatInt(id, 10), n },
		`INSERT INTO notifications (user_id, at, kind, title_zh, title_en, body_zh, body_en, link, ref) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		n.UserID, formatTime(n.At), n.Kind, n.TitleZH, n.TitleEN, n.BodyZH, n.BodyEN, n.Link, n.Ref)
	if err != nil {
		return false, err
	}
	// One delivery per active channel of the user or of the user's department.
	_, err = tx.tx.ExecContext(ctx, `INSERT INTO deliveries (notification_id, channel_id, next_at)
SELECT $1, c.id, $2 FROM notify_channels c WHERE c.active AND (c.user_id = $3 OR c.dept = (SELECT department FROM users WHERE id = $3))`,
		id, formatTime(tx.now), n.UserID)
	if err != nil {
		return false, fmt.Errorf("storage: notify: deliveries: %w", err)
	}
	return true, nil
}

// Inbox returns a user's notifications, newest first, at most limit.
func (db *DB) Inbox(ctx context.Context, userID int64, unreadOnly bool, limit int) ([]Notification, error) {
	if limit <= 0 {
		limit = 100
	}
	query := `SELECT ` + notificationColumns + ` FROM notifications WHERE user_id = $1`
	if unreadOnly {
		query += ` AND read_at = ''`
	}
	rows, err := db.read.QueryContext(ctx, query+` ORDER BY id DESC LIMIT $2`, userID, limit)
	if err != nil {
		return nil, fmt.Errorf("storage: inbox: %w", err)
	}
	defer rows.Close()
	var out []Notification
	for rows.Next() {
		n, err := scanNotification(rows)
		if err != nil {
			return nil, fmt.Errorf("storage: inbox: %w", err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// UnreadCount returns how many of a user's notifications are unread.
func (db *DB) UnreadCount(ctx context.Context, userID int64) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at = ''`, userID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("storage: unread count: %w", err)
	}
	return n, nil
}

// MarkRead marks a user's notification read (id 0: all of them). Reading
// one's inbox is no one's decision and changes nothing of the work, so,
// like a session's liveness, it is not audited.
func (db *DB) MarkRead(ctx context.Context, userID, id int64, at time.Time) error {
	query, args := `UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at = ''`, []any{formatTime(at), userID}
	if id != 0 {
		query, args = query+` AND id = $3`, append(args, id)
	}
	if _, err := db.write.ExecContext(ctx, query, args...); err != nil {
		return fmt.Errorf("storage: mark read: %w", err)
	}
	return nil
}

// Channel is where notifications also go outside the app.
type Channel struct {
	ID      int64
	Channel string // email, wecom, dingtalk
	Target  string // an address or a webhook URL
	Secret  string // DingTalk's signing secret
	Dept    string // a department's group robot, or
	UserID  int64  // a user's own address
	Active  bool
	Note    string
}

// PutChannel adds a channel (c.ID 0) or changes one.
func (tx *Tx) PutChannel(ctx context.Context, c Channel) (int64, error) {
	if c.Channel == "" || c.Target == "" || (c.Dept == "") == (c.UserID == 0) {
		return 0, apperr.Invalidf("通知渠道需要类型、地址，以及一个部门或一个用户", "a channel needs a kind, a target, and either a department or a user")
	}
	dept, user := nullString(c.Dept), nullInt(c.UserID)
	if c.ID == 0 {
		return tx.insert(ctx, "notify_channel", func(id int64) (string, any) {
			c.ID = id
			c.Secret = redacted(c.Secret)
			return strconv.FormatInt(id, 10), c
		},
			`INSERT INTO notify_channels (channel, target, secret, dept, user_id, active, note) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			c.Channel, c.Target, c.Secret, dept, user, c.Active, c.Note)
	}
	before, err := channelByID(ctx, tx.tx, c.ID)
	if err != nil {
		return 0, err
	}
	before.Secret = redacted(before.Secret)
	after := c
	after.Secret = redacted(c.Secret)
	return c.ID, tx.change(ctx, "notify_channel", strconv.FormatInt(c.ID, 10), before, after,
		`UPDATE notify_channels SET channel = $1, target = $2, secret = $3, dept = $4, user_id = $5, active = $6, note = $7 WHERE id = $8`,
		c.Channel, c.Target, c.Secret, dept, user, c.Active, c.Note, c.ID)
}

// redacted keeps a secret out of the audit trail.
func redacted(s string) string {
	if s == "" {
		return ""
	}
	return "(已设置 set)"
}

func nullInt(i int64) any {
	if i == 0 {
		return nil
	}
	return i
}

const channelColumns = `id, channel, target, secret, COALESCE(dept, ''), COALESCE(user_id, 0), active, note`

func scanChannel(r scanner) (Channel, error) {
	var c Channel
	err := r.Scan(&c.ID, &c.Channel, &c.Target, &c.Secret, &c.Dept, &c.UserID, &c.Active, &c.Note)
	return c, err
}

func channelByID(ctx context.Context, q queryer, id int64) (Channel, error) {
	c, err := scanChannel(q.QueryRowContext(ctx, `SELECT `+channelColumns+` FROM notify_channels WHERE id = $1`, id))
	if err != nil {
		return c, apperr.NotFoundf("通知渠道 %d 不存在", "channel %d not found", id)
	}
	return c, nil
}

// Channels returns every channel.
func (db *DB) Channels(ctx context.Context) ([]Channel, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+channelColumns+` FROM notify_channels ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("storage: channels: %w", err)
	}
	defer rows.Close()
	var out []Channel
	for rows.Next() {
		c, err := scanChannel(rows)
		if err != nil {
			return nil, fmt.Errorf("storage: channels: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Delivery is a notification on its way out through a channel.
type Delivery struct {
	ID           int64
	Notification Notification
	Channel      Channel
	Attempts     int
	NextAt       time.Time
	LastError    string
	SentAt       time.Time
	GivenUpAt    time.Time
}

// DueDeliveries returns the deliveries to try at now: not sent, not given
// up, and due.
func (db *DB) DueDeliveries(ctx context.Context, now time.Time, limit int) ([]Delivery, error) {
	return db.deliveries(ctx, `d.sent_at = '' AND d.given_up_at = '' AND d.next_at <= $1 ORDER BY d.next_at LIMIT $2`, formatTime(now), limit)
}

// FailedDeliveries returns the deliveries that failed at least once, newest
// first: what the administrator sees.
func (db *DB) FailedDeliveries(ctx context.Context, limit int) ([]Delivery, error) {
	return db.deliveries(ctx, `d.last_error <> '' ORDER BY d.id DESC LIMIT $1`, limit)
}

func (db *DB) deliveries(ctx context.Context, where string, args ...any) ([]Delivery, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT d.id, d.attempts, d.next_at, d.last_error, d.sent_at, d.given_up_at,
n.id, n.user_id, n.at, n.kind, n.title_zh, n.title_en, n.body_zh, n.body_en, n.link, n.ref, n.read_at,
c.id, c.channel, c.target, c.secret, COALESCE(c.dept, ''), COALESCE(c.user_id, 0), c.active, c.note
FROM deliveries d JOIN notifications n ON n.id = d.notification_id JOIN notify_channels c ON c.id = d.channel_id WHERE `+where, args...) // #nosec G202 -- fixed clauses and $n placeholders only
	if err != nil {
		return nil, fmt.Errorf("storage: deliveries: %w", err)
	}
	defer rows.Close()
	var out []Delivery
	for rows.Next() {
		var d Delivery
		var next, sent, gaveUp, at, read string
		n, c := &d.Notification, &d.Channel
		if err := rows.Scan(&d.ID, &d.Attempts, &next, &d.LastError, &sent, &gaveUp,
			&n.ID, &n.UserID, &at, &n.Kind, &n.TitleZH, &n.TitleEN, &n.BodyZH, &n.BodyEN, &n.Link, &n.Ref, &read,
			&c.ID, &c.Channel, &c.Target, &c.Secret, &c.Dept, &c.UserID, &c.Active, &c.Note); err != nil {
			return nil, fmt.Errorf("storage: deliveries: %w", err)
		}
		for _, p := range []struct {
			s string
			t *time.Time
		}{{next, &d.NextAt}, {sent, &d.SentAt}, {gaveUp, &d.GivenUpAt}, {at, &n.At}, {read, &n.ReadAt}} {
			if *p.t, err = parseTime(p.s); err != nil {
				return nil, fmt.Errorf("storage: deliveries: %w", err)
			}
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// DeliveryOutcome is what one attempt at a delivery gave.
type DeliveryOutcome struct {
	Sent   bool
	Err    string    // the failure, if not sent
	NextAt time.Time // when to try again; zero to give up
}

// RecordDelivery records an attempt and its outcome, with its audit row.
func (tx *Tx) RecordDelivery(ctx context.Context, id int64, o DeliveryOutcome) error {
	var err error
	switch {
	case o.Sent:
		_, err = tx.tx.ExecContext(ctx, `UPDATE deliveries SET attempts = attempts + 1, sent_at = $1, last_error = '' WHERE id = $2`, formatTime(tx.now), id)
	case o.NextAt.IsZero():
		_, err = tx.tx.ExecContext(ctx, `UPDATE deliveries SET attempts = attempts + 1, given_up_at = $1, last_error = $2 WHERE id = $3`, formatTime(tx.now), o.Err, id)
	default:
		_, err = tx.tx.ExecContext(ctx, `UPDATE deliveries SET attempts = attempts + 1, next_at = $1, last_error = $2 WHERE id = $3`, formatTime(o.NextAt), o.Err, id)
	}
	if err != nil {
		return fmt.Errorf("storage: delivery %d: %w", id, err)
	}
	return tx.RecordEvent(ctx, audit.Update, "delivery", strconv.FormatInt(id, 10), o)
}
