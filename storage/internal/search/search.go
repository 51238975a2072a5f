package search

import (
	"context"
	"html"
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

// Searcher searches one wiki.db.
type Searcher struct {
	// DB reads the search tables (wiki.db's reader pool).
	DB sqlx.QueryerContext
	// Totals, if set, answers a query's total from a cache valid until the
	// indexes change, calling count only on a miss: counting every match
	// is the one part of a search whose cost grows with the matches, so
	// paging through the results, or the same search again, does not count
	// twice. key names the query.
	Totals func(key string, count func() (int, error)) (int, error)
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
	res := &searchPage{}
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

// total is the number of pages the whole query matches, through Totals.
func (s *Searcher) total(ctx context.Context, pq *parsedQuery) (int, error) {
	count := func() (int, error) { return s.count(ctx, pq) }
	if s.Totals == nil {
		return count()
	}
	return s.Totals(pq.match+"\x00"+strings.Join(pq.tags, "\x00"), count)
}

// count counts the pages the whole query matches.
func (s *Searcher) count(ctx context.Context, pq *parsedQuery) (int, error) {
	q, args := pq.tagFilter(`SELECT count(*) FROM pages p WHERE 1 = 1`, "p.rowid")
	if pq.match != "" {
		q, args = pq.tagFilter(`SELECT count(*) FROM pages_fts WHERE pages_fts MATCH ?`, "rowid", pq.match)
	}
	var n int
	if err := sqlx.GetContext(ctx, s.DB, &n, q, args...); err != nil {
		return 0, ftsError(err)
	}
	return n, nil
}

// hitRow is a hit as read, with the cursor that points just past it.
type hitRow struct {
	RowID   int64  `db:"rowid"`
	Name    string `db:"name"`
	Title   string `db:"title"`
	Snippet string `db:"snippet"`
	cursor  string
}

// tier reads up to n hits of one tier with rowid > from. Title hits come
// from the small titles table (their snippet is the start of the text);
// text hits from pages_fts, leaving out the title hits.
func (s *Searcher) tier(ctx context.Context, pq *parsedQuery, t searchTier, from int64, n int) ([]hitRow, error) {
	var q string
	var args []any
	switch {
	case t.match == "": // tags only: no text to match or quote
		q, args = pq.tagFilter(`SELECT p.rowid, p.name, p.title, '' AS snippet FROM pages p WHERE p.rowid > ?`, "p.rowid", from)
		q += ` ORDER BY p.rowid LIMIT ?`
	case t.n == 1:
		q, args = pq.tagFilter(`
			SELECT t.rowid, p.name, p.title, (SELECT substr(body, 1, 160) FROM pages_fts WHERE rowid = t.rowid) AS snippet
			FROM titles_fts t JOIN pages p ON p.rowid = t.rowid
			WHERE titles_fts MATCH ? AND t.rowid > ?`, "t.rowid", t.match, from)
		if pq.negative != "" {
			q += ` AND t.rowid NOT IN (SELECT rowid FROM pages_fts WHERE pages_fts MATCH ?)`
			args = append(args, pq.negative)
		}
		q += ` ORDER BY t.rowid LIMIT ?`
	default:
		q, args = pq.tagFilter(`
			SELECT f.rowid, p.name, p.title, snippet(pages_fts, 2, char(1), char(2), '…', 16) AS snippet
			FROM pages_fts f JOIN pages p ON p.rowid = f.rowid
			WHERE pages_fts MATCH ? AND f.rowid > ?
			AND f.rowid NOT IN (SELECT rowid FROM titles_fts WHERE titles_fts MATCH ?)`, "f.rowid", t.match, from, pq.positive)
		q += ` ORDER BY f.rowid LIMIT ?`
	}
	var rows []hitRow
	if err := sqlx.SelectContext(ctx, s.DB, &rows, q, append(args, n)...); err != nil {
		return nil, ftsError(err)
	}
	for i := range rows {
		rows[i].cursor = strconv.Itoa(t.n) + "." + strconv.FormatInt(rows[i].RowID, 10)
	}
	return rows, nil
}

// ftsError turns FTS5's complaint about a query it cannot parse (which the
// quoting should make impossible) into EINVALID rather than a 500.
func ftsError(err error) error {
	if err != nil && strings.Contains(err.Error(), "fts5") {
		return wiki.Errorf(wiki.EINVALID, "the search query could not be understood")
	}
	return err
}

// Text is a page's text as the search index stores it: without the two
// control characters that mark hits in snippets, so page text can never
// forge a <mark>.
func Text(s string) string {
	return strings.NewReplacer(snippetOpen, " ", snippetClose, " ").Replace(s)
}

// markSnippet escapes a snippet and turns the hit delimiters into <mark>.
func markSnippet(s string) string {
	s = html.EscapeString(s)
	return strings.NewReplacer(snippetOpen, "<mark>", snippetClose, "</mark>").Replace(s)
}

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
