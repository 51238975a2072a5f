package gitpack

import (
	"bytes"
	"compress/zlib"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/warren-wiki/warren/wiki"
)

// Object types as they appear in pack entry headers.
const (
	ObjCommit   = 1
	objTree     = 2
	objBlob     = 3
	ObjTag      = 4
	objOfsDelta = 6
	objRefDelta = 7
)

// maxObjectSize guards allocations against a corrupt size field.
const maxObjectSize = 1 << 31

// objectStore reads one repository's objects for one request, straight from
// its pack files and loose objects. It is not safe for concurrent use: each
// request opens its own (opening costs one read of each .idx).
//
// Packs are read with pread into the store's few reused buffers, never
// mapped: the store serves jobs that go over a whole pack (a clone, a
// repack, a backup, checking and indexing a push, walking a history), and
// every page of a mapping they touched would stay resident until the store
// closed — as much resident memory as the pack is large, for each job at
// once. Read this way a job's memory is its delta cache and buffers,
// whatever the pack's size, and the pages stay in the kernel's page cache
// for the next reader. A read costs a system call, which next to
// inflating the entry is measured in nothing (a clone of the bench's
// 15 MiB pack takes the same CPU time either way).
type ObjectStore struct {
	objDir string
	Packs  []*PackFile
	opened map[string]bool
	cache  *deltaBaseCache
	zr     io.ReadCloser
	cbuf   []byte
	dbuf   []byte // the delta being applied
	wbuf   []byte // the last whole object read that the cache does not keep
	br     bytes.Reader
	stamp  time.Time // objects/pack's mtime at the last scan
}

// openObjectStore opens every pack of the repository at repoDir.
func OpenObjectStore(repoDir string) (*ObjectStore, error) {
	s := &ObjectStore{
		objDir: filepath.Join(repoDir, "objects"),
		opened: map[string]bool{},
		cache:  getDeltaCache(),
	}
	if _, err := s.rescan(); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *ObjectStore) Close() {
	for _, p := range s.Packs {
		p.Close()
	}
	s.Packs = nil
	if s.cache != nil {
		s.cache.release()
		s.cache = nil
	}
}

