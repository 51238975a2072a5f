package gitrepo

import (
	"io"
	"path"

	"github.com/go-git/go-billy/v5/osfs"
)

// held keeps what HoldRefLock took reachable: an *os.File nobody refers to
// is closed by its finalizer at the next collection, and closing the guard
// file drops the kernel lock, as if the writer had died.
var held []any

// HoldRefLock takes main's ref lock the way an update does and returns
// without releasing it, as a writer killed in the middle of an update
// leaves it: the lock file stays, and the kernel lock stays with the
// process until it dies.
func HoldRefLock(r *Repo) error {
	g, err := r.guard()
	if err != nil {
		return err
	}
	dir, err := r.root.OpenRoot(path.Dir(MainBranch))
	if err != nil {
		return err
	}
	f, err := r.lockFile(g, dir, path.Base(MainBranch))
	held = append(held, g, f, dir)
	return err
}

// GeometricSplit exposes the repack's choice of packs to roll up.
var GeometricSplit = geometricSplit

// MaxSmallPacks is the number of packs past which commits start a merge.
const MaxSmallPacks = maxSmallPacks

// OpenForGit opens a file of the repository the way go-git's storage does.
func OpenForGit(r *Repo, name string) (io.ReadSeekCloser, error) {
	return completePacksFS{osfs.New(r.dir, osfs.WithBoundOS()), r.packIsWholeLocked}.Open(name)
}
