package gitpack

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/zlib"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/warren-wiki/warren/wiki"
)

// The first pass over a pushed pack happens while it arrives: every byte
// goes to the temporary file, and the entries are walked once, inflating
// each one without keeping it, so that sizes are checked before anything
// holds an object in memory. A delta's result size is in the first bytes of
// its data, so a small delta cannot expand into a huge object unnoticed.
// The pass records where each entry is, its CRC-32 and, for entries stored
// whole, its id; the second pass (receive_index.go) resolves the deltas.

// packEntry is one entry of a pack.
type packEntry struct {
	off, dataOff int64               // the entry, and its zlib data
	typ          plumbing.ObjectType // as stored: an object type or a delta
	size         int64               // inflated size of the stored data
	crc          uint32              // of the entry's bytes, for the index
	id           plumbing.Hash       // the object's id (deltas: once resolved)
	baseOff      int64               // OFS_DELTA: the base entry
	baseID       plumbing.Hash       // REF_DELTA: the base object
	objType      plumbing.ObjectType // the object's type (deltas: once resolved)
	objSize      int64               // the object's size (deltas: once resolved)
}

func (e *packEntry) isDelta() bool {
	return e.typ == plumbing.OFSDeltaObject || e.typ == plumbing.REFDeltaObject
}

// packScan is what the first pass learnt about a pack.
type packScan struct {
	count    uint32
	size     int64 // bytes including the trailer
	sum      plumbing.Hash
	entries  []packEntry
	byOffset map[int64]int          // entry index by offset
	whole    map[plumbing.Hash]bool // ids of the objects stored whole
}

// errUnpack marks an error about the pack's content: it is reported to the
// client as "unpack <message>".
type ErrUnpack struct{ Msg string }

func (e *ErrUnpack) Error() string { return e.Msg }

func unpackErrorf(format string, args ...any) error {
	return &ErrUnpack{Msg: fmt.Sprintf(format, args...)}
}

// countingReader counts the bytes consumed and keeps a CRC-32 of them. It
// is an io.ByteReader, so the zlib reader takes exactly one entry's stream
// and no more. Bytes read one at a time are gathered before they go into
// the CRC, which zlib's byte-wise reading would otherwise make slow.
type countingReader struct {
	r       *bufio.Reader
	n       int64
	crc     uint32
	pending []byte
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	c.flushCRC()
	c.crc = crc32.Update(c.crc, crc32.IEEETable, p[:n])
	return n, err
}

func (c *countingReader) ReadByte() (byte, error) {
	b, err := c.r.ReadByte()
	if err == nil {
		c.n++
		if c.pending = append(c.pending, b); len(c.pending) == cap(c.pending) {
			c.flushCRC()
		}
	}
	return b, err
}

func (c *countingReader) flushCRC() {
	c.crc = crc32.Update(c.crc, crc32.IEEETable, c.pending)
	c.pending = c.pending[:0]
}

// resetCRC starts the CRC of a new entry.
func (c *countingReader) resetCRC() {
	if c.pending == nil {
		c.pending = make([]byte, 0, 4096)
	}
	c.crc, c.pending = 0, c.pending[:0]
}

// sumCRC is the CRC of the bytes since resetCRC.
func (c *countingReader) sumCRC() uint32 {
	c.flushCRC()
	return c.crc
}

// tailHasher hashes everything written to it except the last 20 bytes,
// which it keeps: at the end of a pack those are the checksum of the rest.
type tailHasher struct {
	h    hash.Hash
	tail []byte
	n    int64
}

func (t *tailHasher) Write(p []byte) (int, error) {
	t.n += int64(len(p))
	if len(p) >= 20 {
		t.h.Write(t.tail)
		t.h.Write(p[:len(p)-20])
		t.tail = append(t.tail[:0], p[len(p)-20:]...)
		return len(p), nil
	}
	t.tail = append(t.tail, p...)
	if len(t.tail) > 20 {
		t.h.Write(t.tail[:len(t.tail)-20])
		t.tail = append(t.tail[:0], t.tail[len(t.tail)-20:]...)
	}
	return len(p), nil
}

