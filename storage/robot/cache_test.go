package robot_test

import (
	"context"
	"testing"

	"github.com/warren-wiki/warren/storage/robot"
	"github.com/warren-wiki/warren/wiki"
)

// lookup is one way a request learns a wiki's row and a caller's role.
type lookup func(ctx context.Context, slug string, c *wiki.Caller) (*wiki.Wiki, wiki.Role, error)

// findThenRole is FindWiki followed by Role.
func findThenRole(r *robot.Robot) lookup {
	return func(ctx context.Context, slug string, c *wiki.Caller) (*wiki.Wiki, wiki.Role, error) {
		w, err := r.FindWiki(ctx, slug)
		if err != nil {
			return nil, wiki.RoleNone, err
		}
		role, err := r.Role(ctx, w, c)
		return w, role, err
	}
}

// The server answers from memory, but a grant revoked, a visibility changed
// or a wiki deleted by another process (the CLI, through connections of
// its own) applies to the very next request: no time-to-live, no stale
// answer — through either way of asking.
func TestCachedRoleSeesChangesFromAnotherProcess(t *testing.T) {
	for name, ask := range map[string]func(*robot.Robot) lookup{
		"FindWiki then Role": findThenRole,
		"WikiAndRole":        func(r *robot.Robot) lookup { return r.WikiAndRole },
	} {
		t.Run(name, func(t *testing.T) { seesChangesFromAnotherProcess(t, ask) })
	}
}

func seesChangesFromAnotherProcess(t *testing.T, ask func(*robot.Robot) lookup) {
	ctx := context.Background()
	server, cli := MustOpenServerAndCLI(t)
	look := ask(server)
	addWikiRow(t, server, "acme", "olivia", wiki.Private)
	mustGrant(t, server, "acme", "alice", wiki.RoleEditor)
	alice := &wiki.Caller{Login: "alice"}
	role := func() wiki.Role {
		t.Helper()
		w, r, err := look(ctx, "acme", alice)
		if err != nil || w.Slug != "acme" {
			t.Fatalf("lookup: %v %v", w, err)
		}
		return r
	}
	for range 3 { // warm
		if got := role(); got != wiki.RoleEditor {
			t.Fatalf("role = %v, want editor", got)
		}
	}
	if err := cli.RevokeGrant(ctx, "cli", "acme", "alice"); err != nil {
		t.Fatal(err)
	}
	if got := role(); got != wiki.RoleNone {
		t.Fatalf("after a revoke by another process: role = %v, want none", got)
	}
	if _, err := cli.UpdateWiki(ctx, "cli", "acme", wiki.WikiUpdate{Visibility: ptr(wiki.Internal)}); err != nil {
		t.Fatal(err)
	}
	if got := role(); got != wiki.RoleViewer {
		t.Fatalf("after making the wiki internal elsewhere: role = %v, want viewer", got)
	}
	if _, err := cli.DB.W.Exec(`DELETE FROM wikis WHERE slug = 'acme'`); err != nil {
		t.Fatal(err)
	}
	if _, _, err := look(ctx, "acme", alice); wiki.ErrorCode(err) != wiki.ENOTFOUND {
		t.Fatalf("after a delete by another process: %v, want ENOTFOUND", err)
	}
	addWikiRow(t, cli, "acme", "olivia", wiki.Public)
	if w, _, err := look(ctx, "acme", alice); err != nil || w.Visibility != wiki.Public {
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
