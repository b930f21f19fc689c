package scheduler_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lantu/lantu/scheduler"
	"github.com/lantu/lantu/storage"
	"github.com/lantu/lantu/storage/storagetest"
)

// twoServers opens the same database twice, as two servers would.
func twoServers(t *testing.T, engine string) [2]*storage.DB {
	t.Helper()
	cfg := storage.Config{DataDir: t.TempDir()}
	if engine == "postgres" {
		cfg = storage.Config{URL: storagetest.PostgresSchemaURL(t)}
	}
	var dbs [2]*storage.DB
	for i := range dbs {
		db, err := storage.Open(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = db.Close() })
		if err := db.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		dbs[i] = db
	}
	return dbs
}

// Two servers tick at once over many slots: every slot runs exactly once.
// A failed run is retried at the next tick, by either server.
func TestTwoServersRunEachSlotOnce(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			if engine == "postgres" && storagetest.PostgresURL(t) == "" {
				t.Skip("set LANTU_TEST_POSTGRES")
			}
			dbs := twoServers(t, engine)
			var mu sync.Mutex
			runs := map[string]int{}
			var slotNow atomic.Int64 // the slot both servers see as current
			failOnce := map[string]bool{"7": true}
			job := scheduler.Job{Name: "count", Lease: time.Minute,
				Slot: func(time.Time) string { return string(rune('0' + slotNow.Load())) },
				Run: func(_ context.Context, _ time.Time, slot string) (string, error) {
					mu.Lock()
					defer mu.Unlock()
					runs[slot]++
					if failOnce[slot] {
						delete(failOnce, slot)
						return "", errors.New("boom")
					}
					return "ok", nil
				}}
			var servers [2]*scheduler.Scheduler
			for i, db := range dbs {
				servers[i] = &scheduler.Scheduler{DB: db, Node: []string{"a", "b"}[i], Jobs: []scheduler.Job{job}, Now: time.Now}
			}
			for slot := range 10 {
				slotNow.Store(int64(slot))
				for range 3 { // several ticks per slot
					var wg sync.WaitGroup
					for _, s := range servers {
						wg.Go(func() { s.RunDue(context.Background()) })
					}
					wg.Wait()
				}
			}
			for slot := range 10 {
				want := 1
				if slot == 7 {
					want = 2 // failed, then retried
				}
				if got := runs[string(rune('0'+slot))]; got != want {
					t.Errorf("slot %d ran %d times, want %d", slot, got, want)
				}
			}
			list, err := dbs[0].JobRuns(context.Background(), 100)
			if err != nil || len(list) != 10 {
				t.Fatalf("job runs = %d, %v", len(list), err)
			}
			for _, r := range list {
				if r.Status != "done" {
					t.Errorf("run %s/%s ended %s (%s)", r.Job, r.Slot, r.Status, r.Detail)
				}
			}
		})
	}
}
