package robot_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/warren-wiki/warren/wiki"
)

// WikiAndRole answers what FindWiki and Role answer, and as exactly: a
// revoke, a visibility change or a delete made by another process applies
// to the very next call.
func TestWikiAndRoleSeesChangesFromAnotherProcess(t *testing.T) {
	ctx := context.Background()
	server, cli := MustOpenServerAndCLI(t)
	addWikiRow(t, server, "acme", "olivia", wiki.Private)
	mustGrant(t, server, "acme", "alice", wiki.RoleEditor)
	alice := &wiki.Caller{Login: "alice"}
	role := func() wiki.Role {
		t.Helper()
		w, r, err := server.WikiAndRole(ctx, "acme", alice)
		if err != nil || w.Slug != "acme" {
			t.Fatalf("WikiAndRole: %v %v", w, err)
		}
		return r
	}
	for _, c := range []struct {
		name string
		who  *wiki.Caller
		want wiki.Role
	}{{"owner", &wiki.Caller{Login: "olivia"}, wiki.RoleAdmin}, {"grantee", alice, wiki.RoleEditor},
		{"stranger", &wiki.Caller{Login: "mallory"}, wiki.RoleNone}, {"anonymous", &wiki.Caller{}, wiki.RoleNone}} {
		if _, got, err := server.WikiAndRole(ctx, "acme", c.who); err != nil || got != c.want {
			t.Errorf("%s: %v %v, want %v", c.name, got, err, c.want)
		}
	}
	if err := cli.RevokeGrant(ctx, "cli", "acme", "alice"); err != nil {
		t.Fatal(err)
	}
	if got := role(); got != wiki.RoleNone {
		t.Fatalf("after a revoke by another process: %v, want none", got)
	}
	if _, err := cli.UpdateWiki(ctx, "cli", "acme", wiki.WikiUpdate{Visibility: ptr(wiki.Internal)}); err != nil {
		t.Fatal(err)
	}
	if got := role(); got != wiki.RoleViewer {
		t.Fatalf("after making the wiki internal elsewhere: %v, want viewer", got)
	}
	if _, err := cli.DB.W.Exec(`DELETE FROM wikis WHERE slug = 'acme'`); err != nil {
		t.Fatal(err)
	}
	if _, _, err := server.WikiAndRole(ctx, "acme", alice); wiki.ErrorCode(err) != wiki.ENOTFOUND {
		t.Fatalf("after a delete by another process: %v, want ENOTFOUND", err)
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
