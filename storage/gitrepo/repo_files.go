package gitrepo

import (
	"bytes"
	"compress/zlib"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/warren-wiki/warren/storage/internal/durable"
)

// Durable file writing. A crash at any instant must lose no acknowledged
// write, so every file is fsynced before it is renamed into place and the
// directory is fsynced after the rename.

// syncRootDir is syncDir inside the repository's root.
func (r *Repo) syncRootDir(name string) error {
	if r.noSync {
		return nil
	}
	f, err := r.root.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// writeSynced writes data to an open file, fsyncs and closes it; on error the
// file is closed and removed.
func (r *Repo) writeSynced(f *os.File, name string, data []byte) error {
	return r.writeClose(f, name, data, !r.noSync)
}

// writeClose writes data to an open file, fsyncs it if sync, and closes it;
// on error the file is closed and removed.
func (r *Repo) writeClose(f *os.File, name string, data []byte, sync bool) error {
	_, err := f.Write(data)
	if err == nil && sync {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		r.root.Remove(name)
	}
	return err
}

// looseObject is one object a commit is about to write.
type looseObject struct {
	hash plumbing.Hash
	typ  plumbing.ObjectType
	data []byte
}

// writeLooseObjects stores objects as loose files the way git does (zlib of
// "type size\0content" at objects/xx/yyyy…), each fsynced, then fsyncs every
// directory touched, so that all of them are durable before any ref names
// them. Objects already present are skipped. With barrierLater nothing is
// fsynced here: the caller promises an fsBarrier before any ref names them.
func (r *Repo) writeLooseObjects(objs []looseObject, barrierLater bool) error {
	dirs := map[string]bool{}
	// Level 1, as git writes loose objects (core.looseCompression): a
	// default-level writer clears over half a MiB of tables per object.
	zw, _ := zlib.NewWriterLevel(nil, zlib.BestSpeed)
	for _, o := range objs {
		if ok, err := r.HasObject(o.hash); err != nil {
			return err
		} else if ok {
			continue
		}
		dir, err := r.writeLoose(zw, o, !barrierLater && !r.noSync)
		if err != nil {
			return fmt.Errorf("write object %s: %w", o.hash, err)
		}
		dirs[dir] = true
	}
	if len(dirs) == 0 || barrierLater {
		return nil
	}
	for dir := range dirs {
		if err := r.syncRootDir(dir); err != nil {
			return err
		}
	}
	return r.syncRootDir("objects")
}

func (r *Repo) writeLoose(zw *zlib.Writer, o looseObject, sync bool) (string, error) {
	hex := o.hash.String()
	dir := path.Join("objects", hex[:2])
	if err := r.root.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return "", err
	}
	var buf bytes.Buffer
	zw.Reset(&buf)
	fmt.Fprintf(zw, "%s %d\x00", o.typ, len(o.data))
	zw.Write(o.data)
	if err := zw.Close(); err != nil {
		return "", err
	}
	tmp := path.Join(dir, "tmp_obj_"+rand.Text())
	f, err := r.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o444)
	if err != nil {
		return "", err
	}
	if err := r.writeClose(f, tmp, buf.Bytes(), sync); err != nil {
		return "", err
	}
	if err := r.root.Rename(tmp, path.Join(dir, hex[2:])); err != nil {
		r.root.Remove(tmp)
		return "", err
	}
	return dir, nil
}

// fsBarrier makes everything written so far durable with one syncfs(2) of
// the repository's file system. A commit writes its objects and its ref's
// lock file without fsync, then passes this barrier before the lock is
// renamed over the ref: objects are durable before the ref moves, as with
// an fsync per file, for the price of one flush instead of seven. Used only
// where haveSyncFS.
func (r *Repo) fsBarrier() error { return durable.SyncTrees([]string{r.dir}) }
