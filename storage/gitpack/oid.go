package gitpack

import (
	"encoding/hex"

	"github.com/go-git/go-git/v5/plumbing"
)

// parseOID parses a full 40-digit object id (either case).
func ParseOID(s string) (plumbing.Hash, bool) {
	var h plumbing.Hash
	if len(s) != 2*len(h) {
		return h, false
	}
	if _, err := hex.Decode(h[:], []byte(s)); err != nil {
		return plumbing.ZeroHash, false
	}
	return h, true
}

func IsHexID(s string) bool {
	if len(s) != 40 {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
