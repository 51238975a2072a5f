package search_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/schema"
	"github.com/warren-wiki/warren/storage/internal/search"
	"github.com/warren-wiki/warren/storage/internal/storetest"
	"github.com/warren-wiki/warren/storage/sqlitedb"
	"github.com/warren-wiki/warren/wiki"
)

// MustSearchDB opens a fresh wiki.db and stores pages (name → [title,
// text]) in the search tables the way the indexer does.
func MustSearchDB(tb testing.TB, pages map[string][2]string) *sqlitedb.DB {
	tb.Helper()
	ctx := context.Background()
	db, err := sqlitedb.Open(ctx, filepath.Join(tb.TempDir(), "wiki.db"), schema.Wiki, sqlitedb.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	tx := db.W.MustBegin()
	for name, p := range pages {
		res, err := tx.ExecContext(ctx, `INSERT INTO pages (name, lname, title, blob, revision, updated_at) VALUES (?, ?, ?, '', '', '')`,
			name, strings.ToLower(name), p[0])
		if err != nil {
			tb.Fatal(err)
		}
		id, _ := res.LastInsertId()
		body := search.Text(p[1])
		if _, err := tx.ExecContext(ctx, `INSERT INTO pages_fts (rowid, name, title, body, fold) VALUES (?, ?, ?, ?, ?)`,
			id, search.FoldText(name), search.FoldText(p[0]), body, search.FoldedWords(body)); err != nil {
			tb.Fatal(err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO titles_fts (rowid, name, title) VALUES (?, ?, ?)`,
			id, search.FoldText(name), search.FoldText(p[0])); err != nil {
			tb.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
	return db
}

// TestSearchTiersAndTotals: title hits first, text hits after, snippets
// marked and escaped; the screen and its total are remembered in the memo
// and the caller gets its own copy.
func TestSearchTiersAndTotals(t *testing.T) {
	db := MustSearchDB(t, map[string][2]string{
		"A": {"Alpha", "a <b>word</b> in the text"},
		"W": {"Word", "the title says it"},
		"C": {"Gamma", "nothing here"},
	})
	s, computed := memoSearcher(db)
	res, err := s.Search(context.Background(), "word", 0, "")
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 2 || len(res.Hits) != 2 || res.Hits[0].Name != "W" || res.Hits[1].Name != "A" || res.Next != "" {
		t.Fatalf("Search = %+v", res)
	}
	if want := "a &lt;b&gt;<mark>word</mark>&lt;/b&gt; in the text"; res.Hits[1].Snippet != want {
		t.Errorf("snippet = %q, want %q", res.Hits[1].Snippet, want)
	}
	again, err := s.Search(context.Background(), "word", 0, "")
	if err != nil || again.Total != 2 || len(again.Hits) != 2 || *computed != 2 {
		t.Errorf("the same search again = %+v, %v after %d computations; want it remembered (screen and total: 2)", again, err, *computed)
	}
	again.Hits[0].Name = "changed by the caller"
	if third, _ := s.Search(context.Background(), "word", 0, ""); third.Hits[0].Name != "W" {
		t.Errorf("a caller's change reached the memo: %+v", third.Hits[0])
	}
}

// memoSearcher is a Searcher over db with a memo that never forgets, and
// the number of answers it had to compute.
func memoSearcher(db *sqlitedb.DB) (*search.Searcher, *int) {
	kept, computed := map[string]any{}, 0
	s := &search.Searcher{DB: db.R, Memo: func(key string, compute func() (any, int, error)) (any, error) {
		if v, ok := kept[key]; ok {
			return v, nil
		}
		v, _, err := compute()
		if err == nil {
			kept[key] = v
			computed++
		}
		return v, err
	}}
	return s, &computed
}

// TestSearchRefusesNothingToFind: queries that name nothing, and cursors
// Search did not make, are EINVALID.
func TestSearchRefusesNothingToFind(t *testing.T) {
	db := MustSearchDB(t, map[string][2]string{"A": {"A", "text"}})
	s := &search.Searcher{DB: db.R}
	defer s.Close()
	for _, q := range []string{"", "   ", `"" -`, "-text", "tag:x -text", "!!! ???"} {
		_, err := s.Search(context.Background(), q, 10, "")
		storetest.WantCode(t, err, wiki.EINVALID)
	}
	for _, after := range []string{"2", "9.1", "1.-1", "a.b"} {
		_, err := s.Search(context.Background(), "text", 10, after)
		storetest.WantCode(t, err, wiki.EINVALID)
	}
}

// TestFoldingHelpers: what the tokenizer does not fold, FoldText does, and
// Text removes the snippet markers a page could use to forge <mark>.
func TestFoldingHelpers(t *testing.T) {
	if got := search.FoldText("Straße Ærø"); got != "Strasse aero" {
		t.Errorf("FoldText = %q", got)
	}
	if got := search.FoldedWords("die Straße und der Weg"); got != "Strasse" {
		t.Errorf("FoldedWords = %q", got)
	}
	if got := search.FoldedWords("plain text"); got != "" {
		t.Errorf("FoldedWords of plain text = %q, want empty", got)
	}
	if got := search.Text("a\x01b\x02c"); got != "a b c" {
		t.Errorf("Text = %q", got)
	}
}
