package storage

import (
	"context"
	"path"
	"strings"

	"github.com/warren-wiki/warren/wiki"
)

// search is Search's body (see Search in wiki_ops.go): the wiki's
// Searcher over the reader pool, made in OpenWiki.
func (w *Wiki) search(ctx context.Context, q string, limit int, after string) (*wiki.SearchResult, error) {
	return w.finder.Search(ctx, q, limit, after)
}

// memoSearch is the memo kind of search answers (screens and totals).
const memoSearch memoKind = 100

// searchMemo is the Searcher's memo: the wiki's memo, so a search answer
// lasts until the indexes change, like the answers of a page view.
func (w *Wiki) searchMemo(key string, compute func() (any, int, error)) (any, error) {
	k := memoKey{kind: memoSearch, name: key}
	if v, ok := w.memo.Get(k); ok {
		return v, nil
	}
	gen := w.memo.Gen()
	v, size, err := compute()
	if err != nil {
		return nil, err
	}
	w.memo.Put(k, gen, v, size)
	return v, nil
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
		WHERE l.dkey IN (SELECT ?1 UNION ALL SELECT akey FROM aliases WHERE page = ?2
		       UNION ALL SELECT ?3 WHERE NOT EXISTS (SELECT 1 FROM pages r WHERE r.nkey = ?3))
		  AND l.src != ?2 ORDER BY p.name`, wiki.NameKey(name), name, base)
	return pages, err
}
