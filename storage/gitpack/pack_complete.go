package gitpack

import (
	"bytes"
	"encoding/binary"
	"io"
	"os"
)

// A web save names its small pack before the pack is on disk and flushes
// pack, index and directory together, before the ref that needs them
// moves (see gitrepo's Commit): one flush round instead of two. A crash in
// that round can leave a named pack or index that is empty or cut short.
// No ref names its objects (the ref moves only after the flush), so such a
// pair is garbage, and readers must pass over it rather than fail:
// PackComplete is the check, cheap enough for every listing of new packs,
// and the repack removes such pairs once they are old.

// PackComplete reports whether the pack at packPath and its .idx are whole:
// the index has a version 2 header and the size its object count implies,
// and the pack's trailing checksum is the one the index records. A pack
// cut short or an index of another pack fails; what it does not prove
// (every byte in between) the readers' CRC and zlib checks still catch.
func PackComplete(packPath string) bool {
	idxPath := packPath[:len(packPath)-len(".pack")] + ".idx"
	want, ok := indexedPackSum(idxPath)
	if !ok {
		return false
	}
	got, ok := fileTrailer(packPath, 32)
	return ok && bytes.Equal(want, got)
}

// indexedPackSum reads the pack checksum an index records, after checking
// its header and size.
func indexedPackSum(idxPath string) ([]byte, bool) {
	f, err := os.Open(idxPath)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, false
	}
	var head [8 + 1024]byte
	if _, err := io.ReadFull(f, head[:]); err != nil || !bytes.Equal(head[:4], idxMagic) ||
		binary.BigEndian.Uint32(head[4:]) != 2 {
		return nil, false
	}
	n := int64(binary.BigEndian.Uint32(head[8+1020:]))
	base := int64(8+1024+40) + 28*n
	if extra := st.Size() - base; extra < 0 || extra%8 != 0 || extra > 8*n {
		return nil, false
	}
	sum := make([]byte, 20)
	if _, err := f.ReadAt(sum, st.Size()-40); err != nil {
		return nil, false
	}
	return sum, true
}

// fileTrailer reads the last 20 bytes of a file of at least min bytes.
func fileTrailer(name string, min int64) ([]byte, bool) {
	f, err := os.Open(name)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || st.Size() < min {
		return nil, false
	}
	sum := make([]byte, 20)
	_, err = f.ReadAt(sum, st.Size()-20)
	return sum, err == nil
}
