package robot_test

import (
	"context"
	"testing"

	"github.com/warren-wiki/warren/storage/robot"
	"github.com/warren-wiki/warren/wiki"
)

// WikiAndRole answers what FindWiki and Role answer, and as exactly: a
// revoke, a visibility change or a delete made by another process applies
// to the very next call.
func TestWikiAndRoleSeesChangesFromAnotherProcess(t *testing.T) {
	ctx := context.Background()
	server, _, dir := MustOpenRobot(t)
	cli, err := robot.OpenRobot(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
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
