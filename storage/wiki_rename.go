package storage

import (
	"context"

	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/wiki"
)

// Rename moves a page to a new name in one commit (the old file deleted, the
// new one added with the same content), so history shows one change and a
// reader never sees both or neither. Like Delete it carries the revision the
// user saw: EPRECONDITION if the page changed since, EPRECONDITIONNEEDED
// without one, ENOTFOUND if it is gone, EEXISTS if another page already has
// the new name (matched case-insensitively, as lookups are), EINVALID for a
// bad or unchanged name. A case-only rename ("notes" → "Notes") is allowed.
// The page's attachment folder is not moved.
func (w *Wiki) Rename(ctx context.Context, from, to, baseRevision, message string, author *wiki.Caller) (string, error) {
	if err := validRename(from, to, baseRevision); err != nil {
		return "", err
	}
	if author == nil {
		author = &wiki.Caller{}
	}
	var rev string
	err := w.writeOp(ctx, func(head string) (err error) {
		rev, err = w.renameOn(ctx, head, from, to, baseRevision, message, author)
		return err
	})
	return rev, err
}

// validRename checks a rename's arguments before any lock is taken.
func validRename(from, to, baseRevision string) error {
	if err := wiki.ValidatePageName(from); err != nil {
		return err
	}
	if err := wiki.ValidatePageName(to); err != nil {
		return err
	}
	if from == to {
		return wiki.Errorf(wiki.EINVALID, "the new name is the same as the old one")
	}
	if baseRevision == "" {
		return wiki.Errorf(wiki.EPRECONDITIONNEEDED, "renaming %q needs its current revision", from)
	}
	return validRevision(baseRevision)
}

// renameOn commits the rename on head, which writeOp has just indexed.
func (w *Wiki) renameOn(ctx context.Context, head, from, to, baseRevision, message string, author *wiki.Caller) (string, error) {
	cur, content, err := w.currentPage(ctx, from)
	if err != nil {
		return "", err
	} else if cur == nil {
		return "", wiki.Errorf(wiki.ENOTFOUND, "page %q does not exist", from)
	}
	if cur.Revision != baseRevision {
		return "", wiki.Errorf(wiki.EPRECONDITION, "page %q changed since revision %s", cur.Name, baseRevision)
	}
	if cur.Name == to {
		return "", wiki.Errorf(wiki.EINVALID, "the new name is the same as the old one")
	}
	other, err := w.indexedPage(ctx, to)
	switch {
	case err == nil && other.File != cur.File:
		return "", wiki.Errorf(wiki.EEXISTS, "page %q already exists", other.Name)
	case err != nil && wiki.ErrorCode(err) != wiki.ENOTFOUND:
		return "", err
	}
	rev, err := w.commit(ctx, author, gitrepo.CommitRequest{
		Parent: head,
		Changes: []gitrepo.FileChange{
			{Path: cur.File, Delete: true},
			{Path: wiki.PageFile(to), Content: content},
		},
		AuthorName:  author.AuthorName(),
		AuthorEmail: author.AuthorEmail(),
		Message:     commitMessage(message, "Rename", cur.Name+" to "+to),
		When:        w.now(),
	})
	if err != nil {
		return "", err
	}
	return rev, w.sync(ctx)
}
