package storage

import (
	"context"

	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/internal/pagetree"
	"github.com/warren-wiki/warren/wiki"
)

// The signatures below are the contract web is written against; each body
// delegates to a helper in the file named after what it is (wiki_read.go,
// wiki_save.go, wiki_history.go, search.go, drafts.go, index*.go).

// Page returns a page at rev ("" = HEAD, through the page index; lookup falls
// back to a case-insensitive match). ENOTFOUND if it does not exist.
func (w *Wiki) Page(ctx context.Context, name, rev string) (*wiki.Page, error) {
	w.heal(ctx)
	p, _, err := w.page(ctx, name, rev)
	return p, err
}

// View returns a page with its rendered HTML, from the render cache when warm.
// Wikilinks to pages that do not exist get class "missing" and point at the
// target's editor; the marks are never stored in the render cache, and a
// view at HEAD is kept in memory only until the indexes next change, so
// creating a page fixes the links to it everywhere at once. The content
// bytes of a view at HEAD are shared: read them, never modify them.
func (w *Wiki) View(ctx context.Context, name, rev string) (*wiki.PageView, error) {
	w.heal(ctx)
	if err := w.ensureStyle(ctx); err != nil {
		return nil, err
	}
	if rev == "" {
		return w.viewMemo(ctx, name)
	}
	return w.view(ctx, name, rev)
}

// Preview renders unsaved Markdown with the same renderer, without caching.
// Missing pages are marked as in View, so the preview shows what a save will.
func (w *Wiki) Preview(ctx context.Context, name string, content []byte) (string, error) {
	return w.preview(ctx, name, content)
}

// Save commits one page edit under the write lock, merging three-way when
// the page changed since req.BaseRevision; on overlap it returns a
// *ConflictError and keeps the caller's text as a draft. The index is
// caught up before it returns, so the caller's next read sees the save.
// Saving text identical to the current page commits nothing and returns
// the page's current revision.
func (w *Wiki) Save(ctx context.Context, req wiki.SaveRequest) (*wiki.SaveResult, error) {
	return w.save(ctx, req)
}

// Delete removes a page if it is still at baseRevision (EPRECONDITION if not,
// EPRECONDITIONNEEDED if baseRevision is empty, ENOTFOUND if it is gone).
func (w *Wiki) Delete(ctx context.Context, name, baseRevision, message string, author *wiki.Caller) (string, error) {
	return w.deletePage(ctx, name, baseRevision, message, author)
}

// List pages in name order with cursor paging: names > after, with prefix.
// limit <= 0 means 100; at most 1000.
func (w *Wiki) List(ctx context.Context, prefix, after string, limit int) ([]wiki.PageInfo, error) {
	w.heal(ctx)
	return pagetree.List(ctx, w.DB.R, prefix, after, limit)
}

// History lists a page's changes ("" = the whole wiki), newest first, from
// the change index. before > 0 pages on from a cursor; Changes returns the
// cursors (wiki.Change has no field for them).
func (w *Wiki) History(ctx context.Context, name string, limit int, before int64) ([]wiki.Change, error) {
	w.heal(ctx)
	return w.historyMemo(ctx, name, limit, before)
}

// PageDiff returns the line diff of a page between two revisions (from ""
// = empty, to "" = HEAD).
func (w *Wiki) PageDiff(ctx context.Context, name, from, to string) ([]wiki.DiffLine, error) {
	return w.pageDiff(ctx, name, from, to)
}

// Search queries the full-text index: every word is a prefix, "phrases"
// match whole, OR joins alternatives, -word excludes and tag:x filters by
// front-matter tag (see search_query.go). Pages matching in their name or
// title come first. It returns one screen of at most limit hits after the
// cursor after ("" = the first), the total number of matching pages and
// the cursor of the next screen. A query with nothing to find, or a cursor
// Search did not return, is EINVALID.
func (w *Wiki) Search(ctx context.Context, q string, limit int, after string) (*wiki.SearchResult, error) {
	w.heal(ctx)
	return w.search(ctx, q, limit, after)
}

// Backlinks lists the pages that link to name.
func (w *Wiki) Backlinks(ctx context.Context, name string) ([]wiki.PageInfo, error) {
	w.heal(ctx)
	return w.backlinksMemo(ctx, name)
}

// Draft returns the caller's kept text for a page and the revision it was
// based on; ENOTFOUND if there is none.
func (w *Wiki) Draft(ctx context.Context, name, author string) (content []byte, baseRevision string, err error) {
	return w.draft(ctx, name, author)
}

// Sync brings the page index, search index, link graph and change log up to
// HEAD from the indexed_commit watermark. It runs on open and after every ref
// update (web save or push), so a crash or an out-of-band push heals.
// A failure leaves the indexes marked as behind, so reads retry it.
func (w *Wiki) Sync(ctx context.Context) error {
	return w.indexer.Sync(ctx)
}

// Revision describes one commit of the wiki (author, time, message), for a
// page shown at an old revision.
func (w *Wiki) Revision(ctx context.Context, rev string) (wiki.Revision, error) {
	return w.Repo.Revision(ctx, rev)
}

// Repository is the wiki's bare repository, for the git wire protocol,
// which serves and updates it as it is (under the wiki's write lock).
func (w *Wiki) Repository() *gitrepo.Repo { return w.Repo }
