package web_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/storage"
	"github.com/warren-wiki/warren/storage/robot"
	"github.com/warren-wiki/warren/web"
	"github.com/warren-wiki/warren/wiki"
	"github.com/warren-wiki/warren/wiki/markdown"
)

// The farm-wide cache of rendered views (view_serve.go) answers a warm
// page view without opening its wiki. These tests change a wiki every way
// it can change — a save, a git push, a rename, a settings change, a
// commit made by another process — and read the page on the next request
// after the wiki's handle was closed, as on a farm where the pool evicted
// it. A stale page would be served from the cache; the fresh one can only
// come from a miss.

// mustView GETs a page view as login and fails unless it is a 200.
func mustView(t *testing.T, ts *TestServer, path, as string) string {
	t.Helper()
	st, _, body := ts.Do(t, Request{Path: path, As: as})
	if st != 200 {
		t.Fatalf("GET %s as %q: %d %s", path, as, st, body)
	}
	return body
}

// mustCachedView views a page twice, the second time with the wiki's
// handle closed, and fails unless the second view came from the cache
// (the pool opened nothing) with the very same page.
func mustCachedView(t *testing.T, ts *TestServer, slug, path, as string) string {
	t.Helper()
	first := mustView(t, ts, path, as)
	ts.Pool.Remove(slug)
	opens := ts.Pool.Stats().Misses
	again := mustView(t, ts, path, as)
	if got := ts.Pool.Stats().Misses; got != opens {
		t.Fatalf("GET %s opened the wiki %d times; a cached view needs no open wiki", path, got-opens)
	}
	if again != first {
		t.Fatalf("GET %s from the cache differs from the page rendered", path)
	}
	return again
}

// viewEvicted closes the wiki's handle and GETs the page.
func viewEvicted(t *testing.T, ts *TestServer, slug, path, as string) string {
	t.Helper()
	ts.Pool.Remove(slug)
	return mustView(t, ts, path, as)
}

func TestViewCacheAnswersWithoutOpeningTheWiki(t *testing.T) {
	ts := mustUIWiki(t)
	for _, as := range []string{viewer, editor, owner} {
		body := mustCachedView(t, ts, "acme", "/acme/Team/Meeting%20Notes", as)
		mustContain(t, as+"'s view", body, "Meeting Notes", `title="Signed in as">`+as+`</span>`)
	}
	mustCachedView(t, ts, "acme", "/acme/", viewer) // the home page too
}

func TestViewCacheShowsASaveAtOnce(t *testing.T) {
	ts := mustUIWiki(t)
	mustCachedView(t, ts, "acme", "/acme/Team/Meeting%20Notes", viewer)
	rev := mustGetPage(t, ts, "/acme/-/api/pages/Team/Meeting%20Notes", editor).Revision
	st, _, body := ts.Do(t, Request{Method: "PUT", Path: "/acme/-/api/pages/Team/Meeting%20Notes", As: editor,
		Headers: ifMatchJSON(rev), Body: `{"content":"# Meeting Notes\n\nSaved just now.\n"}`})
	if st != 200 {
		t.Fatalf("save: %d %s", st, body)
	}
	got := viewEvicted(t, ts, "acme", "/acme/Team/Meeting%20Notes", viewer)
	mustContain(t, "view after the save", got, "Saved just now.")
	mustNotContain(t, "view after the save", got, "Agenda")
}

