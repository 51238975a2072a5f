package gitpack

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/warren-wiki/warren/wiki"
)

// packFile is one objects/pack/pack-*.pack with its version 2 .idx, opened
// for one request. The .idx is read whole (about 28 bytes per object) and
// used in place: names are binary-searched, and an offset-sorted order gives
// every entry's length, which is what lets the pack writer copy entries
// verbatim.
type PackFile struct {
	Path string // the .pack file
	f    *os.File
	size int64
	N    int

	fanout []byte // 256 big-endian uint32
	names  []byte // n × 20
	crcs   []byte // n × 4
	off32  []byte // n × 4
	off64  []byte

	byOffset []uint32 // positions sorted by offset (built on first use)
	rank     []uint32 // position → index in byOffset
}

var idxMagic = []byte{0xff, 't', 'O', 'c'}

// openPackFile opens a pack and its index. The file handle keeps the data
// readable even if a repack deletes the files while the request runs.
func openPackFile(packPath string) (*PackFile, error) {
	return openPackFileAt(packPath, idxName(packPath))
}

// idxName is the name of a pack's index.
func idxName(packPath string) string {
	return strings.TrimSuffix(packPath, ".pack") + ".idx"
}

// openPackFileAt opens a pack whose index has another name (a pushed pack
// before it is installed).
func openPackFileAt(packPath, idxPath string) (*PackFile, error) {
	idx, err := os.ReadFile(idxPath)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(packPath)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	p := &PackFile{Path: packPath, f: f, size: st.Size()}
	if err := p.parseIndex(idx); err != nil {
		f.Close()
		return nil, err
	}
	if err := p.checkTrailer(idx); err != nil {
		p.Close()
		return nil, err
	}
	return p, nil
}

func (p *PackFile) parseIndex(idx []byte) error {
	bad := func(why string) error {
		return wiki.Errorf(wiki.EINTERNAL, "pack index %s: %s", p.Path, why)
	}
	if len(idx) < 8+1024+40 || !bytes.Equal(idx[:4], idxMagic) {
		return bad("not a version 2 index")
	}
	if v := binary.BigEndian.Uint32(idx[4:]); v != 2 {
		return bad("unsupported version")
	}
	p.fanout = idx[8 : 8+1024]
	p.N = int(binary.BigEndian.Uint32(p.fanout[1020:]))
	pos := 8 + 1024
	need := pos + p.N*(20+4+4) + 40
	if len(idx) < need {
		return bad("truncated")
	}
	p.names = idx[pos : pos+20*p.N]
	pos += 20 * p.N
	p.crcs = idx[pos : pos+4*p.N]
	pos += 4 * p.N
	p.off32 = idx[pos : pos+4*p.N]
	pos += 4 * p.N
	p.off64 = idx[pos : len(idx)-40]
	if p.size < 32 {
		return bad("pack too small")
	}
	return nil
}

// checkTrailer refuses a pack whose trailing checksum is not the one its
// index records: a pack cut short, or an index of another pack.
func (p *PackFile) checkTrailer(idx []byte) error {
	trailer, err := p.readAt(p.size-20, p.size, nil)
	if err != nil {
		return err
	}
	if !bytes.Equal(trailer, idx[len(idx)-40:len(idx)-20]) {
		return wiki.Errorf(wiki.EINTERNAL, "pack %s does not match its index", p.Path)
	}
	return nil
}

func (p *PackFile) Close() error { return p.f.Close() }

// readAt reads the bytes [off, end) of the pack into buf (grown as needed).
func (p *PackFile) readAt(off, end int64, buf []byte) ([]byte, error) {
	if off < 0 || end > p.size || end < off {
		return nil, packCorrupt(p.Path, errors.New("read outside the pack"))
	}
	n := int(end - off)
	if cap(buf) < n {
		buf = make([]byte, n)
	}
	buf = buf[:n]
	if _, err := p.f.ReadAt(buf, off); err != nil {
		return nil, err
	}
	return buf, nil
}

// find returns the index position of h.
func (p *PackFile) find(h plumbing.Hash) (int, bool) {
	lo := 0
	if h[0] > 0 {
		lo = int(binary.BigEndian.Uint32(p.fanout[4*(int(h[0])-1):]))
	}
	hi := int(binary.BigEndian.Uint32(p.fanout[4*int(h[0]):]))
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		switch bytes.Compare(p.names[20*mid:20*mid+20], h[:]) {
		case 0:
			return mid, true
		case -1:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return 0, false
}

// Size is the pack file's length in bytes, which a geometric repack
// compares.
func (p *PackFile) Size() int64 { return p.size }

func (p *PackFile) HashAt(pos int) (h plumbing.Hash) {
	copy(h[:], p.names[20*pos:])
	return h
}

func (p *PackFile) crcAt(pos int) uint32 { return binary.BigEndian.Uint32(p.crcs[4*pos:]) }

func (p *PackFile) offsetAt(pos int) int64 {
	o := binary.BigEndian.Uint32(p.off32[4*pos:])
	if o&0x80000000 == 0 {
		return int64(o)
	}
	i := int(o & 0x7fffffff)
	if 8*i+8 > len(p.off64) {
		return -1
	}
	return int64(binary.BigEndian.Uint64(p.off64[8*i:]))
}

// sortByOffset builds the offset order once per request.
func (p *PackFile) sortByOffset() {
	if p.byOffset != nil {
		return
	}
	offs := make([]int64, p.N)
	order := make([]uint32, p.N)
	for i := range order {
		order[i] = uint32(i)
		offs[i] = p.offsetAt(i)
	}
	slices.SortFunc(order, func(a, b uint32) int {
		switch {
		case offs[a] < offs[b]:
			return -1
		case offs[a] > offs[b]:
			return 1
		}
		return 0
	})
	rank := make([]uint32, p.N)
	for r, pos := range order {
		rank[pos] = uint32(r)
	}
	p.byOffset, p.rank = order, rank
}

// entryEnd is where the entry at pos ends: the next entry's offset, or the
// trailing checksum.
func (p *PackFile) entryEnd(pos int) int64 {
	p.sortByOffset()
	r := p.rank[pos] + 1
	if int(r) < p.N {
		return p.offsetAt(int(p.byOffset[r]))
	}
	return p.size - 20
}

// posAtOffset finds the entry that starts at off (a delta's base).
func (p *PackFile) posAtOffset(off int64) (int, bool) {
	p.sortByOffset()
	i, found := slices.BinarySearchFunc(p.byOffset, off, func(pos uint32, off int64) int {
		o := p.offsetAt(int(pos))
		switch {
		case o < off:
			return -1
		case o > off:
			return 1
		}
		return 0
	})
	if !found {
		return 0, false
	}
	return int(p.byOffset[i]), true
}
