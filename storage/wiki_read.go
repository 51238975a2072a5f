package storage

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/warren-wiki/warren/wiki"
)

// pageRow is a page of the index joined with its cached HTML, so that a
// warm view is a single indexed read.
type pageRow struct {
	Name     string         `db:"name"`
	File     string         `db:"file"`
	Title    string         `db:"title"`
	Blob     string         `db:"blob"`
	Revision string         `db:"revision"`
	HTML     sql.NullString `db:"html"`
	TOC      sql.NullString `db:"toc"`
}

// indexedPage finds a page of HEAD by name: the exact name first, else a
// case-insensitive match (lname is lower-cased in Go, which unlike SQLite's
// lower() knows more than ASCII).
func (w *Wiki) indexedPage(ctx context.Context, name string) (*pageRow, error) {
	var row pageRow
	args := []any{w.rendererVersion(), strings.ToLower(name), name}
	var err error
	if st := w.readStmt(stmtPage); st != nil {
		err = st.GetContext(ctx, &row, args...)
	} else {
		err = w.DB.R.GetContext(ctx, &row, readSQL[stmtPage], args...)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, wiki.Errorf(wiki.ENOTFOUND, "page %q does not exist", name)
	}
	if err != nil {
		return nil, err
	}
	if row.File == "" {
		row.File = wiki.PageFile(row.Name)
	}
	return &row, nil
}

func (w *Wiki) rendererVersion() int {
	if w.Renderer == nil {
		return 0
	}
	return w.Renderer.Version()
}

// page is Page's body; the index row is returned too (nil for an old
// revision) because it may carry the cached HTML.
func (w *Wiki) page(ctx context.Context, name, rev string) (*wiki.Page, *pageRow, error) {
	if err := wiki.ValidatePageName(name); err != nil {
		return nil, nil, err
	}
	if rev == "" {
		row, err := w.indexedPage(ctx, name)
		if err != nil {
			return nil, nil, err
		}
		content, err := w.Repo.ReadBlob(ctx, row.Blob)
		if err != nil {
			return nil, nil, err
		}
		p := &wiki.Page{Name: row.Name, File: row.File, Title: row.Title, Content: content, Blob: row.Blob, Revision: row.Revision}
		return p, row, nil
	}
	p, err := w.pageAt(ctx, name, rev)
	return p, nil, err
}

// pageAt reads a page as it was at commit rev, straight from git.
func (w *Wiki) pageAt(ctx context.Context, name, rev string) (*wiki.Page, error) {
	if err := validRevision(rev); err != nil {
		return nil, err
	}
	f, err := w.Repo.FindFile(ctx, rev, wiki.PageFile(name))
	if err != nil {
		return nil, err
	}
	content, err := w.Repo.ReadBlob(ctx, f.Blob)
	if err != nil {
		return nil, err
	}
	if n, ok := wiki.PageNameOf(f.Path); ok {
		name = n
	}
	return &wiki.Page{Name: name, File: f.Path, Title: pageTitle(name, content), Content: content, Blob: f.Blob, Revision: rev}, nil
}

// validRevision accepts commit ids (full or abbreviated hex) only, so a
// revision from a URL can never be read as a ref name or an expression.
func validRevision(rev string) error {
	if len(rev) < 4 || len(rev) > 64 || strings.Trim(rev, "0123456789abcdef") != "" {
		return wiki.Errorf(wiki.EINVALID, "revision %q is not a commit id", rev)
	}
	return nil
}

// view is View's body: the cached HTML when warm (no write, no git walk),
// else a render that is stored for next time; then missing links marked.
func (w *Wiki) view(ctx context.Context, name, rev string) (*wiki.PageView, error) {
	p, row, err := w.page(ctx, name, rev)
	if err != nil {
		return nil, err
	}
	var htm, toc string
	switch {
	case row != nil && row.HTML.Valid:
		htm, toc = row.HTML.String, row.TOC.String
	default:
		var ok bool
		if htm, toc, ok, err = w.cachedHTML(ctx, p.Blob); err == nil && !ok {
			htm, toc, err = w.renderCached(ctx, p)
		}
		if err != nil {
			return nil, err
		}
	}
	if htm, err = w.resolveLinks(ctx, p.Name, htm); err != nil {
		return nil, err
	}
	return &wiki.PageView{Page: p, HTML: htm, TOC: toc}, nil
}

// preview is Preview's body.
func (w *Wiki) preview(ctx context.Context, name string, content []byte) (string, error) {
	if name != "" {
		if err := wiki.ValidatePageName(name); err != nil {
			return "", err
		}
	}
	r, err := w.Renderer.Render(content, w.renderOptions(name))
	if err != nil {
		return "", err
	}
	return w.resolveLinks(ctx, name, r.HTML)
}
