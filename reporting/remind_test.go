package reporting_test

import (
	"testing"
	"time"

	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/auth"
	"github.com/lantu/lantu/indicator"
	"github.com/lantu/lantu/storage"
	"github.com/lantu/lantu/storage/storagetest"
)

// Three working days before the due date (Fri 2022-01-14), a department
// with figures still to send is reminded in its reporters' inboxes, once a
// day; four days before, or once it has sent everything, it is not.
func TestRemindBeforeTheDueDate(t *testing.T) {
	storagetest.Each(t, nil, func(t *testing.T, db *storage.DB) {
		now := time.Date(2022, 1, 10, 9, 0, 0, 0, indicator.Beijing)
		svc := setup(t, db, &now)
		var uid int64
		err := db.Write(ctx, audit.Actor{Name: "test"}, func(tx *storage.Tx) (err error) {
			uid, err = tx.CreateUser(ctx, auth.User{Name: "ly1", DisplayName: "林业填报员", Role: auth.Reporter, Department: "forestry", PasswordHash: "x"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		inbox := func() int {
			t.Helper()
			n, err := db.UnreadCount(ctx, uid)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		// Mon 10 January: 11, 12, 13, 14 are 4 working days: too early.
		if n, err := svc.Remind(ctx, now); err != nil || n != 0 || inbox() != 0 {
			t.Fatalf("four working days before: %d reminders, %v", n, err)
		}
		// Tue 11 January: 12, 13, 14 — three: reminded, once.
		now = time.Date(2022, 1, 11, 8, 0, 0, 0, indicator.Beijing)
		for i, want := range []int{1, 0} {
			if n, err := svc.Remind(ctx, now); err != nil || inbox() != 1 {
				t.Fatalf("call %d on the 11th: %d reminders, inbox %d, %v", i+1, n, inbox(), err)
			} else if n != want {
				t.Errorf("call %d on the 11th: %d reminders, want %d", i+1, n, want)
			}
		}
		items, _ := db.Inbox(ctx, uid, false, 10)
		if len(items) != 1 || items[0].TitleZH == "" || items[0].Link == "" {
			t.Errorf("the reminder: %+v", items)
		}
	})
}
