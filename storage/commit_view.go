package storage

import (
	"context"

	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/internal/pagediff"
	"github.com/warren-wiki/warren/wiki"
)

// Commit view bounds: files past maxDiffFiles, or bigger than
// pagediff.MaxBytes, are listed with their line counts left out rather
// than diffed.
const maxDiffFiles = 200

// commitView is CommitView's body.
func (w *Wiki) commitView(ctx context.Context, id string) (*wiki.Commit, error) {
	if err := validRevision(id); err != nil {
		return nil, err
	}
	info, parents, err := w.Repo.CommitDetail(ctx, id, 0)
	if err != nil {
		return nil, err
	}
	c := &wiki.Commit{Revision: info.Revision, Parents: parents, Changes: []wiki.CommitFile{}}
	for i, ch := range info.Changes {
		f, err := w.commitFile(ctx, ch, i < maxDiffFiles)
		if err != nil {
			return nil, err
		}
		c.Changes = append(c.Changes, f)
	}
	return c, nil
}

// commitFile describes one changed file, with its diff when it is text.
func (w *Wiki) commitFile(ctx context.Context, ch gitrepo.TreeChange, withDiff bool) (wiki.CommitFile, error) {
	f := wiki.CommitFile{Path: ch.Path, Action: ch.Action}
	if name, ok := pageName(ch.Path); ok {
		f.Page = name
	}
	if !withDiff {
		return f, nil
	}
	a, err := w.blobOrEmpty(ctx, ch.OldBlob)
	if err != nil {
		return f, err
	}
	b, err := w.blobOrEmpty(ctx, ch.Blob)
	if err != nil {
		return f, err
	}
	if !pagediff.IsText(a) || !pagediff.IsText(b) {
		f.Binary = true
		return f, nil
	}
	f.Lines = pagediff.Lines(a, b)
	f.Added, f.Removed = pagediff.Counts(f.Lines)
	return f, nil
}

// blobOrEmpty reads a blob; "" (the side of an added or deleted file) is empty.
func (w *Wiki) blobOrEmpty(ctx context.Context, id string) ([]byte, error) {
	if id == "" {
		return nil, nil
	}
	return w.Repo.ReadBlob(ctx, id)
}

// restore is Restore's body: the page's text at the revision, saved as one
// new commit with the API's strict precondition.
func (w *Wiki) restore(ctx context.Context, req wiki.RestoreRequest) (*wiki.SaveResult, error) {
	if err := wiki.ValidatePageName(req.Name); err != nil {
		return nil, err
	}
	if err := validRevision(req.Revision); err != nil {
		return nil, err
	}
	old, err := w.pageAt(ctx, req.Name, req.Revision)
	if err != nil {
		return nil, err
	}
	rev, err := w.Repo.Revision(ctx, req.Revision)
	if err != nil {
		return nil, err
	}
	msg := "Restore " + old.Name + " to revision " + shortID(rev.ID)
	if m := req.Message; m != "" {
		msg = m + "\n\nRestores " + old.Name + " to revision " + rev.ID + "."
	}
	return w.save(ctx, wiki.SaveRequest{Name: req.Name, Content: old.Content, BaseRevision: req.BaseRevision,
		Message: msg, Author: req.Author, Strict: true})
}

// shortID abbreviates a commit id as git's one-line logs do.
func shortID(id string) string { return id[:min(len(id), 8)] }
