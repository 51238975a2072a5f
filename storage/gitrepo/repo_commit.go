package gitrepo

import (
	"context"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/warren-wiki/warren/storage/gitpack"
	"github.com/warren-wiki/warren/wiki"
)

// committer is who every commit warren makes is committed by; the author is
// the person who made the change.
var committer = object.Signature{Name: "warren", Email: "warren@localhost"}

// Commit writes blobs, trees and a commit, then moves MainBranch from
// req.Parent to the new commit by compare-and-swap. ECONFLICT if the branch
// moved. Objects are durable before the ref moves. Paths are checked with
// wiki.ValidateFilePath (EINVALID); deleting a file that does not exist is
// ENOTFOUND; writing a file where a directory is, or below a file, is
// EINVALID. In every error case nothing visible changes.
func (r *Repo) Commit(ctx context.Context, req CommitRequest) (string, error) {
	id, flushed, err := r.CommitStart(ctx, req)
	if err != nil {
		return "", err
	}
	return id, flushed()
}

// CommitStart is Commit that returns as soon as the branch has moved,
// while the last flush, the one that makes the move itself durable, still
// runs: flushed waits for it, and must be called before the commit is
// reported as made. Everything the commit names is durable before the
// branch moves. A save uses the wait to bring its index up to the new
// commit meanwhile. On error there is nothing to wait for.
func (r *Repo) CommitStart(ctx context.Context, req CommitRequest) (id string, flushed func() error, err error) {
	if err := ctx.Err(); err != nil {
		return "", nil, err
	}
	parent, err := normalizeID(req.Parent)
	if err != nil {
		return "", nil, err
	}
	if err := validateChanges(req.Changes); err != nil {
		return "", nil, err
	}
	if cur, err := r.resolveRef(MainBranch); err != nil {
		return "", nil, err
	} else if cur != parent {
		return "", nil, wiki.Errorf(wiki.ECONFLICT, "the wiki changed: main is at %s, not %s", short(cur), short(parent))
	}
	b, commitHash, err := r.build(parent, req)
	if err != nil {
		return "", nil, err
	}
	// The objects are written as one pack, unsynced, and fsynced together
	// with the ref's new value, all at once, before the ref moves: durable
	// first, then named (repo_savepack.go).
	pending, pack, err := r.writePack(b.objs)
	defer closeAll(pending)
	if err != nil {
		return "", nil, err
	}
	r.addFresh(pack, b.objs)
	id = commitHash.String()
	var stage func() func(bool)
	if req.Stage != nil {
		stage = func() func(bool) { return req.Stage(id) }
	}
	if flushed, err = r.casRefStart(MainBranch, parent, id, pending, stage); err != nil {
		return "", nil, err
	}
	r.consolidateLater()
	return id, flushed, nil
}

// build makes the commit's trees and the commit on parent's tree, in
// memory; b.objs are the objects to write.
func (r *Repo) build(parent string, req CommitRequest) (*treeBuilder, plumbing.Hash, error) {
	b := &treeBuilder{r: r, root: &dirNode{entries: map[string]object.TreeEntry{}}}
	if parent != "" {
		pc, err := r.commit(plumbing.NewHash(parent))
		if err != nil {
			return nil, plumbing.ZeroHash, err
		}
		if b.root, err = r.loadDir(pc.TreeHash); err != nil {
			return nil, plumbing.ZeroHash, err
		}
	}
	for _, ch := range req.Changes {
		if err := b.apply(ch); err != nil {
			return nil, plumbing.ZeroHash, err
		}
	}
	treeHash, _, err := b.write(b.root)
	if err != nil {
		return nil, plumbing.ZeroHash, err
	}
	commitHash, err := b.commit(treeHash, parent, req)
	return b, commitHash, err
}

// validateChanges refuses paths a page name could not have (.., absolute,
// .git, NUL, control characters) and a path named twice.
func validateChanges(changes []FileChange) error {
	seen := map[string]bool{}
	for _, ch := range changes {
		if err := wiki.ValidateFilePath(ch.Path); err != nil {
			return err
		}
		if seen[ch.Path] {
			return wiki.Errorf(wiki.EINVALID, "%s is changed twice in one commit", ch.Path)
		}
		seen[ch.Path] = true
	}
	return nil
}

// dirNode is one directory of the tree being built: its entries (loaded
// from the parent commit's tree) and the subdirectories that change.
type dirNode struct {
	entries map[string]object.TreeEntry
	subdirs map[string]*dirNode
}

func (r *Repo) loadDir(h plumbing.Hash) (*dirNode, error) {
	t, err := r.tree(h)
	if err != nil {
		return nil, err
	}
	d := &dirNode{entries: make(map[string]object.TreeEntry, len(t.Entries))}
	for _, e := range t.Entries {
		d.entries[e.Name] = e
	}
	return d, nil
}

// treeBuilder applies file changes to a tree, touching only the directories
// on the changed paths, and collects the objects to write.
type treeBuilder struct {
	r    *Repo
	root *dirNode
	objs []gitpack.PackObject
}

