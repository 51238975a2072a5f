package storage

import (
	"context"

	"github.com/warren-wiki/warren/storage/internal/headref"
)

// A rendered view of the main branch is a function of the commit the
// indexes describe, the wiki's preferences, its robot.db row and the
// request. The preferences are vouched for by the row's settings token
// (renewed on every change), so a cache of rendered views (web's) checks
// an entry against the row and the main branch's commit, which
// ReadMainCommit reads without opening the wiki. StartViewFill and
// FinishViewFill bracket a render so that only a render made entirely from
// one commit is ever stored under it.

// ReadMainCommit reads the commit the main branch of the wiki in dir
// (DATA/wikis/<slug>) names, without opening it: one small file read.
// false when it cannot be read as a commit id (unborn, damaged).
func ReadMainCommit(dir string) (string, bool) { return headref.Main(dir) }

// ViewFill is a render in progress: the commit it will be stored under and
// the memo generation it started at.
type ViewFill struct {
	Commit string
	gen    uint64
}

// StartViewFill begins a render that a cache may keep: it brings the
// indexes up to the main branch (as an open does, so a commit made by
// another process shows) and notes the commit they describe. Call it
// before the render reads anything.
func (w *Wiki) StartViewFill(ctx context.Context) (ViewFill, error) {
	gen := w.memo.Gen()
	commit, err := w.syncHead(ctx)
	if err != nil {
		return ViewFill{}, err
	}
	return ViewFill{Commit: commit, gen: gen}, nil
}

// FinishViewFill reports whether the render begun by f read nothing newer
// than its commit: the watermark still names it and no index change
// committed since StartViewFill. The indexer moves the memo generation
// after each of its commits while it still holds its lock, and applies
// only when the branch moved away from the watermark; so reading the
// watermark first and the generation second, a commit the render could
// have seen shows in one of the two.
func (w *Wiki) FinishViewFill(ctx context.Context, f ViewFill) bool {
	if f.Commit == "" {
		return false
	}
	mark, err := getMeta(ctx, w.DB.R, metaIndexed)
	return err == nil && mark == f.Commit && w.memo.Gen() == f.gen
}
