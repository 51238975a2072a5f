package storage

import (
	"context"
	"database/sql"
	"errors"

	"github.com/warren-wiki/warren/storage/internal/links"
	"github.com/warren-wiki/warren/wiki"
)

// Rendered HTML is cached in wiki.db by (blob, renderer version): a blob's
// HTML never changes unless the renderer does, and the URL base and the
// wikilink style baked into it are checked at open and when the style
// changes (checkRenderer). Everything that depends on other pages (where a
// link points, missing-page marks, transclusions, page indexes) is applied
// per view by the link pass (storage/internal/links), never cached with the blob.

// cachedHTML looks a blob up in the render cache; ok is false on a miss.
func (w *Wiki) cachedHTML(ctx context.Context, blob string) (htm, toc string, ok bool, err error) {
	var row struct {
		HTML string `db:"html"`
		TOC  string `db:"toc"`
	}
	err = w.DB.R.GetContext(ctx, &row,
		`SELECT html, toc FROM render_cache WHERE blob = ? AND renderer_version = ?`, blob, w.Renderer.Version())
	if errors.Is(err, sql.ErrNoRows) {
		w.Stats.renderLookup(false)
		return "", "", false, nil
	}
	w.Stats.renderLookup(err == nil)
	return row.HTML, row.TOC, err == nil, err
}

// renderCached renders a blob and stores the result: the only write a view
// ever makes, and only on a miss.
func (w *Wiki) renderCached(ctx context.Context, p *wiki.Page) (htm, toc string, err error) {
	r, err := w.Renderer.Render(p.Content, w.renderOptions(p.Name))
	if err != nil {
		return "", "", err
	}
	_, err = w.DB.W.ExecContext(ctx,
		`INSERT INTO render_cache(blob, renderer_version, html, toc) VALUES (?, ?, ?, ?)
		 ON CONFLICT(blob, renderer_version) DO NOTHING`, p.Blob, w.Renderer.Version(), r.HTML, r.TOC)
	return r.HTML, r.TOC, err
}

// links is the link pass and resolver over this wiki's indexes
// (storage/internal/links).
func (w *Wiki) links() *links.Resolver {
	return &links.Resolver{DB: w.DB.R, Base: w.Base, PageHTML: w.pageHTML}
}

// resolveLinks runs the link pass over the HTML of page from.
func (w *Wiki) resolveLinks(ctx context.Context, from, htm string) (string, error) {
	return w.links().Pass(ctx, from, htm)
}

// pageHTML is an indexed page's HTML, for transclusions and chrome.
func (w *Wiki) pageHTML(ctx context.Context, name string) (string, error) {
	row, err := w.indexedPage(ctx, name)
	if err != nil {
		return "", err
	}
	return w.rowHTML(ctx, row)
}

// rowHTML is an indexed page's HTML from the render cache, rendered and
// stored on a miss.
func (w *Wiki) rowHTML(ctx context.Context, row *pageRow) (string, error) {
	if row.HTML.Valid {
		return row.HTML.String, nil
	}
	htm, _, ok, err := w.cachedHTML(ctx, row.Blob)
	if err != nil || ok {
		return htm, err
	}
	content, err := w.Repo.ReadBlob(ctx, row.Blob)
	if err != nil {
		return "", err
	}
	htm, _, err = w.renderCached(ctx, &wiki.Page{Name: row.Name, Content: content, Blob: row.Blob})
	return htm, err
}
