package storage

import (
	"context"
	"errors"
	"syscall"

	"github.com/warren-wiki/warren/storage/internal/index"
	"github.com/warren-wiki/warren/storage/internal/search"
	"github.com/warren-wiki/warren/storage/sqlitedb"
	"github.com/warren-wiki/warren/wiki"
)

// The derived tables of wiki.db (pages, search, links, changes, redirects,
// a warm render cache) are kept by storage/internal/index from the
// indexed_commit watermark; these are the wiki's ends of it.
//
// Once a commit's ref has moved, the change is made: it is durable in git,
// and git is the source of truth. Bringing the indexes up to it can still
// fail (a full disk, most of all), but that must not turn a made change
// into an error the user would retry. The indexes heal from their
// watermark: the next write catches them up before it starts, and so does
// the next read, which checks a flag first (one atomic load when nothing
// is behind).

// newIndexer wires the wiki's indexer: it renders pages as views do and
// folds search text as Search expects.
func (w *Wiki) newIndexer() *index.Indexer {
	return &index.Indexer{
		Repo:     w.Repo,
		DB:       w.DB,
		Renderer: w.Renderer,
		Options:  w.renderOptions,
		Search:   searchRow,
		Changed:  w.memo.Changed,
	}
}

// searchRow folds a page's name, title and text for the search tables as
// internal/search expects them (search.Text also drops the characters
// that mark hits in snippets, so page text can never forge a <mark>).
func searchRow(name, title, text string) index.SearchRow {
	body := search.Text(text)
	return index.SearchRow{Name: search.FoldText(name), Title: search.FoldText(title), Body: body, Fold: search.FoldedWords(body)}
}

// syncHead brings the indexes up to HEAD and returns the commit they now
// describe.
func (w *Wiki) syncHead(ctx context.Context) (string, error) { return w.indexer.CatchUp(ctx) }

// afterCommit catches the indexes up after a commit moved the ref; a
// failure only marks them as behind.
func (w *Wiki) afterCommit(ctx context.Context) error {
	w.indexer.Sync(ctx)
	return nil
}

// heal retries a catch-up that failed after a commit, before a read that
// would otherwise not show it.
func (w *Wiki) heal(ctx context.Context) { w.indexer.Heal(ctx) }

// pageName, regularFile and pageTitle are the indexer's rules, which every
// reader of pages follows too.
func pageName(file string) (string, bool)          { return index.PageName(file) }
func regularFile(mode uint32) bool                 { return index.RegularFile(mode) }
func pageTitle(name string, content []byte) string { return index.PageTitle(name, content) }

// noSpace turns a full disk or quota, as the OS or SQLite reports it, into
// ENOSPACE with a message that says what happened; other errors pass.
func noSpace(err error) error {
	if err == nil || wiki.ErrorCode(err) != wiki.EINTERNAL {
		return err
	}
	if sqlitedb.IsDiskFull(err) || errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return wiki.Errorf(wiki.ENOSPACE, "%s", wiki.NoSpaceMessage)
	}
	return err
}
