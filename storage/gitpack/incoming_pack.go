package gitpack

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"crypto/sha1"
	"encoding/binary"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
	"github.com/warren-wiki/warren/storage/internal/durable"
)

// A pushed pack lives in objects/pack under a temporary name
// (tmp_pack_*, tmp_idx_*, the names git uses too) until it has been checked
// and the push is accepted; only then is it fsynced and renamed to
// pack-<checksum>.pack with its .idx renamed last, so that a reader never
// finds an index whose pack is incomplete. Every failure removes the
// temporary files.

// pushCacheSize bounds the decoded objects one push keeps while its
// commits and trees are checked. The walk reads each tree's versions newest
// first, each a delta of the one just read, so a few megabytes hold every
// base that matters: on the bench's 2,000-commit push a 16 MiB cache
// checked no faster and was the largest thing on the heap, which the
// garbage collector's target doubles.
const pushCacheSize = 4 << 20

// packObject is the type and size of one object of the pushed pack.
type packObject struct {
	typ  plumbing.ObjectType
	size int64
}

// incomingPack is a received, indexed pack not yet in the repository.
type IncomingPack struct {
	dir      string // objects/pack
	packPath string // temporary names until install
	idxPath  string
	Sum      plumbing.Hash
	size     int64
	Received int64                        // bytes the client sent
	Thin     int                          // bases appended to complete a thin pack
	bases    map[plumbing.Hash]bool       // those bases: the repository's, not pushed
	Objects  map[plumbing.Hash]packObject // released by Install (see Count)
	Count    int                          // objects in the pack, thin bases included
	file     *os.File
	store    *ObjectStore // reads the pack's objects before they are installed
}

// receivePackFile streams the pack from r into a temporary file, checks it,
// completes it if it is thin and indexes it. On error nothing is left.
func ReceivePackFile(repo Objects, r io.Reader, limits Limits) (in *IncomingPack, err error) {
	dir := filepath.Join(repo.Dir(), "objects", "pack")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(dir, "tmp_pack_")
	if err != nil {
		return nil, err
	}
	in = &IncomingPack{dir: dir, packPath: f.Name(), file: f}
	defer func() {
		if err != nil {
			in.Discard()
			in = nil
		}
	}()
	scan, err := streamPack(f, r, limits)
	if err != nil {
		return in, err
	}
	in.Sum, in.size, in.Received = scan.sum, scan.size, scan.size
	if scan.count == 0 {
		return in, nil
	}
	if err := in.completeThin(repo, scan); err != nil {
		return in, err
	}
	return in, in.index(scan, limits)
}

// streamPack copies the pack to f while scanning it.
func streamPack(f *os.File, r io.Reader, limits Limits) (*packScan, error) {
	bw := bufio.NewWriterSize(f, 64<<10)
	scan, err := scanStream(r, bw, limits)
	if err != nil {
		return nil, err
	}
	return scan, bw.Flush()
}

// scanStream scans the pack read from r, copying every byte read to sink.
func scanStream(r io.Reader, sink io.Writer, limits Limits) (*packScan, error) {
	th := &tailHasher{h: sha1.New()}
	tee := io.TeeReader(r, io.MultiWriter(sink, th))
	cr := &countingReader{r: bufio.NewReaderSize(tee, 64<<10)}
	return scanPack(cr, th, limits)
}

