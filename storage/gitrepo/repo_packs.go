package gitrepo

import (
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/storage/filesystem"

	"github.com/warren-wiki/warren/storage/gitpack"
)

// newStorage is go-git's storage over the repository. It sees only the
// packs git would see: those whose index is there and whose pack is whole.
func (r *Repo) newStorage(c cache.Object, openPacks int) *filesystem.Storage {
	fsys := completePacksFS{osfs.New(r.dir, osfs.WithBoundOS()), r.packIsWholeLocked}
	return filesystem.NewStorageWithOptions(fsys, c, filesystem.Options{MaxOpenDescriptors: openPacks})
}

// completePacksFS hides from go-git a pack whose .idx is not there (yet):
// go-git lists packs by their .pack file and fails every read when one has
// no index, where git ignores it. A pack being installed by receive-pack,
// or left half-installed or cut short by a crash, must not make the wiki
// unreadable.
type completePacksFS struct {
	billy.Filesystem
	whole func(base string) bool // see Repo.packIsWholeLocked
}

// ReadDir lists a directory, leaving out of objects/pack every pack that is
// not complete.
func (f completePacksFS) ReadDir(dir string) ([]os.FileInfo, error) {
	infos, err := f.Filesystem.ReadDir(dir)
	if err != nil || path.Clean(filepath.ToSlash(dir)) != "objects/pack" {
		return infos, err
	}
	idx := map[string]bool{}
	for _, fi := range infos {
		if base, ok := strings.CutSuffix(fi.Name(), ".idx"); ok {
			idx[base] = true
		}
	}
	kept := infos[:0:0]
	for _, fi := range infos {
		if base, ok := strings.CutSuffix(fi.Name(), ".pack"); !ok || (idx[base] && f.whole(base)) {
			kept = append(kept, fi)
		}
	}
	return kept, nil
}

// listPacks names the complete packs on disk (a pack counts once its index
// is there too, as for git), to notice packs written or removed by someone
// who did not call Reload (git gc, git repack).
// It reads names only, without a stat per entry: a save calls it once.
func (r *Repo) listPacks() []string {
	names, err := r.packNamesLocked()
	if err != nil {
		return nil
	}
	idx := map[string]bool{}
	for _, name := range names {
		if base, ok := strings.CutSuffix(name, ".idx"); ok {
			idx[base] = true
		}
	}
	var packs []string
	for _, name := range names {
		if base, ok := strings.CutSuffix(name, ".pack"); ok && idx[base] && r.packIsWholeLocked(base) {
			packs = append(packs, base)
		}
	}
	return packs
}

// packIsWholeLocked checks a pack once (gitpack.PackComplete: a save's
// pack cut short by a crash is passed over) and remembers the ones that
// are whole: packs never change.
func (r *Repo) packIsWholeLocked(base string) bool {
	if r.wholePacks[base] {
		return true
	}
	if !gitpack.PackComplete(filepath.Join(r.dir, "objects", "pack", base+".pack")) {
		return false
	}
	if r.wholePacks == nil {
		r.wholePacks = map[string]bool{}
	}
	r.wholePacks[base] = true
	return true
}

// packsChangedLocked says whether the packs on disk differ from those the
// storage was opened with.
func (r *Repo) packsChangedLocked() bool {
	return !slices.Equal(r.packs, r.listPacks())
}
