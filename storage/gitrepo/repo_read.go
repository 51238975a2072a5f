package gitrepo

import (
	"bytes"
	"context"
	"errors"
	"io"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/warren-wiki/warren/storage/gitpack"
	"github.com/warren-wiki/warren/wiki"
)

// ReadFile returns a file's content and blob id at commit rev ("" = HEAD).
// ENOTFOUND if the path does not exist there.
func (r *Repo) ReadFile(ctx context.Context, rev, path string) ([]byte, string, error) {
	c, err := r.resolveCommit(ctx, rev)
	if err != nil {
		return nil, "", err
	}
	e, ok, err := r.lookup(c.TreeHash, splitPath(path), false)
	if err != nil {
		return nil, "", err
	} else if !ok {
		return nil, "", wiki.Errorf(wiki.ENOTFOUND, "%s does not exist", path)
	}
	data, err := r.blob(e.Hash)
	return data, e.Hash.String(), err
}

// FindFile resolves a path at rev ("" = HEAD): the exact path if it exists,
// else the first case-insensitive match (so An Otter Wiki's lower-case files
// and GitHub wikis open as they are). ENOTFOUND if neither exists.
func (r *Repo) FindFile(ctx context.Context, rev, path string) (TreeFile, error) {
	c, err := r.resolveCommit(ctx, rev)
	if err != nil {
		return TreeFile{}, err
	}
	parts := splitPath(path)
	e, ok, err := r.lookup(c.TreeHash, parts, false)
	if err == nil && !ok {
		e, ok, err = r.lookup(c.TreeHash, parts, true)
	}
	if err != nil {
		return TreeFile{}, err
	} else if !ok {
		return TreeFile{}, wiki.Errorf(wiki.ENOTFOUND, "%s does not exist", path)
	}
	size, err := r.objectSize(e.Hash)
	if err != nil {
		return TreeFile{}, err
	}
	return TreeFile{Path: e.Name, Blob: e.Hash.String(), Mode: uint32(e.Mode), Size: size}, nil
}

// ReadBlob returns a blob's content by id.
func (r *Repo) ReadBlob(ctx context.Context, id string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if !gitpack.IsHexID(strings.ToLower(id)) {
		return nil, wiki.Errorf(wiki.ENOTFOUND, "blob %q not found", id)
	}
	return r.blob(plumbing.NewHash(id))
}

// ListFiles lists every file of the tree at rev ("" = HEAD), recursively,
// in path order. Subtrees are not listed; symlinks and submodules are, with
// their modes, so that callers can refuse them.
func (r *Repo) ListFiles(ctx context.Context, rev string) ([]TreeFile, error) {
	c, err := r.resolveCommit(ctx, rev)
	if err != nil {
		return nil, err
	}
	var files []TreeFile
	err = r.walkTree(ctx, c.TreeHash, "", func(p string, e object.TreeEntry) error {
		f := TreeFile{Path: p, Blob: e.Hash.String(), Mode: uint32(e.Mode)}
		if e.Mode != filemode.Submodule {
			if f.Size, err = r.objectSize(e.Hash); err != nil {
				return err
			}
		}
		files = append(files, f)
		return nil
	})
	return files, err
}

