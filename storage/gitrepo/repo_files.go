package gitrepo

import (
	"os"
	"sync"

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

// syncDirStart starts an fsync of dir on its own goroutine and returns
// the wait for its result.
func (r *Repo) syncDirStart(dir *os.Root) func() error {
	if r.noSync {
		return noWait
	}
	f, err := dir.Open(".")
	if err != nil {
		return func() error { return err }
	}
	done := make(chan error, 1)
	go func() {
		done <- f.Sync()
		f.Close()
	}()
	return sync.OnceValue(func() error { return <-done })
}

// writeFlushed writes data to an open file and closes it, fsyncing it
// first together with pending (files the new content depends on; see
// casRef), while during (if not nil) runs. On error the file is closed
// and removed (name is below dir).
func (r *Repo) writeFlushed(dir *os.Root, f *os.File, name string, data []byte, pending []*os.File, during func()) error {
	_, err := f.Write(data)
	if err == nil {
		err = r.flushWhile(append(pending, f), during)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		dir.Remove(name)
	}
	return err
}

// flushWhile flushes files together while during runs beside it.
func (r *Repo) flushWhile(files []*os.File, during func()) error {
	switch {
	case r.noSync && during != nil:
		during()
		return nil
	case r.noSync:
		return nil
	case during == nil:
		return durable.FlushTogether(files)
	}
	done := make(chan error, 1)
	go func() { done <- durable.FlushTogether(files) }()
	during()
	return <-done
}

// closeAll closes files whose fsync is done (or moot).
func closeAll(files []*os.File) {
	for _, f := range files {
		f.Close()
	}
}
