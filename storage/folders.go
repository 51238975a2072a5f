package storage

import (
	"context"
	"strconv"
	"strings"

	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/internal/linkmove"
	"github.com/warren-wiki/warren/storage/internal/pagediff"
	"github.com/warren-wiki/warren/storage/internal/pagetree"
	"github.com/warren-wiki/warren/wiki"
)

// deleteFolder is DeleteFolder's body: every file below the folder (pages,
// attachments, sub-folders) removed in one commit, if no page in it changed
// since baseRevision (see FolderRevision).
func (w *Wiki) deleteFolder(ctx context.Context, folder, baseRevision, message string, author *wiki.Caller) (string, error) {
	folder = strings.Trim(folder, "/")
	if err := wiki.ValidateFilePath(folder); err != nil {
		return "", err
	}
	if err := deletionBase("folder "+strconv.Quote(folder), baseRevision); err != nil {
		return "", err
	}
	if author == nil {
		author = &wiki.Caller{}
	}
	var rev string
	err := w.writeOp(ctx, func(head string) error {
		all, err := w.Repo.ListFiles(ctx, head)
		if err != nil {
			return err
		}
		prefix := linkmove.StoredFolder(all, folder)
		cur, err := pagetree.FolderRevision(ctx, w.DB.R, prefix)
		if err != nil {
			return err
		}
		if cur != baseRevision {
			return wiki.Errorf(wiki.EPRECONDITION, "folder %q changed since revision %s", folder, shortID(baseRevision))
		}
		var changes []gitrepo.FileChange
		for _, f := range all {
			if strings.HasPrefix(f.Path, prefix) {
				changes = append(changes, gitrepo.FileChange{Path: f.Path, Delete: true})
			}
		}
		rev, err = w.commit(ctx, author, gitrepo.CommitRequest{
			Parent: head, Changes: changes, When: w.now(),
			Message:    commitMessage(message, "Delete folder", strings.TrimSuffix(prefix, "/")),
			AuthorName: author.AuthorName(), AuthorEmail: author.AuthorEmail(),
		})
		if err != nil {
			return err
		}
		return w.afterCommit(ctx)
	})
	return rev, err
}

// feed is Feed's body: the latest changes with the size of each diff.
func (w *Wiki) feed(ctx context.Context, name string, limit int) ([]wiki.FeedEntry, error) {
	entries, err := w.Changes(ctx, name, limit, 0)
	if err != nil {
		return nil, err
	}
	out := make([]wiki.FeedEntry, len(entries))
	for i, e := range entries {
		out[i].Change = e.Change
		parents, err := w.Repo.Parents(ctx, e.Revision)
		if err != nil {
			return nil, err
		}
		var before []byte
		if len(parents) > 0 {
			if before, _, err = w.contentAt(ctx, e.Page, parents[0]); err != nil {
				return nil, err
			}
		}
		after, _, err := w.contentAt(ctx, e.Page, e.Revision)
		if err != nil {
			return nil, err
		}
		out[i].Added, out[i].Removed = pagediff.FileCounts(before, after)
	}
	return out, nil
}
