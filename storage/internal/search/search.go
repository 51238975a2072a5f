package search

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/jmoiron/sqlx"
	"github.com/warren-wiki/warren/wiki"
)

// Control characters that delimit hits in FTS5 snippets. They cannot occur
// in indexed text (Text removes them), so after HTML-escaping the
// snippet they are safely turned into <mark> tags.
const (
	snippetOpen  = "\x01"
	snippetClose = "\x02"
)

// Search limits.
const (
	defaultSearchN  = 20
	maxSearchResult = 200
)

// Search ranks pages whose name or title matches before pages that match
// only in their text (two tiers), and inside a tier lists them in index
// order (rowid: path order after a rebuild, newer pages after). Ranking by
// relevance would score every match before the first screen could be
// shown, so a word on every page would cost as much as there are pages;
// this way a screen reads only the rows it shows, plus one count.

// searchTier is one tier of hits and the MATCH expression that selects it.
type searchTier struct {
	n     int
	match string
}

// Searcher searches one wiki.db. Its zero value is not usable: set DB.
// It keeps the statements it prepares until Close.
type Searcher struct {
	// DB reads the search tables (wiki.db's reader pool).
	DB *sqlx.DB
	// Memo, if set, answers from a cache that holds until the indexes
	// change, calling compute (which also says the answer's size in bytes)
	// on a miss. Search keeps every screen it shows there, and each
	// query's total: counting every match is the one part of a search
	// whose cost grows with the matches, so paging through the results, or
	// the same search again, does not count twice.
	Memo func(key string, compute func() (val any, size int, err error)) (any, error)

	stmts stmtCache
}

// Search returns one screen of at most limit hits (0 = the default, more
// than 200 = 200) after the cursor after ("" = the first), the total number
// of matching pages and the cursor of the next screen. A query with nothing
// to find, or a cursor Search did not return, is EINVALID.
func (s *Searcher) Search(ctx context.Context, q string, limit int, after string) (*wiki.SearchResult, error) {
	pq, err := parseQuery(q)
	if err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = defaultSearchN
	}
	limit = min(limit, maxSearchResult)
	tier, last, err := parseCursor(after)
	if err != nil {
		return nil, err
	}
	key := "s\x00" + pq.key() + "\x00" + strconv.Itoa(limit) + "\x00" + after
	v, err := s.memo(key, func() (any, int, error) {
		res, err := s.screen(ctx, pq, limit, tier, last)
		if err != nil {
			return nil, 0, err
		}
		return res, resultSize(res), nil
	})
	if err != nil {
		return nil, err
	}
	return cloneResult(v.(*wiki.SearchResult)), nil
}

// memo is Memo, or compute when there is none.
func (s *Searcher) memo(key string, compute func() (any, int, error)) (any, error) {
	if s.Memo == nil {
		v, _, err := compute()
		return v, err
	}
	return s.Memo(key, compute)
}

// screen reads one screen: the total, then the hits of each tier from the
// cursor on, one more than the limit to know whether a next screen exists.
func (s *Searcher) screen(ctx context.Context, pq *parsedQuery, limit, tier int, last int64) (*wiki.SearchResult, error) {
	res := &searchPage{}
	var err error
	if res.Total, err = s.total(ctx, pq); err != nil {
		return nil, err
	}
	for _, t := range pq.tiers() {
		if t.n < tier || len(res.Hits) > limit {
			continue
		}
		from := int64(0)
		if t.n == tier {
			from = last
		}
		hits, err := s.tier(ctx, pq, t, from, limit+1-len(res.Hits))
		if err != nil {
			return nil, err
		}
		res.Hits = append(res.Hits, hits...)
	}
	if len(res.Hits) > limit {
		res.Hits = res.Hits[:limit]
		res.Next = res.Hits[limit-1].cursor
	}
	for i := range res.Hits {
		res.Hits[i].Snippet = markSnippet(res.Hits[i].Snippet)
	}
	return res.public(), nil
}

// Close releases the prepared statements; call it before DB closes.
func (s *Searcher) Close() { s.stmts.close() }

// parseCursor reads "<tier>.<rowid>" ("" = the start).
func parseCursor(after string) (int, int64, error) {
	if after == "" {
		return 1, 0, nil
	}
	t, r, ok := strings.Cut(after, ".")
	tier, err1 := strconv.Atoi(t)
	rowid, err2 := strconv.ParseInt(r, 10, 64)
	if !ok || err1 != nil || err2 != nil || tier < 1 || tier > 2 || rowid < 0 {
		return 0, 0, wiki.Errorf(wiki.EINVALID, "after=%q is not a cursor a search returned", after)
	}
	return tier, rowid, nil
}

// Text is a page's text as the search index stores it: without the two
// control characters that mark hits in snippets, so page text can never
// forge a <mark>.
func Text(s string) string {
	return cleanReplacer.Replace(s)
}

// markSnippet escapes a snippet as html.EscapeString does and turns the
// hit delimiters into <mark>, in one pass.
func markSnippet(s string) string {
	return markReplacer.Replace(s)
}

var (
	markReplacer = strings.NewReplacer(snippetOpen, "<mark>", snippetClose, "</mark>",
		`<`, "&lt;", `>`, "&gt;", `&`, "&amp;", `'`, "&#39;", `"`, "&#34;")
	cleanReplacer = strings.NewReplacer(snippetOpen, " ", snippetClose, " ")
)

// searchPage carries the hits of one screen before they become public.
type searchPage struct {
	Total int
	Hits  []hitRow
	Next  string
}

func (p *searchPage) public() *wiki.SearchResult {
	out := &wiki.SearchResult{Total: p.Total, Next: p.Next, Hits: make([]wiki.SearchHit, len(p.Hits))}
	for i, h := range p.Hits {
		out.Hits[i] = wiki.SearchHit{Name: h.Name, Title: h.Title, Snippet: h.Snippet}
	}
	return out
}

// resultSize is roughly what a screen holds in memory, for the memo.
func resultSize(r *wiki.SearchResult) int {
	n := 64 + len(r.Next)
	for _, h := range r.Hits {
		n += 48 + len(h.Name) + len(h.Title) + len(h.Snippet)
	}
	return n
}

// cloneResult copies a remembered screen so callers may change theirs.
func cloneResult(r *wiki.SearchResult) *wiki.SearchResult {
	c := *r
	c.Hits = slices.Clone(r.Hits)
	return &c
}
