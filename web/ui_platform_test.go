package web_test

import (
	"context"
	"io/fs"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/wiki"
)

// TestUISettingsAdminOnly lets only the wiki's admins see and change its
// grants, and refuses malformed grants without changing any.
func TestUISettingsAdminOnly(t *testing.T) {
	ts := mustUIWiki(t)
	runScenarios(t, ts, []scenario{
		{name: "editor may not see settings", req: Request{Path: "/acme/-/settings", As: editor}, status: 403},
		{name: "editor may not grant", req: formPost("/acme/-/settings/grants", editor, form("principal", editor, "role", "admin")), status: 403},
		{name: "editor may not revoke", req: formPost("/acme/-/settings/grants/revoke", editor, form("principal", viewer)), status: 403},
		{name: "stranger does not learn the wiki exists", req: Request{Path: "/acme/-/settings", As: nobody}, status: 404},
		{name: "admin sees grants", req: Request{Path: "/acme/-/settings", As: owner}, status: 200,
			want: []string{"private", editor, viewer, `action="/acme/-/settings/grants"`}},
		{name: "admin grants", req: formPost("/acme/-/settings/grants", owner, form("principal", "group:team", "role", "editor")), status: 303},
		{name: "bad role", req: formPost("/acme/-/settings/grants", owner, form("principal", "zed", "role", "god")), status: 400,
			want: []string{`role="alert"`, `value="zed"`}},
		{name: "bad principal", req: formPost("/acme/-/settings/grants", owner, form("principal", "a b", "role", "viewer")), status: 400},
		{name: "admin revokes", req: formPost("/acme/-/settings/grants/revoke", owner, form("principal", viewer)), status: 303},
	})
	grants, err := ts.Robot.Grants(context.Background(), "acme")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, g := range grants {
		got[g.Principal] = g.Role
	}
	if got["group:team"] != "editor" || got[viewer] != "" || got["zed"] != "" || got[editor] != "editor" {
		t.Fatalf("grants after the scenarios: %v", got)
	}
	if st, _, _ := ts.Do(t, Request{Path: "/acme/", As: viewer}); st != 404 {
		t.Fatalf("revoked viewer still reads: %d", st)
	}
}

// TestPlatformWikiList lists only readable wikis and lets platform admins
// (and nobody else) create one.
func TestPlatformWikiList(t *testing.T) {
	ts := mustUIWiki(t)
	ts.MustCreateWiki(t, "open", owner, wiki.Public, nil)
	runScenarios(t, ts, []scenario{
		{name: "viewer sees acme", req: Request{Path: "/", As: viewer}, status: 200,
			want: []string{`href="/acme/"`, `href="/open/"`}, notWant: []string{"Create a wiki"}},
		{name: "stranger sees only the public wiki", req: Request{Path: "/", As: nobody}, status: 200,
			want: []string{`href="/open/"`}, notWant: []string{"/acme/"}},
		{name: "anonymous sees only the public wiki", req: Request{Path: "/"}, status: 200,
			want: []string{`href="/open/"`}, notWant: []string{"/acme/", "Access tokens"}},
		{name: "platform admin may create", req: Request{Path: "/", As: "root"}, status: 200,
			want: []string{"Create a wiki", `action="/-/wikis"`}},
		{name: "others may not create", req: formPost("/-/wikis", owner, form("slug", "sneaky", "visibility", "private")), status: 403},
		{name: "anonymous may not create", req: formPost("/-/wikis", "", form("slug", "sneaky", "visibility", "private")), status: 401},
		{name: "invalid slug", req: formPost("/-/wikis", "root", form("slug", "Bad_Slug", "visibility", "private")), status: 400,
			want: []string{`role="alert"`, `value="Bad_Slug"`}},
		{name: "reserved slug", req: formPost("/-/wikis", "root", form("slug", "admin", "visibility", "private")), status: 400},
		{name: "bad visibility", req: formPost("/-/wikis", "root", form("slug", "fine", "visibility", "secret")), status: 400},
		{name: "existing slug", req: formPost("/-/wikis", "root", form("slug", "acme", "visibility", "private")), status: 409},
		{name: "create", req: formPost("/-/wikis", "root", form("slug", "team-notes", "title", "Team notes", "visibility", "internal")), status: 303},
		{name: "new wiki works", req: Request{Path: "/team-notes/?notice=created", As: "root"}, status: 200,
			want: []string{"Team notes", "The wiki was created."}},
		{name: "internal wiki is readable by any signed-in user", req: Request{Path: "/team-notes/", As: nobody}, status: 200},
	})
	for _, slug := range []string{"sneaky", "fine", "admin"} {
		if _, err := ts.Robot.FindWiki(context.Background(), slug); wiki.ErrorCode(err) != wiki.ENOTFOUND {
			t.Errorf("refused creation of %q left a wiki behind (err %v)", slug, err)
		}
	}
}

var secretRE = regexp.MustCompile(`id="warren-secret" class="secret" type="text" value="([^"]+)"`)

