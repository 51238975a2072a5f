package storage

import (
	"context"
	"strconv"

	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/internal/quota"
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
		w.size.Grew(added)
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
	qerr, err := quota.Check(ctx, w.DB.R, &w.size, w.Repo.Dir(), w.now(), pol.Quota, changes, addBytes)
	if err != nil || qerr == nil {
		return err
	}
	w.auditRefusal(ctx, author, qerr)
	return qerr
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
func (w *Wiki) RepoSizeChanged() { w.size.Forget() }
