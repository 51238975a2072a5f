package storage_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/warren-wiki/warren/storage"
	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/internal/storetest"
	"github.com/warren-wiki/warren/wiki/markdown"
)

// BenchmarkReopen measures what a pool eviction costs the next request:
// opening a wiki whose wiki.db is up to date, one page view, and the close.
func BenchmarkReopen(b *testing.B) {
	ctx := context.Background()
	w := MustOpenWiki(b, map[string]string{"Home.md": "# Home\n", "Bench.md": benchPage()})
	dir := w.Dir
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	r := markdown.New()
	for b.Loop() {
		w, err := storage.OpenWiki(ctx, dir, "test", r, "/test/")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := w.View(ctx, "Bench", ""); err != nil {
			b.Fatal(err)
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkColdOpen measures the first open of a wiki that was never
// opened: wiki.db is created, migrated and the repository indexed.
func BenchmarkColdOpen(b *testing.B) {
	ctx := context.Background()
	root := b.TempDir()
	r := markdown.New()
	files := storetest.FileChanges(map[string]string{"Home.md": "# Home\n\nWelcome.\n"})
	i := 0
	for b.Loop() {
		b.StopTimer()
		i++
		dir := filepath.Join(root, "w"+string(rune('a'+i%26))+filepath.Base(b.TempDir()))
		if err := os.Mkdir(dir, 0o755); err != nil {
			b.Fatal(err)
		}
		repo, err := gitrepo.InitRepo(ctx, filepath.Join(dir, "repo.git"), files, "A", "a@example.com", "initial")
		if err != nil {
			b.Fatal(err)
		}
		repo.Close()
		b.StartTimer()
		w, err := storage.OpenWiki(ctx, dir, "test", r, "/test/")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := w.View(ctx, "Home", ""); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}
