package storage

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
)

// A pushed pack lives in objects/pack under a temporary name
// (tmp_pack_*, tmp_idx_*, the names git uses too) until it has been checked
// and the push is accepted; only then is it fsynced and renamed to
// pack-<checksum>.pack with its .idx renamed last, so that a reader never
// finds an index whose pack is incomplete. Every failure removes the
// temporary files.

// pushCacheSize bounds the decoded objects one push keeps while its
// commits and trees are checked.
const pushCacheSize = 16 * cache.MiByte

// packObject is the type and size of one object of the pushed pack.
type packObject struct {
	typ  plumbing.ObjectType
	size int64
}

// incomingPack is a received, indexed pack not yet in the repository.
type incomingPack struct {
	dir      string // objects/pack
	packPath string // temporary names until install
	idxPath  string
	sum      plumbing.Hash
	size     int64
	received int64 // bytes the client sent
	thin     int   // bases appended to complete a thin pack
	objects  map[plumbing.Hash]packObject
	file     *os.File
	pack     *packfile.Packfile // reads objects before they are installed
}

// receivePackFile streams the pack from r into a temporary file, checks it,
// completes it if it is thin and indexes it. On error nothing is left.
func receivePackFile(repo *Repo, r io.Reader, limits GitLimits) (in *incomingPack, err error) {
	dir := filepath.Join(repo.Dir(), "objects", "pack")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(dir, "tmp_pack_")
	if err != nil {
		return nil, err
	}
	in = &incomingPack{dir: dir, packPath: f.Name(), file: f}
	defer func() {
		if err != nil {
			in.discard()
			in = nil
		}
	}()
	scan, err := streamPack(f, r, limits)
	if err != nil {
		return in, err
	}
	in.sum, in.size, in.received = scan.sum, scan.size, scan.size
	if scan.count == 0 {
		return in, nil
	}
	if err := in.completeThin(repo, scan); err != nil {
		return in, err
	}
	return in, in.index()
}

// streamPack copies the pack to f while scanning it.
func streamPack(f *os.File, r io.Reader, limits GitLimits) (*packScan, error) {
	bw := bufio.NewWriterSize(f, 64<<10)
	th := &tailHasher{h: sha1.New()}
	tee := io.TeeReader(r, io.MultiWriter(bw, th))
	cr := &countingReader{r: bufio.NewReaderSize(tee, 64<<10)}
	scan, err := scanPack(cr, th, limits)
	if err != nil {
		return nil, err
	}
	return scan, bw.Flush()
}

