package storage

import (
	"context"

	"github.com/warren-wiki/warren/storage/internal/pagetree"
	"github.com/warren-wiki/warren/wiki"
)

// The contract of the safety net, page moves, the page index by folder,
// tags and feeds; bodies live in the files named after what they are
// (blame.go, commit_view.go, revert.go, move.go, folders.go, redirects.go).

// Blame returns each line of a page at HEAD with the commit that last
// changed it (ENOTFOUND for a missing page). Cached by blob and file.
func (w *Wiki) Blame(ctx context.Context, name string) ([]wiki.BlameLine, error) {
	return w.blame(ctx, name)
}

// CommitView describes one commit: message, author, time, parents, and
// every file it changed against its first parent, with line diffs.
func (w *Wiki) CommitView(ctx context.Context, id string) (*wiki.Commit, error) {
	return w.commitView(ctx, id)
}

// Restore saves a page's text at an old revision as one new commit whose
// message names that revision. BaseRevision is checked strictly, as the
// API's If-Match: EPRECONDITION if the page changed since, and
// EPRECONDITIONNEEDED if it exists and none was given.
func (w *Wiki) Restore(ctx context.Context, req wiki.RestoreRequest) (*wiki.SaveResult, error) {
	return w.restore(ctx, req)
}

// Revert undoes a commit in every file it touched, merged three-way with
// what came after, as one new commit; ECONFLICT (nothing changed) when a
// file cannot be merged, EINVALID for a merge commit without req.Parent.
func (w *Wiki) Revert(ctx context.Context, req wiki.RevertRequest) (string, error) {
	return w.revert(ctx, req)
}

// Move renames a page with its attachment folder and sub-pages, or a
// folder with everything in it, in one commit, rewriting links in other
// pages when req.RewriteLinks. EEXISTS if anything is in the way,
// EPRECONDITION if the page (folder) changed since req.BaseRevision.
func (w *Wiki) Move(ctx context.Context, req wiki.MoveRequest) (*wiki.MoveResult, error) {
	return w.move(ctx, req)
}

// Redirect says where a page that no longer exists went, from the renames
// in git's history; ENOTFOUND if it went nowhere that exists now.
func (w *Wiki) Redirect(ctx context.Context, name string) (string, error) {
	return w.redirect(ctx, name)
}

// Folders lists the folders directly below prefix ("" or "a/b/") with the
// number of pages under each, in name order after the folder named after.
func (w *Wiki) Folders(ctx context.Context, prefix, after string, limit int) ([]wiki.Folder, error) {
	return pagetree.Folders(ctx, w.DB.R, prefix, after, limit)
}

// PagesIn lists the pages directly in a folder ("" = the root), in name
// order after the page named after.
func (w *Wiki) PagesIn(ctx context.Context, prefix, after string, limit int) ([]wiki.PageInfo, error) {
	return pagetree.PagesIn(ctx, w.DB.R, prefix, after, limit)
}

// FolderRevision is a folder's revision for moving or deleting it: the
// newest revision of the pages below it (prefix ends in "/").
func (w *Wiki) FolderRevision(ctx context.Context, prefix string) (string, error) {
	if err := pagetree.ValidPrefix(prefix); err != nil || prefix == "" {
		return "", wiki.Errorf(wiki.EINVALID, "%q is not a folder", prefix)
	}
	return pagetree.FolderRevision(ctx, w.DB.R, prefix)
}

// DeleteFolder removes every file below a folder in one commit, if no page
// in it changed since baseRevision (see FolderRevision).
func (w *Wiki) DeleteFolder(ctx context.Context, folder, baseRevision, message string, author *wiki.Caller) (string, error) {
	return w.deleteFolder(ctx, folder, baseRevision, message, author)
}

// Tags lists the front-matter tags of the wiki's pages with their pages.
func (w *Wiki) Tags(ctx context.Context) ([]wiki.Tag, error) { return pagetree.Tags(ctx, w.DB.R) }

// Feed lists the latest changes of a page ("" = the wiki) for an Atom feed,
// each with the number of lines it added and removed.
func (w *Wiki) Feed(ctx context.Context, name string, limit int) ([]wiki.FeedEntry, error) {
	return w.feed(ctx, name, limit)
}
