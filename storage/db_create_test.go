package storage_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/schema"
)

// TestOpenWikiCreatesDB: the first open builds wiki.db whole (migrated, in
// WAL mode) and leaves no build file behind; a build file left by a crash
// during an earlier first open is removed.
func TestOpenWikiCreatesDB(t *testing.T) {
	ctx := context.Background()
	w := MustOpenWiki(t, map[string]string{"Home.md": "# Home\n"})
	dir := w.Dir
	w.Close()
	if err := os.Remove(filepath.Join(dir, "wiki.db")); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"wiki.db-wal", "wiki.db-shm"} {
		os.Remove(filepath.Join(dir, f))
	}
	crashed := filepath.Join(dir, ".wiki.db.new-CRASHED")
	if err := os.WriteFile(crashed, []byte("half a database"), 0o644); err != nil {
		t.Fatal(err)
	}
	w = mustOpenDir(t, dir)
	if v, err := schema.Version(ctx, w.DB.R); err != nil || v != schema.Wiki.Latest() {
		t.Fatalf("wiki.db version = %d, %v; want %d", v, err, schema.Wiki.Latest())
	}
	var mode string
	if err := w.DB.R.Get(&mode, "PRAGMA journal_mode"); err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q, %v; want wal", mode, err)
	}
	if p := w.mustPage(t, "Home"); p.Title != "Home" {
		t.Fatalf("Home = %+v", p)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".wiki.db") {
			t.Errorf("build file left in the wiki directory: %s", e.Name())
		}
	}
}
