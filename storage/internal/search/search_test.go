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
	for name, p := range pages {
		res, err := db.W.ExecContext(ctx, `INSERT INTO pages (name, lname, title, blob, revision, updated_at) VALUES (?, ?, ?, '', '', '')`,
			name, strings.ToLower(name), p[0])
		if err != nil {
			tb.Fatal(err)
		}
		id, _ := res.LastInsertId()
		body := search.Text(p[1])
		if _, err := db.W.ExecContext(ctx, `INSERT INTO pages_fts (rowid, name, title, body, fold) VALUES (?, ?, ?, ?, ?)`,
			id, search.FoldText(name), search.FoldText(p[0]), body, search.FoldedWords(body)); err != nil {
			tb.Fatal(err)
		}
		if _, err := db.W.ExecContext(ctx, `INSERT INTO titles_fts (rowid, name, title) VALUES (?, ?, ?)`,
			id, search.FoldText(name), search.FoldText(p[0])); err != nil {
			tb.Fatal(err)
		}
	}
	return db
}

// TestSearchTiersAndTotals: title hits first, text hits after, the total
// asked of Totals once per query and key, snippets marked and escaped.
func TestSearchTiersAndTotals(t *testing.T) {
	db := MustSearchDB(t, map[string][2]string{
		"A": {"Alpha", "a <b>word</b> in the text"},
		"W": {"Word", "the title says it"},
		"C": {"Gamma", "nothing here"},
	})
	asked := map[string]int{}
	s := search.Searcher{DB: db.R, Totals: func(key string, count func() (int, error)) (int, error) {
		asked[key]++
		return count()
	}}
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
	if len(asked) != 1 {
		t.Errorf("Totals asked %v, want one key", asked)
	}
}

// TestSearchRefusesNothingToFind: queries that name nothing, and cursors
// Search did not make, are EINVALID.
func TestSearchRefusesNothingToFind(t *testing.T) {
	db := MustSearchDB(t, map[string][2]string{"A": {"A", "text"}})
	s := search.Searcher{DB: db.R}
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
