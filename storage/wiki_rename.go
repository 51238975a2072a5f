package storage

import (
	"context"

	"github.com/warren-wiki/warren/wiki"
)

// Rename moves a page to a new name in one commit, with its attachment
// folder and sub-pages, and rewrites the links to it in other pages (see
// Move). Like Delete it carries the revision the user saw: EPRECONDITION
// if the page changed since, EPRECONDITIONNEEDED without one, ENOTFOUND if
// it is gone, EEXISTS if another page already has the new name (matched
// case-insensitively, as lookups are), EINVALID for a bad or unchanged
// name. A case-only rename ("notes" → "Notes") is allowed.
func (w *Wiki) Rename(ctx context.Context, from, to, baseRevision, message string, author *wiki.Caller) (string, error) {
	res, err := w.move(ctx, wiki.MoveRequest{From: from, To: to, BaseRevision: baseRevision,
		Message: message, Author: author, RewriteLinks: true})
	if err != nil {
		return "", err
	}
	return res.Revision, nil
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
