package gitpack

import "errors"

// maxDeltaChain stops a corrupt pack whose REF_DELTA bases form a cycle.
const maxDeltaChain = 10000

// deltaLink is one delta waiting for its base to be resolved.
type deltaLink struct {
	p     *PackFile
	off   int64
	start int64 // zlib data
	end   int64
	size  int64
}

// readPacked returns the full content of the entry at off, resolving its
// delta chain. Resolved objects are cached, so walking many versions of a
// tree that delta against each other inflates each version once.
func (s *ObjectStore) readPacked(p *PackFile, off int64) (int, []byte, error) {
	if s.cache == nil { // read after Close
		s.cache = getDeltaCache()
	}
	var chain []deltaLink
	var typ int
	var data []byte
	for {
		if t, d, ok := s.cache.get(p, off); ok {
			typ, data = t, d
			break
		}
		h, err := s.readEntryHeader(p, off)
		if err != nil {
			return 0, nil, err
		}
		pos, ok := p.posAtOffset(off)
		if !ok {
			return 0, nil, packCorrupt(p.Path, errors.New("offset is not an entry"))
		}
		link := deltaLink{p: p, off: off, start: off + int64(h.hdrLen), end: p.entryEnd(pos), size: h.size}
		if h.typ <= ObjTag {
			typ = h.typ
			data, err = s.inflateWhole(link, typ, len(chain) > 0)
			if err != nil {
				return 0, nil, err
			}
			break
		}
		if len(chain) >= maxDeltaChain {
			return 0, nil, packCorrupt(p.Path, errors.New("delta chain too long"))
		}
		chain = append(chain, link)
		if h.typ == objOfsDelta {
			off = h.baseOff
			continue
		}
		bp, bpos, ok := s.locate(h.baseHash)
		if !ok {
			// A base outside every pack can only be loose.
			typ, data, err = s.readLoose(h.baseHash)
			if err != nil {
				return 0, nil, packCorrupt(p.Path, errors.New("delta base "+h.baseHash.String()+" missing"))
			}
			break
		}
		p, off = bp, bp.offsetAt(bpos)
	}
	for i := len(chain) - 1; i >= 0; i-- {
		l := chain[i]
		delta, err := s.inflateEntry(l.p, l.start, l.end, l.size, s.dbuf)
		if err != nil {
			return 0, nil, err
		}
		s.dbuf = delta
		data, err = applyPackDeltaTo(s.cache.alloc(int(deltaTargetSize(delta))), data, delta)
		if err != nil {
			return 0, nil, packCorrupt(l.p.Path, err)
		}
		s.cache.put(l.p, l.off, typ, data)
	}
	return typ, data, nil
}

// inflateWhole inflates a whole (undeltified) entry. It is cached when it
// may serve as a delta base: when a delta named it, or when it is a tree,
// blob or tag, whose next versions delta against it. A commit read for
// itself (a walk reads thousands, each once) goes into the store's scratch
// buffer instead, so that it neither evicts bases nor makes garbage.
func (s *ObjectStore) inflateWhole(l deltaLink, typ int, isBase bool) ([]byte, error) {
	if !isBase && typ == ObjCommit {
		data, err := s.inflateEntry(l.p, l.start, l.end, l.size, s.wbuf)
		if err == nil {
			s.wbuf = data
		}
		return data, err
	}
	data, err := s.inflateEntry(l.p, l.start, l.end, l.size, s.cache.alloc(int(l.size)))
	if err == nil {
		s.cache.put(l.p, l.off, typ, data)
	}
	return data, err
}

var errBadDelta = errors.New("invalid delta")

// applyPackDelta builds the target of a git delta (a source size, a target size,
// then copy-from-base and insert instructions) into a new slice.
func applyPackDelta(base, delta []byte) ([]byte, error) {
	return applyPackDeltaTo(nil, base, delta)
}

// applyPackDeltaTo is applyPackDelta writing into dst's memory when it is
// large enough.
func applyPackDeltaTo(dst, base, delta []byte) ([]byte, error) {
	srcSize, delta, ok := deltaVarint(delta)
	if !ok || srcSize != uint64(len(base)) {
		return nil, errBadDelta
	}
	dstSize, delta, ok := deltaVarint(delta)
	if !ok || dstSize > maxObjectSize {
		return nil, errBadDelta
	}
	out := dst[:0]
	if uint64(cap(dst)) < dstSize {
		out = make([]byte, 0, dstSize)
	}
	for len(delta) > 0 {
		cmd := delta[0]
		delta = delta[1:]
		if cmd&0x80 == 0 {
			n := int(cmd)
			if n == 0 || n > len(delta) {
				return nil, errBadDelta
			}
			out = append(out, delta[:n]...)
			delta = delta[n:]
			continue
		}
		var off, size uint64
		for i := range 4 {
			if cmd&(1<<i) != 0 {
				if len(delta) == 0 {
					return nil, errBadDelta
				}
				off |= uint64(delta[0]) << (8 * i)
				delta = delta[1:]
			}
		}
		for i := range 3 {
			if cmd&(0x10<<i) != 0 {
				if len(delta) == 0 {
					return nil, errBadDelta
				}
				size |= uint64(delta[0]) << (8 * i)
				delta = delta[1:]
			}
		}
		if size == 0 {
			size = 0x10000
		}
		if off+size > uint64(len(base)) {
			return nil, errBadDelta
		}
		out = append(out, base[off:off+size]...)
	}
	if uint64(len(out)) != dstSize {
		return nil, errBadDelta
	}
	return out, nil
}

func deltaVarint(b []byte) (uint64, []byte, bool) {
	var v uint64
	for i, shift := 0, 0; i < len(b) && shift < 64; i, shift = i+1, shift+7 {
		v |= uint64(b[i]&0x7f) << shift
		if b[i]&0x80 == 0 {
			return v, b[i+1:], true
		}
	}
	return 0, nil, false
}
