package gitrepo

import (
	"container/heap"
	"context"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/warren-wiki/warren/storage/gitpack"

	"github.com/warren-wiki/warren/wiki"
)

// Log lists the commits reachable from "to" ("" = HEAD) but not from "from"
// ("" = from the root), oldest first (parents before children), each with
// its changes against its first parent. The indexer uses it to catch up from
// its watermark.
//
// The common case, from an ancestor of to, walks only the new commits: the
// walk stops at from. Only if it gets past from to a root commit (a merge of
// an older branch, a force push) does it also walk from's ancestry to take
// those out; without reaching a root, nothing walked can be an ancestor of
// from, since every ancestor of from leads down to a root without meeting from.
func (r *Repo) Log(ctx context.Context, from, to string) ([]CommitInfo, error) {
	if to == "" {
		if head, err := r.Head(ctx); err != nil || head == "" {
			return nil, err
		}
	}
	tip, stop, err := r.logEnds(ctx, from, to)
	if err != nil {
		return nil, err
	}
	commits, err := rangeBy(ctx, tip, stop, r.commit)
	if err != nil {
		return nil, err
	}
	var out []CommitInfo
	for _, c := range topoOldestFirst(tip, commits) {
		info, err := r.commitInfo(ctx, c)
		if err != nil {
			return nil, err
		}
		out = append(out, info)
	}
	return out, nil
}

// logEnds resolves Log's range: the commit to, and the commit from (zero
// when from is "").
func (r *Repo) logEnds(ctx context.Context, from, to string) (tip, stop plumbing.Hash, err error) {
	toC, err := r.resolveCommit(ctx, to)
	if err != nil {
		return tip, stop, err
	}
	if from != "" {
		fromC, err := r.resolveCommit(ctx, from)
		if err != nil {
			return tip, stop, err
		}
		stop = fromC.Hash
	}
	return toC.Hash, stop, nil
}

// rangeBy collects the commits of Log's range, reading each with read: tip
// and its ancestors not walking through stop; and when that walk reached a
// root (stop is no ancestor of tip), without stop's own ancestors.
func rangeBy(ctx context.Context, tip, stop plumbing.Hash, read func(plumbing.Hash) (*object.Commit, error)) (map[plumbing.Hash]*object.Commit, error) {
	commits, reachedRoot, err := ancestorsBy(ctx, tip, stop, read)
	if err != nil {
		return nil, err
	}
	if !stop.IsZero() && reachedRoot {
		old, _, err := ancestorsBy(ctx, stop, plumbing.ZeroHash, read)
		if err != nil {
			return nil, err
		}
		for h := range old {
			delete(commits, h)
		}
	}
	return commits, nil
}

// ancestorsBy collects start and its ancestors, reading each with read,
// not walking through stop (which is left out), and says whether a root
// commit was among them.
func ancestorsBy(ctx context.Context, start, stop plumbing.Hash, read func(plumbing.Hash) (*object.Commit, error)) (map[plumbing.Hash]*object.Commit, bool, error) {
	commits := map[plumbing.Hash]*object.Commit{}
	reachedRoot := false
	stack := []plumbing.Hash{start}
	for len(stack) > 0 {
		h := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if h == stop || commits[h] != nil {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, false, err
		}
		c, err := read(h)
		if err != nil {
			return nil, false, err
		}
		commits[h] = c
		reachedRoot = reachedRoot || len(c.ParentHashes) == 0
		stack = append(stack, c.ParentHashes...)
	}
	return commits, reachedRoot, nil
}

// topoOldestFirst orders commits (a set closed under "parent in set")
// parents before children by a depth-first post-order from tip, first
// parents first, so a merged branch comes right before its merge.
func topoOldestFirst(tip plumbing.Hash, commits map[plumbing.Hash]*object.Commit) []*object.Commit {
	if commits[tip] == nil {
		return nil
	}
	type frame struct {
		c    *object.Commit
		next int
	}
	var order []*object.Commit
	visited := map[plumbing.Hash]bool{tip: true}
	stack := []frame{{c: commits[tip]}}
	for len(stack) > 0 {
		f := &stack[len(stack)-1]
		if f.next < len(f.c.ParentHashes) {
			p := f.c.ParentHashes[f.next]
			f.next++
			if commits[p] != nil && !visited[p] {
				visited[p] = true
				stack = append(stack, frame{c: commits[p]})
			}
			continue
		}
		order = append(order, f.c)
		stack = stack[:len(stack)-1]
	}
	return order
}

