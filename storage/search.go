package storage

import (
	"context"
	"html"
	"strings"

	"github.com/warren-wiki/warren/wiki"
)

// Control characters that delimit hits in FTS5 snippets. They cannot occur
// in indexed text (searchText removes them), so after HTML-escaping the
// snippet they are safely turned into <mark> tags.
const (
	snippetOpen  = "\x01"
	snippetClose = "\x02"
)

// Search limits.
const (
	maxSearchTerms  = 32
	defaultSearchN  = 20
	maxSearchResult = 200
)

// ftsQuery turns what a user typed into an FTS5 query that can only ever
// mean "all of these words": every word becomes a quoted string (quotes
// doubled), so operators (OR, NOT, NEAR), column filters, prefixes (*) and
// parentheses are searched for as text and never parsed as syntax.
func ftsQuery(q string) (string, error) {
	words := strings.Fields(q)
	if len(words) == 0 {
		return "", wiki.Errorf(wiki.EINVALID, "search query is empty")
	}
	if len(words) > maxSearchTerms {
		words = words[:maxSearchTerms]
	}
	for i, word := range words {
		words[i] = `"` + strings.ReplaceAll(word, `"`, `""`) + `"`
	}
	return strings.Join(words, " "), nil
}

// search is Search's body; see Search in wiki_ops.go. Matches in a page's
// name weigh most, then its title, then its text.
func (w *Wiki) search(ctx context.Context, q string, limit int) ([]wiki.SearchHit, error) {
	match, err := ftsQuery(q)
	if err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = defaultSearchN
	}
	limit = min(limit, maxSearchResult)
	var hits []wiki.SearchHit
	err = w.DB.R.SelectContext(ctx, &hits, `
		SELECT name, title, snippet(pages_fts, 2, char(1), char(2), '…', 16) AS snippet
		FROM pages_fts WHERE pages_fts MATCH ?
		ORDER BY bm25(pages_fts, 10.0, 5.0, 1.0), name LIMIT ?`, match, limit)
	if err != nil {
		return nil, err
	}
	for i := range hits {
		hits[i].Snippet = markSnippet(hits[i].Snippet)
	}
	return hits, nil
}

// markSnippet escapes a snippet and turns the hit delimiters into <mark>.
func markSnippet(s string) string {
	s = html.EscapeString(s)
	return strings.NewReplacer(snippetOpen, "<mark>", snippetClose, "</mark>").Replace(s)
}

// backlinks is Backlinks' body: the pages whose wikilinks point at name
// (case-insensitively, as links are stored lower-cased).
func (w *Wiki) backlinks(ctx context.Context, name string) ([]wiki.PageInfo, error) {
	if err := wiki.ValidatePageName(name); err != nil {
		return nil, err
	}
	var pages []wiki.PageInfo
	err := w.DB.R.SelectContext(ctx, &pages, `
		SELECT p.name, p.title, p.blob, p.revision FROM links l JOIN pages p ON p.name = l.src
		WHERE l.dst = ? AND l.src != ? ORDER BY p.name`, strings.ToLower(name), name)
	return pages, err
}
