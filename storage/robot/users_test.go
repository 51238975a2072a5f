package robot_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/warren-wiki/warren/storage/internal/storetest"
	"github.com/warren-wiki/warren/storage/robot"
	"github.com/warren-wiki/warren/wiki"
)

func mustFindUser(tb testing.TB, r *robot.Robot, login string) *wiki.User {
	tb.Helper()
	u, err := r.FindUser(context.Background(), login)
	if err != nil {
		tb.Fatalf("FindUser %s: %v", login, err)
	}
	return u
}

// TestSeeUserWritesOnlyWhenStale checks that repeated sightings within
// SeenInterval do not write robot.db (last_seen stays put although the clock
// moved), that a stale sighting or a new e-mail does, and that first_seen
// never moves.
func TestSeeUserWritesOnlyWhenStale(t *testing.T) {
	r, clock, _ := MustOpenRobot(t)
	ctx := context.Background()
	start := clock.Now()
	see := func(c *wiki.Caller) {
		t.Helper()
		if err := r.SeeUser(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	see(&wiki.Caller{Login: "alice", Email: "a@example.org", Name: "Alice"})
	u := mustFindUser(t, r, "alice")
	if !u.FirstSeen.Equal(start) || !u.LastSeen.Equal(start) || u.Email != "a@example.org" || u.Name != "Alice" {
		t.Fatalf("first sighting stored as %+v", u)
	}

	clock.Advance(time.Minute)
	see(&wiki.Caller{Login: "alice", Email: "a@example.org", Name: "Alice"})
	if u := mustFindUser(t, r, "alice"); !u.LastSeen.Equal(start) {
		t.Fatalf("second sighting within %s wrote last_seen = %s", robot.SeenInterval, u.LastSeen)
	}

	clock.Advance(robot.SeenInterval)
	see(&wiki.Caller{Login: "alice"}) // no e-mail or name: keep the known ones
	u = mustFindUser(t, r, "alice")
	if !u.LastSeen.Equal(clock.Now()) || !u.FirstSeen.Equal(start) || u.Email != "a@example.org" || u.Name != "Alice" {
		t.Fatalf("stale sighting stored as %+v", u)
	}

	clock.Advance(time.Second)
	see(&wiki.Caller{Login: "alice", Email: "alice@new.example.org"})
	if u := mustFindUser(t, r, "alice"); u.Email != "alice@new.example.org" || u.Name != "Alice" {
		t.Fatalf("new e-mail not recorded at once: %+v", u)
	}
}

func TestSeeUserIgnoresAnonymous(t *testing.T) {
	r, _, _ := MustOpenRobot(t)
	if err := r.SeeUser(context.Background(), &wiki.Caller{}); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, r, "users"); n != 0 {
		t.Fatalf("anonymous caller recorded (%d rows)", n)
	}
	_, err := r.FindUser(context.Background(), "nobody")
	storetest.WantCode(t, err, wiki.ENOTFOUND)
}

// TestSeeUserConcurrent has many requests by the same users arrive at once;
// run with -race it also checks the throttle's locking.
func TestSeeUserConcurrent(t *testing.T) {
	r, _, _ := MustOpenRobot(t)
	var wg sync.WaitGroup
	for i := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			login := []string{"ann", "ben", "cid", "dee"}[i%4]
			if err := r.SeeUser(context.Background(), &wiki.Caller{Login: login}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := countRows(t, r, "users"); n != 4 {
		t.Fatalf("users = %d, want 4", n)
	}
}