// commitInfo describes c with its changes against its first parent.
func (r *Repo) commitInfo(ctx context.Context, c *object.Commit) (CommitInfo, error) {
	info := CommitInfo{Revision: revisionOf(c)}
	var parentTree plumbing.Hash
	if len(c.ParentHashes) > 0 {
		info.Parent = c.ParentHashes[0].String()
		p, err := r.commit(c.ParentHashes[0])
		if err != nil {
			return info, err
		}
		parentTree = p.TreeHash
	}
	changes, err := r.diffTrees(ctx, parentTree, c.TreeHash)
	if err != nil {
		return info, err
	}
	info.Changes = changes
	for _, ch := range changes {
		info.Files = append(info.Files, ch.Path)
	}
	return info, nil
}

func revisionOf(c *object.Commit) wiki.Revision {
	return wiki.Revision{
		ID:      c.Hash.String(),
		Author:  c.Author.Name,
		Email:   c.Author.Email,
		Time:    c.Author.When,
		Message: strings.TrimRight(c.Message, "\n"),
	}
}

// Diff lists the paths that differ between the trees of two commits
// (from "" = the empty tree; to "" = HEAD), in path order.
func (r *Repo) Diff(ctx context.Context, from, to string) ([]TreeChange, error) {
	toC, err := r.resolveCommit(ctx, to)
	if err != nil {
		return nil, err
	}
	var fromTree plumbing.Hash
	if from != "" {
		fromC, err := r.resolveCommit(ctx, from)
		if err != nil {
			return nil, err
		}
		fromTree = fromC.TreeHash
	}
	return r.diffTrees(ctx, fromTree, toC.TreeHash)
}

// Revision describes one commit, for the header of an old-revision view,
// with the paths it changed against its first parent in Files.
func (r *Repo) Revision(ctx context.Context, rev string) (wiki.Revision, error) {
	c, err := r.resolveCommit(ctx, rev)
	if err != nil {
		return wiki.Revision{}, err
	}
	info, err := r.commitInfo(ctx, c)
	return info.Revision, err
}

