package gitpack

import (
	"bufio"
	"compress/zlib"
	"crypto/sha1"
	"fmt"
	"io"
	"slices"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
)

// The second pass over a pack (git's index-pack) gives every delta its
// object: starting from each entry stored whole, it applies the deltas
// based on it, then the deltas based on those, depth first, so any order of
// entries works (a REF_DELTA may name a base that is itself a delta stored
// later). Only objects that are bases are inflated; an object's content is
// kept only while deltas based on it remain, so a chain costs two objects
// of memory, not its length.

// maxDeltaDepth is git's own bound on delta chains.
const maxDeltaDepth = 4095

// deltaResolver is one run of the second pass.
type deltaResolver struct {
	file    io.ReaderAt
	scan    *packScan
	ofsKids map[int64][]int         // base offset → delta entries
	refKids map[plumbing.Hash][]int // base id → delta entries
	seen    map[plumbing.Hash]bool
	done    int
	held    int64 // bytes of bases kept for deltas still to apply
	maxHeld int64
	zr      io.ReadCloser
	br      *bufio.Reader
	scratch []byte   // the last delta's data
	free    [][]byte // object buffers to reuse (getBuf, putBuf)
}

// resolveDeltas fills in id, type and size of every delta entry; it fails
// if a delta does not apply, a base is missing or an object repeats.
func resolveDeltas(file io.ReaderAt, scan *packScan, maxHeld int64) error {
	r := &deltaResolver{
		file: file, scan: scan, maxHeld: maxHeld,
		ofsKids: map[int64][]int{}, refKids: map[plumbing.Hash][]int{}, seen: map[plumbing.Hash]bool{},
	}
	defer func() {
		if r.zr != nil {
			r.zr.Close()
		}
	}()
	for i := range scan.entries {
		switch e := &scan.entries[i]; e.typ {
		case plumbing.OFSDeltaObject:
			r.ofsKids[e.baseOff] = append(r.ofsKids[e.baseOff], i)
		case plumbing.REFDeltaObject:
			r.refKids[e.baseID] = append(r.refKids[e.baseID], i)
		}
	}
	for i := range scan.entries {
		if e := &scan.entries[i]; !e.isDelta() {
			if err := r.resolved(i, nil, 0); err != nil {
				return err
			}
		}
	}
	if r.done != len(scan.entries) {
		return r.unresolved()
	}
	return nil
}

