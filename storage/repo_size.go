package storage

import (
	"errors"
	"io/fs"
	"path/filepath"
	"sync"
	"time"
)

// repoSizeTTL is how long a measured repository size is trusted. Walking
// the object directories costs a few hundred system calls, too much for
// every save; in between, each commit adds what it wrote.
const repoSizeTTL = time.Minute

// repoSize is the wiki's repository size on disk as the byte quota sees
// it: measured at most once a minute and estimated in between.
type repoSize struct {
	mu    sync.Mutex
	n     int64
	at    time.Time
	known bool
}

// bytes returns the size, measuring it if unknown or stale.
func (s *repoSize) bytes(dir string, now time.Time) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.known && now.Sub(s.at) < repoSizeTTL {
		return s.n, nil
	}
	n, err := dirBytes(dir)
	if err != nil {
		return 0, err
	}
	s.n, s.at, s.known = n, now, true
	return n, nil
}

// grew adds what a commit wrote to a known size.
func (s *repoSize) grew(n int64) {
	s.mu.Lock()
	s.n += n
	s.mu.Unlock()
}

// forget makes the next check measure again.
func (s *repoSize) forget() {
	s.mu.Lock()
	s.known = false
	s.mu.Unlock()
}

// dirBytes is the total size of the regular files under dir.
func dirBytes(dir string) (int64, error) {
	var total int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil // a repack removed it meanwhile
		} else if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		} else if err != nil {
			return err
		}
		total += info.Size()
		return nil
	})
	return total, err
}
