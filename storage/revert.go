package storage

import (
	"context"
	"strings"

	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/internal/pagediff"
	"github.com/warren-wiki/warren/wiki"
)

// revert is Revert's body: one new commit that undoes req.Commit in every
// file it touched. Each file is merged three-way — base the file as the
// commit left it, ours as it is now, theirs as it was before the commit —
// so later edits elsewhere in the file stay. A file that cannot be merged
// refuses the whole revert with ECONFLICT, and nothing changes.
func (w *Wiki) revert(ctx context.Context, req wiki.RevertRequest) (string, error) {
	if err := validRevision(req.Commit); err != nil {
		return "", err
	}
	if req.BaseRevision != "" {
		if err := validRevision(req.BaseRevision); err != nil {
			return "", err
		}
	}
	if req.Author == nil {
		req.Author = &wiki.Caller{}
	}
	var rev string
	err := w.writeOp(ctx, func(head string) (err error) {
		rev, err = w.revertOn(ctx, head, req)
		return err
	})
	return rev, err
}

// revertOn builds the revert on head.
func (w *Wiki) revertOn(ctx context.Context, head string, req wiki.RevertRequest) (string, error) {
	if req.BaseRevision != "" && !strings.HasPrefix(head, req.BaseRevision) {
		return "", wiki.Errorf(wiki.EPRECONDITION, "the wiki changed since revision %s", shortID(req.BaseRevision))
	}
	parents, err := w.Repo.Parents(ctx, req.Commit)
	if err != nil {
		return "", err
	}
	switch {
	case len(parents) > 1 && req.Parent == 0:
		return "", wiki.Errorf(wiki.EINVALID, "commit %s is a merge: name the parent whose side to keep (1 to %d)", shortID(req.Commit), len(parents))
	case req.Parent < 0 || (req.Parent > 1 && req.Parent > len(parents)):
		return "", wiki.Errorf(wiki.EINVALID, "commit %s has no parent %d", shortID(req.Commit), req.Parent)
	}
	info, _, err := w.Repo.CommitDetail(ctx, req.Commit, req.Parent)
	if err != nil {
		return "", err
	}
	var changes []gitrepo.FileChange
	for _, ch := range info.Changes {
		fc, change, err := w.revertFile(ctx, head, ch)
		if err != nil {
			return "", err
		}
		if change {
			changes = append(changes, fc)
		}
	}
	if len(changes) == 0 {
		return "", wiki.Errorf(wiki.EINVALID, "commit %s is already undone: nothing to revert", shortID(info.ID))
	}
	subject, _, _ := strings.Cut(info.Message, "\n")
	msg := req.Message
	if msg == "" {
		msg = "Revert \"" + subject + "\"\n\nThis reverts commit " + info.ID + "."
	}
	rev, err := w.commit(ctx, req.Author, gitrepo.CommitRequest{
		Parent: head, Changes: changes, Message: msg, When: w.now(),
		AuthorName: req.Author.AuthorName(), AuthorEmail: req.Author.AuthorEmail(),
	})
	if err != nil {
		return "", err
	}
	return rev, w.afterCommit(ctx)
}

// revertFile decides what the revert does to one file the commit touched;
// change is false when the file is already as it was before the commit.
func (w *Wiki) revertFile(ctx context.Context, head string, ch gitrepo.TreeChange) (gitrepo.FileChange, bool, error) {
	base, err := w.side(ctx, ch.Blob)
	if err != nil {
		return gitrepo.FileChange{}, false, err
	}
	theirs, err := w.side(ctx, ch.OldBlob)
	if err != nil {
		return gitrepo.FileChange{}, false, err
	}
	b, _, err := w.Repo.ReadFile(ctx, head, ch.Path)
	ours := pagediff.Side{OK: err == nil, Text: b}
	if err != nil && wiki.ErrorCode(err) != wiki.ENOTFOUND {
		return gitrepo.FileChange{}, false, err
	}
	result, err := pagediff.RevertMerge(ch.Path, base, ours, theirs)
	if err != nil || result.Same(ours) {
		return gitrepo.FileChange{}, false, err
	}
	return gitrepo.FileChange{Path: ch.Path, Content: result.Text, Delete: !result.OK}, true, nil
}

// side reads a blob as a file version ("" = absent).
func (w *Wiki) side(ctx context.Context, blob string) (pagediff.Side, error) {
	if blob == "" {
		return pagediff.Side{}, nil
	}
	b, err := w.Repo.ReadBlob(ctx, blob)
	return pagediff.Side{OK: true, Text: b}, err
}
