package gitrepo

import (
	"context"
	"sort"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/warren-wiki/warren/storage/gitpack"
	"github.com/warren-wiki/warren/wiki"
)

// LogWalk is Log for long ranges (a push of thousands of commits): the same
// commits in the same order with the same changes, but read straight from
// the pack files through gitpack's object store — packs read with pread, a
// small delta cache whose buffers are reused, nothing hashed — instead of through
// go-git's object cache, and handed out one at a time, so the walk costs
// the memory of one commit and its trees rather than of the whole range.
// It is not safe for concurrent use; Close it when done.
type LogWalk struct {
	ObjectReader
	order   []*object.Commit // oldest first
	byChild map[plumbing.Hash]bool
	bufs    [][]byte // reusable copies of the trees being compared, two per depth
}

// StartLog resolves the range of Log(from, to) and orders its commits,
// reading only commit headers; Each then describes them.
func (r *Repo) StartLog(ctx context.Context, from, to string) (*LogWalk, error) {
	tip, stop, err := r.logEnds(ctx, from, to)
	if err != nil {
		return nil, err
	}
	rd, err := r.OpenReader()
	if err != nil {
		return nil, err
	}
	l := &LogWalk{ObjectReader: *rd}
	if err := l.collect(ctx, tip, stop); err != nil {
		l.Close()
		return nil, err
	}
	return l, nil
}

// collect gathers the range as Log's ancestors does and orders it.
func (l *LogWalk) collect(ctx context.Context, to, stop plumbing.Hash) error {
	commits, err := rangeBy(ctx, to, stop, l.commit)
	if err != nil {
		return err
	}
	l.order = topoOldestFirst(to, commits)
	l.byChild = make(map[plumbing.Hash]bool, len(l.order))
	for _, c := range l.order {
		if len(c.ParentHashes) > 0 {
			l.byChild[c.ParentHashes[0]] = true
		}
	}
	return nil
}

// commit reads and decodes one commit (a few hundred bytes: hashing it
// for go-git's decoder costs nothing worth avoiding).
func (l *LogWalk) commit(h plumbing.Hash) (*object.Commit, error) {
	typ, data, err := l.read(h)
	if err != nil {
		return nil, err
	}
	if plumbing.ObjectType(typ) != plumbing.CommitObject {
		return nil, wiki.Errorf(wiki.EINTERNAL, "object %s is not a commit", h)
	}
	o := &plumbing.MemoryObject{}
	o.SetType(plumbing.CommitObject)
	if _, err := o.Write(data); err != nil {
		return nil, err
	}
	return object.DecodeCommit(nil, o)
}

// Len is the number of commits in the range.
func (l *LogWalk) Len() int { return len(l.order) }

// HasChildOf reports whether a commit of the range has id as its first
// parent, which proves id an ancestor of the range's tip.
func (l *LogWalk) HasChildOf(id string) bool {
	h, ok := gitpack.ParseOID(id)
	return ok && l.byChild[h]
}

// Each describes the commits oldest first, with their changes against
// their first parents, as Log does; a commit is forgotten once fn has had
// it.
func (l *LogWalk) Each(ctx context.Context, fn func(info *CommitInfo) error) error {
	for i, c := range l.order {
		l.order[i] = nil
		info := &CommitInfo{Revision: revisionOf(c)}
		if err := l.describe(ctx, c, info); err != nil {
			return err
		}
		if err := fn(info); err != nil {
			return err
		}
	}
	return nil
}

// describe fills in one commit's changes against its first parent.
func (l *LogWalk) describe(ctx context.Context, c *object.Commit, info *CommitInfo) error {
	var parentTree plumbing.Hash
	if len(c.ParentHashes) > 0 {
		info.Parent = c.ParentHashes[0].String()
		p, err := l.commit(c.ParentHashes[0])
		if err != nil {
			return err
		}
		parentTree = p.TreeHash
	}
	if err := l.diffTrees(ctx, parentTree, c.TreeHash, "", 0, &info.Changes); err != nil {
		return err
	}
	sort.Slice(info.Changes, func(i, j int) bool { return info.Changes[i].Path < info.Changes[j].Path })
	for _, ch := range info.Changes {
		info.Files = append(info.Files, ch.Path)
	}
	return nil
}

// diffTrees is Repo.diffTreesInto over the object store; each depth keeps
// its two trees in buffers of its own, reused from commit to commit.
func (l *LogWalk) diffTrees(ctx context.Context, a, b plumbing.Hash, prefix string, depth int, out *[]TreeChange) error {
	if a == b {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	for len(l.bufs) < 2*depth+2 {
		l.bufs = append(l.bufs, nil)
	}
	ta, err := l.tree(a, 2*depth)
	if err != nil {
		return err
	}
	tb, err := l.tree(b, 2*depth+1)
	if err != nil {
		return err
	}
	return gitpack.CompareTrees(ta, tb, func(x, y *gitpack.TreeEntry) error {
		return l.diffEntry(ctx, x, y, prefix, depth, out)
	})
}

// tree reads a tree (zero: the empty tree) into buffer slot i.
func (l *LogWalk) tree(h plumbing.Hash, i int) ([]byte, error) {
	if h.IsZero() {
		return nil, nil
	}
	typ, data, err := l.read(h)
	if err != nil {
		return nil, err
	}
	if plumbing.ObjectType(typ) != plumbing.TreeObject {
		return nil, wiki.Errorf(wiki.EINTERNAL, "object %s is not a tree", h)
	}
	l.bufs[i] = append(l.bufs[i][:0], data...)
	return l.bufs[i], nil
}

// diffEntry is Repo.diffEntry over the object store.
func (l *LogWalk) diffEntry(ctx context.Context, x, y *gitpack.TreeEntry, prefix string, depth int, out *[]TreeChange) error {
	if a, b, p, sub := entryChange(x, y, prefix, out); sub {
		return l.diffTrees(ctx, a, b, p, depth+1, out)
	}
	return nil
}
