package web_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/wiki"
)

// putPage writes a page through the API and returns its new revision.
func putPage(t *testing.T, ts *TestServer, path, as, content, rev string) string {
	t.Helper()
	h := map[string]string{"Content-Type": "application/json"}
	if rev != "" {
		h["If-Match"] = `"` + rev + `"`
	}
	st, _, body := ts.Do(t, Request{Method: "PUT", Path: path, As: as, Headers: h, Body: fmt.Sprintf(`{"content":%q}`, content)})
	if st != 200 && st != 201 {
		t.Fatalf("PUT %s: %d %s", path, st, body)
	}
	var out struct{ Revision string }
	MustJSON(t, body, &out)
	return out.Revision
}

func ifMatchJSON(rev string) map[string]string {
	return map[string]string{"Content-Type": "application/json", "If-Match": `"` + rev + `"`}
}

// TestAPIRawAndBlame: raw source as UTF-8 text at HEAD and at a revision;
// blame lines with their commits; missing pages 404.
func TestAPIRawAndBlame(t *testing.T) {
	ts := MustStartServer(t)
	ts.MustCreateWiki(t, "acme", "alice", wiki.Private, nil)
	v1 := putPage(t, ts, "/acme/-/api/pages/Notes", "alice", "# Notes\n\nfirst\n", "")
	v2 := putPage(t, ts, "/acme/-/api/pages/Notes", "alice", "# Notes\n\nfirst\nsecond\n", v1)

	st, hdr, body := ts.Do(t, Request{Path: "/acme/-/api/raw/Notes", As: "alice"})
	if st != 200 || hdr.Get("Content-Type") != "text/plain; charset=utf-8" || body != "# Notes\n\nfirst\nsecond\n" {
		t.Errorf("raw = %d %q %q", st, hdr.Get("Content-Type"), body)
	}
	if st, _, body = ts.Do(t, Request{Path: "/acme/-/api/raw/Notes?revision=" + v1, As: "alice"}); st != 200 || body != "# Notes\n\nfirst\n" {
		t.Errorf("raw at v1 = %d %q", st, body)
	}
	st, _, body = ts.Do(t, Request{Path: "/acme/-/api/blame/Notes", As: "alice"})
	var blame struct {
		Lines []struct {
			Line            int
			Text, Commit    string
			Author, Message string
		}
	}
	MustJSON(t, body, &blame)
	if st != 200 || len(blame.Lines) != 4 || blame.Lines[2].Commit != v1 || blame.Lines[3].Commit != v2 || blame.Lines[3].Text != "second" {
		t.Errorf("blame = %d %+v", st, blame)
	}
	for _, c := range []struct{ name, path string }{
		{"RawOfMissingPage", "/acme/-/api/raw/Nope"},
		{"BlameOfMissingPage", "/acme/-/api/blame/Nope"},
		{"RawAtRevisionWithoutPage", "/acme/-/api/raw/Nope?revision=" + v1},
	} {
		if st, _, _ := ts.Do(t, Request{Path: c.path, As: "alice"}); st != 404 {
			t.Errorf("%s: %d, want 404", c.name, st)
		}
	}
	if st, _, _ := ts.Do(t, Request{Path: "/acme/-/api/raw/Notes?revision=HEAD~1", As: "alice"}); st != 400 {
		t.Errorf("RawAtRevisionExpression: %d, want 400", st)
	}
	if st, _, _ := ts.Do(t, Request{Path: "/acme/-/api/raw/Notes", As: "mallory"}); st != 404 {
		t.Errorf("RawByStranger: %d, want 404", st)
	}
}

