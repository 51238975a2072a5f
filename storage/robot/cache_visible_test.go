package robot_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/warren-wiki/warren/wiki"
)

// WikiAndRole answers what FindWiki and Role answer, for every kind of
// caller (its answers to changes made elsewhere are checked in
// TestCachedRoleSeesChangesFromAnotherProcess).
func TestWikiAndRoleAnswersAsFindWikiAndRole(t *testing.T) {
	ctx := context.Background()
	server, _, _ := MustOpenRobot(t)
	addWikiRow(t, server, "acme", "olivia", wiki.Private)
	mustGrant(t, server, "acme", "alice", wiki.RoleEditor)
	for _, c := range []struct {
		name string
		who  *wiki.Caller
		want wiki.Role
	}{{"owner", &wiki.Caller{Login: "olivia"}, wiki.RoleAdmin}, {"grantee", &wiki.Caller{Login: "alice"}, wiki.RoleEditor},
		{"stranger", &wiki.Caller{Login: "mallory"}, wiki.RoleNone}, {"anonymous", &wiki.Caller{}, wiki.RoleNone}} {
		w, got, err := server.WikiAndRole(ctx, "acme", c.who)
		if err != nil || got != c.want || w.Slug != "acme" {
			t.Errorf("%s: %v %v %v, want %v", c.name, w, got, err, c.want)
		}
		if _, want, _ := findThenRole(server)(ctx, "acme", c.who); want != got {
			t.Errorf("%s: WikiAndRole says %v, FindWiki and Role %v", c.name, got, want)
		}
	}
}

// Concurrent requests share data_version checks, but a request is never
// answered by a check that started before it: readers hammering the cache
// while another process grants and revokes must see the revoke in every
// request made wholly after the revoke returned (and before the next grant).
func TestSharedChecksNeverAnswerFromBeforeTheRequest(t *testing.T) {
	ctx := context.Background()
	server, cli := MustOpenServerAndCLI(t)
	addWikiRow(t, server, "acme", "olivia", wiki.Private)
	alice := &wiki.Caller{Login: "alice"}
	// phase is even while the grant is revoked and nothing is changing.
	var phase atomic.Int64
	phase.Store(1)
	stop := make(chan struct{})
	errs := make(chan error, 8)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				before := phase.Load()
				_, role, err := server.WikiAndRole(ctx, "acme", alice)
				stable := before%2 == 0 && phase.Load() == before
				if err != nil || (stable && role != wiki.RoleNone) {
					errs <- fmt.Errorf("role %v, err %v, during a revoked phase: %v", role, err, stable)
					return
				}
			}
		})
	}
	for range 20 {
		mustGrant(t, cli, "acme", "alice", wiki.RoleEditor)
		if err := cli.RevokeGrant(ctx, "cli", "acme", "alice"); err != nil {
			t.Fatal(err)
		}
		phase.Add(1) // revoked: even
		for range 50 {
			if _, _, err := server.WikiAndRole(ctx, "acme", alice); err != nil {
				t.Fatal(err)
			}
		}
		phase.Add(1) // about to grant again: odd
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}
