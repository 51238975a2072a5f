package gitpack

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"strconv"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/warren-wiki/warren/wiki"
)

// typeOf returns an object's type, reading only its header when it is
// stored whole.
func (s *ObjectStore) TypeOf(h plumbing.Hash) (int, error) {
	if p, pos, ok := s.locate(h); ok {
		hdr, err := s.readEntryHeader(p, p.offsetAt(pos))
		if err != nil {
			return 0, err
		}
		if hdr.typ <= ObjTag {
			return hdr.typ, nil
		}
		typ, _, err := s.readPacked(p, p.offsetAt(pos))
		return typ, err
	}
	f, err := os.Open(s.loosePath(h))
	if errors.Is(err, fs.ErrNotExist) {
		if added, _ := s.rescan(); added {
			if _, _, ok := s.locate(h); ok {
				return s.TypeOf(h)
			}
		}
		return 0, wiki.Errorf(wiki.ENOTFOUND, "object %s not found", h)
	}
	if err != nil {
		return 0, err
	}
	defer f.Close()
	lr, err := newLooseStream(f)
	if err != nil {
		return 0, err
	}
	lr.Close()
	return lr.typ, nil
}

// maxTagChain bounds tag-of-a-tag chains.
const MaxTagChain = 16

// peel follows annotated tags to the object they finally name.
func (s *ObjectStore) Peel(h plumbing.Hash) (plumbing.Hash, int, error) {
	for range MaxTagChain {
		typ, data, err := s.Read(h)
		if err != nil {
			return h, 0, err
		}
		if typ != ObjTag {
			return h, typ, nil
		}
		target, ok := TagObjectTarget(data)
		if !ok {
			return h, 0, packCorrupt("tag "+h.String(), errors.New("no object line"))
		}
		h = target
	}
	return h, 0, packCorrupt("tag "+h.String(), errors.New("tag chain too long"))
}

// tagObjectTarget reads the "object" header of a tag.
func TagObjectTarget(data []byte) (plumbing.Hash, bool) {
	line, _, _ := bytes.Cut(data, []byte{'\n'})
	hex, ok := bytes.CutPrefix(line, []byte("object "))
	if !ok {
		return plumbing.ZeroHash, false
	}
	return ParseOID(string(hex))
}

// commitHeader are the parts of a commit the walks need.
type commitHeader struct {
	tree    plumbing.Hash
	Parents []plumbing.Hash
	Date    int64 // committer time
}

// parseCommitHeader reads the header of a commit object.
func parseCommitHeader(data []byte) (commitHeader, bool) {
	var c commitHeader
	haveTree := false
	for len(data) > 0 {
		line, rest, _ := bytes.Cut(data, []byte{'\n'})
		data = rest
		if len(line) == 0 {
			break // end of headers
		}
		switch {
		case bytes.HasPrefix(line, []byte("tree ")):
			h, ok := ParseOID(string(line[5:]))
			if !ok {
				return c, false
			}
			c.tree, haveTree = h, true
		case bytes.HasPrefix(line, []byte("parent ")):
			h, ok := ParseOID(string(line[7:]))
			if !ok {
				return c, false
			}
			c.Parents = append(c.Parents, h)
		case bytes.HasPrefix(line, []byte("committer ")):
			c.Date = committerTime(line)
		}
	}
	return c, haveTree
}

// committerTime reads the epoch seconds of "name <email> 1700000000 +0100".
func committerTime(line []byte) int64 {
	i := bytes.LastIndexByte(line, '>')
	if i < 0 {
		return 0
	}
	f := bytes.Fields(line[i+1:])
	if len(f) == 0 {
		return 0
	}
	t, _ := strconv.ParseInt(string(f[0]), 10, 64)
	return t
}

// treeEntry kinds, from the mode.
const (
	entryBlob = iota
	entryTree
	entryGitlink
)

// eachTreeEntryOID calls fn for every entry of a tree object, without
// allocating: the hash is copied out, names are not needed.
func eachTreeEntryOID(data []byte, fn func(kind int, h plumbing.Hash)) error {
	for len(data) > 0 {
		sp := bytes.IndexByte(data, ' ')
		if sp < 0 {
			return errors.New("bad tree entry mode")
		}
		mode := data[:sp]
		nul := bytes.IndexByte(data[sp:], 0)
		if nul < 0 || sp+nul+21 > len(data) {
			return errors.New("truncated tree entry")
		}
		end := sp + nul + 1
		var h plumbing.Hash
		copy(h[:], data[end:end+20])
		data = data[end+20:]
		kind := entryBlob
		switch {
		case len(mode) == 5 && string(mode) == "40000", len(mode) == 6 && string(mode) == "040000":
			kind = entryTree
		case string(mode) == "160000":
			kind = entryGitlink
		}
		fn(kind, h)
	}
	return nil
}
