package web_test

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/warren-wiki/warren/storage"
	"github.com/warren-wiki/warren/wiki"
)

// Wikis from other products are built here as real git repositories,
// pushed into warren with the real git client and then read back through
// the web, as someone moving their wiki in would.

// fixture is a repository being built: a work tree with its own history.
type fixture struct {
	t   *testing.T
	dir string
}

// newFixture starts an empty repository on branch main.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{t: t, dir: t.TempDir()}
	f.git("init", "-q", "-b", "main")
	return f
}

// git runs git in the fixture's work tree (no user configuration).
func (f *fixture) git(args ...string) string {
	f.t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=Fixture", "-c", "user.email=f@example.org",
		"-c", "core.quotepath=false", "-c", "core.precomposeunicode=false"}, args...)...)
	cmd.Dir = f.dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+f.dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		f.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// write puts files (path → content) into the work tree.
func (f *fixture) write(files map[string]string) {
	f.t.Helper()
	for p, content := range files {
		full := filepath.Join(f.dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			f.t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			f.t.Fatal(err)
		}
	}
}

// symlink adds a symbolic link at p pointing to target.
func (f *fixture) symlink(p, target string) {
	f.t.Helper()
	if err := os.Symlink(target, filepath.Join(f.dir, filepath.FromSlash(p))); err != nil {
		f.t.Fatal(err)
	}
}

// commit records everything in the work tree.
func (f *fixture) commit(msg string) {
	f.t.Helper()
	f.git("add", "-A", "--", ".")
	f.git("commit", "-q", "-m", msg)
}

// pushInto creates a public wiki owned by "owner" (optionally with its
// first preferences) and force-pushes the fixture's main into it as the
// owner.
func (f *fixture) pushInto(ts *TestServer, slug string, prefs *wiki.Preferences) {
	f.t.Helper()
	ts.MustCreateWiki(f.t, slug, "owner", wiki.Public, nil)
	if prefs != nil {
		if err := storage.SeedPreferences(context.Background(), ts.Robot.WikiDir(slug), *prefs); err != nil {
			f.t.Fatal(err)
		}
	}
	mustGitAs(f.t, "owner", f.dir, "push", "-q", "--force", ts.URL+"/"+slug+"/.git", "main:main")
}

// tipPages lists the page files of the fixture's tip (regular files only).
func (f *fixture) tipPages() []string {
	f.t.Helper()
	var out []string
	for _, line := range strings.Split(f.git("ls-tree", "-r", "-z", "HEAD"), "\x00") {
		meta, p, ok := strings.Cut(line, "\t")
		if !ok || !strings.HasPrefix(meta, "100") {
			continue
		}
		if strings.HasSuffix(strings.ToLower(p), ".md") {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

// assertClonesBack clones the wiki and checks it holds the fixture's
// history exactly (same commit ids, hence the same bytes) and that both
// the clone and warren's repository pass git fsck.
func (f *fixture) assertClonesBack(ts *TestServer, slug string) {
	f.t.Helper()
	clone := filepath.Join(f.t.TempDir(), "clone")
	mustGitAs(f.t, "owner", ".", "clone", "-q", ts.URL+"/"+slug+"/.git", clone)
	want := strings.TrimSpace(f.git("rev-parse", "HEAD"))
	if got := strings.TrimSpace(mustGitAs(f.t, "", clone, "rev-parse", "HEAD")); got != want {
		f.t.Errorf("clone HEAD = %s, want %s", got, want)
	}
	if a, b := f.git("ls-tree", "-r", "HEAD"), mustGitAs(f.t, "", clone, "ls-tree", "-r", "HEAD"); a != b {
		f.t.Errorf("clone tree differs:\n%s\nwant\n%s", b, a)
	}
	mustGitAs(f.t, "", clone, "fsck", "--full", "--strict", "--no-dangling")
	bare := filepath.Join(ts.Robot.WikiDir(slug), "repo.git")
	mustGitAs(f.t, "", bare, "fsck", "--full", "--no-dangling")
}

// assertEveryPageReachable opens every page file of the tip at the URL the
// page index of its folder links to (chrome pages, which the index leaves
// out, at their own URL).
func (f *fixture) assertEveryPageReachable(ts *TestServer, slug string) {
	f.t.Helper()
	pages := f.tipPages()
	if len(pages) == 0 {
		f.t.Fatal("the fixture has no pages")
	}
	for _, file := range pages {
		name, _ := wiki.PageNameOf(file)
		href := "/" + slug + "/" + wiki.EscapePage(name)
		if !wiki.IsChromePage(name) {
			prefix := ""
			if i := strings.LastIndex(name, "/"); i >= 0 {
				prefix = name[:i+1]
			}
			_, _, index := ts.Do(f.t, Request{Path: "/" + slug + "/-/pages?prefix=" + url.QueryEscape(prefix)})
			if !hasHref(index, href) {
				f.t.Errorf("the index of %q does not link %s (page file %q)", prefix, href, file)
			}
		}
		status, _, body := ts.Do(f.t, Request{Path: href})
		if status != 200 || !strings.Contains(body, `class="markdown"`) {
			f.t.Errorf("GET %s (page file %q) = %d", href, file, status)
		}
	}
}

// anchors lists the <a> and <img> elements of an HTML page as label → URL
// (an image's label is its alt text, prefixed "img:").
func anchors(t *testing.T, page string) map[string]string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "a" {
			if _, seen := out[textOf(n)]; !seen {
				out[textOf(n)] = attrOf(n, "href")
			}
		}
		if n.Type == html.ElementNode && n.Data == "img" {
			out["img:"+attrOf(n, "alt")] = attrOf(n, "src")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.TrimSpace(b.String())
}

func attrOf(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// hasHref reports whether an HTML page links to href exactly.
func hasHref(page, href string) bool {
	return strings.Contains(page, `href="`+html.EscapeString(href)+`"`)
}

// assertLinks checks that the page at path shows each label linking to
// its URL, as the source product would resolve it.
func assertLinks(t *testing.T, ts *TestServer, path string, want map[string]string) {
	t.Helper()
	status, _, body := ts.Do(t, Request{Path: path})
	if status != 200 {
		t.Fatalf("GET %s = %d", path, status)
	}
	got := anchors(t, body)
	for label, href := range want {
		if got[label] != href {
			t.Errorf("%s: %q links to %q, want %q", path, label, got[label], href)
		}
	}
}
