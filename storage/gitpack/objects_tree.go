package gitpack

import (
	"bytes"
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// Trees are read in place: a push of a long history checks thousands of
// versions of trees that may hold thousands of entries each, so walking a
// tree allocates nothing, and comparing a tree with its parent's skips
// identical entries with one comparison of their bytes. A history costs
// the bytes of its trees, as in git's own index-pack, not a decoded copy
// of every entry of every version.

// TreeEntry is one entry of a tree; Name points into the tree's bytes.
type TreeEntry struct {
	Mode filemode.FileMode
	Name []byte
	ID   plumbing.Hash
	raw  []byte // the whole entry as stored
}

// IsDir reports whether the entry is a subtree.
func (e *TreeEntry) IsDir() bool { return e.Mode == filemode.Dir }

var errMalformedTree = &ObjectFault{"malformed tree"}

// treeFault is a malformed tree, reported to the pusher.
func treeFault(format string, args ...any) error {
	return &ObjectFault{fmt.Sprintf(format, args...)}
}

// TreeIter walks the entries of a tree's bytes.
type TreeIter struct {
	data []byte
	err  error
}

// NewTreeIter starts a walk over a tree object's content.
func NewTreeIter(data []byte) TreeIter { return TreeIter{data: data} }

// Next returns the next entry; false at the end or on a malformed entry
// (then Err says so).
func (it *TreeIter) Next() (TreeEntry, bool) {
	if len(it.data) == 0 || it.err != nil {
		return TreeEntry{}, false
	}
	e, n, err := parseTreeEntry(it.data)
	if err != nil {
		it.err = err
		return TreeEntry{}, false
	}
	it.data = it.data[n:]
	return e, true
}

// Err is the error that stopped the walk, if any.
func (it *TreeIter) Err() error { return it.err }

// parseTreeEntry reads "<octal mode> <name>\0<20-byte id>" and returns the
// entry and its length.
func parseTreeEntry(data []byte) (TreeEntry, int, error) {
	sp := bytes.IndexByte(data, ' ')
	if sp <= 0 || sp > 7 {
		return TreeEntry{}, 0, errMalformedTree
	}
	nul := bytes.IndexByte(data[sp:], 0) + sp
	if nul < sp+2 || len(data) < nul+21 {
		return TreeEntry{}, 0, errMalformedTree
	}
	if data[0] == '0' {
		return TreeEntry{}, 0, treeFault("malformed tree: bad file mode")
	}
	var m uint32
	for _, c := range data[:sp] {
		if c < '0' || c > '7' {
			return TreeEntry{}, 0, treeFault("malformed tree: bad file mode")
		}
		m = m<<3 | uint32(c-'0')
	}
	e := TreeEntry{Mode: filemode.FileMode(m), Name: data[sp+1 : nul], raw: data[:nul+21]}
	copy(e.ID[:], data[nul+1:nul+21])
	return e, nul + 21, nil
}

// compareTreeKeys orders entries as git sorts a tree: by name, a subtree's
// name read as if it ended in "/".
func compareTreeKeys(a, b *TreeEntry) int {
	n := min(len(a.Name), len(b.Name))
	if c := bytes.Compare(a.Name[:n], b.Name[:n]); c != 0 {
		return c
	}
	return int(keyByte(a, n)) - int(keyByte(b, n))
}

// keyByte is the byte at i of e's sort key; -1 past its end.
func keyByte(e *TreeEntry, i int) int16 {
	switch {
	case i < len(e.Name):
		return int16(e.Name[i])
	case i == len(e.Name) && e.IsDir():
		return '/'
	}
	return -1
}

// CheckTree checks what git fsck checks of a tree's shape: well-formed
// entries, names without "/", sorted, no name twice.
func CheckTree(data []byte) error {
	it := NewTreeIter(data)
	var c treeChecker
	for {
		e, ok := it.Next()
		if !ok {
			return it.Err()
		}
		if err := c.next(&e); err != nil {
			return err
		}
	}
}

// treeChecker checks a tree's entries one by one, in order.
type treeChecker struct {
	prev  TreeEntry
	seen  bool
	files [][]byte // files whose name a later subtree could repeat
}

func (c *treeChecker) next(e *TreeEntry) error {
	if bytes.IndexByte(e.Name, '/') >= 0 {
		return treeFault("malformed tree: entry name %q contains a slash", e.Name)
	}
	if c.seen && compareTreeKeys(&c.prev, e) >= 0 {
		return treeFault("malformed tree: entries not sorted or %q repeated", e.Name)
	}
	if c.files = dropFinished(c.files, e); e.IsDir() && len(c.files) > 0 && bytes.Equal(c.files[len(c.files)-1], e.Name) {
		return treeFault("malformed tree: entries not sorted or %q repeated", e.Name)
	}
	if !e.IsDir() {
		c.files = append(c.files, e.Name)
	}
	c.prev, c.seen = *e, true
	return nil
}

// dropFinished pops the files a subtree of the same name can no longer
// follow. A subtree "X" sorts as "X/", so a file "X" is repeated by it only
// if every entry in between starts with "X" and a byte below "/"; files is
// a stack of such candidates, each extending the one below, and the top is
// kept when e is the subtree that repeats it.
func dropFinished(files [][]byte, e *TreeEntry) [][]byte {
	for len(files) > 0 {
		f := files[len(files)-1]
		between := len(e.Name) > len(f) && bytes.HasPrefix(e.Name, f) && e.Name[len(f)] < '/'
		if between || (e.IsDir() && bytes.Equal(e.Name, f)) {
			return files
		}
		files = files[:len(files)-1]
	}
	return files
}

// DiffTree calls fn for each entry of tree that old does not hold as it is
// (new, or changed in mode or content), with the id of old's subtree of the
// same name when there was one, so the caller can descend into both.
// Entries that old holds at the same place, byte for byte, are skipped
// without decoding old's copy. With check, tree is checked as CheckTree
// does in the same pass (a malformed tree fails it); old is trusted to be
// sorted.
func DiffTree(tree, old []byte, check bool, fn func(e *TreeEntry, oldTree plumbing.Hash) error) error {
	it := NewTreeIter(tree)
	var c treeChecker
	for {
		e, ok := it.Next()
		if !ok {
			return it.Err()
		}
		if check {
			if err := c.next(&e); err != nil {
				return err
			}
		}
		if bytes.HasPrefix(old, e.raw) {
			old = old[len(e.raw):] // the same entry: same mode, name and id
			continue
		}
		var sub plumbing.Hash
		var same bool
		if old, sub, same = skipBefore(old, &e); same {
			continue
		}
		if err := fn(&e, sub); err != nil {
			return err
		}
	}
}

// skipBefore drops old's entries that sort before e, and e's namesake if
// old has one: same says it equals e; sub is its id when it is a subtree.
func skipBefore(old []byte, e *TreeEntry) (rest []byte, sub plumbing.Hash, same bool) {
	for len(old) > 0 {
		o, n, err := parseTreeEntry(old)
		if err != nil {
			return nil, plumbing.ZeroHash, false
		}
		switch c := compareTreeKeys(&o, e); {
		case c > 0:
			return old, plumbing.ZeroHash, false
		case c == 0 && bytes.Equal(o.raw, e.raw):
			return old[n:], plumbing.ZeroHash, true
		case c == 0 && o.IsDir():
			return old[n:], o.ID, false
		case c == 0:
			return old[n:], plumbing.ZeroHash, false
		}
		old = old[n:]
	}
	return old, plumbing.ZeroHash, false
}

// CompareTrees calls fn for each entry that differs between trees a and b,
// in git's order: x is a's entry (nil if a has none under that name and
// kind), y is b's. A file and a subtree of one name are two entries.
// Entries equal byte for byte are skipped, decoding only one side. x and
// y are valid only during the call.
func CompareTrees(a, b []byte, fn func(x, y *TreeEntry) error) error {
	// fn gets pointers, so x and y live on the heap: one pair per call,
	// not one per entry (a history walk compares millions of entries).
	var x, y TreeEntry
	for len(a) > 0 || len(b) > 0 {
		x, y = TreeEntry{}, TreeEntry{}
		var nx, ny int
		var err error
		if len(a) > 0 {
			if x, nx, err = parseTreeEntry(a); err != nil {
				return err
			}
			if bytes.HasPrefix(b, x.raw) {
				a, b = a[nx:], b[nx:]
				continue
			}
		}
		if len(b) > 0 {
			if y, ny, err = parseTreeEntry(b); err != nil {
				return err
			}
		}
		c := 0
		switch {
		case len(a) == 0:
			c = 1
		case len(b) == 0:
			c = -1
		default:
			c = compareTreeKeys(&x, &y)
		}
		switch {
		case c < 0:
			err, a = fn(&x, nil), a[nx:]
		case c > 0:
			err, b = fn(nil, &y), b[ny:]
		default:
			err, a, b = fn(&x, &y), a[nx:], b[ny:]
		}
		if err != nil {
			return err
		}
	}
	return nil
}
