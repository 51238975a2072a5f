package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/warren-wiki/warren/storage/internal/pagediff"
	"github.com/warren-wiki/warren/wiki"
)

// Blame says, for each line of a page at HEAD, which commit last changed
// it, as git blame does: walking the page's history from the newest
// change, the lines a commit added are its own and every other line is
// handed on to the version before. The result depends only on the blob and
// the history behind it, so it is cached by (blob, file) in wiki.db.

// blame is Blame's body.
func (w *Wiki) blame(ctx context.Context, name string) ([]wiki.BlameLine, error) {
	if err := wiki.ValidatePageName(name); err != nil {
		return nil, err
	}
	row, err := w.indexedPage(ctx, name)
	if err != nil {
		return nil, err
	}
	if lines, ok, err := w.cachedBlame(ctx, row.Blob, row.File); ok || err != nil {
		return lines, err
	}
	lines, err := w.computeBlame(ctx, row.File, row.Blob)
	if err != nil {
		return nil, err
	}
	enc, err := json.Marshal(lines)
	if err != nil {
		return nil, err
	}
	_, err = w.DB.W.ExecContext(ctx, `INSERT INTO blame_cache(blob, file, lines) VALUES (?, ?, ?)
		ON CONFLICT(blob, file) DO NOTHING`, row.Blob, row.File, string(enc))
	return lines, err
}

// cachedBlame reads a blame from the cache; ok is false on a miss.
func (w *Wiki) cachedBlame(ctx context.Context, blob, file string) ([]wiki.BlameLine, bool, error) {
	var enc string
	err := w.DB.R.GetContext(ctx, &enc, `SELECT lines FROM blame_cache WHERE blob = ? AND file = ?`, blob, file)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	} else if err != nil {
		return nil, false, err
	}
	var lines []wiki.BlameLine
	err = json.Unmarshal([]byte(enc), &lines)
	return lines, err == nil, err
}

// computeBlame reads the file and its history and walks it
// (pagediff.Blame).
func (w *Wiki) computeBlame(ctx context.Context, file, blob string) ([]wiki.BlameLine, error) {
	content, err := w.Repo.ReadBlob(ctx, blob)
	if err != nil {
		return nil, err
	}
	revs, err := w.Repo.History(ctx, file, 0, "")
	if err != nil {
		return nil, err
	}
	return pagediff.Blame(content, revs, func(rev string) ([]byte, error) { return w.fileAt(ctx, rev, file) })
}

// fileAt is a file's content at a commit, empty where it does not exist.
func (w *Wiki) fileAt(ctx context.Context, rev, file string) ([]byte, error) {
	b, _, err := w.Repo.ReadFile(ctx, rev, file)
	if wiki.ErrorCode(err) == wiki.ENOTFOUND {
		return nil, nil
	}
	return b, err
}
