package storage

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/textdiff"
	"github.com/warren-wiki/warren/wiki"
)

// writeOp runs op under the wiki's write lock on a freshly indexed HEAD,
// which op must use as its commit's parent: the index then describes
// exactly the tree op builds on. If HEAD moves anyway (an out-of-band
// writer such as the git CLI on the server), the commit's compare-and-swap
// fails and op runs once more on the new HEAD.
func (w *Wiki) writeOp(ctx context.Context, op func(head string) error) error {
	w.Lock()
	defer w.Unlock()
	for attempt := 0; ; attempt++ {
		head, err := w.syncHead(ctx)
		if err != nil {
			return noSpace(err)
		}
		err = op(head)
		if attempt > 0 || !lostRace(err) {
			return noSpace(err)
		}
	}
}

// lostRace tells a failed ref compare-and-swap from a merge conflict.
func lostRace(err error) bool {
	var ce *wiki.ConflictError
	return wiki.ErrorCode(err) == wiki.ECONFLICT && !errors.As(err, &ce)
}

// save is Save's body; see Save in wiki_ops.go.
func (w *Wiki) save(ctx context.Context, req wiki.SaveRequest) (*wiki.SaveResult, error) {
	if err := wiki.ValidatePageName(req.Name); err != nil {
		return nil, err
	}
	if req.BaseRevision != "" {
		if err := validRevision(req.BaseRevision); err != nil {
			return nil, err
		}
	}
	if req.Author == nil {
		req.Author = &wiki.Caller{}
	}
	var res *wiki.SaveResult
	err := w.writeOp(ctx, func(head string) (err error) {
		res, err = w.saveOn(ctx, head, req)
		return err
	})
	return res, err
}

// saveOn decides what to commit on head and commits it.
func (w *Wiki) saveOn(ctx context.Context, head string, req wiki.SaveRequest) (*wiki.SaveResult, error) {
	cur, current, err := w.currentPage(ctx, req.Name)
	if err != nil {
		return nil, err
	}
	content, merged, err := w.resolve(ctx, req, cur, current)
	if err != nil {
		return nil, err
	}
	name, file, verb := req.Name, wiki.PageFile(req.Name), "Create"
	if cur != nil {
		name, file, verb = cur.Name, cur.File, "Update"
	}
	res := &wiki.SaveResult{Revision: head, Created: cur == nil, Merged: merged}
	committed := false
	if cur != nil && bytes.Equal(content, current) {
		res.Revision = cur.Revision // nothing to commit: saving unchanged text is not an edit
	} else {
		res.Revision, err = w.commitIndexed(ctx, req.Author, gitrepo.CommitRequest{
			Parent:      head,
			Changes:     []gitrepo.FileChange{{Path: file, Content: content}},
			AuthorName:  req.Author.AuthorName(),
			AuthorEmail: req.Author.AuthorEmail(),
			Message:     commitMessage(req.Message, verb, name),
			When:        w.now(),
		})
		if err != nil {
			return nil, err
		}
		committed = true
	}
	if !req.Author.Anonymous() {
		// The save is made: a draft that cannot be dropped now (a full
		// disk) is only a stale draft, never a failed save.
		if err := deleteDraft(ctx, w.DB.W, name, req.Author.Login); err != nil && !committed {
			return nil, err
		}
	}
	return res, nil
}

// commitIndexed is commit (guard.go) with the index update staged while
// the commit's objects are flushed and committed once the branch has
// moved (gitrepo's CommitRequest.Stage, the indexer's Stage); it returns
// once the move is durable too, so the save is acknowledged only when it
// is durable, and a read after it finds the new revision. An index update
// that could not be staged is done after the move, as a catch-up; a
// failed one is not the save's failure: the index heals on the next read.
func (w *Wiki) commitIndexed(ctx context.Context, author *wiki.Caller, req gitrepo.CommitRequest) (string, error) {
	changes, added := pathChanges(req.Changes)
	if err := w.CheckWrite(ctx, author, changes, added); err != nil {
		return "", err
	}
	staged := errNotStaged
	req.Stage = func(id string) func(bool) {
		finish := w.indexer.Stage(ctx, id)
		return func(made bool) { staged = finish(made) }
	}
	rev, flushed, err := w.Repo.CommitStart(ctx, req)
	if err != nil {
		return "", err
	}
	w.size.Grew(added)
	if staged != nil {
		w.afterCommit(ctx)
	}
	return rev, flushed()
}

// errNotStaged is a commit's index update before it was staged.
var errNotStaged = errors.New("index update not staged")

