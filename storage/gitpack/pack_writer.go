package gitpack

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"context"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"hash"
	"hash/crc32"
	"io"
	"os"
	"slices"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/warren-wiki/warren/wiki"
)

// packStats counts what a pack was made of, for the closing progress line.
type packStats struct {
	Total, Deltas, Reused, ReusedDeltas int
}

// packWriter streams a pack for a set of objects. Entries found in the
// repository's packs are copied verbatim (header and zlib data), with only
// the base offset of an OFS_DELTA rewritten for its new position; a delta
// whose base is not sent becomes a REF_DELTA when the client has the base
// (thin-pack), or is resolved and sent whole. Loose objects are
// compressed on the way. Memory stays at one entry plus the offset maps.
type PackWriter struct {
	Ctx      context.Context
	Store    *ObjectStore
	Out      io.Writer
	sum      hash.Hash
	written  int64
	OfsDelta bool    // the client accepts OFS_DELTA
	Thin     bool    // the client accepts deltas against objects it has
	Send     *ObjSet // what is being sent
	Theirs   *ObjSet // what the client has
	Stats    packStats
	zw       *zlib.Writer
}

// reuseLimit is the largest entry read into memory whole; larger ones are
// streamed.
const reuseLimit = 4 << 20

// write sends the pack: header, entries grouped by pack in offset order (so
// every OFS_DELTA base precedes its delta), loose objects, checksum.
func (pw *PackWriter) Write() error {
	pw.sum = sha1.New()
	byPack := map[*PackFile][]int{}
	var loose []plumbing.Hash
	for _, h := range pw.Send.List {
		p, pos, ok := pw.Store.locate(h)
		if !ok && !pw.Store.Has(h) {
			return wiki.Errorf(wiki.EINTERNAL, "object %s vanished from the repository", h)
		}
		if !ok {
			if p, pos, ok = pw.Store.locate(h); !ok {
				loose = append(loose, h)
				continue
			}
		}
		byPack[p] = append(byPack[p], pos)
	}
	var hdr [12]byte
	copy(hdr[:], "PACK")
	binary.BigEndian.PutUint32(hdr[4:], 2)
	binary.BigEndian.PutUint32(hdr[8:], uint32(len(pw.Send.List)))
	if err := pw.emit(hdr[:]); err != nil {
		return err
	}
	for _, p := range pw.Store.Packs {
		if positions := byPack[p]; len(positions) > 0 {
			if err := pw.copyFromPack(p, positions); err != nil {
				return err
			}
		}
	}
	for _, h := range loose {
		if err := pw.writeLoose(h); err != nil {
			return err
		}
		pw.Stats.Total++
	}
	_, err := pw.Out.Write(pw.sum.Sum(nil))
	return err
}

// emit writes pack bytes, hashing them.
func (pw *PackWriter) emit(b []byte) error {
	pw.sum.Write(b)
	pw.written += int64(len(b))
	_, err := pw.Out.Write(b)
	return err
}

// copyFromPack writes the chosen entries of one pack in offset order.
func (pw *PackWriter) copyFromPack(p *PackFile, positions []int) error {
	p.sortByOffset()
	slices.SortFunc(positions, func(a, b int) int { return int(p.rank[a]) - int(p.rank[b]) })
	newPos := make(map[int64]int64, len(positions)) // old offset → offset in the new pack
	rd := &seqReader{p: p}
	for i, pos := range positions {
		if i&255 == 0 {
			if err := pw.Ctx.Err(); err != nil {
				return err
			}
		}
		off, end := p.offsetAt(pos), p.entryEnd(pos)
		at := pw.written
		if err := pw.copyEntry(rd, p, pos, off, end, newPos); err != nil {
			return err
		}
		newPos[off] = at
		pw.Stats.Total++
	}
	return nil
}

// copyEntry writes one entry, reusing its bytes whenever the client can
// take them as they are.
func (pw *PackWriter) copyEntry(rd *seqReader, p *PackFile, pos int, off, end int64, newPos map[int64]int64) error {
	if end-off > reuseLimit {
		return pw.streamEntry(rd, p, pos, off, end)
	}
	raw, err := rd.read(off, end)
	if err != nil {
		return err
	}
	if crc32.ChecksumIEEE(raw) != p.crcAt(pos) {
		return pw.writeWhole(p, off) // damaged copy: rebuild (or fail) from the inflated object
	}
	h, err := parsePackEntryHeader(raw, off)
	if err != nil {
		return err
	}
	data := raw[h.hdrLen:]
	switch h.typ {
	case objOfsDelta:
		if at, ok := newPos[h.baseOff]; ok {
			pw.Stats.Deltas++
			pw.Stats.ReusedDeltas++
			pw.Stats.Reused++
			if pw.OfsDelta {
				return pw.emitParts(raw[:h.typeLen], encodeOfs(pw.written-at), data)
			}
			basePos, _ := p.posAtOffset(h.baseOff)
			base := p.HashAt(basePos)
			return pw.emitParts(encodeTypeSize(objRefDelta, h.size), base[:], data)
		}
		basePos, ok := p.posAtOffset(h.baseOff)
		if !ok {
			return packCorrupt(p.Path, errors.New("delta base offset is not an entry"))
		}
		if base := p.HashAt(basePos); pw.Thin && pw.Theirs.Has(base) {
			pw.Stats.Deltas++
			pw.Stats.ReusedDeltas++
			pw.Stats.Reused++
			return pw.emitParts(encodeTypeSize(objRefDelta, h.size), base[:], data)
		}
		return pw.writeWhole(p, off)
	case objRefDelta:
		if pw.Send.Has(h.baseHash) || (pw.Thin && pw.Theirs.Has(h.baseHash)) {
			pw.Stats.Deltas++
			pw.Stats.ReusedDeltas++
			pw.Stats.Reused++
			return pw.emit(raw)
		}
		return pw.writeWhole(p, off)
	}
	pw.Stats.Reused++
	return pw.emit(raw)
}

