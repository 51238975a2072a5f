package gitrepo

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/storage/filesystem"

	"github.com/warren-wiki/warren/storage/internal/durable"
	"github.com/warren-wiki/warren/wiki"
)

// Repo is one wiki's bare git repository. Its methods are safe for concurrent
// use; Commit must additionally be called under the wiki's write lock.
//
// go-git's storage is not goroutine-safe, so every use of it happens under
// mu, held for one object at a time: a long walk (Log, History) interleaves
// with page views instead of blocking them. Refs are read and written by
// this package directly with git's own lock-file protocol (refs.go), so
// reading a ref never takes mu and never sees a half-written file.
//
// Other code of this package reaches go-git only through object, hasObject
// and objectSize, which take mu; nothing may hold st beyond one call. Work
// that streams a whole pack (upload-pack) opens its own storage on Dir()
// rather than holding mu for seconds. Close must not race with other calls
// (tenant closes a handle only when no request holds it).
type Repo struct {
	dir  string
	root *os.Root // every file of the repository warren touches itself goes through it

	mu    sync.Mutex
	st    *filesystem.Storage // guarded by mu
	cache cache.Object        // content-addressed, shared by every storage generation
	packs []string            // pack files st was opened with, and those added since; guarded by mu

	// fresh holds the objects commits of this process wrote since st was
	// opened, which st does not index (repo_savepack.go); guarded by mu.
	fresh      map[plumbing.Hash]*plumbing.MemoryObject
	freshBytes int
	packDir    *os.Root        // objects/pack, opened on the first commit; guarded by mu
	wholePacks map[string]bool // packs found whole (packIsWholeLocked); guarded by mu

	// consolidating is set while a background merge of small packs runs;
	// Close waits for it (bg) after cancelling it (stopBg).
	consolidating atomic.Bool
	bg            sync.WaitGroup
	bgCtx         context.Context
	stopBg        context.CancelFunc

	// noSync skips every fsync. Only initRepoIn sets it, for a repository
	// built in a private directory that its caller makes durable as a
	// whole (CreateWikis syncs the file system once for many wikis).
	noSync bool
}

// errClosed answers calls on a closed repository.
var errClosed = wiki.Errorf(wiki.EINTERNAL, "repository is closed")

// repoCacheSize bounds each open repository's decoded-object cache; many
// wikis are open at once, so it stays small.
const repoCacheSize = 8 * cache.MiByte

// maxOpenPacks bounds the pack file descriptors one repository keeps open.
const maxOpenPacks = 2

// InitRepo creates a bare repository at dir (which must not exist) with
// branch main holding one commit of the files given, committed by warren.
// The repository is built in a temporary sibling directory and renamed into
// place, so a failure or a crash never leaves a half-made repository at dir.
func InitRepo(ctx context.Context, dir string, files []FileChange, authorName, authorEmail, message string) (*Repo, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if _, err := os.Lstat(dir); err == nil {
		return nil, wiki.Errorf(wiki.EEXISTS, "repository %s already exists", filepath.Base(dir))
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "."+filepath.Base(dir)+".init-")
	if err != nil {
		return nil, err
	}
	if err := InitRepoIn(ctx, tmp, files, authorName, authorEmail, message, true); err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	if err := os.Rename(tmp, dir); err != nil {
		os.RemoveAll(tmp)
		if errors.Is(err, fs.ErrExist) || errors.Is(err, syscall.ENOTEMPTY) {
			return nil, wiki.Errorf(wiki.EEXISTS, "repository %s already exists", filepath.Base(dir))
		}
		return nil, err
	}
	if err := durable.SyncDir(filepath.Dir(dir)); err != nil {
		return nil, err
	}
	return OpenRepo(dir)
}

// initRepoIn lays out an empty bare repository in dir and makes the first
// commit there. Unless durable, nothing is fsynced: the caller must make
// dir durable itself before anything names it.
func InitRepoIn(ctx context.Context, dir string, files []FileChange, authorName, authorEmail, message string, synced bool) error {
	if err := os.Chmod(dir, 0o755); err != nil {
		return err
	}
	for _, d := range []string{"objects/info", "objects/pack", "refs/heads", "refs/tags", "info"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return err
		}
	}
	layout := map[string]string{
		"HEAD":        "ref: " + MainBranch + "\n",
		"config":      "[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = true\n",
		"description": "warren wiki\n",
	}
	for name, content := range layout {
		if err := durable.WriteNewFile(filepath.Join(dir, name), []byte(content), synced); err != nil {
			return err
		}
	}
	r, err := OpenRepo(dir)
	if err != nil {
		return err
	}
	defer r.Close()
	r.noSync = !synced
	_, err = r.Commit(ctx, CommitRequest{
		Changes: files, AuthorName: authorName, AuthorEmail: authorEmail, Message: message, When: time.Now(),
	})
	if err != nil || !synced {
		return err
	}
	for _, d := range []string{"objects", "refs/heads", "refs", "."} {
		if err := durable.SyncDir(filepath.Join(dir, d)); err != nil {
			return err
		}
	}
	return nil
}

// OpenRepo opens an existing bare repository.
func OpenRepo(dir string) (*Repo, error) {
	for _, f := range []string{"HEAD", "objects", "refs"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			return nil, wiki.Errorf(wiki.ENOTFOUND, "%s is not a git repository", filepath.Base(dir))
		}
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	r := &Repo{dir: dir, root: root, cache: cache.NewObjectLRU(repoCacheSize)}
	r.bgCtx, r.stopBg = context.WithCancel(context.Background())
	r.mu.Lock()
	r.reloadLocked()
	r.mu.Unlock()
	return r, nil
}

