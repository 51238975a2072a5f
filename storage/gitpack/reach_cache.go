package gitpack

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"os"
	"path/filepath"
	"slices"

	"github.com/go-git/go-git/v5/plumbing"
)

// The reachability record spares repeated full clones the object walk,
// the way git's bitmaps do: what a set of commits reaches never changes
// (objects are named by their content), so the result of one full
// enumeration, kept with the wants it was computed for, answers every
// later request for exactly those wants. A push that moves a ref makes the
// next clone want a different tip, which misses the record and replaces
// it; nothing has to invalidate it. One record per repository (the last
// full enumeration) bounds the disk it takes to about 20 bytes an object.
// It is a cache: written without fsync, checked by its own checksum, and
// ignored (then rewritten) when damaged, when it names other wants, or when
// an object it lists is missing.

// ReachFile is the record's name in the repository directory.
const ReachFile = "warren-reach.cache"

var reachMagic = []byte("WRCH\x00\x00\x00\x01")

// reachPath is the record of the repository whose objects are in s.
func (s *ObjectStore) reachPath() string {
	return filepath.Join(filepath.Dir(s.objDir), ReachFile)
}

// reachKey is the wants in a canonical order, without duplicates.
func reachKey(wants []plumbing.Hash) []plumbing.Hash {
	k := slices.Clone(wants)
	slices.SortFunc(k, func(a, b plumbing.Hash) int { return bytes.Compare(a[:], b[:]) })
	return slices.Compact(k)
}

// loadReach returns the recorded objects if the record is intact and for
// exactly wants.
func (s *ObjectStore) loadReach(wants []plumbing.Hash) ([]plumbing.Hash, bool) {
	b, err := os.ReadFile(s.reachPath())
	if err != nil {
		return nil, false
	}
	list, key, ok := decodeReach(b)
	if !ok || !slices.Equal(key, reachKey(wants)) {
		return nil, false
	}
	return list, true
}

// decodeReach parses a record: magic, key and object counts, the key, the
// objects, and a SHA-1 of everything before it.
func decodeReach(b []byte) (list, key []plumbing.Hash, ok bool) {
	const head = 8 + 4 + 4
	if len(b) < head+sha1.Size || !bytes.Equal(b[:8], reachMagic) {
		return nil, nil, false
	}
	body := b[:len(b)-sha1.Size]
	if sum := sha1.Sum(body); !bytes.Equal(sum[:], b[len(body):]) {
		return nil, nil, false
	}
	nk, no := binary.BigEndian.Uint32(b[8:]), binary.BigEndian.Uint32(b[12:])
	if uint64(len(body)) != head+20*(uint64(nk)+uint64(no)) {
		return nil, nil, false
	}
	hashes := make([]plumbing.Hash, nk+no)
	for i := range hashes {
		copy(hashes[i][:], body[head+20*i:])
	}
	return hashes[nk:], hashes[:nk], true
}

// saveReach records list as what wants reach, replacing any earlier
// record at once (a reader sees the old record or the new one).
func (s *ObjectStore) saveReach(wants, list []plumbing.Hash) error {
	key := reachKey(wants)
	b := make([]byte, 0, 16+20*(len(key)+len(list))+sha1.Size)
	b = append(b, reachMagic...)
	b = binary.BigEndian.AppendUint32(b, uint32(len(key)))
	b = binary.BigEndian.AppendUint32(b, uint32(len(list)))
	for _, h := range append(key, list...) {
		b = append(b, h[:]...)
	}
	sum := sha1.Sum(b)
	b = append(b, sum[:]...)
	path := s.reachPath()
	f, err := os.CreateTemp(filepath.Dir(path), ReachFile+".tmp-*")
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// EnumerateAll is Enumerate for a request that has nothing (no haves, no
// shallow boundary): it answers from the reachability record when the
// record is for exactly these wants and every object it lists is still
// here, and otherwise walks and records the result. It reports whether the
// record answered.
func (w *ObjectWalk) EnumerateAll(wants []plumbing.Hash) (bool, error) {
	if list, ok := w.Store.loadReach(wants); ok && w.allPresent(list) {
		m := make(map[plumbing.Hash]uint8, len(list))
		w.Send, w.Theirs = &ObjSet{in: m, bit: 1, List: make([]plumbing.Hash, 0, len(list))}, &ObjSet{in: m, bit: 2}
		for _, h := range list {
			w.Send.Add(h)
		}
		return true, nil
	}
	if err := w.Enumerate(wants, nil); err != nil {
		return false, err
	}
	_ = w.Store.saveReach(wants, w.Send.List) // a cache: a failed write costs the next clone a walk
	return false, nil
}

// allPresent reports whether the store holds every object of list.
func (w *ObjectWalk) allPresent(list []plumbing.Hash) bool {
	for i, h := range list {
		if i&1023 == 0 && w.Ctx.Err() != nil {
			return false
		}
		if !w.Store.Has(h) {
			return false
		}
	}
	return true
}