func (b *treeBuilder) apply(ch FileChange) error {
	parts := strings.Split(ch.Path, "/")
	d := b.root
	for i, name := range parts[:len(parts)-1] {
		sub, err := b.subdir(d, name, ch.Delete)
		if err != nil {
			return err
		} else if sub == nil {
			return wiki.Errorf(wiki.ENOTFOUND, "%s does not exist", ch.Path)
		} else if sub == notADir {
			return wiki.Errorf(wiki.EINVALID, "%s is a file, not a directory", strings.Join(parts[:i+1], "/"))
		}
		d = sub
	}
	name := parts[len(parts)-1]
	old, exists := d.entries[name]
	if d.subdirs[name] != nil || (exists && old.Mode == filemode.Dir) {
		if ch.Delete {
			return wiki.Errorf(wiki.ENOTFOUND, "%s is a directory, not a file", ch.Path)
		}
		return wiki.Errorf(wiki.EINVALID, "%s is a directory", ch.Path)
	}
	if ch.Delete {
		if !exists {
			return wiki.Errorf(wiki.ENOTFOUND, "%s does not exist", ch.Path)
		}
		delete(d.entries, name)
		return nil
	}
	mode := filemode.Regular
	if exists && old.Mode == filemode.Executable {
		mode = filemode.Executable
	}
	h := b.add(plumbing.BlobObject, ch.Content)
	d.entries[name] = object.TreeEntry{Name: name, Mode: mode, Hash: h}
	return nil
}

// notADir marks a path component that exists as a file.
var notADir = &dirNode{}

// subdir returns d's child directory name, loading it on first use or
// creating it (unless the change is a deletion, then nil).
func (b *treeBuilder) subdir(d *dirNode, name string, deleting bool) (*dirNode, error) {
	if sub := d.subdirs[name]; sub != nil {
		return sub, nil
	}
	e, exists := d.entries[name]
	var sub *dirNode
	switch {
	case exists && e.Mode != filemode.Dir:
		return notADir, nil
	case exists:
		var err error
		if sub, err = b.r.loadDir(e.Hash); err != nil {
			return nil, err
		}
	case deleting:
		return nil, nil
	default:
		sub = &dirNode{entries: map[string]object.TreeEntry{}}
	}
	if d.subdirs == nil {
		d.subdirs = map[string]*dirNode{}
	}
	d.subdirs[name] = sub
	return sub, nil
}

// write encodes d (after its changed subdirectories) and returns its tree
// id; empty reports a directory left without entries, which its parent
// drops, as git has no empty directories.
func (b *treeBuilder) write(d *dirNode) (h plumbing.Hash, empty bool, err error) {
	for name, sub := range d.subdirs {
		sh, subEmpty, err := b.write(sub)
		if err != nil {
			return h, false, err
		}
		if subEmpty {
			delete(d.entries, name)
		} else {
			d.entries[name] = object.TreeEntry{Name: name, Mode: filemode.Dir, Hash: sh}
		}
	}
	t := &object.Tree{Entries: make([]object.TreeEntry, 0, len(d.entries))}
	for _, e := range d.entries {
		t.Entries = append(t.Entries, e)
	}
	sort.Sort(object.TreeEntrySorter(t.Entries))
	o := &plumbing.MemoryObject{}
	if err := t.Encode(o); err != nil {
		return h, false, err
	}
	return b.addObject(o), len(t.Entries) == 0, nil
}

func (b *treeBuilder) commit(tree plumbing.Hash, parent string, req CommitRequest) (plumbing.Hash, error) {
	when := req.When
	if when.IsZero() {
		when = time.Now()
	}
	c := &object.Commit{
		Author:    object.Signature{Name: identity(req.AuthorName, "anonymous"), Email: identity(req.AuthorEmail, ""), When: when},
		Committer: committer,
		Message:   req.Message,
		TreeHash:  tree,
	}
	c.Committer.When = when
	if c.Message != "" && !strings.HasSuffix(c.Message, "\n") {
		c.Message += "\n"
	}
	if parent != "" {
		c.ParentHashes = []plumbing.Hash{plumbing.NewHash(parent)}
	}
	o := &plumbing.MemoryObject{}
	if err := c.Encode(o); err != nil {
		return plumbing.ZeroHash, err
	}
	return b.addObject(o), nil
}

// identity strips what would break a commit header ("<", ">", newlines,
// NUL) from a name or e-mail supplied by a proxy header.
func identity(s, fallback string) string {
	s = strings.Map(func(r rune) rune {
		if r == '<' || r == '>' || r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
	if s = strings.TrimSpace(s); s == "" {
		return fallback
	}
	return s
}

func (b *treeBuilder) add(t plumbing.ObjectType, data []byte) plumbing.Hash {
	h := plumbing.ComputeHash(t, data)
	b.objs = append(b.objs, gitpack.PackObject{Hash: h, Type: t, Data: data})
	return h
}

func (b *treeBuilder) addObject(o *plumbing.MemoryObject) plumbing.Hash {
	rd, _ := o.Reader()
	data, _ := io.ReadAll(rd)
	return b.add(o.Type(), data)
}
