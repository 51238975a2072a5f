package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/wiki"
)

// TestWebWritesRefuseDisguisedDotGit: the editor, the new-page form and
// the JSON API refuse page names that NTFS or HFS+ read as ".git", with a
// 400 and nothing written.
func TestWebWritesRefuseDisguisedDotGit(t *testing.T) {
	ts := MustStartServer(t)
	ts.MustCreateWiki(t, "acme", "alice", wiki.Private, nil)
	form := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	for _, name := range []string{"GIT~1/config", ".git./hooks/x", ".git /x", ".g\u200cit/config", "Team/\ufeff.git/x", ".git::$INDEX_ALLOCATION/x"} {
		esc := strings.ReplaceAll(url.PathEscape(name), "%2F", "/")
		for _, r := range []Request{
			{Method: "PUT", Path: "/acme/-/api/pages/" + esc, Body: `{"content":"x"}`},
			{Method: "POST", Path: "/acme/-/edit/" + esc, Headers: form, Body: "content=x&message=m"},
		} {
			r.As = "alice"
			if st, _, body := ts.Do(t, r); st != 400 {
				t.Fatalf("%s %s: %d %s, want 400", r.Method, r.Path, st, body)
			}
		}
	}
	_, _, body := ts.Do(t, Request{Path: "/acme/-/api/pages", As: "alice"})
	if strings.Contains(body, "config") || strings.Contains(body, "hooks") {
		t.Fatalf("a disguised .git page was written: %s", body)
	}
}
