package web_test

import (
	"encoding/base64"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/wiki"
)

// existenceServer has a private wiki "acme" (owner alice, with a page) and
// an internal one "staff"; "nope" does not exist. A token of bob's, scoped
// to another wiki, is returned for the token cases.
func existenceServer(t *testing.T) (*TestServer, string) {
	t.Helper()
	ts := MustStartServer(t)
	ts.MustCreateWiki(t, "acme", "alice", wiki.Private, map[string]string{"Plans": "# Plans\n"})
	ts.MustCreateWiki(t, "staff", "alice", wiki.Internal, nil)
	ts.MustCreateWiki(t, "other", "bob", wiki.Private, nil)
	return ts, mustToken(t, ts, "bob", "other", wiki.RoleEditor)
}

// assertSameAnswer asks for the same path under a hidden wiki and under
// "nope" and fails unless status, headers (but the request id and date)
// and body (the slug itself aside) are identical.
func assertSameAnswer(t *testing.T, ts *TestServer, hidden string, r Request) int {
	t.Helper()
	r1, r2 := r, r
	r1.Path = "/" + hidden + r.Path
	r2.Path = "/nope" + r.Path
	st1, h1, b1 := ts.Do(t, r1)
	st2, h2, b2 := ts.Do(t, r2)
	b1 = strings.ReplaceAll(b1, hidden, "nope")
	if st1 != st2 || b1 != b2 {
		t.Fatalf("%s %s as %q: hidden wiki answers %d %q, unknown wiki %d %q", r.Method, r.Path, r.As, st1, b1, st2, b2)
	}
	if a, b := headerShape(h1, hidden), headerShape(h2, "nope"); !slices.Equal(a, b) {
		t.Fatalf("%s %s: headers differ:\n%v\n%v", r.Method, r.Path, a, b)
	}
	return st1
}

// headerShape lists the headers that must not differ, with the slug named
// neutrally.
func headerShape(h http.Header, slug string) []string {
	var out []string
	for k, vs := range h {
		if k == "Date" || k == "X-Request-Id" {
			continue
		}
		out = append(out, k+": "+strings.ReplaceAll(strings.Join(vs, ","), slug, "nope"))
	}
	slices.Sort(out)
	return out
}

func TestPrivateWikiExistenceDoesNotLeakInHTML(t *testing.T) {
	ts, _ := existenceServer(t)
	for _, as := range []string{"", "mallory"} {
		for _, r := range []Request{
			{Path: "/"}, {Path: "/Plans"}, {Path: "/Missing"}, {Path: "/-/edit/Plans"}, {Path: "/-/history/Plans"},
			{Path: "/-/changes"}, {Path: "/-/settings"}, {Path: "/-/static/app.css"}, {Path: "/-/nothing"},
			{Method: "POST", Path: "/-/edit/Plans", Body: "content=x", Headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}},
			{Method: "DELETE", Path: "/Plans"},
		} {
			r.As = as
			if st := assertSameAnswer(t, ts, "acme", r); st != http.StatusNotFound {
				t.Fatalf("%s %s as %q: %d, want 404", r.Method, r.Path, as, st)
			}
		}
	}
	// Anonymous visitors of an internal wiki: the same as for no wiki.
	assertSameAnswer(t, ts, "staff", Request{Path: "/"})
}

func TestPrivateWikiExistenceDoesNotLeakInAPI(t *testing.T) {
	ts, token := existenceServer(t)
	bearer := map[string]string{"Authorization": "Bearer " + token}
	for _, r := range []Request{
		{Path: "/-/api/pages"}, {Path: "/-/api/pages/Plans"}, {Path: "/-/api/pages/Plans/history"},
		{Method: "PUT", Path: "/-/api/pages/Plans", Body: `{"content":"x"}`},
		{Method: "PUT", Path: "/-/api/pages/Plans", Body: `not json`},
		{Path: "/-/api/search?q=plans", As: "mallory"},
		{Path: "/-/api/pages/Plans", Headers: bearer},
	} {
		if st := assertSameAnswer(t, ts, "acme", r); st != http.StatusNotFound {
			t.Fatalf("%s %s: %d, want 404", r.Method, r.Path, st)
		}
	}
}

