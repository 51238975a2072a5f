package gitpack

import (
	"bytes"
	"compress/zlib"
	"crypto/sha1"
	"encoding/binary"
	"hash/crc32"
	"slices"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
)

// A web save adds a handful of objects (a blob, the trees on its path, a
// commit). Writing them as one small pack with its index costs two new
// files in one directory, flushed together, where loose objects cost one
// file and often one directory each; and git reads such packs as it reads
// any other. The repository consolidates small packs from time to time
// (gitrepo's repack), so their number stays bounded.

// PackObject is one whole object to write into a pack.
type PackObject struct {
	Hash plumbing.Hash
	Type plumbing.ObjectType
	Data []byte
}

// SmallPack is a pack and its version 2 index, encoded in memory.
type SmallPack struct {
	Pack []byte
	Idx  []byte
	Sum  plumbing.Hash // the pack's checksum, which names it: pack-<Sum>.pack
}

// zlibWriters reuses compressors: a new zlib writer allocates over half a
// MiB of tables.
var zlibWriters = sync.Pool{New: func() any {
	zw, _ := zlib.NewWriterLevel(nil, zlib.BestSpeed)
	return zw
}}

// EncodeSmallPack encodes objs as a pack of whole (undeltified) entries and
// its index. An object named twice is written once. Level 1 compression, as
// git uses for loose objects: these packs are short-lived.
func EncodeSmallPack(objs []PackObject) (*SmallPack, error) {
	objs = uniqueObjects(objs)
	var pack bytes.Buffer
	var hdr [12]byte
	copy(hdr[:], "PACK")
	binary.BigEndian.PutUint32(hdr[4:], 2)
	binary.BigEndian.PutUint32(hdr[8:], uint32(len(objs)))
	pack.Write(hdr[:])
	offsets := make([]int64, len(objs))
	crcs := make([]uint32, len(objs))
	zw := zlibWriters.Get().(*zlib.Writer)
	defer zlibWriters.Put(zw)
	for i, o := range objs {
		offsets[i] = int64(pack.Len())
		pack.Write(encodeEntryHeader(o.Type, int64(len(o.Data))))
		zw.Reset(&pack)
		if _, err := zw.Write(o.Data); err != nil {
			return nil, err
		}
		if err := zw.Close(); err != nil {
			return nil, err
		}
		crcs[i] = crc32.ChecksumIEEE(pack.Bytes()[offsets[i]:])
	}
	sum := sha1.Sum(pack.Bytes())
	pack.Write(sum[:])
	sp := &SmallPack{Pack: pack.Bytes(), Sum: plumbing.Hash(sum)}
	sp.Idx = encodeIndex(objs, offsets, crcs, sp.Sum)
	return sp, nil
}

// uniqueObjects drops repeated objects (two files with the same content).
func uniqueObjects(objs []PackObject) []PackObject {
	seen := make(map[plumbing.Hash]bool, len(objs))
	out := make([]PackObject, 0, len(objs))
	for _, o := range objs {
		if !seen[o.Hash] {
			seen[o.Hash] = true
			out = append(out, o)
		}
	}
	return out
}

// encodeIndex writes a version 2 .idx: fan-out table, sorted names, CRCs,
// offsets (large ones in a second table), the pack's checksum and its own.
func encodeIndex(objs []PackObject, offsets []int64, crcs []uint32, packSum plumbing.Hash) []byte {
	order := make([]int, len(objs))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return bytes.Compare(objs[a].Hash[:], objs[b].Hash[:]) })
	var idx bytes.Buffer
	idx.Write(idxMagic)
	idx.Write([]byte{0, 0, 0, 2})
	var fanout [256]uint32
	for _, o := range objs {
		fanout[o.Hash[0]]++
	}
	var count uint32
	for _, n := range fanout {
		count += n
		idx.Write(binary.BigEndian.AppendUint32(nil, count))
	}
	for _, i := range order {
		idx.Write(objs[i].Hash[:])
	}
	for _, i := range order {
		idx.Write(binary.BigEndian.AppendUint32(nil, crcs[i]))
	}
	var large []byte
	for _, i := range order {
		off := uint32(offsets[i])
		if offsets[i] >= 1<<31 {
			off = 0x80000000 | uint32(len(large)/8)
			large = binary.BigEndian.AppendUint64(large, uint64(offsets[i]))
		}
		idx.Write(binary.BigEndian.AppendUint32(nil, off))
	}
	idx.Write(large)
	idx.Write(packSum[:])
	sum := sha1.Sum(idx.Bytes())
	idx.Write(sum[:])
	return idx.Bytes()
}
