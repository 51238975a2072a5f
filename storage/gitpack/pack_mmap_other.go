//go:build !unix

package gitpack

import "os"

// mapPack is unavailable here: packs are read with ReadAt instead.
func mapPack(f *os.File, size int64) ([]byte, error) { return nil, nil }

func unmapPack(b []byte) error { return nil }
