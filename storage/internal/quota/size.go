package quota

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

// Size is a repository's size on disk as the byte quota sees it: measured
// at most once a minute and estimated in between. The zero Size is
// unknown, and measures on first use.
type Size struct {
	mu    sync.Mutex
	n     int64
	at    time.Time
	known bool
}

// Bytes returns the size of the repository in dir, measuring it if
// unknown or stale.
func (s *Size) Bytes(dir string, now time.Time) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.known && now.Sub(s.at) < repoSizeTTL {
		return s.n, nil
	}
	n, err := DirBytes(dir)
	if err != nil {
		return 0, err
	}
	s.n, s.at, s.known = n, now, true
	return n, nil
}

// Grew adds what a commit wrote to a known size.
func (s *Size) Grew(n int64) {
	s.mu.Lock()
	s.n += n
	s.mu.Unlock()
}

// Forget makes the next check measure again, after the repository
// changed behind the estimate (a push, a repack).
func (s *Size) Forget() {
	s.mu.Lock()
	s.known = false
	s.mu.Unlock()
}

// DirBytes is the total size of the regular files under dir: a
// repository's size on disk.
func DirBytes(dir string) (int64, error) {
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
