package storage

import (
	"context"
	"database/sql"
	"errors"

	"github.com/jmoiron/sqlx"
	"github.com/warren-wiki/warren/wiki"
)

// Drafts are the one kind of page text git does not hold: a caller's edit
// that could not be committed (a conflict) or is not committed yet. They
// live in wiki.db keyed by page and author login, so deleting wiki.db loses
// them and nothing else.

// draft is Draft's body; see Draft in wiki_ops.go. ENOTFOUND when the
// author has no draft of the page.
func (w *Wiki) draft(ctx context.Context, name, author string) ([]byte, string, error) {
	if err := wiki.ValidatePageName(name); err != nil {
		return nil, "", err
	}
	var row struct {
		Content string `db:"content"`
		Base    string `db:"base_revision"`
	}
	err := w.DB.R.GetContext(ctx, &row,
		`SELECT content, base_revision FROM drafts WHERE page = ? AND author = ?`, w.canonicalName(ctx, name), author)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", wiki.Errorf(wiki.ENOTFOUND, "no draft of %q", name)
	}
	if err != nil {
		return nil, "", err
	}
	return []byte(row.Content), row.Base, nil
}

// SaveDraft keeps an author's unsaved text of a page (editor autosave), so
// that closing a tab or losing a connection loses nothing. Anonymous callers
// have no stable key and get EINVALID.
func (w *Wiki) SaveDraft(ctx context.Context, name, author, baseRevision string, content []byte) error {
	if err := wiki.ValidatePageName(name); err != nil {
		return err
	}
	if author == "" {
		return wiki.Errorf(wiki.EINVALID, "drafts need a signed-in author")
	}
	return putDraft(ctx, w.DB.W, w.canonicalName(ctx, name), author, baseRevision, content, formatTime(w.now()))
}

// DeleteDraft discards an author's draft of a page; a missing draft is fine.
func (w *Wiki) DeleteDraft(ctx context.Context, name, author string) error {
	if err := wiki.ValidatePageName(name); err != nil {
		return err
	}
	return deleteDraft(ctx, w.DB.W, w.canonicalName(ctx, name), author)
}

func putDraft(ctx context.Context, db sqlx.ExecerContext, page, author, base string, content []byte, at string) error {
	_, err := db.ExecContext(ctx, `
		INSERT INTO drafts(page, author, base_revision, content, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT(page, author) DO UPDATE SET base_revision = excluded.base_revision,
		content = excluded.content, updated_at = excluded.updated_at`,
		page, author, base, string(content), at)
	return err
}

func deleteDraft(ctx context.Context, db sqlx.ExecerContext, page, author string) error {
	_, err := db.ExecContext(ctx, `DELETE FROM drafts WHERE page = ? AND author = ?`, page, author)
	return err
}

// canonicalName is the indexed spelling of a page name (pages are found
// case-insensitively), or the name as given for a page that does not exist;
// drafts and history are keyed by it so every spelling finds them.
func (w *Wiki) canonicalName(ctx context.Context, name string) string {
	if p, err := w.indexedPage(ctx, name); err == nil {
		return p.Name
	}
	return name
}