// completeThin appends, as whole objects, the delta bases the pack names
// but does not hold and the repository has (git's index-pack --fix-thin):
// a pack on disk must be self-contained.
func (in *incomingPack) completeThin(repo *Repo, scan *packScan) error {
	var missing []plumbing.Hash
	for h := range scan.bases {
		if scan.whole[h] {
			continue
		}
		// A base that is neither stored whole in the pack nor in the
		// repository may be a delta of the pack itself; the parser
		// resolves it or reports it missing.
		if ok, err := repo.hasObject(h); err != nil {
			return err
		} else if ok {
			missing = append(missing, h)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	slices.SortFunc(missing, func(a, b plumbing.Hash) int { return bytes.Compare(a[:], b[:]) })
	cw := &countWriter{w: io.NewOffsetWriter(in.file, scan.size-20)}
	bw := bufio.NewWriterSize(cw, 64<<10)
	zw := zlib.NewWriter(bw)
	for _, h := range missing {
		o, err := repo.object(plumbing.AnyObject, h)
		if err != nil {
			return err
		}
		if err := writeWholeEntry(bw, zw, o); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	end := scan.size - 20 + cw.n
	var count [4]byte
	binary.BigEndian.PutUint32(count[:], scan.count+uint32(len(missing)))
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
	in.sum, in.size, in.thin = plumbing.Hash(sum), end+20, len(missing)
	return nil
}

// countWriter counts the bytes written through it.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// writeWholeEntry writes one undeltified pack entry.
func writeWholeEntry(w io.Writer, zw *zlib.Writer, o plumbing.EncodedObject) error {
	if _, err := w.Write(encodeEntryHeader(o.Type(), o.Size())); err != nil {
		return err
	}
	rd, err := o.Reader()
	if err != nil {
		return err
	}
	defer rd.Close()
	zw.Reset(w)
	if _, err := io.Copy(zw, rd); err != nil {
		return err
	}
	return zw.Close()
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

// index parses the whole pack with go-git (resolving every delta, which
// checks that each one applies and yields its object id), writes the .idx
// to a temporary file and opens the pack for reading.
func (in *incomingPack) index() error {
	if _, err := in.file.Seek(0, io.SeekStart); err != nil {
		return err
	}
	idxw := new(idxfile.Writer)
	rec := &objectRecorder{objects: map[plumbing.Hash]packObject{}}
	parser, err := packfile.NewParser(packfile.NewScanner(in.file), idxw, rec)
	if err != nil {
		return err
	}
	sum, err := parser.Parse()
	if err != nil {
		if errors.Is(err, packfile.ErrReferenceDeltaNotFound) {
			return unpackErrorf("the pack has a delta against an object the repository does not have")
		}
		return unpackErrorf("the pack is invalid: %v", err)
	}
	if rec.dup != nil {
		return unpackErrorf("the pack holds object %s twice", rec.dup)
	}
	if sum != in.sum {
		return unpackErrorf("the pack checksum does not match its content")
	}
	idx, err := idxw.Index()
	if err != nil {
		return err
	}
	if err := in.writeIndex(idx); err != nil {
		return err
	}
	in.objects = rec.objects
	bf, err := osfs.New(in.dir, osfs.WithBoundOS()).Open(filepath.Base(in.packPath))
	if err != nil {
		return err
	}
	in.pack = packfile.NewPackfileWithCache(idx, nil, bf, cache.NewObjectLRU(pushCacheSize), 0)
	return nil
}

// writeIndex writes and fsyncs the .idx under a temporary name.
func (in *incomingPack) writeIndex(idx *idxfile.MemoryIndex) error {
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
func (in *incomingPack) install() error {
	if len(in.objects) == 0 {
		in.discard()
		return nil
	}
	if err := in.file.Sync(); err != nil {
		return err
	}
	name := filepath.Join(in.dir, "pack-"+in.sum.String())
	if err := os.Rename(in.packPath, name+".pack"); err != nil {
		return err
	}
	in.packPath = ""
	if err := os.Rename(in.idxPath, name+".idx"); err != nil {
		os.Remove(name + ".pack")
		return err
	}
	in.idxPath = ""
	return syncDir(in.dir)
}

// close releases the pack's file; the objects stay readable through the
// repository once installed.
func (in *incomingPack) close() {
	if in.pack != nil {
		in.pack.Close()
		in.pack = nil
	}
	if in.file != nil {
		in.file.Close()
		in.file = nil
	}
}

// discard closes the pack and removes whatever temporary file is left.
func (in *incomingPack) discard() {
	in.close()
	for _, p := range []string{in.packPath, in.idxPath} {
		if p != "" {
			os.Remove(p)
		}
	}
	in.packPath, in.idxPath = "", ""
}

// objectRecorder notes each object's id, type and size as the parser
// resolves it, and the first id seen twice (an index cannot hold it twice).
type objectRecorder struct {
	objects map[plumbing.Hash]packObject
	pending packObject
	dup     *plumbing.Hash
}

func (o *objectRecorder) OnHeader(count uint32) error { return nil }

func (o *objectRecorder) OnInflatedObjectHeader(t plumbing.ObjectType, size int64, pos int64) error {
	o.pending = packObject{typ: t, size: size}
	return nil
}

func (o *objectRecorder) OnInflatedObjectContent(h plumbing.Hash, pos int64, crc uint32, _ []byte) error {
	if _, ok := o.objects[h]; ok && o.dup == nil {
		o.dup = &h
	}
	o.objects[h] = o.pending
	return nil
}

func (o *objectRecorder) OnFooter(h plumbing.Hash) error { return nil }