// TestAPIRestoreAndRevert: restore and revert round trips through the API,
// with stale revisions (412), conflicts (409) and merges refused, changing
// nothing.
func TestAPIRestoreAndRevert(t *testing.T) {
	ts := MustStartServer(t)
	ts.MustCreateWiki(t, "acme", "alice", wiki.Private, nil)
	u := "/acme/-/api/pages/Notes"
	v1 := putPage(t, ts, u, "alice", "# Notes\n\none\n", "")
	v2 := putPage(t, ts, u, "alice", "# Notes\n\none\ntwo\n", v1)

	restore := func(rev, base string) (int, string) {
		st, _, body := ts.Do(t, Request{Method: "POST", Path: "/acme/-/api/restore/Notes", As: "alice",
			Headers: ifMatchJSON(base), Body: `{"revision":"` + rev + `"}`})
		return st, body
	}
	if st, body := restore(v1, v1); st != 412 {
		t.Fatalf("restore on a stale revision: %d %s", st, body)
	}
	st, _, _ := ts.Do(t, Request{Method: "POST", Path: "/acme/-/api/restore/Notes", As: "alice", Body: `{"revision":"` + v1 + `"}`})
	if st != 428 {
		t.Errorf("restore without If-Match: %d, want 428", st)
	}
	st, body := restore(v1, v2)
	var out struct{ Revision, Commit string }
	MustJSON(t, body, &out)
	if st != 200 || mustGetPage(t, ts, u, "alice").Content != "# Notes\n\none\n" {
		t.Fatalf("restore: %d %s", st, body)
	}
	v3 := out.Revision

	// Revert v2 (which added "two"): already undone by the restore.
	if st, _, body := ts.Do(t, Request{Method: "POST", Path: "/acme/-/api/revert/" + v2, As: "alice"}); st != 400 {
		t.Errorf("revert of an undone change: %d %s", st, body)
	}
	// Revert the restore itself: "two" comes back.
	st, _, body = ts.Do(t, Request{Method: "POST", Path: "/acme/-/api/revert/" + v3, As: "alice"})
	MustJSON(t, body, &out)
	if st != 200 || out.Commit == "" || mustGetPage(t, ts, u, "alice").Content != "# Notes\n\none\ntwo\n" {
		t.Fatalf("revert: %d %s", st, body)
	}
	// A later edit overlapping v2's change makes reverting v2 a conflict.
	cur := mustGetPage(t, ts, u, "alice").Revision
	putPage(t, ts, u, "alice", "# Notes\n\none\ntwo, edited\n", cur)
	before := mustGetPage(t, ts, u, "alice")
	if st, _, body := ts.Do(t, Request{Method: "POST", Path: "/acme/-/api/revert/" + v2, As: "alice"}); st != 409 {
		t.Errorf("conflicting revert: %d %s", st, body)
	}
	if st, _, _ := ts.Do(t, Request{Method: "POST", Path: "/acme/-/api/revert/" + v1, As: "alice", Headers: ifMatchJSON(v1)}); st != 412 {
		t.Errorf("revert against a stale head: %d", st)
	}
	if st, _, _ := ts.Do(t, Request{Method: "POST", Path: "/acme/-/api/revert/" + v1, As: "bob"}); st != 404 {
		t.Errorf("revert by a stranger: %d", st)
	}
	if after := mustGetPage(t, ts, u, "alice"); after.Revision != before.Revision {
		t.Error("a refused revert changed the page")
	}
	// The commit view names what changed.
	st, _, body = ts.Do(t, Request{Path: "/acme/-/api/commits/" + v2, As: "alice"})
	var c wiki.Commit
	MustJSON(t, body, &c)
	if st != 200 || len(c.Parents) != 1 || c.Parents[0] != v1 || len(c.Changes) != 1 || c.Changes[0].Added != 1 {
		t.Errorf("commit = %d %+v", st, c)
	}
	if !strings.Contains(body, `"op":"+"`) || !strings.Contains(body, `"new":4`) {
		t.Errorf("commit diff lacks ops or line numbers: %s", body)
	}
}