// scanPack walks a pack from r (which the caller tees into the file) and
// checks it: signature, version, the declared number of entries followed by
// exactly the trailer, the trailer matching the SHA-1 of all that came
// before, and every object at most limits.maxObject() bytes.
func scanPack(r *countingReader, file *tailHasher, limits Limits) (*packScan, error) {
	var head [12]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return nil, packReadError(err, "the pack header is missing")
	}
	if string(head[:4]) != "PACK" {
		return nil, unpackErrorf("the data after the commands is not a pack")
	}
	if v := binary.BigEndian.Uint32(head[4:8]); v != 2 && v != 3 {
		return nil, unpackErrorf("pack version %d is not supported", v)
	}
	s := &packScan{
		count:    binary.BigEndian.Uint32(head[8:]),
		byOffset: map[int64]int{},
		whole:    map[plumbing.Hash]bool{},
	}
	var zr io.ReadCloser
	defer func() {
		if zr != nil {
			zr.Close()
		}
	}()
	for i := uint32(0); i < s.count; i++ {
		var err error
		if zr, err = s.scanEntry(r, zr, limits); err != nil {
			return nil, err
		}
	}
	var sum [20]byte
	if _, err := io.ReadFull(r, sum[:]); err != nil {
		return nil, packReadError(err, fmt.Sprintf("the pack ends before its %d objects and checksum", s.count))
	}
	if _, err := r.ReadByte(); err == nil {
		return nil, unpackErrorf("the pack has data after its checksum (it holds more objects than its header says)")
	} else if !errors.Is(err, io.EOF) {
		return nil, err
	}
	s.size, s.sum = r.n, plumbing.Hash(sum)
	if file.n != s.size || !bytes.Equal(file.tail, sum[:]) || !bytes.Equal(file.h.Sum(nil), sum[:]) {
		return nil, unpackErrorf("the pack checksum does not match its content")
	}
	return s, nil
}

// scanEntry reads one entry: its header, then its zlib stream, checking the
// inflated size against the header (and, for deltas, the result size).
func (s *packScan) scanEntry(r *countingReader, zr io.ReadCloser, limits Limits) (io.ReadCloser, error) {
	e := packEntry{off: r.n}
	r.resetCRC()
	var err error
	if e.typ, e.size, err = readEntryHeader(r); err != nil {
		return zr, err
	}
	var sink io.Writer
	var h hash.Hash
	var delta deltaHead
	var names *treeNameCheck
	switch e.typ {
	case plumbing.CommitObject, plumbing.TreeObject, plumbing.BlobObject, plumbing.TagObject:
		if e.size > limits.maxObject() {
			return zr, unpackErrorf("the pack holds a %s of %s, over the limit of %s", e.typ, ByteSize(e.size), ByteSize(limits.MaxBlob))
		}
		h = sha1.New()
		fmt.Fprintf(h, "%s %d\x00", e.typ, e.size)
		sink = h
		if e.typ == plumbing.TreeObject {
			names = &treeNameCheck{}
			sink = io.MultiWriter(h, names)
		}
	case plumbing.OFSDeltaObject:
		rel, err := readOfsDelta(r)
		if err != nil {
			return zr, err
		}
		e.baseOff = e.off - rel
		if _, ok := s.byOffset[e.baseOff]; rel <= 0 || !ok {
			return zr, unpackErrorf("a delta at offset %d names no earlier entry as base", e.off)
		}
		sink = &delta
	case plumbing.REFDeltaObject:
		if _, err := io.ReadFull(r, e.baseID[:]); err != nil {
			return zr, packReadError(err, "a delta entry is cut short")
		}
		sink = &delta
	default:
		return zr, unpackErrorf("the pack has an entry of unknown type %d at offset %d", e.typ, e.off)
	}
	e.dataOff = r.n
	if zr == nil {
		zr, err = zlib.NewReader(r)
	} else {
		err = zr.(zlib.Resetter).Reset(r, nil)
	}
	if err != nil {
		return zr, packReadError(err, fmt.Sprintf("the entry at offset %d is not zlib data", e.off))
	}
	// Copying to EOF makes zlib verify the stream's own checksum; the
	// limit stops a stream longer than its header says.
	n, err := io.Copy(sink, io.LimitReader(zr, e.size+1))
	if err != nil {
		return zr, packReadError(err, fmt.Sprintf("the entry at offset %d is corrupt", e.off))
	}
	if n != e.size {
		return zr, unpackErrorf("the entry at offset %d inflates to %d bytes, not the %d its header says", e.off, n, e.size)
	}
	if names != nil && names.bad != nil {
		return zr, names.bad
	}
	e.crc = r.sumCRC()
	if h != nil {
		e.id, e.objType, e.objSize = plumbing.Hash(h.Sum(nil)), e.typ, e.size
		s.whole[e.id] = true
	} else if target, ok := delta.targetSize(); !ok {
		return zr, unpackErrorf("the delta at offset %d is corrupt", e.off)
	} else if target > limits.maxObject() {
		return zr, unpackErrorf("the pack holds an object of %s, over the limit of %s", ByteSize(target), ByteSize(limits.MaxBlob))
	}
	s.add(e)
	return zr, nil
}

