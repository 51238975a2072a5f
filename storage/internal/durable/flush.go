package durable

import (
	"errors"
	"os"
	"sync"
)

// FlushTogether fsyncs every file (and directory) at once, one goroutine
// each, and returns when all are on disk. Issued together, the fsyncs of
// one update share the file system's journal commits (ext4 and xfs commit
// one transaction for every fsync waiting on it), and so do the fsyncs of
// updates running at the same time in other wikis: a group commit the
// kernel does for us, flushing only these files — unlike syncfs(2), which
// writes back every dirty page of the file system, the neighbours' too.
//
// Writeback of every file is started first (startWriteback), so that their
// blocks are allocated in one journal transaction and one commit covers
// them all.
func FlushTogether(files []*os.File) error {
	switch len(files) {
	case 0:
		return nil
	case 1:
		return files[0].Sync()
	}
	for _, f := range files {
		startWriteback(f)
	}
	errs := make([]error, len(files))
	var wg sync.WaitGroup
	for i, f := range files[1:] {
		wg.Go(func() { errs[i+1] = f.Sync() })
	}
	errs[0] = files[0].Sync()
	wg.Wait()
	return errors.Join(errs...)
}
