package gitpack

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/go-git/go-git/v5/plumbing"
)

// pushObjects reads objects during a push: the pushed pack (not yet in the
// repository) first, then the repository. It is used by one goroutine.
type PushObjects struct {
	Repo Objects
	In   *IncomingPack // nil when the push brought no pack
}

// errMissing is returned for an object neither the pack nor the repository
// has.
var ErrMissing = errors.New("object not found")

// objectFault is an object that is not what the push needs it to be (the
// wrong type, malformed); it is reported to the pusher as a reason.
type ObjectFault struct{ Msg string }

func (e *ObjectFault) Error() string { return e.Msg }

// info returns an object's type and size, and whether the push brought it
// (a base copied from the repository to complete a thin pack was not).
func (o *PushObjects) Info(h plumbing.Hash) (plumbing.ObjectType, int64, bool, error) {
	if o.In != nil {
		if p, ok := o.In.Objects[h]; ok {
			return p.typ, p.size, !o.In.bases[h], nil
		}
	}
	m, err := o.Repo.Object(plumbing.AnyObject, h)
	if errors.Is(err, plumbing.ErrObjectNotFound) {
		return 0, 0, false, ErrMissing
	} else if err != nil {
		return 0, 0, false, err
	}
	return m.Type(), m.Size(), false, nil
}

// read returns an object's content; want (unless AnyObject) is the type it
// must have. Content read from the pushed pack may be shared with its cache:
// callers must not modify it.
func (o *PushObjects) Read(h plumbing.Hash, want plumbing.ObjectType) ([]byte, error) {
	if o.In != nil && o.In.store != nil {
		if _, ok := o.In.Objects[h]; ok {
			typ, data, err := o.In.read(h)
			if err != nil {
				return nil, err
			}
			return data, checkType(typ, want)
		}
	}
	obj, err := o.Repo.Object(plumbing.AnyObject, h)
	if errors.Is(err, plumbing.ErrObjectNotFound) {
		return nil, ErrMissing
	} else if err != nil {
		return nil, err
	}
	if err := checkType(obj.Type(), want); err != nil {
		return nil, err
	}
	rd, err := obj.Reader()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	return io.ReadAll(rd)
}

// checkType says why an object of type got is not the wanted one.
func checkType(got, want plumbing.ObjectType) error {
	if want != plumbing.AnyObject && got != want {
		return &ObjectFault{fmt.Sprintf("is a %s, not a %s", got, want)}
	}
	return nil
}

// fsckCommitHead is the part of a commit the checks need.
type FsckCommitHead struct {
	Tree    plumbing.Hash
	Parents []plumbing.Hash
}

// commit reads and parses a commit.
func (o *PushObjects) Commit(h plumbing.Hash) (FsckCommitHead, error) {
	data, err := o.Read(h, plumbing.CommitObject)
	if err != nil {
		return FsckCommitHead{}, err
	}
	c, err := fsckCommit(data)
	if err != nil {
		return c, &ObjectFault{err.Error()}
	}
	return c, nil
}

// fsckCommit checks a commit's header the way git fsck does: a tree line
// first, then parent lines, then author and committer identities.
func fsckCommit(data []byte) (FsckCommitHead, error) {
	var c FsckCommitHead
	bad := func(what string) (FsckCommitHead, error) { return c, fmt.Errorf("malformed commit: %s", what) }
	line, rest, ok := bytes.Cut(data, []byte("\n"))
	id, found := bytes.CutPrefix(line, []byte("tree "))
	if !ok || !found || !IsHexID(string(id)) {
		return bad("no tree line")
	}
	c.Tree = plumbing.NewHash(string(id))
	for {
		line, rest, ok = bytes.Cut(rest, []byte("\n"))
		id, found := bytes.CutPrefix(line, []byte("parent "))
		if !ok || !found {
			break
		}
		if !IsHexID(string(id)) {
			return bad("bad parent line")
		}
		c.Parents = append(c.Parents, plumbing.NewHash(string(id)))
	}
	id, found = bytes.CutPrefix(line, []byte("author "))
	if !ok || !found || !fsckIdent(id) {
		return bad("bad author line")
	}
	line, _, ok = bytes.Cut(rest, []byte("\n"))
	id, found = bytes.CutPrefix(line, []byte("committer "))
	if !ok || !found || !fsckIdent(id) {
		return bad("bad committer line")
	}
	return c, nil
}

// fsckIdent checks "Name <email> 1700000000 +0100".
func fsckIdent(b []byte) bool {
	lt := bytes.IndexByte(b, '<')
	gt := bytes.IndexByte(b, '>')
	if lt < 0 || gt < lt || bytes.IndexByte(b[lt+1:gt], '<') >= 0 {
		return false
	}
	f := bytes.Fields(b[gt+1:])
	if len(f) != 2 || len(f[1]) != 5 || (f[1][0] != '+' && f[1][0] != '-') {
		return false
	}
	if _, err := strconv.ParseUint(string(f[0]), 10, 64); err != nil {
		return false
	}
	_, err := strconv.ParseUint(string(f[1][1:]), 10, 16)
	return err == nil
}

// fsckTagHead is the part of an annotated tag the checks need.
type fsckTagHead struct {
	Target plumbing.Hash
	Typ    plumbing.ObjectType
}

// fsckTag checks an annotated tag's object, type and tag lines.
func FsckTag(data []byte) (fsckTagHead, error) {
	var t fsckTagHead
	lines := bytes.SplitN(data, []byte("\n"), 4)
	if len(lines) < 4 {
		return t, errors.New("malformed tag")
	}
	id, ok1 := bytes.CutPrefix(lines[0], []byte("object "))
	typ, ok2 := bytes.CutPrefix(lines[1], []byte("type "))
	name, ok3 := bytes.CutPrefix(lines[2], []byte("tag "))
	if !ok1 || !ok2 || !ok3 || !IsHexID(string(id)) || len(name) == 0 {
		return t, errors.New("malformed tag")
	}
	var err error
	if t.Typ, err = plumbing.ParseObjectType(string(typ)); err != nil || !t.Typ.Valid() {
		return t, errors.New("malformed tag: bad type")
	}
	t.Target = plumbing.NewHash(string(id))
	return t, nil
}