// streamEntry copies a large entry without holding it: whole objects only
// (a large delta is rebuilt whole, which is rare and still correct).
func (pw *PackWriter) streamEntry(rd *seqReader, p *PackFile, pos int, off, end int64) error {
	h, err := pw.Store.readEntryHeader(p, off)
	if err != nil {
		return err
	}
	if h.typ > ObjTag {
		return pw.writeWhole(p, off)
	}
	crc := crc32.NewIEEE()
	for o := off; o < end; {
		n := min(end-o, 64<<10)
		chunk, err := rd.read(o, o+n)
		if err != nil {
			return err
		}
		crc.Write(chunk)
		if err := pw.emit(chunk); err != nil {
			return err
		}
		o += n
	}
	if crc.Sum32() != p.crcAt(pos) {
		return packCorrupt(p.Path, errors.New("CRC mismatch in a packed object"))
	}
	pw.Stats.Reused++
	return nil
}

// writeWhole resolves the entry at off and writes it as a whole object.
func (pw *PackWriter) writeWhole(p *PackFile, off int64) error {
	typ, data, err := pw.Store.readPacked(p, off)
	if err != nil {
		return err
	}
	return pw.writeCompressed(typ, int64(len(data)), bytes.NewReader(data))
}

// writeLoose writes a loose object, compressing it on the way.
func (pw *PackWriter) writeLoose(h plumbing.Hash) error {
	f, err := os.Open(pw.Store.loosePath(h))
	if err != nil {
		if p, pos, ok := pw.Store.locate(h); ok { // packed meanwhile
			return pw.writeWhole(p, p.offsetAt(pos))
		}
		return err
	}
	defer f.Close()
	lr, err := newLooseStream(bufio.NewReader(f))
	if err != nil {
		return err
	}
	defer lr.Close()
	return pw.writeCompressed(lr.typ, lr.size, lr)
}

// writeCompressed writes a whole-object entry from its content.
func (pw *PackWriter) writeCompressed(typ int, size int64, content io.Reader) error {
	if err := pw.emit(encodeTypeSize(typ, size)); err != nil {
		return err
	}
	ew := entryWriter{pw}
	if pw.zw == nil {
		var err error
		if pw.zw, err = zlib.NewWriterLevel(ew, zlib.BestSpeed); err != nil {
			return err
		}
	} else {
		pw.zw.Reset(ew)
	}
	n, err := io.Copy(pw.zw, content)
	if err != nil {
		return err
	}
	if n != size {
		return wiki.Errorf(wiki.EINTERNAL, "object size changed while packing")
	}
	return pw.zw.Close()
}

type entryWriter struct{ pw *PackWriter }

func (e entryWriter) Write(b []byte) (int, error) { return len(b), e.pw.emit(b) }

func (pw *PackWriter) emitParts(parts ...[]byte) error {
	for _, b := range parts {
		if err := pw.emit(b); err != nil {
			return err
		}
	}
	return nil
}

// encodeTypeSize is a pack entry's type and size varint.
func encodeTypeSize(typ int, size int64) []byte {
	b := []byte{byte(typ<<4) | byte(size&15)}
	size >>= 4
	for size > 0 {
		b[len(b)-1] |= 0x80
		b = append(b, byte(size&0x7f))
		size >>= 7
	}
	return b
}

// encodeOfs is an OFS_DELTA's distance back to its base.
func encodeOfs(rel int64) []byte {
	var buf [10]byte
	i := len(buf) - 1
	buf[i] = byte(rel & 0x7f)
	for rel >>= 7; rel > 0; rel >>= 7 {
		rel--
		i--
		buf[i] = 0x80 | byte(rel&0x7f)
	}
	return buf[i:]
}

// seqReader reads a pack front to back through one buffer, skipping the
// gaps between chosen entries.
type seqReader struct {
	p   *PackFile
	br  *bufio.Reader
	pos int64
	buf []byte
}

func (r *seqReader) seek(off int64) error {
	if r.br != nil && off >= r.pos && off-r.pos <= 256<<10 {
		n, err := r.br.Discard(int(off - r.pos))
		r.pos += int64(n)
		return err
	}
	sr := io.NewSectionReader(r.p.f, off, r.p.size-off)
	if r.br == nil {
		// A buffer no larger than what is left to read: consolidating a
		// save's small packs copies dozens of packs of a few hundred bytes.
		r.br = bufio.NewReaderSize(sr, int(min(256<<10, max(4<<10, r.p.size-off))))
	} else {
		r.br.Reset(sr)
	}
	r.pos = off
	return nil
}

// read returns the bytes [off, end), valid until the next call.
func (r *seqReader) read(off, end int64) ([]byte, error) {
	if err := r.seek(off); err != nil {
		return nil, err
	}
	n := int(end - off)
	if cap(r.buf) < n {
		r.buf = make([]byte, n)
	}
	r.buf = r.buf[:n]
	if _, err := io.ReadFull(r.br, r.buf); err != nil {
		return nil, packCorrupt(r.p.Path, err)
	}
	r.pos = end
	return r.buf, nil
}