// walkTree calls fn for every non-tree entry below tree h, depth first in
// git's tree order (which is path order for files).
func (r *Repo) walkTree(ctx context.Context, h plumbing.Hash, prefix string, fn func(string, object.TreeEntry) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	t, err := r.tree(h)
	if err != nil {
		return err
	}
	for _, e := range t.Entries {
		p := prefix + e.Name
		if e.Mode == filemode.Dir {
			err = r.walkTree(ctx, e.Hash, p+"/", fn)
		} else {
			err = fn(p, e)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// lookup finds the file (a blob or symlink, not a tree or submodule) at
// parts below tree h. With fold, each component
// matches case-insensitively (exact matches tried first) and every candidate
// directory is tried, so that Team/ and team/ side by side both work. The
// returned entry's Name is the whole path as stored.
func (r *Repo) lookup(h plumbing.Hash, parts []string, fold bool) (object.TreeEntry, bool, error) {
	if len(parts) == 0 {
		return object.TreeEntry{}, false, nil
	}
	t, err := r.tree(h)
	if err != nil {
		return object.TreeEntry{}, false, err
	}
	for _, e := range candidates(t.Entries, parts[0], fold) {
		if len(parts) == 1 && e.Mode != filemode.Dir && e.Mode != filemode.Submodule {
			return e, true, nil
		}
		if len(parts) == 1 || e.Mode != filemode.Dir {
			continue
		}
		sub, ok, err := r.lookup(e.Hash, parts[1:], fold)
		if err != nil || ok {
			sub.Name = e.Name + "/" + sub.Name
			return sub, ok, err
		}
	}
	return object.TreeEntry{}, false, nil
}

// candidates lists the entries named name: the exact one first, then, with
// fold, those equal under Unicode case folding, in tree order.
func candidates(entries []object.TreeEntry, name string, fold bool) []object.TreeEntry {
	var exact, folded []object.TreeEntry
	for _, e := range entries {
		if e.Name == name {
			exact = append(exact, e)
		} else if fold && strings.EqualFold(e.Name, name) {
			folded = append(folded, e)
		}
	}
	return append(exact, folded...)
}

func splitPath(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// resolveCommit turns a revision into a commit: "" or "HEAD" (MainBranch),
// a full or abbreviated (at least 4 digits) commit id, or a ref name under
// refs/. Annotated tags are peeled. ENOTFOUND for anything else.
func (r *Repo) resolveCommit(ctx context.Context, rev string) (*object.Commit, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	h, err := r.resolveRev(rev)
	if err != nil {
		return nil, err
	}
	for range 10 {
		o, err := r.Object(plumbing.AnyObject, h)
		if errors.Is(err, plumbing.ErrObjectNotFound) {
			break
		} else if err != nil {
			return nil, err
		}
		switch o.Type() {
		case plumbing.CommitObject:
			return object.DecodeCommit(nil, o)
		case plumbing.TagObject:
			tag, err := object.DecodeTag(nil, o)
			if err != nil {
				return nil, err
			}
			h = tag.Target
			continue
		}
		break
	}
	return nil, wiki.Errorf(wiki.ENOTFOUND, "revision %q not found", rev)
}

func (r *Repo) resolveRev(rev string) (plumbing.Hash, error) {
	notFound := wiki.Errorf(wiki.ENOTFOUND, "revision %q not found", rev)
	var id string
	var err error
	lower := strings.ToLower(rev)
	switch {
	case rev == "" || rev == "HEAD":
		if id, err = r.resolveRef(MainBranch); err == nil && id == "" {
			return plumbing.ZeroHash, wiki.Errorf(wiki.ENOTFOUND, "the wiki has no revisions yet")
		}
	case gitpack.IsHexID(lower):
		id = lower
	case len(rev) >= 4 && len(rev) < 40 && isHexPrefix(lower):
		return r.resolvePrefix(lower, notFound)
	case CheckRefName(rev) == nil:
		id, err = r.resolveRef(rev)
	}
	if err != nil {
		return plumbing.ZeroHash, err
	} else if id == "" {
		return plumbing.ZeroHash, notFound
	}
	return plumbing.NewHash(id), nil
}

func isHexPrefix(s string) bool {
	return gitpack.IsHexID(s + strings.Repeat("0", 40-len(s)))
}

// resolvePrefix finds the one commit whose id starts with prefix.
func (r *Repo) resolvePrefix(prefix string, notFound error) (plumbing.Hash, error) {
	b := make([]byte, len(prefix)/2)
	for i := range b {
		b[i] = unhex(prefix[2*i])<<4 | unhex(prefix[2*i+1])
	}
	r.mu.Lock()
	if r.st == nil {
		r.mu.Unlock()
		return plumbing.ZeroHash, errClosed
	}
	hashes, err := r.st.HashesWithPrefix(b)
	r.forgetBrokenIndexLocked(err) // a failed load leaves go-git a partial index
	for h := range r.fresh {
		if bytes.HasPrefix(h[:], b) && !slices.Contains(hashes, h) {
			hashes = append(hashes, h)
		}
	}
	r.mu.Unlock()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	var found []plumbing.Hash
	for _, h := range hashes {
		if strings.HasPrefix(h.String(), prefix) {
			if o, err := r.Object(plumbing.CommitObject, h); err == nil && o != nil {
				found = append(found, h)
			}
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return plumbing.ZeroHash, notFound
	}
	return plumbing.ZeroHash, wiki.Errorf(wiki.EINVALID, "revision %q is ambiguous", prefix)
}

func unhex(c byte) byte {
	if c >= 'a' {
		return c - 'a' + 10
	}
	return c - '0'
}

// commit reads one commit by id.
func (r *Repo) commit(h plumbing.Hash) (*object.Commit, error) {
	o, err := r.Object(plumbing.CommitObject, h)
	if errors.Is(err, plumbing.ErrObjectNotFound) {
		return nil, wiki.Errorf(wiki.ENOTFOUND, "commit %s not found", h)
	} else if err != nil {
		return nil, err
	}
	return object.DecodeCommit(nil, o)
}

// tree reads one tree by id; the zero id is the empty tree.
func (r *Repo) tree(h plumbing.Hash) (*object.Tree, error) {
	if h.IsZero() {
		return &object.Tree{}, nil
	}
	o, err := r.Object(plumbing.TreeObject, h)
	if err != nil {
		return nil, err
	}
	return object.DecodeTree(nil, o)
}

// rawTree reads a tree's content by id (zero: the empty tree).
func (r *Repo) rawTree(h plumbing.Hash) ([]byte, error) {
	if h.IsZero() {
		return nil, nil
	}
	o, err := r.Object(plumbing.TreeObject, h)
	if err != nil {
		return nil, err
	}
	rd, err := o.Reader()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	return io.ReadAll(rd)
}

// blob reads one blob's content by id.
func (r *Repo) blob(h plumbing.Hash) ([]byte, error) {
	o, err := r.Object(plumbing.BlobObject, h)
	if errors.Is(err, plumbing.ErrObjectNotFound) {
		return nil, wiki.Errorf(wiki.ENOTFOUND, "blob %s not found", h)
	} else if err != nil {
		return nil, err
	}
	rd, err := o.Reader()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	return io.ReadAll(rd)
}