func TestViewCacheShowsAGitPushAtOnce(t *testing.T) {
	ts := mustUIWiki(t)
	mustCachedView(t, ts, "acme", "/acme/Team/Meeting%20Notes", viewer)
	mustCachedView(t, ts, "acme", "/acme/Home", viewer)
	work := filepath.Join(t.TempDir(), "acme")
	mustGitAs(t, editor, ".", "clone", "-q", ts.URL+"/acme/.git", work)
	if err := os.WriteFile(filepath.Join(work, "Team", "Meeting Notes.md"), []byte("# Meeting Notes\n\nPushed by git.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(work, "Missing Page.md"), []byte("# Missing Page\n\nNow here.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mustGitAs(t, editor, work, "add", "-A")
	mustGitAs(t, editor, work, "commit", "-q", "-m", "from git")
	mustGitAs(t, editor, work, "push", "-q", "origin", "main")
	got := viewEvicted(t, ts, "acme", "/acme/Team/Meeting%20Notes", viewer)
	mustContain(t, "view after the push", got, "Pushed by git.")
	mustContain(t, "history footer after the push", got, "from git")
	st, _, _ := ts.Do(t, Request{Path: "/acme/Missing%20Page", As: viewer})
	if st != 200 {
		t.Errorf("page created by the push: %d", st)
	}
}

// TestViewCacheShowsAnotherProcesssCommitAtOnce commits with git straight
// into the bare repository, as an operator or another process would, while
// the wiki's handle stays open: the next view must show it.
func TestViewCacheShowsAnotherProcesssCommitAtOnce(t *testing.T) {
	ts := mustUIWiki(t)
	const page = "/acme/Team/Meeting%20Notes"
	mustCachedView(t, ts, "acme", page, viewer)
	mustView(t, ts, page, viewer) // opens the handle again and keeps it
	repo := filepath.Join(robot.WikiDir(ts.DataDir, "acme"), "repo.git")
	work := filepath.Join(t.TempDir(), "w")
	mustGitAs(t, "", ".", "clone", "-q", repo, work)
	if err := os.WriteFile(filepath.Join(work, "Team", "Meeting Notes.md"), []byte("# Meeting Notes\n\nWritten beside warren.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mustGitAs(t, "", work, "commit", "-q", "-am", "beside warren")
	mustGitAs(t, "", work, "push", "-q", "origin", "main")
	mustContain(t, "view after an outside commit", mustView(t, ts, page, viewer), "Written beside warren.")
}

func TestViewCacheShowsARenameAtOnce(t *testing.T) {
	ts := MustStartServer(t)
	ts.MustCreateWiki(t, "acme", owner, wiki.Private, map[string]string{
		"Old": "# Old\n\nThe old page.\n", "Other": "# Other\n\nSee [[Old]].\n"})
	other := mustCachedView(t, ts, "acme", "/acme/Other", owner)
	mustNotContain(t, "link before the rename", other, `missing`)
	mustCachedView(t, ts, "acme", "/acme/Old", owner)
	rev := mustGetPage(t, ts, "/acme/-/api/pages/Old", owner).Revision
	st, _, body := ts.Do(t, Request{Method: "POST", Path: "/acme/-/api/rename/Old", As: owner,
		Headers: ifMatchJSON(rev), Body: `{"to":"New","rewrite_links":false}`})
	if st != 200 {
		t.Fatalf("rename: %d %s", st, body)
	}
	ts.Pool.Remove("acme")
	st, hdr, _ := ts.Do(t, Request{Path: "/acme/Old", As: owner})
	if st != 301 || hdr.Get("Location") != "/acme/New" {
		t.Errorf("old name after the rename: %d %q, want 301 to /acme/New", st, hdr.Get("Location"))
	}
	got := viewEvicted(t, ts, "acme", "/acme/Other", owner)
	mustContain(t, "link left as written to the renamed page", got, `class="wikilink missing"`)
	mustContain(t, "renamed page", mustView(t, ts, "/acme/New", owner), "The old page.")
}

func TestViewCacheShowsASettingsChangeAtOnce(t *testing.T) {
	ts := mustUIWiki(t)
	const page = "/acme/Team/Meeting%20Notes"
	history := `href="/acme/-/history/Team/Meeting%20Notes"`
	mustContain(t, "history link", mustCachedView(t, ts, "acme", page, viewer), history)

	st, body := patchSettings(t, ts, owner, `{"hide_history_from_viewers":true,"title":"Acme Corp"}`)
	if st != 200 {
		t.Fatalf("PATCH: %d %s", st, body)
	}
	got := viewEvicted(t, ts, "acme", page, viewer)
	mustNotContain(t, "view with history hidden", got, history)
	mustContain(t, "view with the new title", got, "Acme Corp")
	mustCachedView(t, ts, "acme", page, viewer)

	// `warren wiki set` in another process: its own handle on the wiki,
	// while the server keeps its cached view and its open handle.
	mustView(t, ts, page, viewer)
	cliSet(t, ts, "acme", wiki.SettingsPatch{HideHistoryFromViewers: new(false)})
	mustContain(t, "view after the CLI's change", mustView(t, ts, page, viewer), history)
}

// cliSet changes a wiki's settings the way `warren wiki set` does: with a
// handle of its own, beside the server's.
func cliSet(t *testing.T, ts *TestServer, slug string, p wiki.SettingsPatch) {
	t.Helper()
	ctx := context.Background()
	rb, err := robot.OpenRobot(ctx, ts.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer rb.Close()
	store, err := storage.OpenWiki(ctx, robot.WikiDir(ts.DataDir, slug), slug, markdown.New(), "/"+slug+"/")
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if _, err := web.ApplySettings(ctx, rb, store, "cli", slug, p); err != nil {
		t.Fatal(err)
	}
}

// TestViewCacheKeepsWikisApart: two wikis with the very same pages (the
// same blobs) never answer with each other's view, a change to one leaves
// the other's cached view alone, and a caller who may read one of them
// cannot read the other through the cache.
func TestViewCacheKeepsWikisApart(t *testing.T) {
	ts := MustStartServer(t)
	same := map[string]string{"Same": "# Same\n\nIdentical text, see [[Home]].\n"}
	ts.MustCreateWiki(t, "acme", owner, wiki.Private, same)
	ts.MustCreateWiki(t, "beta", owner, wiki.Private, same)
	ts.MustGrant(t, "acme", viewer, wiki.RoleViewer)
	a := mustCachedView(t, ts, "acme", "/acme/Same", owner)
	b := mustCachedView(t, ts, "beta", "/beta/Same", owner)
	mustContain(t, "acme's view", a, `href="/acme/Home"`)
	mustNotContain(t, "acme's view", a, "/beta/")
	mustContain(t, "beta's view", b, `href="/beta/Home"`)
	mustNotContain(t, "beta's view", b, "/acme/")

	mustCachedView(t, ts, "acme", "/acme/Same", viewer)
	if st, _, _ := ts.Do(t, Request{Path: "/beta/Same", As: viewer}); st != 404 {
		t.Errorf("viewer of acme reading beta's cached page: %d, want 404", st)
	}
	rev := mustGetPage(t, ts, "/beta/-/api/pages/Same", owner).Revision
	if st, _, body := ts.Do(t, Request{Method: "PUT", Path: "/beta/-/api/pages/Same", As: owner,
		Headers: ifMatchJSON(rev), Body: `{"content":"# Same\n\nChanged in beta.\n"}`}); st != 200 {
		t.Fatalf("save: %d %s", st, body)
	}
	mustContain(t, "beta after its save", viewEvicted(t, ts, "beta", "/beta/Same", owner), "Changed in beta.")
	if got := mustCachedView(t, ts, "acme", "/acme/Same", owner); got != a {
		t.Errorf("acme's view changed with beta's save")
	}
}

// TestViewCacheFollowsTheCaller: each caller sees their own name and what
// their role allows, and a revoked grant applies to the very next view.
func TestViewCacheFollowsTheCaller(t *testing.T) {
	ts := mustUIWiki(t)
	ts.MustGrant(t, "acme", "val", wiki.RoleViewer)
	const page = "/acme/Team/Meeting%20Notes"
	edit := `href="/acme/-/edit/Team/Meeting%20Notes"`
	mustCachedView(t, ts, "acme", page, viewer)
	got := mustCachedView(t, ts, "acme", page, "val")
	mustContain(t, "val's view", got, `title="Signed in as">val</span>`)
	mustNotContain(t, "val's view", got, ">"+viewer+"</span>", edit)
	mustContain(t, "editor's view", mustCachedView(t, ts, "acme", page, editor), edit)
	if err := ts.Robot.RevokeGrant(context.Background(), "test", "acme", "val"); err != nil {
		t.Fatal(err)
	}
	if st, _, _ := ts.Do(t, Request{Path: page, As: "val"}); st != 404 {
		t.Errorf("view after the grant was revoked: %d, want 404", st)
	}
	if st, _, _ := ts.Do(t, Request{Path: page}); st != 404 {
		t.Errorf("anonymous view of a private wiki: %d, want 404", st)
	}
}

// TestViewCacheEscapesTheCallersName: the name spliced into a cached page
// is escaped as the template escapes it.
func TestViewCacheEscapesTheCallersName(t *testing.T) {
	ts := mustUIWiki(t)
	ts.MustGrant(t, "acme", `o'<b>"+x`, wiki.RoleViewer)
	mustView(t, ts, "/acme/Home", viewer)
	got := mustCachedView(t, ts, "acme", "/acme/Home", `o'<b>"+x`)
	mustContain(t, "escaped name", got, `>o&#39;&lt;b&gt;&#34;&#43;x</span>`)
	if strings.Contains(got, "<b>") {
		t.Errorf("the caller's name reached the page unescaped")
	}
}

// BenchmarkCachedView measures a warm page view answered from the cache
// through the whole handler chain (no network): identity, robot.db's
// cached row and role, the stamp, the splice of the caller's name.
func BenchmarkCachedView(b *testing.B) {
	ts := MustStartServer(b, func(s *web.Server) { s.Logger = slog.New(slog.DiscardHandler) })
	ts.MustCreateWiki(b, "acme", owner, wiki.Public, map[string]string{"Page": notesPage})
	ts.MustGrant(b, "acme", viewer, wiki.RoleViewer)
	req := httptest.NewRequest("GET", "/acme/Page", nil)
	req.RemoteAddr = "127.0.0.1:40000"
	req.Header.Set("X-Forwarded-User", viewer)
	ts.Server.ServeHTTP(httptest.NewRecorder(), req)
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		ts.Server.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatal(rec.Code)
		}
	}
}

// TestViewCacheForgetsAWikiCreatedAgain: another process deletes a wiki and
// creates it again under the same name with the same pages (the same
// commit, when it happens within a second) but another link style; the
// next view shows the new wiki, not the page cached for the old one.
func TestViewCacheForgetsAWikiCreatedAgain(t *testing.T) {
	ts := MustStartServer(t)
	pages := map[string]string{"Links": "# Links\n\nSee [[Start|Home]].\n"}
	ts.MustCreateWiki(t, "acme", owner, wiki.Private, pages)
	mustContain(t, "text|page link", mustCachedView(t, ts, "acme", "/acme/Links", owner), `href="/acme/Home"`)

	ctx := context.Background()
	cli, err := robot.OpenRobot(ctx, ts.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	if err := cli.DeleteWiki(ctx, "cli", "acme"); err != nil {
		t.Fatal(err)
	}
	ts.MustCreateWiki(t, "acme", owner, wiki.Private, pages)
	p := wiki.DefaultPreferences()
	p.LinkStyle = wiki.LinkPageText
	if err := storage.SeedPreferences(ctx, robot.WikiDir(ts.DataDir, "acme"), p); err != nil {
		t.Fatal(err)
	}
	got := mustView(t, ts, "/acme/Links", owner)
	mustContain(t, "page|text link in the new wiki", got, `href="/acme/-/edit/Start"`)
}

// TestViewCacheRecentChanges: the first screen of recent changes is kept
// like a page view; a save shows on it at once, and hiding the history
// from viewers turns it into a 404 at once, though it was cached.
func TestViewCacheRecentChanges(t *testing.T) {
	ts := mustUIWiki(t)
	const changes = "/acme/-/changes"
	mustCachedView(t, ts, "acme", changes, viewer)
	rev := mustGetPage(t, ts, "/acme/-/api/pages/Team/Meeting%20Notes", editor).Revision
	st, _, body := ts.Do(t, Request{Method: "PUT", Path: "/acme/-/api/pages/Team/Meeting%20Notes", As: editor,
		Headers: ifMatchJSON(rev), Body: `{"content":"# Meeting Notes\n\nSaved.\n","message":"a change seen at once"}`})
	if st != 200 {
		t.Fatalf("save: %d %s", st, body)
	}
	mustContain(t, "changes after the save", viewEvicted(t, ts, "acme", changes, viewer), "a change seen at once")
	mustCachedView(t, ts, "acme", changes, viewer)

	if st, body := patchSettings(t, ts, owner, `{"hide_history_from_viewers":true}`); st != 200 {
		t.Fatalf("PATCH: %d %s", st, body)
	}
	if st, _, _ := ts.Do(t, Request{Path: changes, As: viewer}); st != 404 {
		t.Errorf("cached recent changes with history hidden from viewers: %d, want 404", st)
	}
	mustCachedView(t, ts, "acme", changes, editor) // editors still see it, cached
}
