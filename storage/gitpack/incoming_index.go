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
	scratch []byte // the last delta's data
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
		return nil
	}
	if depth >= maxDeltaDepth {
		return unpackErrorf("a delta chain is longer than %d", maxDeltaDepth)
	}
	if content == nil {
		var err error
		if content, err = r.inflate(e); err != nil {
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
			content, r.held = nil, r.held-held // the last delta: the base is no longer needed
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
	out, err := applyPackDelta(base, delta)
	if err != nil {
		return nil, unpackErrorf("the delta at offset %d does not apply to its base", d.off)
	}
	h := sha1.New()
	fmt.Fprintf(h, "%s %d\x00", typ, len(out))
	h.Write(out)
	d.id, d.objType, d.objSize = plumbing.Hash(h.Sum(nil)), typ, int64(len(out))
	return out, nil
}

// inflate reads an entry's stored data into a new buffer.
func (r *deltaResolver) inflate(e *packEntry) ([]byte, error) {
	return r.inflateInto(e, nil)
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
