package web_test

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/warren-wiki/warren/wiki"
)

var noExpiry time.Time

func bearer(tok string) map[string]string { return map[string]string{"Authorization": "Bearer " + tok} }

func basic(tok string) map[string]string {
	return map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte("git:"+tok))}
}

type pageJSON struct {
	Path, Title, Content, Revision string
}

// mustGetPage reads a page through the API.
func mustGetPage(t *testing.T, ts *TestServer, path, as string) pageJSON {
	t.Helper()
	st, hdr, body := ts.Do(t, Request{Path: path, As: as})
	if st != 200 {
		t.Fatalf("GET %s: %d %s", path, st, body)
	}
	var p pageJSON
	MustJSON(t, body, &p)
	if hdr.Get("ETag") != `"`+p.Revision+`"` {
		t.Fatalf("ETag %q does not match revision %q", hdr.Get("ETag"), p.Revision)
	}
	return p
}

// TestAPIPageLifecycle walks create, read, update with If-Match, the 428 and
// 412 refusals, history, list and delete.
func TestAPIPageLifecycle(t *testing.T) {
	ts := MustStartServer(t)
	ts.MustCreateWiki(t, "acme", "alice", wiki.Private, nil)
	u := "/acme/-/api/pages/Team/Meeting%20Notes"

	st, _, body := ts.Do(t, Request{Method: "PUT", Path: u, As: "alice", Body: `{"content":"# Notes\n\none\n","message":"first"}`})
	if st != http.StatusCreated {
		t.Fatalf("create: %d %s", st, body)
	}
	p := mustGetPage(t, ts, u, "alice")
	if p.Path != "Team/Meeting Notes" || !strings.Contains(p.Content, "one") {
		t.Fatalf("page %+v", p)
	}
	st, _, body = ts.Do(t, Request{Method: "PUT", Path: u, As: "alice", Body: `{"content":"two"}`})
	if st != http.StatusPreconditionRequired {
		t.Fatalf("update without If-Match: %d %s", st, body)
	}
	ifm := map[string]string{"If-Match": `"` + p.Revision + `"`}
	st, _, body = ts.Do(t, Request{Method: "PUT", Path: u, As: "alice", Headers: ifm, Body: `{"content":"two\n"}`})
	if st != http.StatusOK {
		t.Fatalf("update: %d %s", st, body)
	}
	st, _, body = ts.Do(t, Request{Method: "PUT", Path: u, As: "alice", Headers: ifm, Body: `{"content":"three\n"}`})
	if st != http.StatusPreconditionFailed {
		t.Fatalf("stale update: %d %s", st, body)
	}
	if got := mustGetPage(t, ts, u, "alice").Content; got != "two\n" {
		t.Fatalf("stale update changed the page to %q", got)
	}
	st, _, body = ts.Do(t, Request{Path: u + "/history", As: "alice"})
	if st != 200 || strings.Count(body, `"revision"`) != 2 {
		t.Fatalf("history: %d %s", st, body)
	}
	st, _, body = ts.Do(t, Request{Path: "/acme/-/api/pages?limit=1", As: "alice"})
	var list struct {
		Pages []pageJSON
		Next  string
	}
	MustJSON(t, body, &list)
	if st != 200 || len(list.Pages) != 1 || list.Next == "" {
		t.Fatalf("list page 1: %d %s", st, body)
	}
	st, _, body = ts.Do(t, Request{Path: "/acme/-/api/pages?limit=1&after=" + list.Next, As: "alice"})
	MustJSON(t, body, &list)
	if st != 200 || len(list.Pages) != 1 || list.Pages[0].Path == "Home" && list.Next == "Home" {
		t.Fatalf("list page 2: %d %s", st, body)
	}
	st, _, _ = ts.Do(t, Request{Method: "DELETE", Path: u, As: "alice"})
	if st != http.StatusPreconditionRequired {
		t.Fatalf("delete without If-Match: %d", st)
	}
	cur := mustGetPage(t, ts, u, "alice").Revision
	st, _, body = ts.Do(t, Request{Method: "DELETE", Path: u, As: "alice", Headers: map[string]string{"If-Match": `"` + cur + `"`}})
	if st != 200 {
		t.Fatalf("delete: %d %s", st, body)
	}
	if st, _, _ := ts.Do(t, Request{Path: u, As: "alice"}); st != 404 {
		t.Fatalf("deleted page: %d", st)
	}
}

