package storage_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/warren-wiki/warren/storage"
	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/internal/storetest"
	"github.com/warren-wiki/warren/wiki"
	"github.com/warren-wiki/warren/wiki/markdown"
)

// countingRenderer is the real Markdown renderer, counting its renders so
// tests can prove that a warm view renders nothing.
type countingRenderer struct {
	wiki.Renderer
	n atomic.Int64
}

func (c *countingRenderer) Render(src []byte, opt wiki.RenderOptions) (*wiki.Rendered, error) {
	c.n.Add(1)
	return c.Renderer.Render(src, opt)
}

// testWiki is an open wiki in a temporary directory.
type testWiki struct {
	*storage.Wiki
	Dir      string // DATA/wikis/<slug>
	Renderer *countingRenderer
}

// MustOpenWiki creates a wiki directory whose repository holds files (path
// → content) in one first commit, and opens it with the real renderer.
func MustOpenWiki(tb testing.TB, files map[string]string) *testWiki {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "test")
	if err := os.Mkdir(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	r, err := gitrepo.InitRepo(context.Background(), filepath.Join(dir, "repo.git"), storetest.FileChanges(files),
		"Test Author", "author@example.com", "initial")
	if err != nil {
		tb.Fatalf("InitRepo: %v", err)
	}
	r.Close()
	return mustOpenDir(tb, dir)
}

// mustOpenDir opens an existing wiki directory.
func mustOpenDir(tb testing.TB, dir string) *testWiki {
	tb.Helper()
	cr := &countingRenderer{Renderer: markdown.New()}
	w, err := storage.OpenWiki(context.Background(), dir, "test", cr, "/test/")
	if err != nil {
		tb.Fatalf("OpenWiki: %v", err)
	}
	tb.Cleanup(func() { w.Close() })
	return &testWiki{Wiki: w, Dir: dir, Renderer: cr}
}

// reopen closes the wiki and opens its directory again.
func (tw *testWiki) reopen(tb testing.TB) *testWiki {
	tb.Helper()
	if err := tw.Close(); err != nil {
		tb.Fatalf("Close: %v", err)
	}
	return mustOpenDir(tb, tw.Dir)
}

// bare is the wiki's bare repository directory.
func (tw *testWiki) bare() string { return filepath.Join(tw.Dir, "repo.git") }

// commits counts the commits on main with the git CLI.
func (tw *testWiki) commits(tb testing.TB) int {
	tb.Helper()
	n, err := strconv.Atoi(strings.TrimSpace(storetest.MustGit(tb, tw.bare(), "rev-list", "--count", "main")))
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// mustPage reads a page at HEAD.
func (tw *testWiki) mustPage(tb testing.TB, name string) *wiki.Page {
	tb.Helper()
	p, err := tw.Page(context.Background(), name, "")
	if err != nil {
		tb.Fatalf("Page(%q): %v", name, err)
	}
	return p
}

// mustSave saves and fails the test on error.
func (tw *testWiki) mustSave(tb testing.TB, req wiki.SaveRequest) *wiki.SaveResult {
	tb.Helper()
	if req.Author == nil {
		req.Author = caller("alice")
	}
	res, err := tw.Save(context.Background(), req)
	if err != nil {
		tb.Fatalf("Save(%q): %v", req.Name, err)
	}
	return res
}

// outOfBand commits files with the real git CLI in a clone and pushes the
// result straight into the bare repository, as a server-side script or a
// push that bypasses warren would. extra are arguments to git push.
func (tw *testWiki) outOfBand(tb testing.TB, files map[string]string, msg string, extra ...string) {
	tb.Helper()
	work := filepath.Join(tb.TempDir(), "work")
	storetest.MustGit(tb, filepath.Dir(work), "clone", "-q", "-b", "main", tw.bare(), work)
	for p, content := range files {
		full := filepath.Join(work, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	storetest.MustGit(tb, work, "add", "-A")
	storetest.MustGit(tb, work, "commit", "-q", "-m", msg)
	storetest.MustGit(tb, work, append([]string{"push", "-q"}, append(extra, "origin", "main")...)...)
}

// caller is a signed-in user.
func caller(login string) *wiki.Caller {
	return &wiki.Caller{Login: login, Name: strings.ToUpper(login[:1]) + login[1:], Email: login + "@example.com"}
}

// asConflict unwraps a *wiki.ConflictError or fails.
func asConflict(tb testing.TB, err error) *wiki.ConflictError {
	tb.Helper()
	var ce *wiki.ConflictError
	if !errors.As(err, &ce) {
		tb.Fatalf("error %v is not a *ConflictError", err)
	}
	return ce
}
