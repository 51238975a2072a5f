package web_test

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/web"
	"github.com/warren-wiki/warren/wiki"
)

// TestUIView covers reading pages: home, a nested page with its TOC,
// breadcrumb and wikilinks, which actions each role is offered, missing
// pages, old revisions and unknown actions.
func TestUIView(t *testing.T) {
	ts := mustUIWiki(t)
	notes := "/acme/Team/Meeting%20Notes"
	runScenarios(t, ts, []scenario{
		{name: "home", req: Request{Path: "/acme/", As: viewer}, status: 200,
			want: []string{"Welcome.", `href="/acme/-/pages"`, `action="/acme/-/search"`}},
		{name: "nested page", req: Request{Path: notes, As: viewer}, status: 200,
			want: []string{
				"<title>Meeting Notes · acme · warren</title>",
				`<nav class="toc"`, "Agenda", "Actions", // TOC
				`href="/acme/-/pages?prefix=Team%2F"`, // breadcrumb folder
				`<span aria-current="page">Meeting Notes</span>`,
				`href="/acme/-/history/Team/Meeting%20Notes"`,
				"missing", // the link to Missing Page is marked
				"Last changed",
			},
			notWant: []string{`href="/acme/-/edit/Team`, "/acme/-/delete/", `href="/acme/-/settings"`, `href="/acme/-/new"`}},
		{name: "editor is offered edit and delete", req: Request{Path: notes, As: editor}, status: 200,
			want:    []string{`href="/acme/-/edit/Team/Meeting%20Notes"`, `href="/acme/-/delete/Team/Meeting%20Notes"`, `href="/acme/-/new"`},
			notWant: []string{`href="/acme/-/settings"`}},
		{name: "admin is offered settings", req: Request{Path: notes, As: owner}, status: 200,
			want: []string{`href="/acme/-/settings"`}},
		{name: "backlinks in sidebar", req: Request{Path: "/acme/", As: viewer}, status: 200,
			want: []string{"Linked from", `href="/acme/Team/Meeting%20Notes"`}},
		{name: "backlinks page", req: Request{Path: "/acme/-/backlinks/Missing%20Page", As: viewer}, status: 200,
			want: []string{`href="/acme/Team/Meeting%20Notes"`}},
		{name: "missing page for a viewer is a plain 404", req: Request{Path: "/acme/Missing%20Page", As: viewer}, status: 404,
			notWant: []string{"Create it", "/acme/-/edit/"}},
		{name: "missing page for an editor offers its editor", req: Request{Path: "/acme/Missing%20Page", As: editor}, status: 404,
			want: []string{"does not exist", `href="/acme/-/edit/Missing%20Page"`}},
		{name: "case-insensitive lookup", req: Request{Path: "/acme/team/meeting%20notes", As: viewer}, status: 200,
			want: []string{"Agenda"}},
		{name: "private wiki is hidden from strangers", req: Request{Path: notes, As: nobody}, status: 404,
			notWant: []string{"Agenda", `href="/acme/-/pages"`}},
		{name: "private wiki is hidden from anonymous", req: Request{Path: "/acme/", As: ""}, status: 404,
			notWant: []string{"Welcome.", `href="/acme/-/pages"`}},
		{name: "folder path shows its index", req: Request{Path: "/acme/Team/", As: viewer}, status: 200, want: []string{"Pages in"}},
		{name: "folder path without its slash shows its index", req: Request{Path: "/acme/Team", As: viewer}, status: 200, want: []string{"Pages in"}},
		{name: "unknown action", req: Request{Path: "/acme/-/nonsense", As: viewer}, status: 404},
		{name: "bad revision", req: Request{Path: notes + "?rev=HEAD~1", As: viewer}, status: 400},
		{name: "revision that does not exist", req: Request{Path: notes + "?rev=0123456789abcdef0123456789abcdef01234567", As: viewer}, status: 404},
	})
}

// TestUIOldRevision shows a page as it was before an edit, with a banner.
func TestUIOldRevision(t *testing.T) {
	ts := mustUIWiki(t)
	base, text := editorState(t, ts, "Team/Meeting%20Notes", editor)
	st, _, body := ts.Do(t, formPost("/acme/-/edit/Team/Meeting%20Notes", editor,
		form("content", strings.Replace(text, "none", "all done", 1), "base_revision", base, "message", "finish")))
	if st != http.StatusSeeOther {
		t.Fatalf("save: %d %s", st, body)
	}
	_, _, body = ts.Do(t, Request{Path: "/acme/Team/Meeting%20Notes?rev=" + base, As: viewer})
	mustContain(t, "old revision", body, "old revision", base[:8], "<p>none</p>", `href="/acme/Team/Meeting%20Notes"`)
	mustNotContain(t, "old revision", body, "all done")
	_, _, body = ts.Do(t, Request{Path: "/acme/Team/Meeting%20Notes", As: viewer})
	mustContain(t, "current", body, "all done", "finish")
}

