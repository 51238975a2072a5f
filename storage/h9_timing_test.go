package storage

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/warren-wiki/warren/schema"
	"github.com/warren-wiki/warren/wiki/markdown"
)

func TestH9Timing(t *testing.T) {
	if os.Getenv("H9") == "" {
		t.Skip()
	}
	ctx := context.Background()
	r := markdown.New()
	sums := map[string]time.Duration{}
	n := 30
	for i := 1; i <= n; i++ {
		dir := WikiDir("/tmp/h9b", fmt.Sprintf("c%05d", 100+i))
		os.Remove(filepath.Join(dir, "wiki.db"))
		t0 := time.Now()
		lap := func(k string) { sums[k] += time.Since(t0); t0 = time.Now() }
		checkWikiDir(dir)
		lap("checkdir")
		repo, _ := OpenRepo(filepath.Join(dir, "repo.git"))
		lap("openrepo")
		if err := createDB(ctx, filepath.Join(dir, "wiki.db"), schema.Wiki, nil); err != nil {
			t.Fatal(err)
		}
		lap("createDB")
		db, err := OpenDB(ctx, filepath.Join(dir, "wiki.db"), schema.Wiki, DBOptions{Readers: 2})
		if err != nil {
			t.Fatal(err)
		}
		lap("openDB")
		w := &Wiki{Slug: "x", Repo: repo, DB: db, Renderer: r, Base: "/x/", Now: time.Now}
		if err := w.checkRenderer(ctx); err != nil {
			t.Fatal(err)
		}
		lap("checkRenderer")
		if err := w.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		lap("sync")
		w.View(ctx, "Home", "")
		lap("view")
		w.Close()
		lap("close")
	}
	for _, k := range []string{"checkdir", "openrepo", "createDB", "openDB", "checkRenderer", "sync", "view", "close"} {
		fmt.Printf("%s %.2fms  ", k, float64(sums[k].Microseconds())/1000/float64(n))
	}
	fmt.Println()
}

func TestH9Create(t *testing.T) {
	if os.Getenv("H9") == "" {
		t.Skip()
	}
	ctx := context.Background()
	dir := t.TempDir()
	t0 := time.Now()
	for i := 0; i < 100; i++ {
		if err := createDB(ctx, filepath.Join(dir, fmt.Sprintf("w%d.db", i)), schema.Wiki, nil); err != nil {
			t.Fatal(err)
		}
	}
	fmt.Println("createDB", time.Since(t0)/100)
}

func TestH9Stmts(t *testing.T) {
	if os.Getenv("H9") == "" {
		t.Skip()
	}
	ctx := context.Background()
	dir := WikiDir("/tmp/h9b", "c00150")
	w, err := OpenWiki(ctx, dir, "x", markdown.New(), "/x/")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	fmt.Println("prepared:", len(w.writes.stmts), w.DB.W.Stats().MaxOpenConnections)
}
