package web_test

import (
	"testing"

	"github.com/warren-wiki/warren/web"
	"github.com/warren-wiki/warren/wiki"
)

// TestProxyLoginNamedLikeGroupGetsNoGroupGrants: a proxy user whose login
// is spelled "group:staff" (in any case) must not get the grants of the
// group staff, nor a platform admin's rights through --admin group:NAME.
// Such logins are refused; real members of the group keep their access.
func TestProxyLoginNamedLikeGroupGetsNoGroupGrants(t *testing.T) {
	ts := MustStartServer(t, func(s *web.Server) { s.Admins = append(s.Admins, "group:admins") })
	ts.MustCreateWiki(t, "acme", "alice", wiki.Private, map[string]string{"Plans": "# Plans\n"})
	ts.MustGrant(t, "acme", "group:staff", wiki.RoleEditor)
	for _, login := range []string{"group:staff", "GROUP:staff", "Group:staff", "group:admins"} {
		for _, r := range []Request{
			{Path: "/acme/Plans", As: login},
			{Path: "/acme/-/api/pages/Plans", As: login},
			{Method: "PUT", Path: "/acme/-/api/pages/Plans", As: login, Body: `{"content":"owned"}`},
			{Path: "/", As: login},
		} {
			if st, _, body := ts.Do(t, r); st != 400 {
				t.Fatalf("%s %s as %q: %d %s, want 400", r.Method, r.Path, login, st, body)
			}
		}
	}
	member := Request{Path: "/acme/-/api/pages/Plans", As: "bob", Headers: map[string]string{"X-Forwarded-Groups": "staff"}}
	if st, _, body := ts.Do(t, member); st != 200 {
		t.Fatalf("a member of staff: %d %s, want 200", st, body)
	}
}
