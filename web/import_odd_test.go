package web_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/wiki"
)

// oddNames are page files real repositories hold whose names are awkward in
// a URL: dots alone, spaces at the ends, URL delimiters, and the same word
// in NFC and NFD (two different files).
var oddNames = []string{
	"..md", "...md", " Spaced .md", "Q&A #1?.md", "100% done.md", "Caf\u00e9.md", "Cafe\u0301.md",
	"folder/ lead.md", "folder/..md", "x.md.md",
}

// TestImportOddNames: every page file at the tip is reachable through the
// URL the page index links to, and a web edit writes back to that exact
// file.
func TestImportOddNames(t *testing.T) {
	ts := MustStartServer(t)
	f := newFixture(t)
	files := map[string]string{"Home.md": "# Home\n"}
	for i, n := range oddNames {
		files[n] = "# odd " + strings.Repeat("i", i+1) + "\n"
	}
	f.write(files)
	f.commit("odd names")
	f.pushInto(ts, "odd", nil)
	f.assertEveryPageReachable(ts, "odd")

	for _, file := range []string{"..md", "Cafe\u0301.md", " Spaced .md", "Q&A #1?.md"} {
		name, _ := wiki.PageNameOf(file)
		path := "/odd/-/api/pages/" + wiki.EscapePage(name)
		status, hdr, body := ts.Do(t, Request{Path: path, As: "owner"})
		if status != 200 {
			t.Fatalf("GET %s = %d %s", path, status, body)
		}
		status, _, body = ts.Do(t, Request{Method: "PUT", Path: path, As: "owner",
			Headers: map[string]string{"If-Match": hdr.Get("ETag"), "Content-Type": "application/json"},
			Body:    `{"content": "# edited on the web\n"}`})
		if status != 200 {
			t.Fatalf("PUT %s = %d %s", path, status, body)
		}
	}
	clone := filepath.Join(t.TempDir(), "clone")
	mustGitAs(t, "owner", ".", "clone", "-q", ts.URL+"/odd/.git", clone)
	for _, file := range []string{"..md", "Cafe\u0301.md", " Spaced .md", "Q&A #1?.md"} {
		b, err := os.ReadFile(filepath.Join(clone, file))
		if err != nil || string(b) != "# edited on the web\n" {
			t.Errorf("%q after the web edit: %q, %v", file, b, err)
		}
	}
	out := mustGitAs(t, "", clone, "-c", "core.quotepath=false", "ls-files")
	if got, want := len(strings.Split(strings.TrimSpace(out), "\n")), len(oddNames)+1; got != want {
		t.Errorf("the clone has %d files, want %d (a web edit wrote a new file):\n%s", got, want, out)
	}
	if b, _ := os.ReadFile(filepath.Join(clone, "Caf\u00e9.md")); !strings.HasPrefix(string(b), "# odd") {
		t.Errorf("the NFC twin changed with the NFD one: %q", b)
	}
}

// TestImportHistoryWithOddOldPath: a path the page rules refuse, and a
// symlink, that exist only in an old commit do not stop the import; the tip
// is served and the whole history clones back.
func TestImportHistoryWithOddOldPath(t *testing.T) {
	ts := MustStartServer(t)
	f := newFixture(t)
	f.write(map[string]string{"Home.md": "# Home\n", "-draft.md": "# Draft\n", "notes/x.md": "x\n"})
	f.symlink("README.md", "Home.md")
	f.commit("2019: a draft with a leading dash, a symlinked README")
	f.git("mv", "--", "-draft.md", "Draft.md")
	f.git("rm", "-q", "README.md")
	f.commit("rename the draft")
	f.write(map[string]string{"Home.md": "# Home\n\nSee [[Draft]].\n"})
	f.commit("link it")
	f.pushInto(ts, "hist", nil)
	assertLinks(t, ts, "/hist/", map[string]string{"Draft": "/hist/Draft"})
	status, _, body := ts.Do(t, Request{Path: "/hist/-/api/history/Draft?limit=1"})
	if status != 200 || !strings.Contains(body, `"next":""`) && !strings.Contains(body, `"next":"`) {
		t.Errorf("history = %d %s", status, body)
	}
	f.assertEveryPageReachable(ts, "hist")

	// A later push adds a symlink and a submodule entry on top (the index
	// catches up commit by commit here, not from scratch): both stay inert.
	f.symlink("Link.md", "Home.md")
	f.git("update-index", "--add", "--cacheinfo", "160000,"+strings.Repeat("ab", 20)+",vendor/lib")
	f.commit("a symlink and a submodule")
	mustGitAs(t, "owner", f.dir, "push", "-q", ts.URL+"/hist/.git", "main:main")
	for _, path := range []string{"/hist/Link", "/hist/-/files/Link.md", "/hist/vendor/lib", "/hist/-/files/vendor/lib"} {
		if status, _, body := ts.Do(t, Request{Path: path}); status != 404 || strings.Contains(body, "# Home") {
			t.Errorf("GET %s = %d: a symlink or submodule is served", path, status)
		}
	}
	if _, _, index := ts.Do(t, Request{Path: "/hist/-/pages"}); strings.Contains(index, "/hist/Link") {
		t.Errorf("the index lists the symlink:\n%s", index)
	}
	f.assertEveryPageReachable(ts, "hist")
	f.assertClonesBack(ts, "hist")
}
