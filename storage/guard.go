package storage

import (
	"context"
	"strconv"

	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/wiki"
)

// Every change storage makes to a wiki's main branch for a caller goes
// through commit below, and a push is asked the same questions through
// CheckWrite: may the author's role write these paths (protected paths),
// and does the wiki stay within its quota. The role travels in the
// author (wiki.Caller.Role, set by web's authorization), so a new write
// operation gets the checks by calling commit — TestEveryCommitIsGuarded
// fails on a w.Repo.Commit anywhere else.

// commit checks req against the wiki's write policy for author, then
// commits it. Its refusals change nothing.
func (w *Wiki) commit(ctx context.Context, author *wiki.Caller, req gitrepo.CommitRequest) (string, error) {
	changes, added := pathChanges(req.Changes)
	if err := w.CheckWrite(ctx, author, changes, added); err != nil {
		return "", err
	}
	rev, err := w.Repo.Commit(ctx, req)
	if err == nil {
		w.size.grew(added)
	}
	return rev, err
}

// pathChanges describes a commit's file changes for the checks, with the
// bytes they add (an upper bound of what the repository grows by: blobs
// are compressed on disk).
func pathChanges(chs []gitrepo.FileChange) ([]wiki.PathChange, int64) {
	out := make([]wiki.PathChange, len(chs))
	var added int64
	for i, ch := range chs {
		out[i] = wiki.PathChange{Path: ch.Path, Delete: ch.Delete, Size: int64(len(ch.Content))}
		added += int64(len(ch.Content))
	}
	return out, added
}

// CheckWrite decides whether author may make changes that add about
// addBytes to the repository (a push: the main branch's net changes and
// the pack's size; changes may be empty for a push to another branch): EFORBIDDEN naming the rule if a protected
// path needs a higher role than author.Role, EQUOTA (a *wiki.QuotaError
// naming the figure, and an audit line) if the wiki would pass its quota.
// Writes that only delete are never refused for quota, so a full wiki can
// always be tidied. Without a Policy (tools, tests) everything passes.
func (w *Wiki) CheckWrite(ctx context.Context, author *wiki.Caller, changes []wiki.PathChange, addBytes int64) error {
	if w.Policy == nil || (len(changes) == 0 && addBytes == 0) {
		return nil
	}
	if author == nil {
		author = &wiki.Caller{}
	}
	pol, err := w.Policy.WritePolicy(ctx, w.Slug)
	if err != nil {
		return err
	}
	if err := wiki.CheckProtected(pol.Rules, author.Role, changes); err != nil {
		return err
	}
	qerr, err := w.checkQuota(ctx, pol.Quota, changes, addBytes)
	if err != nil || qerr == nil {
		return err
	}
	w.auditRefusal(ctx, author, qerr)
	return qerr
}

// checkQuota returns the quota the changes would break, if any.
func (w *Wiki) checkQuota(ctx context.Context, q wiki.Quota, changes []wiki.PathChange, addBytes int64) (*wiki.QuotaError, error) {
	if q.MaxPages > 0 {
		delta, err := w.pageDelta(ctx, changes)
		if err != nil {
			return nil, err
		}
		if delta > 0 {
			n, err := w.pageCount(ctx)
			if err != nil {
				return nil, err
			}
			if n+delta > q.MaxPages {
				return &wiki.QuotaError{What: "pages", Used: n, Added: delta, Limit: q.MaxPages}, nil
			}
		}
	}
	if q.MaxBytes > 0 && addBytes > 0 && !onlyDeletes(changes) {
		used, err := w.size.bytes(w.Repo.Dir(), w.now())
		if err != nil {
			return nil, err
		}
		if used+addBytes > q.MaxBytes {
			return &wiki.QuotaError{What: "bytes", Used: used, Added: addBytes, Limit: q.MaxBytes}, nil
		}
	}
	return nil, nil
}

// pageDelta is how many pages the changes add (new page files) minus how
// many they delete, against the page index of HEAD.
func (w *Wiki) pageDelta(ctx context.Context, changes []wiki.PathChange) (int64, error) {
	var delta int64
	for _, c := range changes {
		name, ok := wiki.PageNameOf(c.Path)
		if !ok {
			continue
		}
		if c.Delete {
			delta--
			continue
		}
		var n int
		if err := w.DB.R.GetContext(ctx, &n, `SELECT count(*) FROM pages WHERE name = ?`, name); err != nil {
			return 0, err
		}
		if n == 0 {
			delta++
		}
	}
	return delta, nil
}

// onlyDeletes reports whether changes remove files and add none; a push
// that only deletes still brings a small pack, which must not be refused.
func onlyDeletes(changes []wiki.PathChange) bool {
	for _, c := range changes {
		if !c.Delete {
			return false
		}
	}
	return len(changes) > 0
}

// pageCount is the number of pages at HEAD, from the index.
func (w *Wiki) pageCount(ctx context.Context) (int64, error) {
	var n int64
	err := w.DB.R.GetContext(ctx, &n, `SELECT count(*) FROM pages`)
	return n, err
}

// auditRefusal records a quota refusal; failing to record it does not
// turn the refusal into a different answer.
func (w *Wiki) auditRefusal(ctx context.Context, author *wiki.Caller, q *wiki.QuotaError) {
	actor := author.Login
	if actor == "" {
		actor = "anonymous"
	}
	detail := q.What + ": used=" + strconv.FormatInt(q.Used, 10) + " adds=" + strconv.FormatInt(q.Added, 10) +
		" limit=" + strconv.FormatInt(q.Limit, 10)
	_ = w.Policy.Audit(ctx, actor, w.Slug, wiki.AuditQuotaRefuse, detail)
}

// RepoSizeChanged tells the quota check that the repository changed size
// behind storage's back (a push, a repack), so it measures again.
func (w *Wiki) RepoSizeChanged() { w.size.forget() }
