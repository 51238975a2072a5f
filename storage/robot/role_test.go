package robot_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/warren-wiki/warren/storage/internal/storetest"
	"github.com/warren-wiki/warren/wiki"
)

// TestRoleMatrix walks every kind of caller over the three visibilities:
// grants (direct and by group), ownership, platform admins, the visibility
// floor, and a token's scope and cap.
func TestRoleMatrix(t *testing.T) {
	r, _, _ := MustOpenRobot(t)
	ctx := context.Background()
	wikis := map[wiki.Visibility]*wiki.Wiki{}
	for _, v := range []wiki.Visibility{wiki.Private, wiki.Internal, wiki.Public} {
		slug := "w-" + string(v)
		wikis[v] = addWikiRow(t, r, slug, "olivia", v)
		mustGrant(t, r, slug, "alice", wiki.RoleEditor)
		mustGrant(t, r, slug, "group:staff", wiki.RoleViewer)
		mustGrant(t, r, slug, "group:leads", wiki.RoleAdmin)
	}
	addWikiRow(t, r, "elsewhere", "", wiki.Private)
	// Grants on another wiki must not leak into these.
	mustGrant(t, r, "elsewhere", "sam", wiki.RoleAdmin)

	// Each case builds its caller for the wiki at hand, so a token can be
	// scoped to "this wiki" whichever it is.
	is := func(c *wiki.Caller) func(string) *wiki.Caller { return func(string) *wiki.Caller { return c } }
	token := func(login, scope string, cap wiki.Role) func(string) *wiki.Caller {
		return func(here string) *wiki.Caller {
			c := &wiki.Caller{Login: login, ViaToken: true, TokenWiki: scope, TokenCap: cap}
			if scope == "here" {
				c.TokenWiki = here
			}
			return c
		}
	}
	type want struct{ private, internal, public wiki.Role }
	N, V, E, A := wiki.RoleNone, wiki.RoleViewer, wiki.RoleEditor, wiki.RoleAdmin
	cases := []struct {
		name   string
		caller func(slug string) *wiki.Caller
		want   want
	}{
		{"nil caller", is(nil), want{N, N, V}},
		{"anonymous", is(&wiki.Caller{}), want{N, N, V}},
		{"signed-in stranger", is(&wiki.Caller{Login: "sam"}), want{N, V, V}},
		{"owner", is(&wiki.Caller{Login: "olivia"}), want{A, A, A}},
		{"platform admin", is(&wiki.Caller{Login: "root", PlatformAdmin: true}), want{A, A, A}},
		{"dev-mode admin without login", is(&wiki.Caller{PlatformAdmin: true}), want{A, A, A}},
		{"direct editor grant", is(&wiki.Caller{Login: "alice"}), want{E, E, E}},
		{"viewer by group", is(&wiki.Caller{Login: "carol", Groups: []string{"staff"}}), want{V, V, V}},
		{"highest of several groups", is(&wiki.Caller{Login: "dan", Groups: []string{"staff", "leads"}}), want{A, A, A}},
		{"direct grant and group take the max", is(&wiki.Caller{Login: "alice", Groups: []string{"leads"}}), want{A, A, A}},
		{"group name is not a login", is(&wiki.Caller{Login: "staff"}), want{N, V, V}},
		{"login spelled as group is not a group", is(&wiki.Caller{Login: "erin", Groups: []string{"alice"}}), want{N, V, V}},
		{"token scoped here, capped at viewer", token("alice", "here", V), want{V, V, V}},
		{"unscoped token cap never raises", token("alice", "", A), want{E, E, E}},
		{"owner token capped at editor", token("olivia", "", E), want{E, E, E}},
		{"platform admin token capped at viewer", is(&wiki.Caller{Login: "root", PlatformAdmin: true, ViaToken: true, TokenCap: V}), want{V, V, V}},
		{"stranger token on internal wiki", token("sam", "", A), want{N, V, V}},
		{"token scoped to another wiki", token("alice", "elsewhere", A), want{N, N, V}},
		{"owner token scoped to another wiki", token("olivia", "elsewhere", A), want{N, N, V}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for v, w := range map[wiki.Visibility]wiki.Role{wiki.Private: tc.want.private, wiki.Internal: tc.want.internal, wiki.Public: tc.want.public} {
				got, err := r.Role(ctx, wikis[v], tc.caller(wikis[v].Slug))
				if err != nil {
					t.Fatalf("Role on %s: %v", v, err)
				}
				if got != w {
					t.Errorf("role on %s wiki = %s, want %s", v, got, w)
				}
			}
		})
	}
}

// TestRoleManyGroups makes sure a caller in many groups gets the role the
// last of them grants (the principals travel as one JSON parameter).
func TestRoleManyGroups(t *testing.T) {
	r, _, _ := MustOpenRobot(t)
	w := addWikiRow(t, r, "big", "", wiki.Private)
	mustGrant(t, r, "big", "group:g999", wiki.RoleEditor)
	groups := make([]string, 0, 1000)
	for i := 0; i < 1000; i++ {
		groups = append(groups, fmt.Sprintf("g%d", i))
	}
	got, err := r.Role(context.Background(), w, &wiki.Caller{Login: "x", Groups: groups})
	if err != nil {
		t.Fatal(err)
	}
	if got != wiki.RoleEditor {
		t.Fatalf("role = %s, want editor", got)
	}
}

// TestRoleFollowsVisibilityChange checks that Role uses the wiki row it is
// given (read per request), not anything remembered.
func TestRoleFollowsVisibilityChange(t *testing.T) {
	r, _, _ := MustOpenRobot(t)
	ctx := context.Background()
	addWikiRow(t, r, "flip", "", wiki.Public)
	if _, err := r.DB.W.Exec(`UPDATE wikis SET visibility = 'private' WHERE slug = 'flip'`); err != nil {
		t.Fatal(err)
	}
	w, err := r.FindWiki(ctx, "flip")
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := r.Role(ctx, w, &wiki.Caller{}); got != wiki.RoleNone {
		t.Fatalf("anonymous on a wiki made private = %s, want none", got)
	}
}

func TestFindAndListWikis(t *testing.T) {
	r, _, _ := MustOpenRobot(t)
	ctx := context.Background()
	if ws, err := r.ListWikis(ctx); err != nil || len(ws) != 0 {
		t.Fatalf("ListWikis on empty robot.db = %v, %v", ws, err)
	}
	addWikiRow(t, r, "zeta", "zed", wiki.Internal)
	addWikiRow(t, r, "alpha", "", wiki.Public)
	ws, err := r.ListWikis(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ws) != 2 || ws[0].Slug != "alpha" || ws[1].Slug != "zeta" {
		t.Fatalf("ListWikis = %+v, want alpha then zeta", ws)
	}
	if ws[1].Owner != "zed" || ws[1].Visibility != wiki.Internal || ws[1].CreatedAt.Year() != 2030 {
		t.Fatalf("zeta read back as %+v", ws[1])
	}
	_, err = r.FindWiki(ctx, "nope")
	storetest.WantCode(t, err, wiki.ENOTFOUND)
}