// resolved records entry i as done and applies the deltas based on it.
// content is the object's content, nil if it has not been read.
func (r *deltaResolver) resolved(i int, content []byte, depth int) error {
	e := &r.scan.entries[i]
	if r.seen[e.id] {
		return unpackErrorf("the pack holds object %s twice", e.id)
	}
	r.seen[e.id] = true
	r.done++
	kids := slices.Concat(r.ofsKids[e.off], r.refKids[e.id])
	if len(kids) == 0 {
		r.putBuf(content) // a leaf: its content was needed only for its id
		return nil
	}
	if depth >= maxDeltaDepth {
		return unpackErrorf("a delta chain is longer than %d", maxDeltaDepth)
	}
	if content == nil {
		var err error
		if content, err = r.inflateInto(e, r.getBuf(e.size)); err != nil {
			return err
		}
	}
	held := int64(len(content))
	if r.held += held; r.held > r.maxHeld {
		return unpackErrorf("the pack's delta chains need more than %s of memory", ByteSize(r.maxHeld))
	}
	for k, c := range kids {
		out, err := r.apply(content, &r.scan.entries[c], e.objType)
		if err != nil {
			return err
		}
		if k == len(kids)-1 {
			r.putBuf(content) // the last delta: the base is no longer needed
			content, r.held = nil, r.held-held
		}
		if err := r.resolved(c, out, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// apply builds delta entry d's object from its base.
func (r *deltaResolver) apply(base []byte, d *packEntry, typ plumbing.ObjectType) ([]byte, error) {
	delta, err := r.inflateInto(d, r.scratch)
	if err != nil {
		return nil, err
	}
	r.scratch = delta // a delta is done with once applied: its buffer is reused
	out, err := applyPackDeltaTo(r.getBuf(deltaTargetSize(delta)), base, delta)
	if err != nil {
		return nil, unpackErrorf("the delta at offset %d does not apply to its base", d.off)
	}
	h := sha1.New()
	fmt.Fprintf(h, "%s %d\x00", typ, len(out))
	h.Write(out)
	d.id, d.objType, d.objSize = plumbing.Hash(h.Sum(nil)), typ, int64(len(out))
	return out, nil
}

// inflateInto reads an entry's stored data into buf, grown as needed.
func (r *deltaResolver) inflateInto(e *packEntry, buf []byte) ([]byte, error) {
	sr := io.NewSectionReader(r.file, e.dataOff, r.scan.size-20-e.dataOff)
	if r.br == nil {
		r.br = bufio.NewReaderSize(sr, 64<<10)
	} else {
		r.br.Reset(sr)
	}
	var err error
	if r.zr == nil {
		r.zr, err = zlib.NewReader(r.br)
	} else {
		err = r.zr.(zlib.Resetter).Reset(r.br, nil)
	}
	if err != nil {
		return nil, unpackErrorf("the entry at offset %d is corrupt", e.off)
	}
	if int64(cap(buf)) < e.size {
		buf = make([]byte, e.size)
	}
	buf = buf[:e.size]
	if _, err := io.ReadFull(r.zr, buf); err != nil {
		return nil, unpackErrorf("the entry at offset %d is corrupt", e.off)
	}
	return buf, nil
}

// maxFreeBufs bounds the object buffers kept for reuse.
const maxFreeBufs = 8

// getBuf returns a buffer of capacity at least n for an object, reusing one
// released earlier: resolving many versions of a large file then costs a
// few buffers of its size, not one per version, and the heap stays flat.
func (r *deltaResolver) getBuf(n int64) []byte {
	for i, b := range r.free {
		if int64(cap(b)) >= n {
			r.free = slices.Delete(r.free, i, i+1)
			return b[:0]
		}
	}
	return nil
}

// putBuf gives back a buffer no longer needed; the smallest goes when
// there are too many.
func (r *deltaResolver) putBuf(b []byte) {
	if cap(b) == 0 {
		return
	}
	r.free = append(r.free, b)
	if len(r.free) > maxFreeBufs {
		i := 0
		for j, f := range r.free {
			if cap(f) < cap(r.free[i]) {
				i = j
			}
		}
		r.free = slices.Delete(r.free, i, i+1)
	}
}

// deltaTargetSize reads the result size from a delta's header; 0 if it is
// malformed (applying it then fails).
func deltaTargetSize(delta []byte) int64 {
	_, rest, ok := deltaVarint(delta)
	if !ok {
		return 0
	}
	n, _, ok := deltaVarint(rest)
	if !ok || n > maxObjectSize {
		return 0
	}
	return int64(n)
}

// unresolved explains the first delta whose base never appeared.
func (r *deltaResolver) unresolved() error {
	for i := range r.scan.entries {
		e := &r.scan.entries[i]
		if e.isDelta() && e.id.IsZero() {
			if e.typ == plumbing.REFDeltaObject {
				return unpackErrorf("the pack has a delta against %s, which neither it nor the repository has", e.baseID)
			}
			return unpackErrorf("the delta at offset %d has no base", e.off)
		}
	}
	return unpackErrorf("the pack's deltas do not resolve")
}

// buildIndex makes the .idx of a resolved pack.
func buildIndex(scan *packScan) (*idxfile.MemoryIndex, error) {
	w := new(idxfile.Writer)
	w.OnHeader(uint32(len(scan.entries)))
	for i := range scan.entries {
		e := &scan.entries[i]
		w.Add(e.id, uint64(e.off), e.crc)
	}
	if err := w.OnFooter(scan.sum); err != nil {
		return nil, err
	}
	return w.Index()
}
