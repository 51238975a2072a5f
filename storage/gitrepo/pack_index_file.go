package gitrepo

import (
	"bufio"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"strings"

	"github.com/go-git/go-billy/v5"
)

// Open opens a file of the repository for go-git. A pack index is read
// through a buffer: go-git decodes it in 4-byte reads (the fan-out table
// alone is 256 of them), one system call each, and every open of a wiki
// loads its indexes again.
func (f completePacksFS) Open(name string) (billy.File, error) {
	file, err := f.Filesystem.Open(name)
	if err != nil || !isPackIndex(name) {
		return file, err
	}
	if _, ok := file.(statFile); !ok {
		return file, nil // go-git checks an index's size only through Stat
	}
	return &bufferedIndex{File: file, r: bufio.NewReaderSize(file, 32<<10)}, nil
}

// isPackIndex says whether name is a pack's .idx file.
func isPackIndex(name string) bool {
	n := path.Clean(filepath.ToSlash(name))
	return strings.HasPrefix(n, "objects/pack/") && strings.HasSuffix(n, ".idx")
}

// statFile is a file that can say its size (an os.File underneath).
type statFile interface {
	Stat() (fs.FileInfo, error)
}

// bufferedIndex is a pack index read through a buffer; reads at an
// offset and seeks see the same bytes as the file.
type bufferedIndex struct {
	billy.File
	r *bufio.Reader
}

// Read reads from the buffer.
func (b *bufferedIndex) Read(p []byte) (int, error) { return b.r.Read(p) }

// Seek moves the file's offset, counting what the buffer holds unread,
// and empties the buffer.
func (b *bufferedIndex) Seek(offset int64, whence int) (int64, error) {
	if whence == io.SeekCurrent {
		offset -= int64(b.r.Buffered())
	}
	n, err := b.File.Seek(offset, whence)
	b.r.Reset(b.File)
	return n, err
}

// Stat is the file's own: go-git checks the index's size against its
// fan-out table before it trusts it.
func (b *bufferedIndex) Stat() (fs.FileInfo, error) { return b.File.(statFile).Stat() }
