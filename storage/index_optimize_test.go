package storage_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/warren-wiki/warren/schema"
	"github.com/warren-wiki/warren/storage/sqlitedb"
	"github.com/warren-wiki/warren/wiki"
)

// TestRebuildLeavesOneSearchSegment: indexing a big repository merges the
// full-text tables into one segment each, so a search looks every term up
// once instead of once per segment the batch inserts left behind; a small
// save afterwards keeps the search working on top of it.
func TestRebuildLeavesOneSearchSegment(t *testing.T) {
	files := map[string]string{}
	for i := range 600 {
		files[fmt.Sprintf("Pages/Page %03d.md", i)] = fmt.Sprintf("# Page %d\n\nA common word, and number%d.\n", i, i)
	}
	w := MustOpenWiki(t, files)
	if got := searchSegments(t, w.Dir); got != [2]int{1, 1} {
		t.Errorf("segments of pages_fts, titles_fts after indexing 600 pages = %v, want [1 1]", got)
	}
	w.mustSave(t, wiki.SaveRequest{Name: "Pages/Page 001", Content: []byte("# Page 1\n\nnow says zebra\n"),
		BaseRevision: w.mustPage(t, "Pages/Page 001").Revision})
	res, err := w.Search(context.Background(), "common", 20, "")
	if err != nil || res.Total != 599 {
		t.Fatalf("Search(common) after a save = %+v, %v; want 599 pages", res, err)
	}
	if res, err := w.Search(context.Background(), "zebra", 20, ""); err != nil || res.Total != 1 {
		t.Fatalf("Search(zebra) = %+v, %v; want the saved page", res, err)
	}
}

// searchSegments counts the FTS5 segments of the two search tables.
func searchSegments(t *testing.T, dir string) (n [2]int) {
	t.Helper()
	db, err := sqlitedb.Open(context.Background(), filepath.Join(dir, "wiki.db"), schema.Wiki, sqlitedb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i, table := range []string{"pages_fts_idx", "titles_fts_idx"} {
		if err := db.R.Get(&n[i], "SELECT count(DISTINCT segid) FROM "+table); err != nil {
			t.Fatal(err)
		}
	}
	return n
}
