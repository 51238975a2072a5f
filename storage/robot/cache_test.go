package robot_test

import (
	"context"
	"testing"

	"github.com/warren-wiki/warren/wiki"
)

// The server answers from memory, but a grant revoked, a visibility changed
// or a wiki deleted by another process (the CLI, through connections of
// its own) applies to the very next request: no time-to-live, no stale
// answer.
func TestCachedRoleSeesRevokeFromAnotherProcess(t *testing.T) {
	ctx := context.Background()
	server, cliRobot := MustOpenServerAndCLI(t)
	addWikiRow(t, server, "acme", "olivia", wiki.Private)
	mustGrant(t, server, "acme", "alice", wiki.RoleEditor)
	alice := &wiki.Caller{Login: "alice"}
	role := func() wiki.Role {
		t.Helper()
		w, err := server.FindWiki(ctx, "acme")
		if err != nil {
			t.Fatal(err)
		}
		r, err := server.Role(ctx, w, alice)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	for range 3 { // warm
		if got := role(); got != wiki.RoleEditor {
			t.Fatalf("role = %v, want editor", got)
		}
	}
	if err := cliRobot.RevokeGrant(ctx, "cli", "acme", "alice"); err != nil {
		t.Fatal(err)
	}
	if got := role(); got != wiki.RoleNone {
		t.Fatalf("after a revoke by another process: role = %v, want none", got)
	}
	if _, err := cliRobot.UpdateWiki(ctx, "cli", "acme", wiki.WikiUpdate{Visibility: ptr(wiki.Internal)}); err != nil {
		t.Fatal(err)
	}
	if got := role(); got != wiki.RoleViewer {
		t.Fatalf("after making the wiki internal elsewhere: role = %v, want viewer", got)
	}
	if _, err := cliRobot.DB.W.Exec(`DELETE FROM wikis WHERE slug = 'acme'`); err != nil {
		t.Fatal(err)
	}
	if _, err := server.FindWiki(ctx, "acme"); wiki.ErrorCode(err) != wiki.ENOTFOUND {
		t.Fatalf("after a delete by another process: %v, want ENOTFOUND", err)
	}
	addWikiRow(t, cliRobot, "acme", "olivia", wiki.Public)
	if w, err := server.FindWiki(ctx, "acme"); err != nil || w.Visibility != wiki.Public {
		t.Fatalf("a wiki created elsewhere after a cached miss: %v %v", w, err)
	}
}

// A caller's copy of a cached row is its own.
func TestCachedWikiRowIsACopy(t *testing.T) {
	ctx := context.Background()
	r, _, _ := MustOpenRobot(t)
	addWikiRow(t, r, "acme", "olivia", wiki.Private)
	w, err := r.FindWiki(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	w.Owner = "mallory"
	if again, _ := r.FindWiki(ctx, "acme"); again.Owner != "olivia" {
		t.Fatalf("a caller's edit reached the cache: owner %q", again.Owner)
	}
}

func ptr[T any](v T) *T { return &v }