// currentPage returns the indexed page and its content, or nil if absent.
func (w *Wiki) currentPage(ctx context.Context, name string) (*pageRow, []byte, error) {
	cur, err := w.indexedPage(ctx, name)
	if wiki.ErrorCode(err) == wiki.ENOTFOUND {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	content, err := w.Repo.ReadBlob(ctx, cur.Blob)
	return cur, content, err
}

// resolve decides the text to commit: the caller's when it built on the
// current revision (or creates a new page), a clean three-way merge when
// the page changed since, and otherwise a conflict that keeps the caller's
// text as a draft. Strict requests never merge.
func (w *Wiki) resolve(ctx context.Context, req wiki.SaveRequest, cur *pageRow, current []byte) ([]byte, bool, error) {
	switch {
	case cur == nil && req.BaseRevision == "", cur != nil && req.BaseRevision == cur.Revision:
		return req.Content, false, nil
	case req.Strict && cur != nil && req.BaseRevision == "":
		return nil, false, wiki.Errorf(wiki.EPRECONDITIONNEEDED, "page %q exists; updating it needs its current revision", cur.Name)
	case req.Strict && cur == nil:
		return nil, false, wiki.Errorf(wiki.EPRECONDITION, "page %q no longer exists", req.Name)
	case req.Strict:
		return nil, false, wiki.Errorf(wiki.EPRECONDITION, "page %q changed since revision %s", cur.Name, req.BaseRevision)
	case cur == nil:
		base, _, err := w.contentAt(ctx, req.Name, req.BaseRevision)
		if err != nil {
			return nil, false, err
		}
		return nil, false, w.conflict(ctx, req, nil, base, nil, "the page was deleted since you started editing")
	case req.BaseRevision == "":
		return nil, false, w.conflict(ctx, req, cur, nil, current, "a page with this name already exists")
	}
	base, ok, err := w.contentAt(ctx, cur.Name, req.BaseRevision)
	if err != nil {
		return nil, false, err
	}
	if ok {
		if merged, clean := textdiff.Merge3(base, current, req.Content); clean {
			return merged, true, nil
		}
	}
	return nil, false, w.conflict(ctx, req, cur, base, current,
		"the page changed since you started editing and the changes overlap")
}

// conflict keeps the caller's text as a draft (signed-in callers only:
// anonymous ones have no key to find it again) and describes both sides.
func (w *Wiki) conflict(ctx context.Context, req wiki.SaveRequest, cur *pageRow, base, theirs []byte, reason string) error {
	ce := &wiki.ConflictError{Name: req.Name, Reason: reason, Base: base, Theirs: theirs, Mine: req.Content}
	if cur != nil {
		ce.Name, ce.CurrentRevision = cur.Name, cur.Revision
	}
	if !req.Author.Anonymous() {
		err := putDraft(ctx, w.DB.W, ce.Name, req.Author.Login, req.BaseRevision, req.Content, formatTime(w.now()))
		if err != nil {
			return err
		}
	}
	return ce
}

// commitMessage is the caller's message, or "<Verb> <page>".
func commitMessage(msg, verb, name string) string {
	if msg = strings.TrimSpace(msg); msg != "" {
		return msg
	}
	return verb + " " + name
}

// deletionBase checks the revision a deletion names: required, since a
// delete must never remove changes its caller has not seen, and well formed.
// what is the deleted thing as the error names it.
func deletionBase(what, baseRevision string) error {
	if baseRevision == "" {
		return wiki.Errorf(wiki.EPRECONDITIONNEEDED, "deleting %s needs its current revision", what)
	}
	return validRevision(baseRevision)
}

// deletePage is Delete's body; see Delete in wiki_ops.go.
func (w *Wiki) deletePage(ctx context.Context, name, baseRevision, message string, author *wiki.Caller) (string, error) {
	if err := wiki.ValidatePageName(name); err != nil {
		return "", err
	}
	if err := deletionBase(strconv.Quote(name), baseRevision); err != nil {
		return "", err
	}
	if author == nil {
		author = &wiki.Caller{}
	}
	var rev string
	err := w.writeOp(ctx, func(head string) error {
		cur, err := w.indexedPage(ctx, name)
		if err != nil {
			return err
		}
		if cur.Revision != baseRevision {
			return wiki.Errorf(wiki.EPRECONDITION, "page %q changed since revision %s", cur.Name, baseRevision)
		}
		rev, err = w.commit(ctx, author, gitrepo.CommitRequest{
			Parent:      head,
			Changes:     []gitrepo.FileChange{{Path: cur.File, Delete: true}},
			AuthorName:  author.AuthorName(),
			AuthorEmail: author.AuthorEmail(),
			Message:     commitMessage(message, "Delete", cur.Name),
			When:        w.now(),
		})
		if err != nil {
			return err
		}
		return w.afterCommit(ctx)
	})
	return rev, err
}
