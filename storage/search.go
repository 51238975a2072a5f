package storage

import (
	"context"
	"html"
	"path"
	"strconv"
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

// search is Search's body; see Search in wiki_ops.go.
func (w *Wiki) search(ctx context.Context, q string, limit int, after string) (*wiki.SearchResult, error) {
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
	if res.Total, err = w.searchCount(ctx, pq); err != nil {
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
		hits, err := w.searchTier(ctx, pq, t, from, limit+1-len(res.Hits))
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

// memoSearchCount is the memo kind of search totals: counting every match
// is the one part of a search whose cost grows with the matches, so a
// query's total is kept until the indexes change (paging through the
// results, or the same search again, does not count twice).
const memoSearchCount memoKind = 100

// searchCount is the number of pages the whole query matches.
func (w *Wiki) searchCount(ctx context.Context, pq *parsedQuery) (int, error) {
	k := memoKey{kind: memoSearchCount, name: pq.match + "\x00" + strings.Join(pq.tags, "\x00")}
	if v, ok := w.memo.get(k); ok {
		return v.(int), nil
	}
	gen := w.memo.gen.Load()
	var n int
	var err error
	if pq.match == "" {
		q, args := pq.tagFilter(`SELECT count(*) FROM pages p WHERE 1 = 1`, "p.rowid")
		err = w.DB.R.GetContext(ctx, &n, q, args...)
	} else {
		q, args := pq.tagFilter(`SELECT count(*) FROM pages_fts WHERE pages_fts MATCH ?`, "rowid", pq.match)
		err = w.DB.R.GetContext(ctx, &n, q, args...)
	}
	if err != nil {
		return 0, ftsError(err)
	}
	w.memo.put(k, gen, n, 8)
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

// searchTier reads up to n hits of one tier with rowid > from. Title hits
// come from the small titles table (their snippet is the start of the
// text); text hits from pages_fts, leaving out the title hits.
func (w *Wiki) searchTier(ctx context.Context, pq *parsedQuery, t searchTier, from int64, n int) ([]hitRow, error) {
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
	if err := w.DB.R.SelectContext(ctx, &rows, q, append(args, n)...); err != nil {
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

// backlinks is Backlinks' body: the pages whose links name this page, by
// the resolver's key (so [[Page Name]] counts for Page-Name.md), by one of
// its aliases, or by its base name when no page at the root has that name.
func (w *Wiki) backlinks(ctx context.Context, name string) ([]wiki.PageInfo, error) {
	if err := wiki.ValidatePageName(name); err != nil {
		return nil, err
	}
	base := ""
	if strings.Contains(name, "/") {
		base = wiki.NameKey(path.Base(name))
	}
	var pages []wiki.PageInfo
	err := w.DB.R.SelectContext(ctx, &pages, `
		SELECT DISTINCT p.name, p.title, p.blob, p.revision FROM links l JOIN pages p ON p.name = l.src
		WHERE (l.dkey = ?1 OR l.dkey IN (SELECT akey FROM aliases WHERE page = ?2)
		       OR (l.dkey = ?3 AND NOT EXISTS (SELECT 1 FROM pages r WHERE r.nkey = ?3)))
		  AND l.src != ?2 ORDER BY p.name`, wiki.NameKey(name), name, base)
	return pages, err
}
