package gitrepo

import (
	"os"
	"path"
	"strings"

	"github.com/warren-wiki/warren/wiki"
)

// casRef is the lock-file update protocol described at the top of
// refs.go. pending are files the caller wrote unsynced that the new value
// needs (a commit's objects and their directories): they are fsynced
// together with the new value, all at once, before the lock is renamed
// over the ref. The caller keeps and closes them.
func (r *Repo) casRef(name, old, new string, pending []*os.File) error {
	flushed, err := r.casRefStart(name, old, new, pending, nil)
	if err != nil {
		return err
	}
	return flushed()
}

// casRefStart is casRef that returns as soon as the ref has moved, with
// the flush of the ref's directory (which makes the move durable) still
// running: flushed waits for it and must be called. Everything the new
// value names is durable before the ref moves; only the move itself is
// not yet. The wait lets a caller do work that does not need the move to
// be durable (a save's index update) meanwhile, and acknowledge after.
//
// stage, if not nil, runs once the ref is locked and found at old, while
// the new value and pending are flushed; the function it returns is told
// whether the ref moved, before casRefStart returns (CommitRequest.Stage).
func (r *Repo) casRefStart(name, old, new string, pending []*os.File, stage func() func(bool)) (flushed func() error, err error) {
	if err := r.root.MkdirAll(path.Dir(name), 0o755); err != nil {
		return nil, wiki.Errorf(wiki.ECONFLICT, "ref %s conflicts with an existing ref", name)
	}
	g, err := r.guard()
	if err != nil {
		return nil, err
	}
	defer g.release()
	// Every step below works in the ref's directory, opened once: each
	// path resolved from the repository's root would open every
	// directory on the way again.
	dir, err := r.root.OpenRoot(path.Dir(name))
	if err != nil {
		return nil, err
	}
	defer dir.Close()
	base := path.Base(name)
	f, err := r.lockFile(g, dir, base)
	if err != nil {
		return nil, err
	}
	if err := r.checkRefAt(dir, name, old); err != nil {
		f.Close()
		dir.Remove(base + ".lock")
		return nil, err
	}
	if new == "" {
		return noWait, r.deleteRefLocked(g, f, name)
	}
	var finish func(bool)
	moved := false
	defer func() {
		if finish != nil {
			finish(moved)
		}
	}()
	during := func() {
		if stage != nil {
			finish = stage()
		}
	}
	if err := r.writeFlushed(dir, f, base+".lock", []byte(new+"\n"), pending, during); err != nil {
		return nil, err
	}
	if err := moveLock(dir, base); err != nil {
		return nil, wiki.Errorf(wiki.ECONFLICT, "ref %s conflicts with an existing ref", name)
	}
	moved = true
	return r.syncDirStart(dir), nil
}

// moveLock renames base's lock over it. An empty directory where the ref
// goes (left by deleted refs) gives way, as in git; a non-empty one holds
// refs named below it, and the lock is removed.
func moveLock(dir *os.Root, base string) error {
	lock := base + ".lock"
	err := dir.Rename(lock, base)
	if err == nil {
		return nil
	}
	fi, serr := dir.Lstat(base)
	if serr != nil || !fi.IsDir() || dir.Remove(base) != nil || dir.Rename(lock, base) != nil {
		dir.Remove(lock)
		return err
	}
	return nil
}

// noWait is the flushed of an update with nothing left to flush.
func noWait() error { return nil }

// checkRefAt refuses the update unless ref name is at old (read in its
// directory dir, under its lock): ECONFLICT when it moved, EINVALID when
// it is symbolic.
func (r *Repo) checkRefAt(dir *os.Root, name, old string) error {
	cur, err := r.refValueIn(dir, path.Base(name), name)
	switch {
	case err != nil:
		return err
	case strings.HasPrefix(cur, "ref: "):
		return wiki.Errorf(wiki.EINVALID, "ref %s is symbolic", name)
	case cur != old:
		return wiki.Errorf(wiki.ECONFLICT, "ref %s moved: it is at %s, not %s", name, short(cur), short(old))
	case old == "":
		return r.checkNoPackedDF(name)
	}
	return nil
}