// completeThin appends, as whole objects, the delta bases the pack names
// but does not hold and the repository has (git's index-pack --fix-thin):
// a pack on disk must be self-contained.
func (in *IncomingPack) completeThin(repo Objects, scan *packScan) error {
	var missing []plumbing.Hash
	seen := map[plumbing.Hash]bool{}
	for i := range scan.entries {
		h := scan.entries[i].baseID
		if scan.entries[i].typ != plumbing.REFDeltaObject || scan.whole[h] || seen[h] {
			continue
		}
		seen[h] = true
		// A base neither stored whole in the pack nor in the repository
		// may be a delta of the pack itself; resolving finds out.
		if ok, err := repo.HasObject(h); err != nil {
			return err
		} else if ok {
			missing = append(missing, h)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	slices.SortFunc(missing, func(a, b plumbing.Hash) int { return bytes.Compare(a[:], b[:]) })
	in.bases = make(map[plumbing.Hash]bool, len(missing))
	end := scan.size - 20
	ew := &appendWriter{w: bufio.NewWriterSize(io.NewOffsetWriter(in.file, end), 64<<10), off: end}
	for _, h := range missing {
		o, err := repo.Object(plumbing.AnyObject, h)
		if err != nil {
			return err
		}
		e, err := ew.writeWhole(o)
		if err != nil {
			return err
		}
		e.id = h
		scan.add(e)
		scan.whole[h] = true
		in.bases[h] = true
	}
	if err := ew.w.Flush(); err != nil {
		return err
	}
	end = ew.off
	var count [4]byte
	binary.BigEndian.PutUint32(count[:], uint32(len(scan.entries)))
	if _, err := in.file.WriteAt(count[:], 8); err != nil {
		return err
	}
	h := sha1.New()
	if _, err := io.Copy(h, io.NewSectionReader(in.file, 0, end)); err != nil {
		return err
	}
	sum := h.Sum(nil)
	if _, err := in.file.WriteAt(sum, end); err != nil {
		return err
	}
	scan.count, scan.size, scan.sum = uint32(len(scan.entries)), end+20, plumbing.Hash(sum)
	in.Sum, in.size, in.Thin = scan.sum, scan.size, len(missing)
	return nil
}

// appendWriter appends whole-object entries to a pack, tracking offsets.
type appendWriter struct {
	w   *bufio.Writer
	off int64
	zw  *zlib.Writer
}

func (ew *appendWriter) Write(p []byte) (int, error) {
	n, err := ew.w.Write(p)
	ew.off += int64(n)
	return n, err
}

// writeWhole writes one undeltified entry and describes it.
func (ew *appendWriter) writeWhole(o plumbing.EncodedObject) (packEntry, error) {
	e := packEntry{off: ew.off, typ: o.Type(), size: o.Size(), objType: o.Type(), objSize: o.Size()}
	crc := crc32.NewIEEE()
	out := io.MultiWriter(ew, crc)
	if _, err := out.Write(encodeEntryHeader(o.Type(), o.Size())); err != nil {
		return e, err
	}
	e.dataOff = ew.off
	rd, err := o.Reader()
	if err != nil {
		return e, err
	}
	defer rd.Close()
	if ew.zw == nil {
		ew.zw = zlib.NewWriter(out)
	} else {
		ew.zw.Reset(out)
	}
	if _, err := io.Copy(ew.zw, rd); err != nil {
		return e, err
	}
	if err := ew.zw.Close(); err != nil {
		return e, err
	}
	e.crc = crc.Sum32()
	return e, nil
}

// encodeEntryHeader encodes a pack entry's type and size.
func encodeEntryHeader(t plumbing.ObjectType, size int64) []byte {
	c := byte(t)<<4 | byte(size&15)
	size >>= 4
	var b []byte
	for size > 0 {
		b = append(b, c|0x80)
		c = byte(size & 0x7f)
		size >>= 7
	}
	return append(b, c)
}

// maxHeldBases bounds the memory the second pass may keep for delta bases.
func maxHeldBases(limits Limits) int64 {
	return max(256<<20, 4*limits.maxObject())
}

// index resolves the pack's deltas, writes the .idx to a temporary file
// and opens the pack for reading.
func (in *IncomingPack) index(scan *packScan, limits Limits) error {
	if err := resolveDeltas(in.file, scan, maxHeldBases(limits)); err != nil {
		return err
	}
	idx, err := buildIndex(scan)
	if err != nil {
		return err
	}
	if err := in.writeIndex(idx); err != nil {
		return err
	}
	in.Count = len(scan.entries)
	in.Objects = make(map[plumbing.Hash]packObject, len(scan.entries))
	for i := range scan.entries {
		e := &scan.entries[i]
		in.Objects[e.id] = packObject{typ: e.objType, size: e.objSize}
	}
	p, err := openPackFileAt(in.packPath, in.idxPath)
	if err != nil {
		return err
	}
	// The pack's own reader: resolved objects are cached by pack offset, so
	// a walk over many versions of a tree resolves each delta once and never
	// hashes an object again to cache it.
	in.store = &ObjectStore{
		objDir: filepath.Dir(in.dir),
		Packs:  []*PackFile{p},
		opened: map[string]bool{in.packPath: true},
		cache:  newDeltaBaseCache(pushCacheSize),
	}
	return nil
}

// read returns the type and content of an object of the pack; the content
// may be shared with the cache and must not be modified.
func (in *IncomingPack) read(h plumbing.Hash) (plumbing.ObjectType, []byte, error) {
	p := in.store.Packs[0]
	pos, ok := p.find(h)
	if !ok {
		return 0, nil, plumbing.ErrObjectNotFound
	}
	typ, data, err := in.store.readPacked(p, p.offsetAt(pos))
	return plumbing.ObjectType(typ), data, err
}

// writeIndex writes and fsyncs the .idx under a temporary name.
func (in *IncomingPack) writeIndex(idx *idxfile.MemoryIndex) error {
	f, err := os.CreateTemp(in.dir, "tmp_idx_")
	if err != nil {
		return err
	}
	in.idxPath = f.Name()
	bw := bufio.NewWriter(f)
	if _, err := idxfile.NewEncoder(bw).Encode(idx); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// install makes the pack part of the repository: fsync, rename the pack,
// then its index, then fsync the directory. An empty pack is dropped.
// Installed, the pack's objects are read through the repository: the
// pack's own reader, its cache and its table of objects are released at
// once, so that what follows the push in the same request (indexing the
// new pages) does not carry them.
func (in *IncomingPack) Install() error {
	defer in.release()
	if in.Count == 0 {
		in.Discard()
		return nil
	}
	name := filepath.Join(in.dir, "pack-"+in.Sum.String())
	if _, err := os.Stat(name + ".idx"); err == nil {
		in.Discard() // the very same pack is already installed
		return nil
	}
	if err := in.file.Sync(); err != nil {
		return err
	}
	// Packs are immutable; git makes them read-only too.
	if err := os.Chmod(in.packPath, 0o444); err != nil {
		return err
	}
	if err := os.Chmod(in.idxPath, 0o444); err != nil {
		return err
	}
	if err := os.Rename(in.packPath, name+".pack"); err != nil {
		return err
	}
	in.packPath = ""
	if err := os.Rename(in.idxPath, name+".idx"); err != nil {
		os.Remove(name + ".pack")
		return err
	}
	in.idxPath = ""
	return durable.SyncDir(in.dir)
}

// close releases the pack's file; the objects stay readable through the
// repository once installed.
func (in *IncomingPack) close() {
	if in.store != nil {
		in.store.Close()
		in.store = nil
	}
	if in.file != nil {
		in.file.Close()
		in.file = nil
	}
}

// release drops what reading the pack before its installation needed.
func (in *IncomingPack) release() {
	in.close()
	in.Objects, in.bases = nil, nil
}

// discard closes the pack and removes whatever temporary file is left.
func (in *IncomingPack) Discard() {
	in.close()
	for _, p := range []string{in.packPath, in.idxPath} {
		if p != "" {
			os.Remove(p)
		}
	}
	in.packPath, in.idxPath = "", ""
}

// Objects is what receiving a pack needs of the repository it lands in: its
// directory, and its objects to complete a thin pack and to check a push.
type Objects interface {
	Dir() string
	HasObject(h plumbing.Hash) (bool, error)
	Object(t plumbing.ObjectType, h plumbing.Hash) (*plumbing.MemoryObject, error)
}
