package robot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/storage/internal/storetest"
	"github.com/warren-wiki/warren/wiki"
)

func TestGrantSetReplaceRevoke(t *testing.T) {
	r, _, _ := MustOpenRobot(t)
	ctx := context.Background()
	addWikiRow(t, r, "acme", "", wiki.Private)
	mustGrant(t, r, "acme", "bob", wiki.RoleViewer)
	mustGrant(t, r, "acme", "group:eng", wiki.RoleEditor)
	mustGrant(t, r, "acme", "bob", wiki.RoleAdmin) // replaces, not adds
	gs, err := r.Grants(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if len(gs) != 2 || gs[0].Principal != "bob" || gs[0].Role != "admin" || gs[1].Principal != "group:eng" || gs[1].Role != "editor" {
		t.Fatalf("Grants = %+v", gs)
	}
	if err := r.RevokeGrant(ctx, "alice", "acme", "bob"); err != nil {
		t.Fatal(err)
	}
	storetest.WantCode(t, r.RevokeGrant(ctx, "alice", "acme", "bob"), wiki.ENOTFOUND)
	gs, _ = r.Grants(ctx, "acme")
	if len(gs) != 1 || gs[0].Principal != "group:eng" {
		t.Fatalf("after revoke Grants = %+v", gs)
	}
	log, err := r.AuditLog(ctx, "acme", 10)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range log {
		actions = append(actions, e.Actor+" "+e.Action+" "+e.Detail)
	}
	want := "alice revoke bob|test grant bob=admin|test grant group:eng=editor|test grant bob=viewer"
	if got := strings.Join(actions, "|"); got != want {
		t.Fatalf("audit = %s\nwant    %s", got, want)
	}
}

func TestGrantsOfUnknownWiki(t *testing.T) {
	r, _, _ := MustOpenRobot(t)
	_, err := r.Grants(context.Background(), "ghost")
	storetest.WantCode(t, err, wiki.ENOTFOUND)
}

// TestGrantBadInput names each refused grant and checks that none of them
// wrote a grant or an audit line.
func TestGrantBadInput(t *testing.T) {
	r, _, _ := MustOpenRobot(t)
	ctx := context.Background()
	addWikiRow(t, r, "acme", "", wiki.Private)
	cases := []struct {
		name, slug, principal string
		role                  wiki.Role
		code                  string
	}{
		{"empty principal", "acme", "", wiki.RoleViewer, wiki.EINVALID},
		{"group without name", "acme", "group:", wiki.RoleViewer, wiki.EINVALID},
		{"space in principal", "acme", "bob smith", wiki.RoleViewer, wiki.EINVALID},
		{"control character in principal", "acme", "bob\n", wiki.RoleViewer, wiki.EINVALID},
		{"role none", "acme", "bob", wiki.RoleNone, wiki.EINVALID},
		{"role out of range", "acme", "bob", wiki.Role(7), wiki.EINVALID},
		{"unknown wiki", "ghost", "bob", wiki.RoleViewer, wiki.ENOTFOUND},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			storetest.WantCode(t, r.SetGrant(ctx, "test", tc.slug, tc.principal, tc.role), tc.code)
			if n := countRows(t, r, "grants"); n != 0 {
				t.Fatalf("%d grants written", n)
			}
			if n := countRows(t, r, "audit"); n != 0 {
				t.Fatalf("%d audit lines written", n)
			}
		})
	}
	storetest.WantCode(t, r.RevokeGrant(ctx, "test", "acme", ""), wiki.EINVALID)
	storetest.WantCode(t, r.RevokeGrant(ctx, "test", "ghost", "bob"), wiki.ENOTFOUND)
}

func TestAuditAppends(t *testing.T) {
	r, clock, _ := MustOpenRobot(t)
	ctx := context.Background()
	if err := r.Audit(ctx, "alice", "acme", "settings", "title=New"); err != nil {
		t.Fatal(err)
	}
	clock.Advance(1)
	if err := r.Audit(ctx, "bob", "", "login", ""); err != nil {
		t.Fatal(err)
	}
	all, _ := r.AuditLog(ctx, "", 10)
	one, _ := r.AuditLog(ctx, "acme", 10)
	if len(all) != 2 || all[0].Actor != "bob" || len(one) != 1 || one[0].Detail != "title=New" || one[0].At != "2030-01-02T03:04:05Z" {
		t.Fatalf("all = %+v, acme = %+v", all, one)
	}
}
