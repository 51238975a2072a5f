package search

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"sync"

	"github.com/jmoiron/sqlx"
	"github.com/warren-wiki/warren/wiki"
)

// total is the number of pages the whole query matches, through Memo.
// With words to leave out it is |P| − |P AND N| (P the words that must
// match, N those that must not): |P| is the total of the same search
// without its exclusions, remembered under that search's key, and
// |P AND N| costs FTS5 only what P and N have in common, since AND skips
// ahead by rowid. So narrowing a search with -word does not count the
// words' matches again.
func (s *Searcher) total(ctx context.Context, pq *parsedQuery) (int, error) {
	return s.memoCount(pq.key(), func() (int, error) {
		if pq.negative == "" {
			return s.count(ctx, pq, pq.match)
		}
		all, err := s.memoCount(pq.positiveKey(), func() (int, error) {
			return s.count(ctx, pq, "("+pq.positive+")")
		})
		if err != nil {
			return 0, err
		}
		both, err := s.count(ctx, pq, "("+pq.positive+") AND ("+pq.negative+")")
		return max(0, all-both), err
	})
}

// memoCount is a count through Memo under key.
func (s *Searcher) memoCount(key string, count func() (int, error)) (int, error) {
	v, err := s.memo("n\x00"+key, func() (any, int, error) {
		n, err := count()
		return n, 8, err
	})
	if err != nil {
		return 0, err
	}
	return v.(int), nil
}

// count counts the pages that match (a MATCH expression, "" for none) and
// have the query's tags. It reads pages_fts alone: no join, no columns.
func (s *Searcher) count(ctx context.Context, pq *parsedQuery, match string) (int, error) {
	q, args := pq.tagFilter(`SELECT count(*) FROM pages p WHERE 1 = 1`, "p.rowid")
	if match != "" {
		q, args = pq.tagFilter(`SELECT count(*) FROM pages_fts WHERE pages_fts MATCH ?`, "rowid", match)
	}
	var n int
	if err := s.stmt(q).GetContext(ctx, &n, args...); err != nil {
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
	// Body is the page text when the snippet is to be built in Go
	// (textSnippets); NULL when SQLite built it.
	Body   sql.NullString `db:"body"`
	cursor string
}

// tier reads up to n hits of one tier with rowid > from. Title hits come
// from the small titles table (their snippet is the start of the text);
// text hits from pages_fts, whose tier expression leaves out the title
// hits itself (see tiers), so FTS5 walks the doclists lazily in rowid
// order and stops at the limit.
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
	case pq.hits == nil:
		q, args = pq.tagFilter(`
			SELECT f.rowid, p.name, p.title, snippet(pages_fts, 2, char(1), char(2), '…', 16) AS snippet
			FROM pages_fts f JOIN pages p ON p.rowid = f.rowid
			WHERE pages_fts MATCH ? AND f.rowid > ?`, "f.rowid", t.match, from)
		q += ` ORDER BY f.rowid LIMIT ?`
	default: // the text of an ASCII page, for textSnippets; FTS5's snippet of any other
		q, args = pq.tagFilter(`
			SELECT f.rowid, p.name, p.title,
				CASE WHEN length(c.c2) = octet_length(c.c2) THEN c.c2 END AS body,
				CASE WHEN length(c.c2) = octet_length(c.c2) THEN '' ELSE snippet(pages_fts, 2, char(1), char(2), '…', 16) END AS snippet
			FROM pages_fts f JOIN pages p ON p.rowid = f.rowid JOIN pages_fts_content c ON c.id = f.rowid
			WHERE pages_fts MATCH ? AND f.rowid > ?`, "f.rowid", t.match, from)
		q += ` ORDER BY f.rowid LIMIT ?`
	}
	rows := make([]hitRow, 0, n)
	if err := s.stmt(q).SelectContext(ctx, &rows, append(args, n)...); err != nil {
		return nil, ftsError(err)
	}
	for i := range rows {
		rows[i].cursor = strconv.Itoa(t.n) + "." + strconv.FormatInt(rows[i].RowID, 10)
	}
	if err := s.textSnippets(ctx, pq, t, rows[:min(len(rows), n-1)]); err != nil {
		return nil, err
	}
	return rows, nil
}

// textSnippets builds the snippets of the hits whose text was read for it
// (the last row of a full read only says whether a next screen exists, and
// is never shown). A text that is not plain ASCII after all (SQLite counts
// the characters of invalid UTF-8 as it can) gets FTS5's snippet.
func (s *Searcher) textSnippets(ctx context.Context, pq *parsedQuery, t searchTier, rows []hitRow) error {
	var bufs snippetBufs
	for i := range rows {
		r := &rows[i]
		if !r.Body.Valid {
			continue
		}
		if isASCIIText(r.Body.String) {
			r.Snippet = textSnippet(r.Body.String, pq.hits, &bufs)
			continue
		}
		err := s.stmt(`SELECT snippet(pages_fts, 2, char(1), char(2), '…', 16) FROM pages_fts WHERE pages_fts MATCH ? AND rowid = ?`).
			GetContext(ctx, &r.Snippet, t.match, r.RowID)
		if err != nil {
			return ftsError(err)
		}
	}
	return nil
}

// ftsError turns FTS5's complaint about a query it cannot parse (which the
// quoting should make impossible) into EINVALID rather than a 500.
func ftsError(err error) error {
	if err != nil && strings.Contains(err.Error(), "fts5") {
		return wiki.Errorf(wiki.EINVALID, "the search query could not be understood")
	}
	return err
}

// A search runs a handful of statement shapes (a tier, with or without
// words to leave out, with as many tag filters as the query names), so
// each is prepared once per open wiki and a search spends its time
// reading, not parsing SQL.

// maxStmts bounds the prepared shapes; a query of an unusual shape beyond
// it runs unprepared.
const maxStmts = 64

// stmtCache holds a Searcher's prepared statements by their SQL text.
type stmtCache struct {
	mu    sync.Mutex
	stmts map[string]*sqlx.Stmt // guarded by mu
}

// queryer is what a statement, prepared or not, offers a search.
type queryer interface {
	GetContext(ctx context.Context, dest any, args ...any) error
	SelectContext(ctx context.Context, dest any, args ...any) error
}

// stmt returns q prepared, preparing it on first use, or q to run as is
// when preparing fails or the cache is full.
func (s *Searcher) stmt(q string) queryer {
	c := &s.stmts
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.stmts[q]; ok {
		return st
	}
	if len(c.stmts) >= maxStmts {
		return unprepared{s.DB, q}
	}
	st, err := s.DB.Preparex(q)
	if err != nil {
		return unprepared{s.DB, q}
	}
	if c.stmts == nil {
		c.stmts = make(map[string]*sqlx.Stmt)
	}
	c.stmts[q] = st
	return st
}

// close releases the prepared statements.
func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.stmts {
		st.Close()
	}
	c.stmts = nil
}

// unprepared runs its SQL text directly.
type unprepared struct {
	db *sqlx.DB
	q  string
}

func (u unprepared) GetContext(ctx context.Context, dest any, args ...any) error {
	return u.db.GetContext(ctx, dest, u.q, args...)
}

func (u unprepared) SelectContext(ctx context.Context, dest any, args ...any) error {
	return u.db.SelectContext(ctx, dest, u.q, args...)
}
