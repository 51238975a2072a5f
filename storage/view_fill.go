package storage

import (
	"context"
	"path/filepath"

	"github.com/warren-wiki/warren/storage/internal/viewstamp"
)

// A rendered view of the main branch is a function of the commit the
// indexes describe, the wiki's preferences, and the request. ViewStamp
// names the first two so that a cache of rendered views (web's) can check
// an entry without opening the wiki: ReadViewStamp is two small file
// reads. StartViewFill and FinishViewFill bracket a render so that only a
// render made entirely from the stamped state is ever stored under it.

// ViewStamp is a wiki's main-branch commit and settings token.
type ViewStamp = viewstamp.Stamp

// ReadViewStamp reads the stamp of the wiki in dir (DATA/wikis/<slug>)
// without opening it; false when the wiki cannot be cached (no settings
// token yet, or no readable main branch).
func ReadViewStamp(dir string) (ViewStamp, bool) { return viewstamp.Read(dir) }

// ViewFill is a render in progress: the stamp it will be stored under and
// the memo generation it started at.
type ViewFill struct {
	Stamp ViewStamp
	gen   uint64
}

// StartViewFill begins a render that a cache may keep. It brings the
// indexes up to the main branch and reads the settings token (creating
// one if the wiki has none) before anything of the view is read, so the
// render is at least as new as the stamp. Call it before the first read.
func (w *Wiki) StartViewFill(ctx context.Context) (ViewFill, error) {
	token, err := viewstamp.Ensure(w.dir())
	if err != nil {
		return ViewFill{}, err
	}
	gen := w.memo.Gen()
	commit, err := w.syncHead(ctx)
	if err != nil {
		return ViewFill{}, err
	}
	return ViewFill{Stamp: ViewStamp{Commit: commit, Settings: token}, gen: gen}, nil
}

// FinishViewFill reports whether the render begun by f read nothing newer
// than its stamp: the watermark still names the stamp's commit and no index
// change committed since StartViewFill. The indexer moves the memo
// generation after each of its commits while it still holds its lock, and
// applies only when the branch moved away from the watermark; so reading
// the watermark first and the generation second, a commit the render could
// have seen shows in one of the two.
func (w *Wiki) FinishViewFill(ctx context.Context, f ViewFill) bool {
	if f.Stamp.Commit == "" {
		return false
	}
	mark, err := getMeta(ctx, w.DB.R, metaIndexed)
	return err == nil && mark == f.Stamp.Commit && w.memo.Gen() == f.gen
}

// SettingsChanged renews the settings token after the preferences changed,
// so that no view rendered with the old ones is served again, by this
// process or another one sharing the data directory.
func (w *Wiki) SettingsChanged() error {
	_, err := viewstamp.Renew(w.dir())
	return err
}

// dir is the wiki's directory, where wiki.db lives.
func (w *Wiki) dir() string { return filepath.Dir(w.DB.Path) }
