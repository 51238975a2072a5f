package search_test

import (
	"context"
	"fmt"
	"html"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/storage/internal/search"
)

// stemWords are words that exercise each rule of Porter's steps, and
// random strings of letters (vowels, consonants, y, w, x) around them.
func stemWords() []string {
	suffixes := []string{"", "s", "es", "ies", "sses", "ss", "ed", "eed", "ing", "y", "e", "ll",
		"ational", "tional", "enci", "anci", "izer", "logi", "bli", "alli", "entli", "eli", "ousli",
		"ization", "ation", "ator", "alism", "iveness", "fulness", "ousness", "aliti", "iviti", "biliti",
		"ical", "ness", "icate", "iciti", "ful", "ative", "alize", "al", "ance", "ence", "er", "ic",
		"able", "ible", "ant", "ement", "ment", "ent", "sion", "tion", "ion", "ou", "ism", "ate", "iti",
		"ous", "ive", "ize", "at", "bl", "iz", "ated", "ating", "bled", "izing", "hopping", "filed"}
	stems := []string{"", "a", "e", "i", "y", "ab", "cr", "ho", "hop", "fil", "tr", "rel", "conn",
		"gener", "hope", "sky", "bo", "wax", "sow", "ox", "controll", "feud", "agree", "plaster",
		"condit", "adopt", "communic", "rational", "electr", "formal", "sensit", "digit", "univers"}
	r := rand.New(rand.NewPCG(1, 2))
	letters := "aeiouybcdlmnrstwxz"
	var words []string
	for _, st := range stems {
		for _, su := range suffixes {
			words = append(words, st+su)
		}
	}
	for range 3000 {
		var b strings.Builder
		for range 1 + r.IntN(9) {
			b.WriteByte(letters[r.IntN(len(letters))])
		}
		words = append(words, b.String()+suffixes[r.IntN(len(suffixes))])
	}
	return words
}

