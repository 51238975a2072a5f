package storage

import (
	"context"
	"path"
	"strings"

	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/wiki"
)

// RenameAttachment gives one attachment of a page a new file name in one
// commit under the write lock, and returns the new revision. ENOTFOUND if
// there is no such attachment, EEXISTS if the page already has a file by
// the new name (compared ignoring case, as pages are), EINVALID for a bad
// name; the wiki's protected paths and quotas apply (guard.go). The
// page's text is not changed: links to the old name must be
// edited by hand, as after renaming a file in a clone.
func (w *Wiki) RenameAttachment(ctx context.Context, page, from, to, message string, author *wiki.Caller) (string, error) {
	if err := validAttachment(page, from); err != nil {
		return "", err
	}
	if err := validAttachment(page, to); err != nil {
		return "", err
	}
	if from == to {
		return "", wiki.Errorf(wiki.EINVALID, "the new name is the old name")
	}
	if author == nil {
		author = &wiki.Caller{}
	}
	var rev string
	err := w.writeOp(ctx, func(head string) error {
		changes, err := w.renameChanges(ctx, head, page, from, to)
		if err != nil {
			return err
		}
		rev, err = w.commit(ctx, author, gitrepo.CommitRequest{
			Parent: head, Changes: changes,
			AuthorName: author.AuthorName(), AuthorEmail: author.AuthorEmail(),
			Message: commitMessage(message, "Rename attachment", from+" of "+page+" to "+to),
			When:    w.now(),
		})
		if err != nil {
			return err
		}
		return w.afterCommit(ctx)
	})
	return rev, err
}

// renameChanges is the delete and add that move one attachment at head.
func (w *Wiki) renameChanges(ctx context.Context, head, page, from, to string) ([]gitrepo.FileChange, error) {
	dir, err := w.attachDir(ctx, page)
	if err != nil {
		return nil, err
	}
	files, err := w.Repo.ListAttachments(ctx, dir)
	if err != nil {
		return nil, err
	}
	var src *wiki.Attachment
	for i, f := range files {
		switch {
		case f.Name == from:
			src = &files[i]
		case strings.EqualFold(f.Name, to):
			return nil, wiki.Errorf(wiki.EEXISTS, "%s already has a file named %s", page, f.Name)
		}
	}
	if src == nil {
		return nil, wiki.Errorf(wiki.ENOTFOUND, "%s has no attachment %s", page, from)
	}
	data, err := w.Repo.ReadBlob(ctx, src.Blob)
	if err != nil {
		return nil, err
	}
	// Beside the old file: its folder as stored, whatever case dir has.
	return []gitrepo.FileChange{{Path: src.Path, Delete: true}, {Path: path.Dir(src.Path) + "/" + to, Content: data}}, nil
}

// AttachmentHistory lists the commits that changed one attachment of a
// page, newest first, at most limit (git log of its path, with git's
// history simplification). A renamed attachment's history starts at its
// rename, as `git log` without --follow does.
func (w *Wiki) AttachmentHistory(ctx context.Context, page, name string, limit int) ([]wiki.Revision, error) {
	if err := validAttachment(page, name); err != nil {
		return nil, err
	}
	dir, err := w.attachDir(ctx, page)
	if err != nil {
		return nil, err
	}
	p := dir + "/" + name
	if f, err := w.Repo.FindFile(ctx, "", p); err == nil {
		p = f.Path // as stored, which may differ in case
	} else if wiki.ErrorCode(err) != wiki.ENOTFOUND {
		return nil, err
	} // a deleted attachment still has its history
	return w.Repo.History(ctx, p, limit, "")
}