// TestAPIBadInput names each refused input; none may change the wiki.
func TestAPIBadInput(t *testing.T) {
	ts := MustStartServer(t)
	ts.MustCreateWiki(t, "acme", "alice", wiki.Public, nil)
	big := `{"content":"` + strings.Repeat("x", 2<<20) + `"}`
	cases := []struct {
		name   string
		req    Request
		status int
		code   string
	}{
		{"UnknownWiki", Request{Path: "/nope/-/api/pages/Home"}, 404, "not_found"},
		{"InvalidSlug", Request{Path: "/Bad_Slug/-/api/pages/Home"}, 400, "invalid"},
		{"DotDotPath", Request{Method: "PUT", Path: "/acme/-/api/pages/a/%2E%2E/b", As: "alice", Body: `{"content":"x"}`}, 400, "invalid"},
		{"EncodedSlashTraversal", Request{Method: "PUT", Path: "/acme/-/api/pages/..%2F..%2Fetc%2Fpasswd", As: "alice", Body: `{"content":"x"}`}, 400, "invalid"},
		{"NULInPath", Request{Method: "PUT", Path: "/acme/-/api/pages/a%00b", As: "alice", Body: `{"content":"x"}`}, 400, "invalid"},
		{"ControlCharInPath", Request{Method: "PUT", Path: "/acme/-/api/pages/a%07b", As: "alice", Body: `{"content":"x"}`}, 400, "invalid"},
		{"LeadingDash", Request{Method: "PUT", Path: "/acme/-/api/pages/-x", As: "alice", Body: `{"content":"x"}`}, 400, "invalid"},
		{"DotGitComponent", Request{Method: "PUT", Path: "/acme/-/api/pages/.git/config", As: "alice", Body: `{"content":"x"}`}, 400, "invalid"},
		{"LongComponent", Request{Method: "PUT", Path: "/acme/-/api/pages/" + strings.Repeat("a", 256), As: "alice", Body: `{"content":"x"}`}, 400, "invalid"},
		{"MalformedJSON", Request{Method: "PUT", Path: "/acme/-/api/pages/X", As: "alice", Body: `{"content":`}, 400, "invalid"},
		{"MissingContent", Request{Method: "PUT", Path: "/acme/-/api/pages/X", As: "alice", Body: `{"message":"m"}`}, 400, "invalid"},
		{"OversizedBody", Request{Method: "PUT", Path: "/acme/-/api/pages/X", As: "alice", Body: big}, 413, "too_large"},
		{"BadIfMatch", Request{Method: "PUT", Path: "/acme/-/api/pages/Home", As: "alice", Headers: map[string]string{"If-Match": "*"}, Body: `{"content":"x"}`}, 400, "invalid"},
		{"AnonymousWrite", Request{Method: "PUT", Path: "/acme/-/api/pages/X", Body: `{"content":"x"}`}, 401, "unauthorized"},
		{"ViewerWrite", Request{Method: "PUT", Path: "/acme/-/api/pages/X", As: "mallory", Body: `{"content":"x"}`}, 403, "forbidden"},
		{"BadLimit", Request{Path: "/acme/-/api/pages?limit=-1"}, 400, "invalid"},
		{"EmptySearch", Request{Path: "/acme/-/api/search?q="}, 400, "invalid"},
	}
	before := mustGetPage(t, ts, "/acme/-/api/pages/Home", "alice").Revision
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st, _, body := ts.Do(t, tc.req)
			if st != tc.status {
				t.Fatalf("status %d, want %d: %s", st, tc.status, body)
			}
			var e struct {
				Error struct{ Code, Message string }
			}
			MustJSON(t, body, &e)
			if e.Error.Code != tc.code || e.Error.Message == "" {
				t.Fatalf("error %+v, want code %s", e.Error, tc.code)
			}
		})
	}
	st, _, body := ts.Do(t, Request{Path: "/acme/-/api/pages", As: "alice"})
	if st != 200 || strings.Count(body, `"path"`) != 1 {
		t.Fatalf("bad input changed the wiki: %s", body)
	}
	if after := mustGetPage(t, ts, "/acme/-/api/pages/Home", "alice").Revision; after != before {
		t.Fatalf("Home moved from %s to %s", before, after)
	}
}

// TestSecurityHeaders: every response carries the CSP and nosniff.
func TestSecurityHeaders(t *testing.T) {
	ts := MustStartServer(t)
	_, hdr, _ := ts.Do(t, Request{Path: "/-/healthz"})
	csp := hdr.Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'self'") {
		t.Fatalf("CSP %q", csp)
	}
	if hdr.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatal("missing nosniff")
	}
}

// TestCrossOriginPostRefused: a cross-site form post (CSRF) is refused.
func TestCrossOriginPostRefused(t *testing.T) {
	ts := MustStartServer(t)
	ts.MustCreateWiki(t, "acme", "alice", wiki.Public, nil)
	st, _, _ := ts.Do(t, Request{Method: "PUT", Path: "/acme/-/api/pages/X", As: "alice",
		Headers: map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}, Body: `{"content":"x"}`})
	if st != http.StatusForbidden {
		t.Fatalf("status %d, want 403", st)
	}
}

// TestHealthz answers 200 while robot.db answers.
func TestHealthz(t *testing.T) {
	ts := MustStartServer(t)
	if st, _, _ := ts.Do(t, Request{Path: "/-/healthz"}); st != 200 {
		t.Fatalf("healthz %d", st)
	}
}