// TestStemMatchesFTS5: the Go stemmer gives every word the term FTS5's
// porter tokenizer stores for it.
func TestStemMatchesFTS5(t *testing.T) {
	db := MustSearchDB(t, nil)
	ctx := context.Background()
	for _, q := range []string{
		`CREATE VIRTUAL TABLE stemtest USING fts5(x, tokenize = 'porter unicode61 remove_diacritics 2')`,
		`CREATE VIRTUAL TABLE stemvocab USING fts5vocab(stemtest, instance)`,
	} {
		if _, err := db.W.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	words := stemWords()
	tx := db.W.MustBegin()
	for i, w := range words {
		tx.MustExecContext(ctx, `INSERT INTO stemtest (rowid, x) VALUES (?, ?)`, i+1, w)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		Doc  int    `db:"doc"`
		Term string `db:"term"`
	}
	if err := db.R.SelectContext(ctx, &rows, `SELECT doc, term FROM stemvocab`); err != nil {
		t.Fatal(err)
	}
	if len(rows) < len(words)-10 {
		t.Fatalf("FTS5 stored %d terms for %d words", len(rows), len(words))
	}
	bad := 0
	for _, row := range rows {
		w := words[row.Doc-1]
		if got := search.Stem(w); got != row.Term && bad < 20 {
			bad++
			t.Errorf("Stem(%q) = %q, FTS5 stores %q", w, got, row.Term)
		}
	}
}

// snippetVocab are the words of snippetDocs: stems that collide ("connect",
// "connection", "connected"), prefixes of one another, short words that
// are never stemmed, and digits.
var snippetVocab = []string{"connect", "connection", "connected", "connecting", "wiki", "wikis",
	"search", "searching", "index", "indexes", "page", "pages", "a", "an", "the", "of", "to", "is",
	"go", "gopher", "2024", "v2", "relational", "happy", "happiness", "sky", "skies", "run", "running"}

// snippetSeps separate the words of snippetDocs: sentence ends, colons,
// line ends, Markdown and punctuation that is not a token character.
var snippetSeps = []string{" ", " ", " ", ", ", ". ", ".\n", ": ", "\n\n", " - ", "'", "_", "(",
	") ", " # ", "...", "\t", "!", "? ", "*", "`", "|", "/", "@", "$", "~", "^", "[", "]", "{", "}", "=", "+"}

// snippetDocs are n random ASCII texts of 0 to 70 words.
func snippetDocs(r *rand.Rand, n int) map[string][2]string {
	docs := map[string][2]string{}
	for i := range n {
		var b strings.Builder
		if r.IntN(4) == 0 {
			b.WriteString(snippetSeps[r.IntN(len(snippetSeps))])
		}
		for range r.IntN(71) {
			w := snippetVocab[r.IntN(len(snippetVocab))]
			if r.IntN(5) == 0 {
				w = strings.ToUpper(w[:1]) + w[1:]
			}
			b.WriteString(w + snippetSeps[r.IntN(len(snippetSeps))])
		}
		docs[fmt.Sprintf("D%04d", i)] = [2]string{"Doc", b.String()}
	}
	return docs
}

// snippetQuery is a random query over snippetVocab: prefixes, whole words,
// two-word phrases, OR, a word left out.
func snippetQuery(r *rand.Rand) string {
	var atoms []string
	for i := range 1 + r.IntN(3) {
		w := snippetVocab[r.IntN(len(snippetVocab))]
		switch r.IntN(5) {
		case 0:
			w = w[:1+r.IntN(len(w))]
		case 1:
			w = `"` + w + " " + snippetVocab[r.IntN(len(snippetVocab))] + `"`
		case 2:
			if i > 0 {
				w = "OR " + w
			}
		case 3:
			if i > 0 {
				w = "-" + w
			}
		}
		atoms = append(atoms, w)
	}
	return strings.Join(atoms, " ")
}

// TestTextSnippetMatchesFTS5: for random ASCII texts and queries, the
// snippet built in Go is FTS5's snippet() byte for byte, on every text hit.
func TestTextSnippetMatchesFTS5(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	docs := snippetDocs(r, 200)
	db := MustSearchDB(t, docs)
	ctx := context.Background()
	checked := 0
	for range 250 {
		q := snippetQuery(r)
		match, snippet, err := search.TextTier(q)
		if err != nil {
			continue
		}
		if snippet == nil { // OR and a phrase of several words: FTS5's own snippet
			continue
		}
		var rows []struct {
			Body    string `db:"body"`
			Snippet string `db:"snippet"`
		}
		err = db.R.SelectContext(ctx, &rows, `SELECT body, snippet(pages_fts, 2, char(1), char(2), '…', 16) AS snippet
			FROM pages_fts WHERE pages_fts MATCH ? ORDER BY rowid`, match)
		if err != nil {
			t.Fatalf("%s: %v", match, err)
		}
		for _, row := range rows {
			checked++
			if got := snippet(row.Body); got != row.Snippet {
				t.Fatalf("query %q, text %q:\n Go   %q\n FTS5 %q", q, row.Body, got, row.Snippet)
			}
		}
	}
	if checked < 1000 {
		t.Errorf("only %d hits compared", checked)
	}
}

// TestSearchSnippetsAreFTS5s: every text hit of a search carries FTS5's
// snippet (escaped and marked), whether the page text is ASCII (built in
// Go), has other letters (built by SQLite in the same query) or is not
// valid UTF-8 (built by SQLite for that hit alone), and whether or not the
// query has OR and a phrase.
func TestSearchSnippetsAreFTS5s(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	docs := snippetDocs(r, 120)
	docs["U1"] = [2]string{"Doc", "Une page sur le café: search the wiki pages. Straße"}
	docs["U2"] = [2]string{"Doc", "broken \xff\xfe bytes, then search the wiki index"}
	docs["U3"] = [2]string{"Doc", "broken \xc3a lead byte: wiki search"}
	db := MustSearchDB(t, docs)
	s := &search.Searcher{DB: db.R}
	defer s.Close()
	ctx := context.Background()
	marker := strings.NewReplacer("\x01", "<mark>", "\x02", "</mark>")
	for _, q := range []string{"wiki", "search -connect", "search wiki", `"wiki pages"`, `wiki OR "search the"`,
		"sea", "caf", "index OR happy", "wiki -zzz"} {
		match, _, err := search.TextTier(q)
		if err != nil {
			t.Fatal(err)
		}
		var rows []struct {
			Name    string `db:"name"`
			Snippet string `db:"snippet"`
		}
		if err := db.R.SelectContext(ctx, &rows, `SELECT p.name, snippet(pages_fts, 2, char(1), char(2), '…', 16) AS snippet
			FROM pages_fts f JOIN pages p ON p.rowid = f.rowid WHERE pages_fts MATCH ? ORDER BY f.rowid`, match); err != nil {
			t.Fatal(err)
		}
		want := map[string]string{}
		for _, row := range rows {
			want[row.Name] = marker.Replace(html.EscapeString(row.Snippet))
		}
		res, err := s.Search(ctx, q, 200, "")
		if err != nil {
			t.Fatalf("Search(%q): %v", q, err)
		}
		for _, h := range res.Hits {
			if w, ok := want[h.Name]; ok && h.Snippet != w {
				t.Errorf("Search(%q) hit %s: snippet %q, FTS5's %q", q, h.Name, h.Snippet, w)
			}
			delete(want, h.Name)
		}
		if len(want) > 0 {
			t.Errorf("Search(%q) left out text hits %v", q, slices.Collect(maps.Keys(want)))
		}
	}
}
