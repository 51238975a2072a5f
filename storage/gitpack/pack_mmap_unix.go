//go:build unix

package gitpack

import (
	"os"
	"syscall"
)

// mapPack maps a whole pack file read-only. Packs are never modified in
// place (a repack writes new files and unlinks the old ones, which stay
// mapped), so the mapping stays valid for the request.
func mapPack(f *os.File, size int64) ([]byte, error) {
	if size <= 0 || size != int64(int(size)) {
		return nil, nil
	}
	return syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
}

func unmapPack(b []byte) error {
	if b == nil {
		return nil
	}
	return syscall.Munmap(b)
}
