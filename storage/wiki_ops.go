package storage

import (
	"context"

	"github.com/warren-wiki/warren/wiki"
)

// The bodies below are placeholders for their owner; the signatures are the
// contract web is written against.

// Page returns a page at rev ("" = HEAD, through the page index; lookup falls
// back to a case-insensitive match). ENOTFOUND if it does not exist.
func (w *Wiki) Page(ctx context.Context, name, rev string) (*wiki.Page, error) { return nil, errTODO }

// View returns a page with its rendered HTML, from the render cache when warm.
func (w *Wiki) View(ctx context.Context, name, rev string) (*PageView, error) { return nil, errTODO }

// Preview renders unsaved Markdown with the same renderer, without caching.
func (w *Wiki) Preview(ctx context.Context, name string, content []byte) (string, error) {
	return "", errTODO
}

// Save commits one page edit under the write lock, merging three-way when
// the page changed since req.BaseRevision; on overlap it returns a
// *ConflictError and keeps the caller's text as a draft.
func (w *Wiki) Save(ctx context.Context, req SaveRequest) (*SaveResult, error) { return nil, errTODO }

// Delete removes a page if it is still at baseRevision (EPRECONDITION if not).
func (w *Wiki) Delete(ctx context.Context, name, baseRevision, message string, author *wiki.Caller) (string, error) {
	return "", errTODO
}

// List pages in name order with cursor paging: names > after, with prefix.
func (w *Wiki) List(ctx context.Context, prefix, after string, limit int) ([]wiki.PageInfo, error) {
	return nil, errTODO
}

// History lists a page's changes ("" = the whole wiki), newest first, from
// the change index.
func (w *Wiki) History(ctx context.Context, name string, limit int, before int64) ([]wiki.Change, error) {
	return nil, errTODO
}

// PageDiff returns the line diff of a page between two revisions.
func (w *Wiki) PageDiff(ctx context.Context, name, from, to string) ([]DiffLine, error) {
	return nil, errTODO
}

// Search queries the full-text index.
func (w *Wiki) Search(ctx context.Context, q string, limit int) ([]SearchHit, error) {
	return nil, errTODO
}

// Backlinks lists the pages that link to name.
func (w *Wiki) Backlinks(ctx context.Context, name string) ([]wiki.PageInfo, error) {
	return nil, errTODO
}

// Draft returns the caller's kept text for a page, if any.
func (w *Wiki) Draft(ctx context.Context, name, author string) (content []byte, baseRevision string, err error) {
	return nil, "", errTODO
}

// Sync brings the page index, search index, link graph and change log up to
// HEAD from the indexed_commit watermark. It runs on open and after every ref
// update (web save or push), so a crash or an out-of-band push heals.
func (w *Wiki) Sync(ctx context.Context) error { return errTODO }

// Close closes the repository and wiki.db.
func (w *Wiki) Close() error { return errTODO }
