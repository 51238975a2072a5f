package gitpack

import (
	"context"
	"errors"

	"github.com/go-git/go-git/v5/plumbing"
)

// walkSlop is how many more commits the walk takes after only uninteresting
// ones remain, to ride over small clock skews (git uses the same).
const walkSlop = 5

// objSet is a set of object ids that remembers insertion order. Sets can
// share one map, each owning a bit, so that a walk asks "in either set?"
// with a single lookup.
type ObjSet struct {
	List []plumbing.Hash
	in   map[plumbing.Hash]uint8
	bit  uint8
}

func NewObjSet() *ObjSet { return &ObjSet{in: map[plumbing.Hash]uint8{}, bit: 1} }

// newObjSetPair returns two sets sharing one map.
func newObjSetPair() (*ObjSet, *ObjSet) {
	m := map[plumbing.Hash]uint8{}
	return &ObjSet{in: m, bit: 1}, &ObjSet{in: m, bit: 2}
}

func (s *ObjSet) Has(h plumbing.Hash) bool { return s.in[h]&s.bit != 0 }

func (s *ObjSet) Add(h plumbing.Hash) bool {
	m := s.in[h]
	if m&s.bit != 0 {
		return false
	}
	s.in[h] = m | s.bit
	s.List = append(s.List, h)
	return true
}

// objectWalk computes what a pack must hold: everything reachable from the
// wants minus everything reachable from what the client has, the way
// `git pack-objects --revs` does it. Commits are walked newest first until
// only commits the client has are left; trees of the boundary commits are
// then marked as the client's (they are also the thin-pack delta bases);
// finally the trees of the commits to send are walked, each distinct tree
// read once.
type ObjectWalk struct {
	Ctx      context.Context
	Graph    *WalkGraph
	Store    *ObjectStore
	Send     *ObjSet // objects to pack
	Theirs   *ObjSet // objects the client has (uninteresting)
	commits  []*WalkCommit
	roots    []plumbing.Hash // trees wanted directly
	cmdline  []*WalkCommit   // commits the client has, as sent
	Progress func(n int)
	ticks    int
}

// enumerate runs the walk for wants against haves.
func (w *ObjectWalk) Enumerate(wants, haves []plumbing.Hash) error {
	w.Send, w.Theirs = newObjSetPair()
	q := &walkQueue{}
	for _, h := range haves {
		if err := w.start(q, h, true); err != nil {
			return err
		}
	}
	for _, h := range wants {
		if err := w.start(q, h, false); err != nil {
			return err
		}
	}
	if err := w.walkCommits(q); err != nil {
		return err
	}
	if err := w.markEdges(); err != nil {
		return err
	}
	for _, n := range w.commits {
		if n.Flags&wfUninteresting == 0 {
			w.Send.Add(n.Hash)
		}
	}
	for _, n := range w.commits {
		if n.Flags&wfUninteresting == 0 {
			if err := w.addTree(n.tree); err != nil {
				return err
			}
		}
	}
	for _, t := range w.roots {
		if err := w.addTree(t); err != nil {
			return err
		}
	}
	return nil
}

// start puts one want or have on the walk, following tags (a wanted tag
// object is sent itself).
func (w *ObjectWalk) start(q *walkQueue, h plumbing.Hash, theirs bool) error {
	for range MaxTagChain {
		typ, err := w.Store.TypeOf(h)
		if err != nil {
			return err
		}
		switch typ {
		case ObjTag:
			w.mark(h, theirs)
			_, data, err := w.Store.Read(h)
			if err != nil {
				return err
			}
			target, ok := TagObjectTarget(data)
			if !ok {
				return packCorrupt("tag "+h.String(), errors.New("no object line"))
			}
			h = target
			continue
		case ObjCommit:
			n, err := w.Graph.Get(h)
			if err != nil {
				return err
			}
			if theirs {
				w.cmdline = append(w.cmdline, n)
				if n.Flags&wfUninteresting == 0 {
					n.Flags |= wfUninteresting
					w.Graph.markParentsUninteresting(n)
				}
			}
			if n.Flags&wfSeen == 0 {
				n.Flags |= wfSeen
				q.push(n)
			}
		case objTree:
			if theirs {
				return w.markTheirs(h)
			}
			w.roots = append(w.roots, h)
		default:
			w.mark(h, theirs)
		}
		return nil
	}
	return packCorrupt("tag "+h.String(), errors.New("tag chain too long"))
}

