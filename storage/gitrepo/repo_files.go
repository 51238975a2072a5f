package gitrepo

import (
	"os"

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

// closeAll closes files whose fsync is done (or moot).
func closeAll(files []*os.File) {
	for _, f := range files {
		f.Close()
	}
}