// diffTrees compares two trees (zero = empty), skipping equal subtrees by
// id, and returns the changed files in path order.
func (r *Repo) diffTrees(ctx context.Context, a, b plumbing.Hash) ([]TreeChange, error) {
	var out []TreeChange
	if err := r.diffTreesInto(ctx, a, b, "", &out); err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

func (r *Repo) diffTreesInto(ctx context.Context, a, b plumbing.Hash, prefix string, out *[]TreeChange) error {
	if a == b {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	ta, err := r.rawTree(a)
	if err != nil {
		return err
	}
	tb, err := r.rawTree(b)
	if err != nil {
		return err
	}
	// Trees are compared in place, entry by entry in git's order: a commit
	// that changes one page of a folder of thousands costs a comparison of
	// bytes, not a decoded copy of the folder.
	return gitpack.CompareTrees(ta, tb, func(x, y *gitpack.TreeEntry) error {
		return r.diffEntry(ctx, x, y, prefix, out)
	})
}

// diffEntry records one differing entry (x from the old tree, y from the
// new, either nil), descending into subtrees.
func (r *Repo) diffEntry(ctx context.Context, x, y *gitpack.TreeEntry, prefix string, out *[]TreeChange) error {
	if a, b, p, sub := entryChange(x, y, prefix, out); sub {
		return r.diffTreesInto(ctx, a, b, p, out)
	}
	return nil
}

// entryChange is one differing tree entry (x old, y new, either nil): a
// file's change is appended to out; for a subtree on either side it
// returns both sides' trees and the prefix under them, to descend into.
func entryChange(x, y *gitpack.TreeEntry, prefix string, out *[]TreeChange) (a, b plumbing.Hash, sub string, descend bool) {
	var name []byte
	if x != nil {
		name = x.Name
	} else {
		name = y.Name
	}
	p := prefix + string(name)
	if x != nil && x.IsDir() {
		a = x.ID
	}
	if y != nil && y.IsDir() {
		b = y.ID
	}
	if !a.IsZero() || !b.IsZero() {
		return a, b, p + "/", true
	}
	*out = append(*out, treeChange(p, x, y))
	return a, b, "", false
}

// treeChange describes one differing file entry.
func treeChange(p string, x, y *gitpack.TreeEntry) TreeChange {
	switch {
	case x != nil && y != nil:
		return TreeChange{Path: p, Action: "modified", Blob: y.ID.String(), OldBlob: x.ID.String(), Mode: uint32(y.Mode)}
	case x != nil:
		return TreeChange{Path: p, Action: "deleted", OldBlob: x.ID.String()}
	default:
		return TreeChange{Path: p, Action: "added", Blob: y.ID.String(), Mode: uint32(y.Mode)}
	}
}

// History lists commits on MainBranch that changed path ("" = any path),
// newest first, starting after commit "after" ("" = from HEAD), at most
// limit (limit <= 0: no limit). It follows git log's default history
// simplification: a commit whose path matches one of its parents' is
// skipped and only that parent is followed, so merges that did not touch
// the page stay out.
func (r *Repo) History(ctx context.Context, path string, limit int, after string) ([]wiki.Revision, error) {
	if after == "" {
		if head, err := r.Head(ctx); err != nil || head == "" {
			return nil, err
		}
	}
	start, err := r.resolveCommit(ctx, after)
	if err != nil {
		return nil, err
	}
	w := &historyWalk{r: r, parts: splitPath(path), entries: map[plumbing.Hash]pathEntry{}}
	queue := &commitQueue{start}
	seen := map[plumbing.Hash]bool{start.Hash: true}
	var out []wiki.Revision
	for queue.Len() > 0 && (limit <= 0 || len(out) < limit) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		c := heap.Pop(queue).(*object.Commit)
		include, follow, err := w.decide(c)
		if err != nil {
			return nil, err
		}
		if include && (after == "" || c.Hash != start.Hash) {
			out = append(out, revisionOf(c))
		}
		for _, p := range follow {
			if !seen[p.Hash] {
				seen[p.Hash] = true
				heap.Push(queue, p)
			}
		}
	}
	return out, nil
}

// pathEntry is what one commit has at the path whose history is walked.
type pathEntry struct {
	entry  object.TreeEntry
	exists bool
}

type historyWalk struct {
	r       *Repo
	parts   []string
	entries map[plumbing.Hash]pathEntry // by commit, each looked up once
}

// decide says whether c changed the path and which parents to walk on.
func (w *historyWalk) decide(c *object.Commit) (bool, []*object.Commit, error) {
	parents := make([]*object.Commit, 0, len(c.ParentHashes))
	for _, h := range c.ParentHashes {
		p, err := w.r.commit(h)
		if err != nil {
			return false, nil, err
		}
		parents = append(parents, p)
	}
	if len(w.parts) == 0 {
		return true, parents, nil
	}
	mine, err := w.at(c)
	if err != nil {
		return false, nil, err
	}
	for _, p := range parents {
		theirs, err := w.at(p)
		if err != nil {
			return false, nil, err
		}
		if mine.exists == theirs.exists && mine.entry.Hash == theirs.entry.Hash && mine.entry.Mode == theirs.entry.Mode {
			return false, []*object.Commit{p}, nil
		}
	}
	return len(parents) > 0 || mine.exists, parents, nil
}

func (w *historyWalk) at(c *object.Commit) (pathEntry, error) {
	if pe, ok := w.entries[c.Hash]; ok {
		return pe, nil
	}
	e, ok, err := w.r.lookup(c.TreeHash, w.parts, false)
	if err != nil {
		return pathEntry{}, err
	}
	pe := pathEntry{entry: e, exists: ok}
	w.entries[c.Hash] = pe
	return pe, nil
}

// commitQueue is a max-heap of commits by committer time, newest first,
// ties broken by id so that the order is deterministic.
type commitQueue []*object.Commit

func (q commitQueue) Len() int { return len(q) }
func (q commitQueue) Less(i, j int) bool {
	ti, tj := q[i].Committer.When, q[j].Committer.When
	if !ti.Equal(tj) {
		return ti.After(tj)
	}
	return q[i].Hash.String() < q[j].Hash.String()
}
func (q commitQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *commitQueue) Push(x any)   { *q = append(*q, x.(*object.Commit)) }
func (q *commitQueue) Pop() any {
	old := *q
	c := old[len(old)-1]
	*q = old[:len(old)-1]
	return c
}