// add records an entry.
func (s *packScan) add(e packEntry) {
	s.byOffset[e.off] = len(s.entries)
	s.entries = append(s.entries, e)
}

// readEntryHeader decodes an entry's type and inflated size.
func readEntryHeader(r io.ByteReader) (plumbing.ObjectType, int64, error) {
	c, err := r.ReadByte()
	if err != nil {
		return 0, 0, packReadError(err, "the pack ends before all its objects")
	}
	typ := plumbing.ObjectType((c >> 4) & 7)
	size := int64(c & 15)
	for shift := 4; c&0x80 != 0; shift += 7 {
		if shift > 56 {
			return 0, 0, unpackErrorf("an entry header is too long")
		}
		if c, err = r.ReadByte(); err != nil {
			return 0, 0, packReadError(err, "an entry header is cut short")
		}
		size |= int64(c&0x7f) << shift
	}
	return typ, size, nil
}

// readOfsDelta decodes an OFS_DELTA's distance back to its base.
func readOfsDelta(r io.ByteReader) (int64, error) {
	c, err := r.ReadByte()
	if err != nil {
		return 0, packReadError(err, "a delta entry is cut short")
	}
	v := int64(c & 0x7f)
	for i := 0; c&0x80 != 0; i++ {
		if i > 8 {
			return 0, unpackErrorf("a delta offset is too long")
		}
		if c, err = r.ReadByte(); err != nil {
			return 0, packReadError(err, "a delta entry is cut short")
		}
		v = ((v + 1) << 7) | int64(c&0x7f)
	}
	return v, nil
}

// deltaHead keeps the first bytes of a delta (its base and result sizes)
// and discards the rest.
type deltaHead struct{ b []byte }

func (d *deltaHead) Write(p []byte) (int, error) {
	if room := 20 - len(d.b); room > 0 {
		d.b = append(d.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

// targetSize decodes the result size, the second varint of a delta.
func (d *deltaHead) targetSize() (int64, bool) {
	b := d.b
	var v int64
	for range 2 {
		v = 0
		for shift := 0; ; shift += 7 {
			if len(b) == 0 || shift > 56 {
				return 0, false
			}
			c := b[0]
			b = b[1:]
			v |= int64(c&0x7f) << shift
			if c&0x80 == 0 {
				break
			}
		}
	}
	return v, true
}

// isFlateError tells corrupt compressed data from an I/O failure.
func isFlateError(err error) bool {
	var ce flate.CorruptInputError
	var ie flate.InternalError
	return errors.As(err, &ce) || errors.As(err, &ie)
}

// packReadError turns a short read into a readable unpack error; other
// errors (the body limit, a broken connection) pass through.
func packReadError(err error, msg string) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return unpackErrorf("%s (truncated pack)", msg)
	}
	var we *wiki.Error
	if errors.As(err, &we) {
		return err
	}
	if errors.Is(err, zlib.ErrChecksum) || errors.Is(err, zlib.ErrHeader) || isFlateError(err) {
		return unpackErrorf("%s", msg)
	}
	return err
}

// byteSize renders a size for people.
func ByteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
