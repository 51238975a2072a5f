package gitpack

import (
	"bufio"
	"context"
	"io"
	"os"

	"github.com/warren-wiki/warren/wiki"
)

// readTrailer takes the pack's checksum and size from the file.
func (in *IncomingPack) readTrailer() error {
	size, err := in.file.Seek(0, io.SeekEnd)
	if err != nil {
		return err
	}
	if size < 32 {
		return wiki.Errorf(wiki.EINTERNAL, "repack wrote a pack of %d bytes", size)
	}
	if _, err := in.file.ReadAt(in.Sum[:], size-20); err != nil {
		return err
	}
	in.size = size
	return nil
}

// indexWritten scans and indexes a pack the repack wrote, which also
// proves it complete and readable before anything is removed.
func (in *IncomingPack) indexWritten() error {
	limits := Limits{MaxBlob: 1 << 40, MaxPush: 1 << 62} // the objects are the repository's own
	scan, err := scanStream(io.NewSectionReader(in.file, 0, in.size), io.Discard, limits)
	if err != nil {
		return err
	}
	return in.index(scan, limits)
}

// writeRepack writes every object of send into a temporary pack and
// indexes it.
func WriteRepack(ctx context.Context, st *ObjectStore, send *ObjSet, packDir string) (*IncomingPack, error) {
	f, err := os.CreateTemp(packDir, "tmp_pack_")
	if err != nil {
		return nil, err
	}
	in := &IncomingPack{dir: packDir, packPath: f.Name(), file: f}
	bw := bufio.NewWriterSize(f, 256<<10)
	pw := &PackWriter{Ctx: ctx, Store: st, Out: bw, OfsDelta: true, Send: send, Theirs: NewObjSet()}
	err = pw.Write()
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = in.readTrailer()
	}
	if err == nil {
		err = in.indexWritten()
	}
	if err != nil {
		in.Discard()
		return nil, err
	}
	return in, nil
}
