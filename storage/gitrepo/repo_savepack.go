package gitrepo

import (
	"crypto/rand"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/warren-wiki/warren/storage/gitpack"
)

// A commit's objects go into one small pack of their own, written under
// its final name, its index written aside and renamed in last (readers,
// git's and ours, take a pack only once its index is there). Neither is
// fsynced here: Commit flushes pack, index, their directory and the ref's
// lock file together, in one round, before the ref moves; a crash during
// that round leaves at most a pack no ref names, which readers pass over
// (gitpack.PackComplete). Then the ref moves and its directory is synced:
// two flush rounds per save, as for any durable atomic update.
//
// go-git's storage would notice the new pack only by reading every pack
// index again, so the objects a commit wrote are also kept in memory
// (fresh) until the next reload; consolidate (repack_small.go) merges the
// small packs from time to time, which reloads.

// maxFreshBytes bounds the memory of objects kept for go-git's sake; past
// it the storage is reloaded at once.
const maxFreshBytes = 32 << 20

// writePack writes a commit's objects as a pack and returns the files to
// flush (pack, index, directory), still open, and the pack's base name.
// The caller closes them, also on error.
func (r *Repo) writePack(objs []gitpack.PackObject) ([]*os.File, string, error) {
	sp, err := gitpack.EncodeSmallPack(objs)
	if err != nil {
		return nil, "", err
	}
	dir, err := r.packRoot()
	if err != nil {
		return nil, "", err
	}
	base := "pack-" + sp.Sum.String()
	f, err := dir.OpenFile(base+".pack", os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o444)
	if errors.Is(err, fs.ErrExist) {
		if gitpack.PackComplete(filepath.Join(r.dir, "objects", "pack", base+".pack")) {
			return reopenPack(dir, base) // the very same objects, written before
		}
		// Left cut short by a crash in its flush: write it again.
		dir.Remove(base + ".idx")
		dir.Remove(base + ".pack")
		f, err = dir.OpenFile(base+".pack", os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o444)
	}
	if err != nil {
		return nil, "", err
	}
	files := []*os.File{f}
	if _, err := f.Write(sp.Pack); err != nil {
		dir.Remove(base + ".pack")
		return files, "", err
	}
	x, err := writeIndexFile(dir, base, sp.Idx)
	if err != nil {
		dir.Remove(base + ".pack")
		return files, "", err
	}
	files = append(files, x)
	d, err := dir.Open(".")
	if err != nil {
		return files, "", err
	}
	return append(files, d), base, nil
}

// writeIndexFile writes the index aside and renames it into place, the
// moment the pack becomes visible.
func writeIndexFile(dir *os.Root, base string, idx []byte) (*os.File, error) {
	tmp := "tmp_idx_" + rand.Text()
	x, err := dir.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o444)
	if err != nil {
		return nil, err
	}
	if _, err = x.Write(idx); err == nil {
		err = dir.Rename(tmp, base+".idx")
	}
	if err != nil {
		x.Close()
		dir.Remove(tmp)
		return nil, err
	}
	return x, nil
}

// reopenPack opens an existing pack's files to flush them again: a pack
// left by a save that crashed before its flush finished would otherwise
// be trusted unflushed.
func reopenPack(dir *os.Root, base string) ([]*os.File, string, error) {
	var files []*os.File
	for _, name := range []string{base + ".pack", base + ".idx", "."} {
		f, err := dir.Open(name)
		if err != nil {
			return files, "", err
		}
		files = append(files, f)
	}
	return files, base, nil
}

// packRoot is objects/pack, opened once.
func (r *Repo) packRoot() (*os.Root, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.packRootLocked()
}

func (r *Repo) packRootLocked() (*os.Root, error) {
	if r.packDir != nil {
		return r.packDir, nil
	}
	if r.root == nil {
		return nil, errClosed
	}
	if err := r.root.MkdirAll("objects/pack", 0o755); err != nil {
		return nil, err
	}
	d, err := r.root.OpenRoot("objects/pack")
	if err != nil {
		return nil, err
	}
	r.packDir = d
	return d, nil
}

// packNamesLocked lists objects/pack, sorted. It does not open packRoot:
// a wiki that is only read keeps no descriptor on the directory (each
// open wiki's descriptors count against the pool's budget).
func (r *Repo) packNamesLocked() ([]string, error) {
	if r.root == nil {
		return nil, errClosed
	}
	f, err := r.root.Open("objects/pack")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	names, err := f.Readdirnames(-1)
	slices.Sort(names)
	return names, err
}

// addFresh makes a pack this process wrote readable without reloading
// go-git's storage: its objects are kept in memory and its name is
// recorded as known, so that Reload does not take it for a stranger's.
func (r *Repo) addFresh(base string, objs []gitpack.PackObject) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.st == nil || base == "" {
		return
	}
	if i, found := slices.BinarySearch(r.packs, base); !found {
		r.packs = slices.Insert(r.packs, i, base)
	}
	if r.wholePacks == nil {
		r.wholePacks = map[string]bool{}
	}
	r.wholePacks[base] = true // written whole by us, if not yet flushed
	if r.fresh == nil {
		r.fresh = map[plumbing.Hash]*plumbing.MemoryObject{}
	}
	for _, o := range objs {
		m := &plumbing.MemoryObject{}
		m.SetType(o.Type)
		m.Write(o.Data)
		r.fresh[o.Hash] = m
		r.freshBytes += len(o.Data)
		r.cache.Put(m)
	}
	if r.freshBytes > maxFreshBytes {
		r.reloadLocked()
	}
}

// freshLocked returns an object a commit of this process wrote, if go-git
// may not know it yet.
func (r *Repo) freshLocked(t plumbing.ObjectType, h plumbing.Hash) (*plumbing.MemoryObject, bool) {
	m, ok := r.fresh[h]
	if !ok || (t != plumbing.AnyObject && m.Type() != t) {
		return nil, false
	}
	return m, true
}

// freshData returns the type and content of an object a commit of this
// process wrote, while it is still kept in memory.
func (r *Repo) freshData(h plumbing.Hash) (plumbing.ObjectType, []byte, bool) {
	r.mu.Lock()
	m, ok := r.fresh[h]
	r.mu.Unlock()
	if !ok {
		return 0, nil, false
	}
	rd, err := m.Reader()
	if err != nil {
		return 0, nil, false
	}
	data, err := io.ReadAll(rd)
	return m.Type(), data, err == nil
}
