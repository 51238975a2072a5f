package gitrepo

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/warren-wiki/warren/wiki"
)

// A ref moves under two locks. git's own "<ref>.lock" file keeps a git CLI
// on the server out, and is what makes the update atomic (it is renamed
// over the ref). But a lock file outlives a writer killed in the middle,
// and a restarted server must not refuse writes because of it. So warren
// first takes a kernel lock, flock(2) on the repository's guardFile, which
// dies with the process, and records there the inodes of the lock files it
// creates. A "<ref>.lock" found while holding the guard belongs to no live
// warren writer: if the guard names its inode, a warren process died
// holding it and it is removed at once; otherwise a git CLI holds it, and
// only a lock older than staleLockAge is broken, as before.

// guardFile is the repository's kernel-locked file (never removed: a lock
// file that is unlinked while others wait on it protects nothing).
const guardFile = "warren-refs.flock"

// refGuard is a held guard: the open, flocked guardFile and the inodes of
// the warren lock files not yet removed (left by a crash, or ours).
type refGuard struct {
	f    *os.File
	inos []uint64 // recorded in the guard file
	mine []uint64 // of those, the lock files this holder made
}

// guard takes the repository's kernel lock, waiting up to refLockWait for
// another warren writer (in this process or another one).
func (r *Repo) guard() (*refGuard, error) {
	f, err := r.root.OpenFile(guardFile, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(refLockWait)
	for {
		ok, err := tryFlock(f)
		if err != nil {
			f.Close()
			return nil, err
		}
		if ok {
			break
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, wiki.Errorf(wiki.ECONFLICT, "the repository's refs are locked by another writer")
		}
		time.Sleep(2 * time.Millisecond)
	}
	g := &refGuard{f: f}
	g.inos = readInos(f)
	return g, nil
}

// readInos parses the guard file: one inode number a line.
func readInos(f *os.File) []uint64 {
	buf := make([]byte, 4096)
	n, _ := f.ReadAt(buf, 0)
	var inos []uint64
	for _, line := range strings.Fields(string(buf[:n])) {
		if ino, err := strconv.ParseUint(line, 10, 64); err == nil {
			inos = append(inos, ino)
		}
	}
	return inos
}

// record rewrites the guard file with g.inos. It is not fsynced: after a
// power loss, lock files created since the last flush may be gone too, and
// one that is not falls back to the stale-age rule.
//
// Records have a fixed width and the file is cut only after the new ones
// are written, so a writer killed in between leaves whole records: the new
// ones, then old ones of locks that are gone (which name no lock file).
func (g *refGuard) record() error {
	var b strings.Builder
	for _, ino := range g.inos {
		fmt.Fprintf(&b, "%020d\n", ino)
	}
	if _, err := g.f.WriteAt([]byte(b.String()), 0); err != nil {
		return err
	}
	return g.f.Truncate(int64(b.Len()))
}

func (g *refGuard) has(ino uint64) bool {
	if ino == 0 {
		return false
	}
	for _, i := range g.inos {
		if i == ino {
			return true
		}
	}
	return false
}

func (g *refGuard) forget(ino uint64) {
	kept := g.inos[:0]
	for _, i := range g.inos {
		if i != ino {
			kept = append(kept, i)
		}
	}
	g.inos = kept
}

// release forgets the lock files this holder made (by now each is renamed
// over its ref or removed), records what is left and drops the kernel lock.
func (g *refGuard) release() {
	for _, ino := range g.mine {
		g.forget(ino)
	}
	g.record()
	g.f.Close() // closing the last descriptor drops the flock
}

// lockFile creates "<name>.lock" in dir (name is a file there: the last
// component of a ref, or packed-refs) under the held guard, recording its inode
// before the name exists: the file is made under a side name, recorded,
// and linked to "<name>.lock" (link fails like git's O_EXCL create when the
// lock is taken), so a writer killed at any instant never leaves a lock the
// guard does not name. A lock left by a dead warren writer is removed at
// once; one a git CLI holds is waited for briefly and broken only when
// staleLockAge old. The caller removes the lock (or renames it over the
// ref) before releasing the guard.
func (r *Repo) lockFile(g *refGuard, dir *os.Root, name string) (*os.File, error) {
	// The side name starts with a dot: no ref (and so no git lock) can
	// have it, and git and Refs skip it.
	lock, side := name+".lock", "."+name+".warren-lock"
	f, err := dir.OpenFile(side, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, err
	}
	if err := g.add(f); err != nil {
		f.Close()
		return nil, err
	}
	defer dir.Remove(side)
	deadline := time.Now().Add(refLockWait)
	for {
		err := dir.Link(side, lock)
		if err == nil {
			return f, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			f.Close()
			return nil, err
		}
		fi, serr := dir.Lstat(lock)
		if serr == nil && (g.has(inode(fi)) || time.Since(fi.ModTime()) > staleLockAge) {
			if err := dir.Remove(lock); err != nil && !errors.Is(err, fs.ErrNotExist) {
				f.Close()
				return nil, err
			}
			g.forget(inode(fi))
			continue
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, wiki.Errorf(wiki.ECONFLICT, "%s is locked by another writer", name)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// add records a new lock file's inode before any name but its side name
// points at it.
func (g *refGuard) add(f *os.File) error {
	fi, err := f.Stat()
	if err == nil {
		g.inos = append(g.inos, inode(fi))
		g.mine = append(g.mine, inode(fi))
		err = g.record()
	}
	return err
}