// TestPrivateWikiExistenceDoesNotLeakInGit: git without credentials is
// challenged for a private wiki and for no wiki alike (git only sends
// credentials after a 401); with credentials that cannot read it, both
// are 404 — including a token made for another wiki.
func TestPrivateWikiExistenceDoesNotLeakInGit(t *testing.T) {
	ts, token := existenceServer(t)
	basic := map[string]string{"Authorization": "Basic " + basicAuth("x", token)}
	upload := map[string]string{"Content-Type": "application/x-git-upload-pack-request"}
	receive := map[string]string{"Content-Type": "application/x-git-receive-pack-request"}
	cases := []struct {
		r    Request
		want int
	}{
		{Request{Path: "/.git/info/refs?service=git-upload-pack"}, 401},
		{Request{Path: "/.git/info/refs?service=git-receive-pack"}, 401},
		{Request{Method: "POST", Path: "/.git/git-upload-pack", Headers: upload, Body: "0000"}, 401},
		{Request{Method: "POST", Path: "/.git/git-receive-pack", Headers: receive, Body: "0000"}, 401},
		{Request{Path: "/.git/HEAD"}, 401},
		{Request{Path: "/.git/info/refs?service=git-upload-pack", As: "mallory"}, 404},
		{Request{Path: "/.git/info/refs?service=git-upload-pack", Headers: basic}, 404},
		{Request{Method: "POST", Path: "/.git/git-receive-pack", Headers: merge(receive, basic), Body: "0000"}, 404},
	}
	for _, c := range cases {
		st := assertSameAnswer(t, ts, "acme", c.r)
		if st != c.want {
			t.Fatalf("%s %s: %d, want %d", c.r.Method, c.r.Path, st, c.want)
		}
	}
}

// TestPrivateWikiExistenceDoesNotLeakInFeeds: feeds authenticate like git,
// so anonymous readers are challenged for a private wiki and a missing one
// alike; signed-in strangers get 404 for both.
func TestPrivateWikiExistenceDoesNotLeakInFeeds(t *testing.T) {
	ts, token := existenceServer(t)
	for _, c := range []struct {
		r    Request
		want int
	}{
		{Request{Path: "/-/feed"}, 401},
		{Request{Path: "/-/feed/Plans"}, 401},
		{Request{Path: "/-/feed", As: "mallory"}, 404},
		{Request{Path: "/-/feed", Headers: map[string]string{"Authorization": "Basic " + basicAuth("x", token)}}, 404},
	} {
		if st := assertSameAnswer(t, ts, "acme", c.r); st != c.want {
			t.Fatalf("%s: %d, want %d", c.r.Path, st, c.want)
		}
	}
}

func TestPrivateWikiExistenceDoesNotLeakInMCP(t *testing.T) {
	ts, token := existenceServer(t)
	mcpHeaders := map[string]string{"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
	body := `{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}`
	for _, r := range []Request{
		{Method: "POST", Path: "/-/mcp", Headers: mcpHeaders, Body: body},
		{Method: "POST", Path: "/-/mcp", Headers: mcpHeaders, Body: body, As: "mallory"},
		{Method: "POST", Path: "/-/mcp", Headers: merge(mcpHeaders, map[string]string{"Authorization": "Bearer " + token}), Body: body},
		{Method: "GET", Path: "/-/mcp", Headers: map[string]string{"Accept": "text/event-stream"}},
	} {
		if st := assertSameAnswer(t, ts, "acme", r); st != http.StatusNotFound {
			t.Fatalf("%s %s: %d, want 404", r.Method, r.Path, st)
		}
	}
}

func basicAuth(user, pass string) string {
	return base64.StdEncoding.EncodeToString([]byte(user + ":" + pass))
}