// TestAPIRenameAndRedirect: rename through the API rewrites links and the
// old URL answers 301; refusals move nothing.
func TestAPIRenameAndRedirect(t *testing.T) {
	ts := MustStartServer(t)
	ts.MustCreateWiki(t, "acme", "alice", wiki.Private, nil)
	rev := putPage(t, ts, "/acme/-/api/pages/Old", "alice", "# Old\n", "")
	putPage(t, ts, "/acme/-/api/pages/Other", "alice", "# Other\n\nsee [[Old]] and [it](Old.md)\n", "")
	for _, c := range []struct {
		name, to string
		status   int
	}{
		{"OntoExistingPage", "other", 409},
		{"InvalidName", "bad\x01name", 400},
		{"OutOfTheWiki", "../../etc/x", 400},
		{"IntoGitDir", ".git/hooks/x", 400},
	} {
		to, _ := json.Marshal(c.to)
		st, _, body := ts.Do(t, Request{Method: "POST", Path: "/acme/-/api/rename/Old", As: "alice",
			Headers: ifMatchJSON(rev), Body: `{"to":` + string(to) + `}`})
		if st != c.status || !strings.Contains(body, `"code"`) || strings.Contains(body, "malformed") {
			t.Errorf("%s: %d %s, want %d", c.name, st, body, c.status)
		}
	}
	st, _, body := ts.Do(t, Request{Method: "POST", Path: "/acme/-/api/rename/Old", As: "alice",
		Headers: ifMatchJSON(strings.Repeat("a", 40)), Body: `{"to":"New"}`})
	if st != 412 {
		t.Errorf("StaleRevision: %d %s", st, body)
	}
	st, _, body = ts.Do(t, Request{Method: "POST", Path: "/acme/-/api/rename/Old", As: "alice",
		Headers: ifMatchJSON(rev), Body: `{"to":"Archive/New","rewrite_links":true}`})
	var res struct{ Path, Revision string }
	MustJSON(t, body, &res)
	if st != 200 || res.Path != "Archive/New" || res.Revision == "" {
		t.Fatalf("rename: %d %s", st, body)
	}
	if got := mustGetPage(t, ts, "/acme/-/api/pages/Other", "alice").Content; got != "# Other\n\nsee [[Old|Archive/New]] and [it](Archive/New.md)\n" {
		t.Errorf("links not rewritten: %q", got)
	}
	st, hdr, _ := ts.Do(t, Request{Path: "/acme/Old", As: "alice"})
	if st != 301 || hdr.Get("Location") != "/acme/Archive/New" {
		t.Errorf("old URL: %d %q", st, hdr.Get("Location"))
	}
}

// TestGitMvRedirects: a page renamed with `git mv` and pushed with the real
// git client redirects from its old URL like a rename made in warren.
func TestGitMvRedirects(t *testing.T) {
	ts := MustStartServer(t)
	ts.MustCreateWiki(t, "acme", "alice", wiki.Private, map[string]string{"Draft Plan": "# Draft plan\n\nsteps\n"})
	work := filepath.Join(t.TempDir(), "acme")
	mustGitAs(t, "alice", ".", "clone", "-q", ts.URL+"/acme/.git", work)
	mustGitAs(t, "alice", work, "mv", "Draft Plan.md", "Plan.md")
	mustGitAs(t, "alice", work, "commit", "-q", "-m", "rename with git")
	mustGitAs(t, "alice", work, "push", "-q", "origin", "main")
	st, hdr, _ := ts.Do(t, Request{Path: "/acme/Draft%20Plan", As: "alice"})
	if st != 301 || hdr.Get("Location") != "/acme/Plan" {
		t.Errorf("old URL after git mv: %d %q", st, hdr.Get("Location"))
	}
	if st, _, _ := ts.Do(t, Request{Path: "/acme/Never%20Existed", As: "alice"}); st != 404 {
		t.Errorf("a page that never existed: %d, want 404", st)
	}
}