// TestUIPagePathTraversal refuses page paths that try to leave the wiki or
// hide in git's metadata with 400, in every route that takes a page path.
func TestUIPagePathTraversal(t *testing.T) {
	ts := mustUIWiki(t)
	bad := []string{"%2e%2e/secret", "a/%2e%2e/%2e%2e/b", "a%00b", "a%0Ab", "x/.GIT/config", "a%5Cb", "a//b"}
	for _, p := range bad {
		for _, prefix := range []string{"/acme/", "/acme/-/edit/", "/acme/-/history/", "/acme/-/backlinks/"} {
			st, _, body := ts.Do(t, Request{Path: prefix + p, As: owner})
			if st != http.StatusBadRequest {
				t.Errorf("GET %s%s: %d, want 400\n%s", prefix, p, st, body)
			}
		}
		st, _, _ := ts.Do(t, formPost("/acme/-/edit/"+p, owner, form("content", "x")))
		if st != http.StatusBadRequest {
			t.Errorf("POST edit %s: %d, want 400", p, st)
		}
	}
	if got := pageText(t, ts, "secret"); got != "" {
		t.Errorf("a page was written outside the checks: %q", got)
	}
}

var (
	inlineScriptRE  = regexp.MustCompile(`<script(?:\s[^>]*)?>[^<]`)
	eventHandlerRE  = regexp.MustCompile(`(?i)<[^>]+\son[a-z]+\s*=`)
	styleAttrRE     = regexp.MustCompile(`(?i)<[^>]+\sstyle\s*=`)
	scriptWithSrcRE = regexp.MustCompile(`<script src="/-/static/warren\.js\?v=[0-9a-f]+" defer></script>`)
)

// TestUINoInlineScript checks every kind of page against the CSP warren
// sends: no inline script, no event-handler attributes, no style attributes.
func TestUINoInlineScript(t *testing.T) {
	ts := mustUIWiki(t)
	for _, path := range []string{
		"/", "/-/tokens", "/acme/", "/acme/Team/Meeting%20Notes", "/acme/-/edit/Team/Meeting%20Notes",
		"/acme/-/edit/New%20One", "/acme/-/history/Team/Meeting%20Notes", "/acme/-/changes", "/acme/-/pages",
		"/acme/-/search?q=agenda", "/acme/-/new", "/acme/-/settings", "/acme/-/delete/Team/Meeting%20Notes",
		"/acme/Missing", "/acme/-/nonsense",
	} {
		_, hdr, body := ts.Do(t, Request{Path: path, As: owner})
		if !strings.HasPrefix(hdr.Get("Content-Type"), "text/html") {
			t.Errorf("%s: Content-Type %q", path, hdr.Get("Content-Type"))
		}
		if m := inlineScriptRE.FindString(body); m != "" {
			t.Errorf("%s: inline script %q", path, m)
		}
		if m := eventHandlerRE.FindString(body); m != "" {
			t.Errorf("%s: event handler attribute %q", path, m)
		}
		if m := styleAttrRE.FindString(body); m != "" {
			t.Errorf("%s: style attribute %q", path, m)
		}
		if !scriptWithSrcRE.MatchString(body) {
			t.Errorf("%s: no versioned warren.js", path)
		}
	}
}

// TestUIHostMode serves a wiki at its own host name: its links start at
// "/", and the wiki list on the base domain links to each wiki's host.
func TestUIHostMode(t *testing.T) {
	ts := MustStartServer(t, func(s *web.Server) { s.BaseDomain = "wiki.test" })
	ts.MustCreateWiki(t, "acme", owner, wiki.Public, map[string]string{"Team/Meeting Notes": notesPage})
	get := func(host, path string) string {
		t.Helper()
		req, err := http.NewRequest("GET", ts.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Host = host
		req.Header.Set("X-Forwarded-User", owner)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s%s: %d\n%s", host, path, resp.StatusCode, b)
		}
		return string(b)
	}
	page := get("acme.wiki.test:8080", "/Team/Meeting%20Notes")
	mustContain(t, "wiki page", page, `href="/-/edit/Team/Meeting%20Notes"`, `href="/-/pages?prefix=Team%2F"`,
		`action="/-/search"`, `href="//wiki.test:8080/"`, `href="/-/static/warren.css?v=`)
	mustNotContain(t, "wiki page", page, `href="/acme/`)
	list := get("wiki.test:8080", "/")
	mustContain(t, "wiki list", list, `href="//acme.wiki.test:8080/"`)
}
