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

// writeFlushed writes data to an open file and closes it, fsyncing it
// first together with pending (files the new content depends on; see
// casRef). On error the file is closed and removed.
func (r *Repo) writeFlushed(f *os.File, name string, data []byte, pending []*os.File) error {
	_, err := f.Write(data)
	if err == nil && !r.noSync {
		err = durable.FlushTogether(append(pending, f))
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
// "type size\0content" at objects/xx/yyyy…), renamed into place unsynced,
// and returns them open, with the directories whose entries changed, for
// the caller to fsync before any ref names them (casRef's pending). Objects
// already present are skipped. The caller closes what it gets, also on
// error.
func (r *Repo) writeLooseObjects(objs []looseObject) ([]*os.File, error) {
	var pending []*os.File
	dirs := map[string]bool{}
	// Level 1, as git writes loose objects (core.looseCompression): a
	// default-level writer clears over half a MiB of tables per object.
	zw, _ := zlib.NewWriterLevel(nil, zlib.BestSpeed)
	for _, o := range objs {
		if ok, err := r.HasObject(o.hash); err != nil {
			return pending, err
		} else if ok {
			continue
		}
		f, dir, newDir, err := r.writeLoose(zw, o)
		if err != nil {
			return pending, fmt.Errorf("write object %s: %w", o.hash, err)
		}
		pending = append(pending, f)
		dirs[dir] = true
		dirs["objects"] = dirs["objects"] || newDir
	}
	for dir, changed := range dirs {
		if !changed {
			continue
		}
		d, err := r.root.Open(dir)
		if err != nil {
			return pending, err
		}
		pending = append(pending, d)
	}
	return pending, nil
}

// writeLoose writes one object to a temporary file and renames it into
// place; it returns the file, still open, its directory, and whether that
// directory was created.
func (r *Repo) writeLoose(zw *zlib.Writer, o looseObject) (*os.File, string, bool, error) {
	hex := o.hash.String()
	dir := path.Join("objects", hex[:2])
	err := r.root.Mkdir(dir, 0o755)
	newDir := err == nil
	if err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, "", false, err
	}
	var buf bytes.Buffer
	zw.Reset(&buf)
	fmt.Fprintf(zw, "%s %d\x00", o.typ, len(o.data))
	zw.Write(o.data)
	if err := zw.Close(); err != nil {
		return nil, "", false, err
	}
	tmp := path.Join(dir, "tmp_obj_"+rand.Text())
	f, err := r.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o444)
	if err != nil {
		return nil, "", false, err
	}
	if _, err := f.Write(buf.Bytes()); err != nil {
		f.Close()
		r.root.Remove(tmp)
		return nil, "", false, err
	}
	if err := r.root.Rename(tmp, path.Join(dir, hex[2:])); err != nil {
		f.Close()
		r.root.Remove(tmp)
		return nil, "", false, err
	}
	return f, dir, newDir, nil
}

// closeAll closes files whose fsync is done (or moot).
func closeAll(files []*os.File) {
	for _, f := range files {
		f.Close()
	}
}