// TestAPISearchPaging: totals, prefixes and real paging with next.
func TestAPISearchPaging(t *testing.T) {
	ts := MustStartServer(t)
	pages := map[string]string{}
	for i := range 23 {
		pages[fmt.Sprintf("Cluster %02d", i)] = fmt.Sprintf("# Cluster %02d\n\nKubernetes notes %d\n", i, i)
	}
	ts.MustCreateWiki(t, "acme", "alice", wiki.Private, pages)
	seen := map[string]bool{}
	after := ""
	for screens := 0; screens < 10; screens++ {
		st, _, body := ts.Do(t, Request{Path: "/acme/-/api/search?q=kube&limit=10&after=" + after, As: "alice"})
		var res wiki.SearchResult
		MustJSON(t, body, &res)
		if st != 200 || res.Total != 23 {
			t.Fatalf("search: %d %s", st, body)
		}
		for _, h := range res.Hits {
			seen[h.Name] = true
		}
		if after = res.Next; after == "" {
			break
		}
	}
	if len(seen) != 23 {
		t.Errorf("paging saw %d pages, want 23", len(seen))
	}
	for _, bad := range []string{"/acme/-/api/search?q=", "/acme/-/api/search?q=kube&after=zz", "/acme/-/api/search?q=kube&limit=0"} {
		if st, _, _ := ts.Do(t, Request{Path: bad, As: "alice"}); st != 400 {
			t.Errorf("%s: %d, want 400", bad, st)
		}
	}
}

// atomDoc is what a feed reader reads of an Atom feed.
type atomDoc struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Entries []struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Author  struct {
			Name string `xml:"name"`
		} `xml:"author"`
		Summary string `xml:"summary"`
	} `xml:"entry"`
}

// TestFeeds: the wiki's and a page's feeds parse as Atom with author, date,
// message and diff size; a private wiki's feed challenges anonymous
// readers and opens to a token over HTTP Basic; the HTML head links them.
func TestFeeds(t *testing.T) {
	ts := MustStartServer(t)
	ts.MustCreateWiki(t, "acme", "alice", wiki.Private, nil)
	rev := putPage(t, ts, "/acme/-/api/pages/Notes", "alice", "# Notes\n\none\n", "")
	putPage(t, ts, "/acme/-/api/pages/Notes", "alice", "# Notes\n\none\ntwo\nthree\n", rev)
	tok, _, err := ts.Robot.CreateToken(context.Background(), "alice", "feeds", "acme", wiki.RoleViewer, noExpiry)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/acme/-/feed", "/acme/-/feed/Notes"} {
		st, hdr, body := ts.Do(t, Request{Path: path, Headers: basic(tok)})
		if st != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "application/atom+xml") {
			t.Fatalf("%s: %d %q", path, st, hdr.Get("Content-Type"))
		}
		var f atomDoc
		if err := xml.Unmarshal([]byte(body), &f); err != nil {
			t.Fatalf("%s is not Atom: %v\n%s", path, err, body)
		}
		if len(f.Entries) < 2 || f.Entries[0].Author.Name == "" || f.Entries[0].Updated == "" ||
			!strings.Contains(f.Entries[0].Summary, "+2 −0") || !strings.Contains(f.Entries[0].Title, "Notes") {
			t.Errorf("%s entries = %+v", path, f.Entries)
		}
		st, _, _ = ts.Do(t, Request{Path: path, Headers: map[string]string{"If-None-Match": hdr.Get("ETag"),
			"Authorization": basic(tok)["Authorization"]}})
		if st != 304 {
			t.Errorf("%s unchanged: %d, want 304", path, st)
		}
	}
	st, hdr, _ := ts.Do(t, Request{Path: "/acme/-/feed"})
	if st != 401 || !strings.HasPrefix(hdr.Get("WWW-Authenticate"), "Basic") {
		t.Errorf("anonymous feed of a private wiki: %d %q", st, hdr.Get("WWW-Authenticate"))
	}
	if st, _, _ := ts.Do(t, Request{Path: "/acme/-/feed", As: "mallory"}); st != 404 {
		t.Errorf("feed for a stranger: %d, want 404", st)
	}
	if st, _, _ := ts.Do(t, Request{Path: "/acme/-/feed/Nope", Headers: basic(tok)}); st != 404 {
		t.Errorf("feed of a missing page: %d, want 404", st)
	}
	_, _, page := ts.Do(t, Request{Path: "/acme/Notes", As: "alice"})
	if !strings.Contains(page, `<link rel="alternate" type="application/atom+xml" title="Recent changes" href="/acme/-/feed">`) ||
		!strings.Contains(page, `href="/acme/-/feed/Notes"`) {
		t.Error("the page head does not link the feeds")
	}
}