// TestUITokens lets a signed-in user create a token (its secret shown
// once), use it, and revoke it; anonymous callers and tokens cannot.
func TestUITokens(t *testing.T) {
	ts := mustUIWiki(t)
	runScenarios(t, ts, []scenario{
		{name: "anonymous must sign in", req: Request{Path: "/-/tokens"}, status: 401},
		{name: "empty list", req: Request{Path: "/-/tokens", As: editor}, status: 200, want: []string{"You have no tokens."}},
		{name: "bad role", req: formPost("/-/tokens", editor, form("name", "x", "role", "root", "expires", "30")), status: 400},
		{name: "bad expiry", req: formPost("/-/tokens", editor, form("name", "x", "role", "viewer", "expires", "-1")), status: 400},
		{name: "scope to an unreadable wiki", req: formPost("/-/tokens", nobody, form("name", "x", "wiki", "acme", "role", "viewer", "expires", "30")), status: 400,
			want: []string{"There is no wiki"}},
	})
	st, hdr, body := ts.Do(t, formPost("/-/tokens", editor, form("name", "laptop", "wiki", "acme", "role", "viewer", "expires", "30")))
	if st != http.StatusCreated || hdr.Get("Cache-Control") != "no-store" {
		t.Fatalf("create token: %d Cache-Control %q\n%s", st, hdr.Get("Cache-Control"), body)
	}
	secret := submatch(t, secretRE, body)
	mustContain(t, "created", body, "laptop", "shown only this once")

	api := Request{Path: "/acme/-/api/pages/Home", Headers: map[string]string{"Authorization": "Bearer " + secret}}
	if st, _, body := ts.Do(t, api); st != 200 {
		t.Fatalf("token does not work: %d %s", st, body)
	}
	list := uiGet(t, ts, "/-/tokens", editor)
	mustNotContain(t, "list", list, secret)
	mustContain(t, "list", list, "laptop", "acme", "viewer")
	if st, _, _ := ts.Do(t, Request{Path: "/-/tokens", Headers: api.Headers}); st != 403 {
		t.Fatalf("a token managed tokens: %d", st)
	}
	id := submatch(t, regexp.MustCompile(`name="id" value="(\d+)"`), list)
	if st, _, _ := ts.Do(t, formPost("/-/tokens/revoke", viewer, form("id", id))); st != 404 {
		t.Fatalf("revoking someone else's token: %d, want 404", st)
	}
	if st, _, _ := ts.Do(t, formPost("/-/tokens/revoke", editor, form("id", id))); st != http.StatusSeeOther {
		t.Fatalf("revoke: %d", st)
	}
	if st, _, _ := ts.Do(t, api); st != 401 {
		t.Fatalf("revoked token still works: %d", st)
	}
}

// TestStaticAssets serves the embedded stylesheet (with the highlighting
// classes) and script, versioned by content hash for long caching.
func TestStaticAssets(t *testing.T) {
	ts := mustUIWiki(t)
	page := uiGet(t, ts, "/acme/", viewer)
	css := submatch(t, regexp.MustCompile(`href="(/-/static/warren\.css\?v=[0-9a-f]+)"`), page)
	for _, path := range []string{css, "/acme" + css} {
		st, hdr, body := ts.Do(t, Request{Path: path})
		if st != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "text/css") {
			t.Fatalf("%s: %d %q", path, st, hdr.Get("Content-Type"))
		}
		if !strings.Contains(hdr.Get("Cache-Control"), "immutable") {
			t.Errorf("%s: Cache-Control %q", path, hdr.Get("Cache-Control"))
		}
		mustContain(t, "css", body, ".chroma", "prefers-color-scheme: dark", "a.wikilink.missing")
	}
	st, hdr, _ := ts.Do(t, Request{Path: "/-/static/warren.css?v=old"})
	if st != 200 || strings.Contains(hdr.Get("Cache-Control"), "immutable") {
		t.Errorf("stale version: %d %q", st, hdr.Get("Cache-Control"))
	}
	// Files served as embedded (not kept on the heap): whole, and by range.
	want, err := os.ReadFile("static/mermaid-init.js")
	if err != nil {
		t.Fatal(err)
	}
	if st, hdr, body := ts.Do(t, Request{Path: "/-/static/mermaid-init.js"}); st != 200 || body != string(want) ||
		!strings.Contains(hdr.Get("Content-Type"), "javascript") {
		t.Errorf("mermaid-init.js: %d %q, %d bytes, want %d", st, hdr.Get("Content-Type"), len(body), len(want))
	}
	if st, _, body := ts.Do(t, Request{Path: "/-/static/mermaid-init.js", Headers: map[string]string{"Range": "bytes=10-19"}}); st != 206 || body != string(want[10:20]) {
		t.Errorf("range of mermaid-init.js: %d %q, want 206 %q", st, body, want[10:20])
	}
	for _, path := range []string{"/-/static/nope.js", "/-/static/../ui.go", "/-/static/%2e%2e/ui.go", "/-/static/"} {
		if st, _, body := ts.Do(t, Request{Path: path}); st == 200 || strings.Contains(body, "package web") {
			t.Errorf("%s: %d, want a refusal\n%s", path, st, body)
		}
	}
}

var idRE = regexp.MustCompile(`\sid="([^"]*)"`)

// TestTemplateIDsArePrefixed keeps warren's element ids apart from the ids
// of user content (heading anchors), which the renderer does not prefix.
func TestTemplateIDsArePrefixed(t *testing.T) {
	err := fs.WalkDir(os.DirFS("."), "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range idRE.FindAllStringSubmatch(string(b), -1) {
			if !strings.HasPrefix(m[1], "warren-") {
				t.Errorf("%s: id %q does not start with warren-", path, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
