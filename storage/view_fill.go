package storage

import (
	"context"

	"github.com/warren-wiki/warren/storage/internal/headref"
)

// ReadMainCommit reads the commit the main branch of the wiki in dir
// (DATA/wikis/<slug>) names without opening it, for web's cache of
// rendered views: one small file read. false if unborn or unreadable.
func ReadMainCommit(dir string) (string, bool) { return headref.Main(dir) }

// ViewFill is a render a cache may keep under Commit (the preferences are
// vouched for by robot.db's settings token); gen is the memo generation
// it started at.
type ViewFill struct {
	Commit string
	gen    uint64
}

// StartViewFill brings the indexes up to the main branch (so a commit made
// by another process shows) and notes the commit they describe. Call it
// before the render reads anything.
func (w *Wiki) StartViewFill(ctx context.Context) (ViewFill, error) {
	gen := w.memo.Gen()
	commit, err := w.syncHead(ctx)
	return ViewFill{Commit: commit, gen: gen}, err
}

// FinishViewFill reports whether the render read nothing newer than
// f.Commit. The indexer moves the memo generation after each commit while
// it holds its lock, and applies only when the branch left the watermark;
// so with the watermark read first and the generation second, a commit the
// render could have seen shows in one of the two.
func (w *Wiki) FinishViewFill(ctx context.Context, f ViewFill) bool {
	mark, err := getMeta(ctx, w.DB.R, metaIndexed)
	return err == nil && f.Commit != "" && mark == f.Commit && w.memo.Gen() == f.gen
}
