package storage_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/schema"
	"github.com/warren-wiki/warren/storage"
	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/internal/storetest"
	"github.com/warren-wiki/warren/storage/sqlitedb"
	"github.com/warren-wiki/warren/wiki"
	"github.com/warren-wiki/warren/wiki/markdown"
)

// TestOpenWikiDamagedDB: a wiki.db that is garbage or newer than this
// binary makes OpenWiki fail with EUNAVAILABLE (web answers 503 for that
// wiki alone) and is left as it was.
func TestOpenWikiDamagedDB(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		damage func(t *testing.T, path string)
	}{
		{"Garbage", func(t *testing.T, path string) {
			if err := os.WriteFile(path, []byte(strings.Repeat("not a database ", 512)), 0o644); err != nil {
				t.Fatal(err)
			}
		}},
		{"TooNew", func(t *testing.T, path string) {
			db, err := sqlitedb.Open(ctx, path, schema.Wiki, sqlitedb.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.W.Exec("PRAGMA user_version = 999"); err != nil {
				t.Fatal(err)
			}
			db.Close()
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := MustOpenWiki(t, map[string]string{"Home.md": "home\n"})
			w.Close()
			path := filepath.Join(w.Dir, "wiki.db")
			for _, suffix := range []string{"-wal", "-shm"} {
				os.Remove(path + suffix)
			}
			tc.damage(t, path)
			before, _ := os.ReadFile(path)
			_, err := storage.OpenWiki(ctx, w.Dir, "test", markdown.New(), "/test/")
			storetest.WantCode(t, err, wiki.EUNAVAILABLE)
			if after, _ := os.ReadFile(path); string(after) != string(before) {
				t.Errorf("OpenWiki changed the damaged wiki.db")
			}
		})
	}
}

// TestOpenWikiNewBase: cached HTML has the wiki's URL base in its links;
// opening the wiki under another base (path mode → host mode) drops it.
func TestOpenWikiNewBase(t *testing.T) {
	ctx := context.Background()
	w := MustOpenWiki(t, map[string]string{"Home.md": "[[Notes]]\n", "Notes.md": "notes\n"})
	w.Close()
	w2, err := storage.OpenWiki(ctx, w.Dir, "test", markdown.New(), "/")
	if err != nil {
		t.Fatal(err)
	}
	defer w2.Close()
	v, err := w2.View(ctx, "Home", "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(v.HTML, `href="/Notes"`) || strings.Contains(v.HTML, "/test/") {
		t.Errorf("HTML kept the old base: %s", v.HTML)
	}
}

// TestSyncHealsAfterCrash: a commit whose ref moved but whose indexing never
// ran (a crash in between) is indexed at the next open.
func TestSyncHealsAfterCrash(t *testing.T) {
	ctx := context.Background()
	w := MustOpenWiki(t, map[string]string{"Home.md": "home\n"})
	head, err := w.Repo.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.Repo.Commit(ctx, gitrepo.CommitRequest{Parent: head, AuthorName: "A", AuthorEmail: "a@example.com",
		Message: "unindexed", Changes: []gitrepo.FileChange{{Path: "Late.md", Content: []byte("# Late\n")}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Page(ctx, "Late", ""); wiki.ErrorCode(err) != wiki.ENOTFOUND {
		t.Fatalf("Late indexed without a Sync: %v", err)
	}
	w = w.reopen(t)
	if p := w.mustPage(t, "Late"); p.Title != "Late" {
		t.Errorf("Late = %+v", p)
	}
	if log, err := w.History(ctx, "Late", 10, 0); err != nil || len(log) != 1 || log[0].Message != "unindexed" {
		t.Errorf("History = %+v, %v", log, err)
	}
}

// TestWikiDBSymlinkEscape: a wiki.db planted as a symbolic link to a file
// outside the wiki's directory is refused (EUNAVAILABLE) and never opened.
func TestWikiDBSymlinkEscape(t *testing.T) {
	dir := t.TempDir()
	wdir := filepath.Join(dir, "acme")
	if err := os.MkdirAll(wdir, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := gitrepo.InitRepo(t.Context(), filepath.Join(wdir, "repo.git"),
		[]gitrepo.FileChange{{Path: "Home.md", Content: []byte("# Home\n")}}, "a", "a@example.org", "init"); err != nil {
		t.Fatal(err)
	}
	outside := filepath.Join(t.TempDir(), "victim.db")
	if err := os.WriteFile(outside, []byte("precious"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(wdir, "wiki.db")); err != nil {
		t.Fatal(err)
	}
	_, err := storage.OpenWiki(t.Context(), wdir, "acme", markdown.New(), "/acme/")
	if got := wiki.ErrorCode(err); got != wiki.EUNAVAILABLE {
		t.Fatalf("code %q (%v), want unavailable", got, err)
	}
	if b, _ := os.ReadFile(outside); string(b) != "precious" {
		t.Fatalf("outside file changed: %q", b)
	}
}
