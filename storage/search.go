package storage

import (
	"context"
	"path"
	"strings"

	"github.com/warren-wiki/warren/storage/internal/search"
	"github.com/warren-wiki/warren/wiki"
)

// search is Search's body (see Search in wiki_ops.go): the search package
// over the reader pool, its totals kept in the memo.
func (w *Wiki) search(ctx context.Context, q string, limit int, after string) (*wiki.SearchResult, error) {
	s := search.Searcher{DB: w.DB.R, Totals: w.searchTotal}
	return s.Search(ctx, q, limit, after)
}

// memoSearchCount is the memo kind of search totals: counting every match
// is the one part of a search whose cost grows with the matches, so a
// query's total is kept until the indexes change.
const memoSearchCount memoKind = 100

// searchTotal answers a query's total from the memo, counting on a miss.
func (w *Wiki) searchTotal(key string, count func() (int, error)) (int, error) {
	k := memoKey{kind: memoSearchCount, name: key}
	if v, ok := w.memo.get(k); ok {
		return v.(int), nil
	}
	gen := w.memo.gen.Load()
	n, err := count()
	if err != nil {
		return 0, err
	}
	w.memo.put(k, gen, n, 8)
	return n, nil
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
