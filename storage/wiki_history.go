package storage

import (
	"context"

	"github.com/warren-wiki/warren/storage/internal/pagediff"
	"github.com/warren-wiki/warren/wiki"
)

// History bounds.
const (
	defaultHistoryN = 50
	maxHistoryN     = 500
)

// Changes lists a page's changes ("" = the whole wiki), newest first, with
// their cursors; only entries with Seq < before when before > 0. It reads
// the change index, never the git history.
// The first screen (before == 0) is kept in the memo until the indexes
// change, so the recent-changes page costs about a page view.
func (w *Wiki) Changes(ctx context.Context, name string, limit int, before int64) ([]wiki.ChangeEntry, error) {
	if before == 0 && limit > 0 && limit <= maxMemoChanges {
		return w.changesMemo(ctx, name, limit)
	}
	return w.changes(ctx, name, limit, before)
}

// changes is Changes' body, straight from the change index.
func (w *Wiki) changes(ctx context.Context, name string, limit int, before int64) ([]wiki.ChangeEntry, error) {
	if limit <= 0 {
		limit = defaultHistoryN
	}
	limit = min(limit, maxHistoryN)
	q := `SELECT seq, revision, page, action, author, message, at FROM changes WHERE 1 = 1`
	var args []any
	if name != "" {
		if err := wiki.ValidatePageName(name); err != nil {
			return nil, err
		}
		q += ` AND page = ?`
		args = append(args, w.canonicalName(ctx, name))
	}
	if before > 0 {
		q += ` AND seq < ?`
		args = append(args, before)
	}
	q += ` ORDER BY seq DESC LIMIT ?`
	var rows []struct {
		Seq      int64  `db:"seq"`
		Revision string `db:"revision"`
		Page     string `db:"page"`
		Action   string `db:"action"`
		Author   string `db:"author"`
		Message  string `db:"message"`
		At       string `db:"at"`
	}
	if err := w.DB.R.SelectContext(ctx, &rows, q, append(args, limit)...); err != nil {
		return nil, err
	}
	out := make([]wiki.ChangeEntry, len(rows))
	for i, r := range rows {
		out[i] = wiki.ChangeEntry{Seq: r.Seq, Change: wiki.Change{Revision: r.Revision, Page: r.Page,
			Action: r.Action, Author: r.Author, Message: r.Message, Time: parseTime(r.At)}}
	}
	return out, nil
}

// history is History's body.
func (w *Wiki) history(ctx context.Context, name string, limit int, before int64) ([]wiki.Change, error) {
	entries, err := w.Changes(ctx, name, limit, before)
	if err != nil {
		return nil, err
	}
	out := make([]wiki.Change, len(entries))
	for i, e := range entries {
		out[i] = e.Change
	}
	return out, nil
}

// pageDiff is PageDiff's body. from "" is the empty page (so a page's first
// revision diffs as all added) and to "" is HEAD; a side where the page
// does not exist (created or deleted) reads as empty.
func (w *Wiki) pageDiff(ctx context.Context, name, from, to string) ([]wiki.DiffLine, error) {
	if err := wiki.ValidatePageName(name); err != nil {
		return nil, err
	}
	if to == "" {
		head, err := w.Repo.Head(ctx)
		if err != nil {
			return nil, err
		}
		to = head
	}
	a, okA, err := w.contentAt(ctx, name, from)
	if err != nil {
		return nil, err
	}
	b, okB, err := w.contentAt(ctx, name, to)
	if err != nil {
		return nil, err
	}
	if !okA && !okB {
		return nil, wiki.Errorf(wiki.ENOTFOUND, "page %q exists at neither revision", name)
	}
	return pagediff.Lines(a, b), nil
}

// contentAt reads a page's text at rev; ok is false if it is absent there.
func (w *Wiki) contentAt(ctx context.Context, name, rev string) ([]byte, bool, error) {
	if rev == "" {
		return nil, false, nil
	}
	p, err := w.pageAt(ctx, name, rev)
	if wiki.ErrorCode(err) == wiki.ENOTFOUND {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return p.Content, true, nil
}