// rescan opens packs that appeared since the last scan (a push or repack
// moved objects there) and reports whether there were any. A pack deleted
// between listing and opening is skipped: its objects are in a newer one.
func (s *ObjectStore) rescan() (bool, error) {
	dir := filepath.Join(s.objDir, "pack")
	if st, err := os.Stat(dir); err == nil {
		// An unchanged directory has no new pack; a stamp younger than the
		// file system's coarse clock could hide one, so it is not trusted.
		if st.ModTime().Equal(s.stamp) && time.Since(s.stamp) > 2*time.Second {
			return false, nil
		}
		s.stamp = st.ModTime()
	}
	names, err := filepath.Glob(filepath.Join(dir, "pack-*.pack"))
	if err != nil {
		return false, err
	}
	sort.Strings(names)
	added := false
	for _, name := range names {
		if s.opened[name] {
			continue
		}
		p, err := openPackFile(name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil && !PackComplete(name) {
			continue // a save's pack cut short by a crash: garbage, see pack_complete.go
		}
		if err != nil {
			return added, err
		}
		s.opened[name] = true
		s.Packs = append(s.Packs, p)
		added = true
	}
	return added, nil
}

// locate finds h in the open packs.
func (s *ObjectStore) locate(h plumbing.Hash) (*PackFile, int, bool) {
	for _, p := range s.Packs {
		if pos, ok := p.find(h); ok {
			return p, pos, true
		}
	}
	return nil, 0, false
}

func (s *ObjectStore) loosePath(h plumbing.Hash) string {
	hex := h.String()
	return filepath.Join(s.objDir, hex[:2], hex[2:])
}

// has reports whether the repository holds h, packed or loose.
func (s *ObjectStore) Has(h plumbing.Hash) bool {
	if _, _, ok := s.locate(h); ok {
		return true
	}
	if _, err := os.Stat(s.loosePath(h)); err == nil {
		return true
	}
	if added, _ := s.rescan(); added {
		_, _, ok := s.locate(h)
		return ok
	}
	return false
}

// read returns an object's type and full content. The content may be
// shared with the cache, whose buffers are reused: callers must not modify
// it, and must copy what they keep past the store's next read.
func (s *ObjectStore) Read(h plumbing.Hash) (int, []byte, error) {
	if p, pos, ok := s.locate(h); ok {
		return s.readPacked(p, p.offsetAt(pos))
	}
	typ, data, err := s.readLoose(h)
	if !errors.Is(err, fs.ErrNotExist) {
		return typ, data, err
	}
	if added, _ := s.rescan(); added {
		if p, pos, ok := s.locate(h); ok {
			return s.readPacked(p, p.offsetAt(pos))
		}
	}
	return 0, nil, wiki.Errorf(wiki.ENOTFOUND, "object %s not found", h)
}

// readLoose inflates objects/xx/yyyy.
func (s *ObjectStore) readLoose(h plumbing.Hash) (int, []byte, error) {
	f, err := os.Open(s.loosePath(h))
	if err != nil {
		return 0, nil, err
	}
	defer f.Close()
	lr, err := newLooseStream(f)
	if err != nil {
		return 0, nil, err
	}
	defer lr.Close()
	data := make([]byte, lr.size)
	if _, err := io.ReadFull(lr, data); err != nil {
		return 0, nil, packCorrupt(h.String(), err)
	}
	return lr.typ, data, nil
}

// looseStream streams a loose object's content after its "type size\0" header.
type looseStream struct {
	io.ReadCloser
	typ  int
	size int64
}

func newLooseStream(r io.Reader) (*looseStream, error) {
	zr, err := zlib.NewReader(r)
	if err != nil {
		return nil, packCorrupt("loose object", err)
	}
	var hdr []byte
	var one [1]byte
	for len(hdr) < 32 {
		if _, err := io.ReadFull(zr, one[:]); err != nil {
			zr.Close()
			return nil, packCorrupt("loose object", err)
		}
		if one[0] == 0 {
			break
		}
		hdr = append(hdr, one[0])
	}
	name, num, _ := bytes.Cut(hdr, []byte{' '})
	size, err := strconv.ParseInt(string(num), 10, 64)
	typ := looseTypeByName(string(name))
	if err != nil || typ == 0 || size < 0 || size > maxObjectSize {
		zr.Close()
		return nil, packCorrupt("loose object", errors.New("bad header"))
	}
	return &looseStream{ReadCloser: zr, typ: typ, size: size}, nil
}

func looseTypeByName(name string) int {
	switch name {
	case "commit":
		return ObjCommit
	case "tree":
		return objTree
	case "blob":
		return objBlob
	case "tag":
		return ObjTag
	}
	return 0
}

func packCorrupt(what string, err error) error {
	return wiki.Errorf(wiki.EINTERNAL, "corrupt object data (%s): %v", what, err)
}

var errBadEntryHeader = wiki.Errorf(wiki.EINTERNAL, "corrupt pack: truncated or invalid entry header")

// packEntryHeader is a parsed pack entry header.
type packEntryHeader struct {
	typ      int
	size     int64 // inflated size (of the delta data, for deltas)
	hdrLen   int   // bytes before the zlib data
	typeLen  int   // bytes of the type+size varint alone
	baseOff  int64 // OFS_DELTA: absolute offset of the base
	baseHash plumbing.Hash
}

// readEntryHeader parses the header of the entry at off.
func (s *ObjectStore) readEntryHeader(p *PackFile, off int64) (packEntryHeader, error) {
	end := min(off+64, p.size)
	var b [64]byte
	raw, err := p.readAt(off, end, b[:0])
	if err != nil {
		return packEntryHeader{}, err
	}
	return parsePackEntryHeader(raw, off)
}

func parsePackEntryHeader(b []byte, off int64) (packEntryHeader, error) {
	var h packEntryHeader
	bad := errBadEntryHeader
	i := 0
	if len(b) == 0 {
		return h, bad
	}
	c := b[0]
	h.typ = int(c>>4) & 7
	h.size = int64(c & 15)
	shift := 4
	for i = 1; c&0x80 != 0; i++ {
		if i >= len(b) || shift > 56 {
			return h, bad
		}
		c = b[i]
		h.size |= int64(c&0x7f) << shift
		shift += 7
	}
	h.typeLen = i
	switch h.typ {
	case ObjCommit, objTree, objBlob, ObjTag:
	case objOfsDelta:
		if i >= len(b) {
			return h, bad
		}
		c = b[i]
		i++
		rel := int64(c & 0x7f)
		for c&0x80 != 0 {
			if i >= len(b) || rel > 1<<55 {
				return h, bad
			}
			c = b[i]
			i++
			rel = (rel+1)<<7 | int64(c&0x7f)
		}
		h.baseOff = off - rel
		if rel <= 0 || h.baseOff < 12 {
			return h, bad
		}
	case objRefDelta:
		if i+20 > len(b) {
			return h, bad
		}
		copy(h.baseHash[:], b[i:i+20])
		i += 20
	default:
		return h, bad
	}
	if h.size > maxObjectSize {
		return h, bad
	}
	h.hdrLen = i
	return h, nil
}

// inflateEntry inflates the zlib data of an entry into dst (resized to size).
func (s *ObjectStore) inflateEntry(p *PackFile, start, end, size int64, dst []byte) ([]byte, error) {
	c, err := p.readAt(start, end, s.cbuf)
	if err != nil {
		return nil, err
	}
	s.cbuf = c
	s.br.Reset(c)
	if err := s.resetZlib(&s.br); err != nil {
		return nil, packCorrupt(p.Path, err)
	}
	if int64(cap(dst)) < size {
		dst = make([]byte, size)
	}
	dst = dst[:size]
	if _, err := io.ReadFull(s.zr, dst); err != nil {
		return nil, packCorrupt(p.Path, err)
	}
	return dst, nil
}

// resetZlib points the store's one zlib reader at r, reusing its state.
func (s *ObjectStore) resetZlib(r io.Reader) error {
	if s.zr == nil {
		zr, err := zlib.NewReader(r)
		s.zr = zr
		return err
	}
	return s.zr.(zlib.Resetter).Reset(r, nil)
}
