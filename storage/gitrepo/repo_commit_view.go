package gitrepo

import (
	"context"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/warren-wiki/warren/wiki"
)

// CommitDetail describes one commit for the commit view and revert: its
// revision, its parents (all of them, in order) and its changes against
// parent number parent (1-based; 0 means the first, and a root commit is
// compared with the empty tree). ENOTFOUND for an unknown commit or a
// parent number it does not have.
func (r *Repo) CommitDetail(ctx context.Context, rev string, parent int) (CommitInfo, []string, error) {
	c, err := r.resolveCommit(ctx, rev)
	if err != nil {
		return CommitInfo{}, nil, err
	}
	parents := make([]string, len(c.ParentHashes))
	for i, h := range c.ParentHashes {
		parents[i] = h.String()
	}
	info := CommitInfo{Revision: revisionOf(c)}
	var base plumbing.Hash
	if parent == 0 && len(parents) > 0 {
		parent = 1
	}
	if parent > 0 {
		if parent > len(parents) {
			return info, parents, wiki.Errorf(wiki.ENOTFOUND, "commit %s has no parent %d", info.ID, parent)
		}
		info.Parent = parents[parent-1]
		p, err := r.commit(c.ParentHashes[parent-1])
		if err != nil {
			return info, parents, err
		}
		base = p.TreeHash
	}
	info.Changes, err = r.diffTrees(ctx, base, c.TreeHash)
	for _, ch := range info.Changes {
		info.Files = append(info.Files, ch.Path)
	}
	return info, parents, err
}

// Parents returns the ids of a commit's parents, in order.
func (r *Repo) Parents(ctx context.Context, rev string) ([]string, error) {
	c, err := r.resolveCommit(ctx, rev)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(c.ParentHashes))
	for i, h := range c.ParentHashes {
		out[i] = h.String()
	}
	return out, nil
}