// Dir is the repository's directory, for the smart-HTTP service.
func (r *Repo) Dir() string { return r.dir }

// Close releases open pack files, after stopping a background
// consolidation of small packs.
func (r *Repo) Close() error {
	r.stopBg()
	r.bg.Wait()
	r.mu.Lock()
	defer r.mu.Unlock()
	var err error
	if r.st != nil {
		err = r.st.Close()
		r.st = nil
	}
	if r.packDir != nil {
		err = errors.Join(err, r.packDir.Close())
		r.packDir = nil
	}
	if r.root != nil {
		err = errors.Join(err, r.root.Close())
		r.root = nil
	}
	return err
}

// Reload forgets cached pack lists and refs so that objects and refs written
// by someone else (receive-pack, another process) become visible. Refs are
// never cached and loose objects are always looked up on disk, so only a
// changed set of packs matters; when it has not changed (a web save writes
// loose objects only) Reload costs one directory read.
func (r *Repo) Reload() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.root == nil {
		return wiki.Errorf(wiki.EINTERNAL, "repository is closed")
	}
	if r.packsChangedLocked() {
		r.reloadLocked()
	}
	return nil
}

// reloadLocked replaces the go-git storage by a fresh one: the only way to
// make go-git drop its pack index and close descriptors of replaced packs.
func (r *Repo) reloadLocked() {
	if r.st != nil {
		r.st.Close()
	}
	// The packs are listed before the storage exists, whose index is read
	// later: every pack named here is then in that index, so "the packs
	// have not changed" never hides a pack the index lacks.
	r.packs = r.listPacks()
	r.st = r.newStorage(r.cache, maxOpenPacks)
	r.fresh, r.freshBytes = nil, 0
	for base := range r.wholePacks { // forget removed packs
		if _, found := slices.BinarySearch(r.packs, base); !found {
			delete(r.wholePacks, base)
		}
	}
}

// Object returns an object fully in memory, so that it can be used without
// holding mu, and keeps it in the object cache (shared, goroutine-safe,
// content-addressed, so never stale). A miss makes it look once for packs
// it does not know about. Objects it returns are shared: read them only.
func (r *Repo) Object(t plumbing.ObjectType, h plumbing.Hash) (*plumbing.MemoryObject, error) {
	if o, ok := r.cache.Get(h); ok { // a warm read costs no system call
		if m, ok := o.(*plumbing.MemoryObject); ok && (t == plumbing.AnyObject || m.Type() == t) {
			return m, nil
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.st == nil {
		return nil, errClosed
	}
	if m, ok := r.freshLocked(t, h); ok {
		return m, nil
	}
	o, err := r.objectLocked(t, h)
	if err != nil && r.packsChangedLocked() {
		r.reloadLocked()
		o, err = r.objectLocked(t, h)
	}
	r.forgetBrokenIndexLocked(err)
	return o, err
}

// forgetBrokenIndexLocked drops go-git's pack index after an unexpected
// error: go-git keeps a half-loaded index (say, of a pack whose .idx was
// still being written) and would otherwise miss objects until the next
// change of packs.
func (r *Repo) forgetBrokenIndexLocked(err error) {
	if err != nil && !errors.Is(err, plumbing.ErrObjectNotFound) {
		r.st.Reindex()
	}
}

func (r *Repo) objectLocked(t plumbing.ObjectType, h plumbing.Hash) (*plumbing.MemoryObject, error) {
	o, err := r.st.EncodedObject(t, h)
	if err != nil {
		return nil, err
	}
	if m, ok := o.(*plumbing.MemoryObject); ok {
		r.cache.Put(m) // also computes the lazy hash under mu; callers only read it
		return m, nil
	}
	rd, err := o.Reader()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	m := &plumbing.MemoryObject{}
	m.SetType(o.Type())
	w, _ := m.Writer()
	if _, err := io.Copy(w, rd); err != nil {
		return nil, err
	}
	r.cache.Put(m)
	return m, nil
}

// HasObject reports whether the repository holds object h.
func (r *Repo) HasObject(h plumbing.Hash) (bool, error) {
	return r.hasObject(h, false)
}

// HasObjectSurely is HasObject that, before answering false, reads the
// packs' indexes again. It is for checks whose "no" refuses a write (a ref
// must point at an object that is there), not for the many lookups of a
// push that expect misses.
func (r *Repo) HasObjectSurely(h plumbing.Hash) (bool, error) {
	return r.hasObject(h, true)
}

func (r *Repo) hasObject(h plumbing.Hash, sure bool) (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.st == nil {
		return false, errClosed
	}
	if _, ok := r.fresh[h]; ok {
		return true, nil
	}
	err := r.st.HasEncodedObject(h)
	if err != nil && r.packsChangedLocked() {
		r.reloadLocked()
		err = r.st.HasEncodedObject(h)
	}
	r.forgetBrokenIndexLocked(err)
	if errors.Is(err, plumbing.ErrObjectNotFound) && sure {
		// Before saying an object is not there, look again with an index
		// read now: a view of the packs that missed one must never refuse
		// a push whose pack is installed.
		r.reloadLocked()
		err = r.st.HasEncodedObject(h)
	}
	if errors.Is(err, plumbing.ErrObjectNotFound) {
		return false, nil
	}
	return err == nil, err
}

// objectSize returns an object's size without reading its content.
func (r *Repo) objectSize(h plumbing.Hash) (int64, error) {
	if o, ok := r.cache.Get(h); ok {
		return o.Size(), nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.st == nil {
		return 0, errClosed
	}
	if m, ok := r.fresh[h]; ok {
		return m.Size(), nil
	}
	size, err := r.st.EncodedObjectSize(h)
	r.forgetBrokenIndexLocked(err)
	return size, err
}
