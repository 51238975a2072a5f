package storage

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
	total, deltas, reused, reusedDeltas int
}

// packWriter streams a pack for a set of objects. Entries found in the
// repository's packs are copied verbatim (header and zlib data), with only
// the base offset of an OFS_DELTA rewritten for its new position; a delta
// whose base is not sent becomes a REF_DELTA when the client has the base
// (thin-pack), or is resolved and sent whole. Loose objects are
// compressed on the way. Memory stays at one entry plus the offset maps.
type packWriter struct {
	ctx      context.Context
	st       *objectStore
	out      io.Writer
	sum      hash.Hash
	written  int64
	ofsDelta bool    // the client accepts OFS_DELTA
	thin     bool    // the client accepts deltas against objects it has
	send     *objSet // what is being sent
	theirs   *objSet // what the client has
	stats    packStats
	zw       *zlib.Writer
}

// reuseLimit is the largest entry read into memory whole; larger ones are
// streamed.
const reuseLimit = 4 << 20

// write sends the pack: header, entries grouped by pack in offset order (so
// every OFS_DELTA base precedes its delta), loose objects, checksum.
func (pw *packWriter) write() error {
	pw.sum = sha1.New()
	byPack := map[*packFile][]int{}
	var loose []plumbing.Hash
	for _, h := range pw.send.list {
		p, pos, ok := pw.st.locate(h)
		if !ok && !pw.st.has(h) {
			return wiki.Errorf(wiki.EINTERNAL, "object %s vanished from the repository", h)
		}
		if !ok {
			if p, pos, ok = pw.st.locate(h); !ok {
				loose = append(loose, h)
				continue
			}
		}
		byPack[p] = append(byPack[p], pos)
	}
	var hdr [12]byte
	copy(hdr[:], "PACK")
	binary.BigEndian.PutUint32(hdr[4:], 2)
	binary.BigEndian.PutUint32(hdr[8:], uint32(len(pw.send.list)))
	if err := pw.emit(hdr[:]); err != nil {
		return err
	}
	for _, p := range pw.st.packs {
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
		pw.stats.total++
	}
	_, err := pw.out.Write(pw.sum.Sum(nil))
	return err
}

// emit writes pack bytes, hashing them.
func (pw *packWriter) emit(b []byte) error {
	pw.sum.Write(b)
	pw.written += int64(len(b))
	_, err := pw.out.Write(b)
	return err
}

// copyFromPack writes the chosen entries of one pack in offset order.
func (pw *packWriter) copyFromPack(p *packFile, positions []int) error {
	p.sortByOffset()
	slices.SortFunc(positions, func(a, b int) int { return int(p.rank[a]) - int(p.rank[b]) })
	newPos := make(map[int64]int64, len(positions)) // old offset → offset in the new pack
	rd := &seqReader{p: p}
	for i, pos := range positions {
		if i&255 == 0 {
			if err := pw.ctx.Err(); err != nil {
				return err
			}
		}
		off, end := p.offsetAt(pos), p.entryEnd(pos)
		at := pw.written
		if err := pw.copyEntry(rd, p, pos, off, end, newPos); err != nil {
			return err
		}
		newPos[off] = at
		pw.stats.total++
	}
	return nil
}

// copyEntry writes one entry, reusing its bytes whenever the client can
// take them as they are.
func (pw *packWriter) copyEntry(rd *seqReader, p *packFile, pos int, off, end int64, newPos map[int64]int64) error {
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
			pw.stats.deltas++
			pw.stats.reusedDeltas++
			pw.stats.reused++
			if pw.ofsDelta {
				return pw.emitParts(raw[:h.typeLen], encodeOfs(pw.written-at), data)
			}
			basePos, _ := p.posAtOffset(h.baseOff)
			base := p.hashAt(basePos)
			return pw.emitParts(encodeTypeSize(objRefDelta, h.size), base[:], data)
		}
		basePos, ok := p.posAtOffset(h.baseOff)
		if !ok {
			return packCorrupt(p.path, errors.New("delta base offset is not an entry"))
		}
		if base := p.hashAt(basePos); pw.thin && pw.theirs.has(base) {
			pw.stats.deltas++
			pw.stats.reusedDeltas++
			pw.stats.reused++
			return pw.emitParts(encodeTypeSize(objRefDelta, h.size), base[:], data)
		}
		return pw.writeWhole(p, off)
	case objRefDelta:
		if pw.send.has(h.baseHash) || (pw.thin && pw.theirs.has(h.baseHash)) {
			pw.stats.deltas++
			pw.stats.reusedDeltas++
			pw.stats.reused++
			return pw.emit(raw)
		}
		return pw.writeWhole(p, off)
	}
	pw.stats.reused++
	return pw.emit(raw)
}

// streamEntry copies a large entry without holding it: whole objects only
// (a large delta is rebuilt whole, which is rare and still correct).
func (pw *packWriter) streamEntry(rd *seqReader, p *packFile, pos int, off, end int64) error {
	h, err := pw.st.readEntryHeader(p, off)
	if err != nil {
		return err
	}
	if h.typ > objTag {
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
		return packCorrupt(p.path, errors.New("CRC mismatch in a packed object"))
	}
	pw.stats.reused++
	return nil
}

// writeWhole resolves the entry at off and writes it as a whole object.
func (pw *packWriter) writeWhole(p *packFile, off int64) error {
	typ, data, err := pw.st.readPacked(p, off)
	if err != nil {
		return err
	}
	return pw.writeCompressed(typ, int64(len(data)), bytes.NewReader(data))
}

// writeLoose writes a loose object, compressing it on the way.
func (pw *packWriter) writeLoose(h plumbing.Hash) error {
	f, err := os.Open(pw.st.loosePath(h))
	if err != nil {
		if p, pos, ok := pw.st.locate(h); ok { // packed meanwhile
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
func (pw *packWriter) writeCompressed(typ int, size int64, content io.Reader) error {
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

type entryWriter struct{ pw *packWriter }

func (e entryWriter) Write(b []byte) (int, error) { return len(b), e.pw.emit(b) }

func (pw *packWriter) emitParts(parts ...[]byte) error {
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

// seqReader reads a pack front to back: from the mapping when there is
// one, else through one buffer, skipping the gaps between chosen entries.
type seqReader struct {
	p   *packFile
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
		r.br = bufio.NewReaderSize(sr, 256<<10)
	} else {
		r.br.Reset(sr)
	}
	r.pos = off
	return nil
}

// read returns the bytes [off, end), valid until the next call.
func (r *seqReader) read(off, end int64) ([]byte, error) {
	if r.p.data != nil {
		return r.p.readAt(off, end, nil)
	}
	if err := r.seek(off); err != nil {
		return nil, err
	}
	n := int(end - off)
	if cap(r.buf) < n {
		r.buf = make([]byte, n)
	}
	r.buf = r.buf[:n]
	if _, err := io.ReadFull(r.br, r.buf); err != nil {
		return nil, packCorrupt(r.p.path, err)
	}
	r.pos = end
	return r.buf, nil
}
