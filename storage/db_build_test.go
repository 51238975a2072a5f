package storage_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"
	"github.com/warren-wiki/warren/storage"
	"github.com/warren-wiki/warren/wiki"
	"github.com/warren-wiki/warren/wiki/markdown"
)

// buildFiles is a small wiki that fills every derived table: links, tags,
// aliases, a folder page, a file that is not a page.
var buildFiles = map[string]string{
	"Home.md":        "# Home\n\nSee [[Guide/Start]] and [[Missing]].\n",
	"Guide/Start.md": "---\ntitle: Getting started\ntags: [Intro, howto]\naliases: [Begin]\n---\nRead [[Home]].\n",
	"notes.txt":      "not a page\n",
	"img/logo.svg":   "<svg/>",
}

// derivedTables lists what the indexer writes, in a stable order.
var derivedTables = []string{
	"SELECT name, lname, title, blob, revision, file, nkey, nbase, chrome FROM pages ORDER BY name",
	"SELECT p.name, f.name, f.title, f.body, f.fold FROM pages_fts f JOIN pages p ON p.rowid = f.rowid ORDER BY p.name",
	"SELECT p.name, t.name, t.title FROM titles_fts t JOIN pages p ON p.rowid = t.rowid ORDER BY p.name",
	"SELECT src, dst, dkey FROM links ORDER BY src, dst",
	"SELECT revision, page, action, author, message FROM changes ORDER BY page, revision",
	"SELECT page, tag, label FROM page_tags ORDER BY page, tag",
	"SELECT akey, page FROM aliases ORDER BY akey",
	"SELECT path, lpath, lbase, blob FROM files ORDER BY path",
	"SELECT lname, target, revision FROM redirects ORDER BY lname",
	"SELECT blob, renderer_version, html, toc FROM render_cache ORDER BY blob",
	"SELECT key, value FROM meta WHERE key = 'indexed_commit'",
}

// dumpDerived reads every derived table as text.
func dumpDerived(tb testing.TB, db *sqlx.DB) []string {
	tb.Helper()
	var out []string
	for _, q := range derivedTables {
		rows, err := db.Queryx(q)
		if err != nil {
			tb.Fatalf("%s: %v", q, err)
		}
		for rows.Next() {
			cols, err := rows.SliceScan()
			if err != nil {
				tb.Fatal(err)
			}
			out = append(out, fmt.Sprintf("%.40s %q", q, cols))
		}
		rows.Close()
	}
	return out
}

// TestOpenWikiBuildsCompleteIndex: the index a new wiki.db is built with
// is the index a full rebuild of the same commit writes, table by table,
// and the new file passes SQLite's integrity check.
func TestOpenWikiBuildsCompleteIndex(t *testing.T) {
	ctx := context.Background()
	w := MustOpenWiki(t, buildFiles)
	built := dumpDerived(t, w.DB.R)
	if len(built) == 0 || !strings.Contains(strings.Join(built, "\n"), "Getting started") {
		t.Fatalf("the built index misses pages:\n%s", strings.Join(built, "\n"))
	}
	var check string
	if err := w.DB.R.Get(&check, "PRAGMA integrity_check"); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
	if _, err := w.DB.W.Exec(`DELETE FROM meta WHERE key = 'indexed_commit'`); err != nil {
		t.Fatal(err)
	}
	w = w.reopen(t) // no watermark: the open rebuilds on the live file
	if rebuilt := dumpDerived(t, w.DB.R); !reflect.DeepEqual(built, rebuilt) {
		t.Fatalf("built index differs from a rebuild:\nbuilt:\n%s\nrebuilt:\n%s", strings.Join(built, "\n"), strings.Join(rebuilt, "\n"))
	}
	if res, err := w.Search(ctx, "started", 10, ""); err != nil || len(res.Hits) == 0 {
		t.Fatalf("Search(started) = %v, %v", res, err)
	}
}

// TestOpenWikiBuildsOnePageOfTwoFiles: a new wiki.db's build skips the
// lookups and deletes of a page's first write, but not of its second, when
// two files are one page (Notes.md and Notes.MD): the built index is still
// the one a rebuild on the live file writes.
func TestOpenWikiBuildsOnePageOfTwoFiles(t *testing.T) {
	w := MustOpenWiki(t, map[string]string{
		"Home.md":  "# Home\n",
		"Notes.MD": "---\ntags: [old]\naliases: [Jottings]\n---\nSee [[Home]], old text.\n",
		"Notes.md": "---\ntags: [new]\naliases: [Scribbles]\n---\nSee [[Guide]], new text.\n",
	})
	built := dumpDerived(t, w.DB.R)
	var pages int
	if err := w.DB.R.Get(&pages, `SELECT count(*) FROM pages_fts`); err != nil || pages != 2 {
		t.Fatalf("search rows = %d, %v; want 2 (Home, Notes)", pages, err)
	}
	if _, err := w.DB.W.Exec(`DELETE FROM meta WHERE key = 'indexed_commit'`); err != nil {
		t.Fatal(err)
	}
	w = w.reopen(t)
	if rebuilt := dumpDerived(t, w.DB.R); !reflect.DeepEqual(built, rebuilt) {
		t.Fatalf("built index differs from a rebuild:\nbuilt:\n%s\nrebuilt:\n%s", strings.Join(built, "\n"), strings.Join(rebuilt, "\n"))
	}
}

// abortingRenderer cancels the open's context on its first render, so the
// build of a new wiki.db fails half-way through writing the index.
type abortingRenderer struct {
	wiki.Renderer
	cancel context.CancelFunc
}

func (a *abortingRenderer) Render(src []byte, opt wiki.RenderOptions) (*wiki.Rendered, error) {
	a.cancel()
	return a.Renderer.Render(src, opt)
}

// TestOpenWikiBuildAbortedLeavesNoDB: a first open whose index build fails
// half-way leaves neither a wiki.db nor its build file, and the next open
// builds the whole thing.
func TestOpenWikiBuildAbortedLeavesNoDB(t *testing.T) {
	w := MustOpenWiki(t, buildFiles)
	dir := w.Dir
	w.Close()
	for _, f := range []string{"wiki.db", "wiki.db-wal", "wiki.db-shm"} {
		os.Remove(filepath.Join(dir, f))
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := storage.OpenWiki(ctx, dir, "test", &abortingRenderer{Renderer: markdown.New(), cancel: cancel}, "/test/")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("OpenWiki with a build cut short = %v; want context.Canceled", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "wiki.db") || strings.HasPrefix(e.Name(), ".wiki.db") {
			t.Errorf("an aborted build left %s", e.Name())
		}
	}
	w = mustOpenDir(t, dir)
	if p := w.mustPage(t, "Guide/Start"); p.Title != "Getting started" {
		t.Fatalf("Guide/Start after the retry = %+v", p)
	}
}