func (w *ObjectWalk) mark(h plumbing.Hash, theirs bool) {
	if theirs {
		w.Theirs.Add(h)
	} else {
		w.Send.Add(h)
	}
}

// walkCommits pops commits newest first, spreading "uninteresting" from the
// haves, until only uninteresting commits remain (plus a little slop).
func (w *ObjectWalk) walkCommits(q *walkQueue) error {
	slop := walkSlop
	for q.Len() > 0 {
		n := q.pop()
		if err := w.tick(); err != nil {
			return err
		}
		theirs := n.Flags&wfUninteresting != 0
		if theirs {
			w.Graph.markParentsUninteresting(n)
		}
		for _, ph := range w.Graph.Parents(n) {
			p, err := w.Graph.MustGet(ph)
			if err != nil {
				return err
			}
			if theirs {
				p.Flags |= wfUninteresting
			}
			if p.Flags&wfSeen == 0 {
				p.Flags |= wfSeen
				q.push(p)
			}
		}
		if !theirs {
			w.commits = append(w.commits, n)
			slop = walkSlop
			continue
		}
		if q.allUninteresting() {
			if slop--; slop == 0 {
				break
			}
		} else {
			slop = walkSlop
		}
	}
	return nil
}

// markEdges marks as the client's the trees of commits it has that border
// the commits to send, and of every commit it said it has.
func (w *ObjectWalk) markEdges() error {
	for _, n := range w.commits {
		if n.Flags&wfUninteresting != 0 {
			if err := w.markTheirs(n.tree); err != nil {
				return err
			}
			continue
		}
		for _, ph := range w.Graph.Parents(n) {
			p, err := w.Graph.MustGet(ph)
			if err != nil {
				return err
			}
			if p.Flags&wfUninteresting != 0 {
				if err := w.markTheirs(p.tree); err != nil {
					return err
				}
			}
		}
	}
	for _, n := range w.cmdline {
		if err := w.markTheirs(n.tree); err != nil {
			return err
		}
	}
	return nil
}

// markTheirs records a tree and everything below it as the client's.
func (w *ObjectWalk) markTheirs(root plumbing.Hash) error {
	return w.walkTree(root, w.Theirs, nil)
}

// addTree adds a tree and everything below it that the client lacks.
func (w *ObjectWalk) addTree(root plumbing.Hash) error {
	return w.walkTree(root, w.Send, w.Theirs)
}

// walkTree adds root and its contents to into, skipping subtrees already
// there or in skip (which shares into's map); each tree is read once.
func (w *ObjectWalk) walkTree(root plumbing.Hash, into, skip *ObjSet) error {
	mask := into.bit
	if skip != nil {
		mask |= skip.bit
	}
	if into.in[root]&mask != 0 {
		return nil
	}
	into.Add(root)
	stack := []plumbing.Hash{root}
	var bad error
	for len(stack) > 0 {
		t := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if err := w.tick(); err != nil {
			return err
		}
		typ, data, err := w.Store.Read(t)
		if err != nil {
			return err
		}
		if typ != objTree {
			return packCorrupt("tree "+t.String(), errNotTree)
		}
		err = eachTreeEntryOID(data, func(kind int, h plumbing.Hash) {
			m := into.in[h]
			if kind == entryGitlink || m&mask != 0 {
				return
			}
			into.in[h] = m | into.bit
			into.List = append(into.List, h)
			if kind == entryTree {
				stack = append(stack, h)
			}
		})
		if err != nil && bad == nil {
			bad = packCorrupt("tree "+t.String(), err)
		}
	}
	return bad
}

var errNotTree = errors.New("not a tree")

// tick reports progress now and then and stops a cancelled walk.
func (w *ObjectWalk) tick() error {
	w.ticks++
	if w.ticks&1023 != 0 {
		return nil
	}
	if w.Progress != nil {
		w.Progress(len(w.Send.List))
	}
	return w.Ctx.Err()
}
