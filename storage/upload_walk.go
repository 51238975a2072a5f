package storage

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
type objSet struct {
	list []plumbing.Hash
	in   map[plumbing.Hash]uint8
	bit  uint8
}

func newObjSet() *objSet { return &objSet{in: map[plumbing.Hash]uint8{}, bit: 1} }

// newObjSetPair returns two sets sharing one map.
func newObjSetPair() (*objSet, *objSet) {
	m := map[plumbing.Hash]uint8{}
	return &objSet{in: m, bit: 1}, &objSet{in: m, bit: 2}
}

func (s *objSet) has(h plumbing.Hash) bool { return s.in[h]&s.bit != 0 }

func (s *objSet) add(h plumbing.Hash) bool {
	m := s.in[h]
	if m&s.bit != 0 {
		return false
	}
	s.in[h] = m | s.bit
	s.list = append(s.list, h)
	return true
}

// objectWalk computes what a pack must hold: everything reachable from the
// wants minus everything reachable from what the client has, the way
// `git pack-objects --revs` does it. Commits are walked newest first until
// only commits the client has are left; trees of the boundary commits are
// then marked as the client's (they are also the thin-pack delta bases);
// finally the trees of the commits to send are walked, each distinct tree
// read once.
type objectWalk struct {
	ctx      context.Context
	g        *walkGraph
	st       *objectStore
	send     *objSet // objects to pack
	theirs   *objSet // objects the client has (uninteresting)
	commits  []*walkCommit
	roots    []plumbing.Hash // trees wanted directly
	cmdline  []*walkCommit   // commits the client has, as sent
	progress func(n int)
	ticks    int
}

// enumerate runs the walk for wants against haves.
func (w *objectWalk) enumerate(wants, haves []plumbing.Hash) error {
	w.send, w.theirs = newObjSetPair()
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
		if n.flags&wfUninteresting == 0 {
			w.send.add(n.hash)
		}
	}
	for _, n := range w.commits {
		if n.flags&wfUninteresting == 0 {
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
func (w *objectWalk) start(q *walkQueue, h plumbing.Hash, theirs bool) error {
	for range maxTagChain {
		typ, err := w.st.typeOf(h)
		if err != nil {
			return err
		}
		switch typ {
		case objTag:
			w.mark(h, theirs)
			_, data, err := w.st.read(h)
			if err != nil {
				return err
			}
			target, ok := tagObjectTarget(data)
			if !ok {
				return packCorrupt("tag "+h.String(), errors.New("no object line"))
			}
			h = target
			continue
		case objCommit:
			n, err := w.g.get(h)
			if err != nil {
				return err
			}
			if theirs {
				w.cmdline = append(w.cmdline, n)
				if n.flags&wfUninteresting == 0 {
					n.flags |= wfUninteresting
					w.g.markParentsUninteresting(n)
				}
			}
			if n.flags&wfSeen == 0 {
				n.flags |= wfSeen
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

func (w *objectWalk) mark(h plumbing.Hash, theirs bool) {
	if theirs {
		w.theirs.add(h)
	} else {
		w.send.add(h)
	}
}

// walkCommits pops commits newest first, spreading "uninteresting" from the
// haves, until only uninteresting commits remain (plus a little slop).
func (w *objectWalk) walkCommits(q *walkQueue) error {
	slop := walkSlop
	for q.Len() > 0 {
		n := q.pop()
		if err := w.tick(); err != nil {
			return err
		}
		theirs := n.flags&wfUninteresting != 0
		if theirs {
			w.g.markParentsUninteresting(n)
		}
		for _, ph := range w.g.parents(n) {
			p, err := w.g.mustGet(ph)
			if err != nil {
				return err
			}
			if theirs {
				p.flags |= wfUninteresting
			}
			if p.flags&wfSeen == 0 {
				p.flags |= wfSeen
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
func (w *objectWalk) markEdges() error {
	for _, n := range w.commits {
		if n.flags&wfUninteresting != 0 {
			if err := w.markTheirs(n.tree); err != nil {
				return err
			}
			continue
		}
		for _, ph := range w.g.parents(n) {
			p, err := w.g.mustGet(ph)
			if err != nil {
				return err
			}
			if p.flags&wfUninteresting != 0 {
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
func (w *objectWalk) markTheirs(root plumbing.Hash) error {
	return w.walkTree(root, w.theirs, nil)
}

// addTree adds a tree and everything below it that the client lacks.
func (w *objectWalk) addTree(root plumbing.Hash) error {
	return w.walkTree(root, w.send, w.theirs)
}

// walkTree adds root and its contents to into, skipping subtrees already
// there or in skip (which shares into's map); each tree is read once.
func (w *objectWalk) walkTree(root plumbing.Hash, into, skip *objSet) error {
	mask := into.bit
	if skip != nil {
		mask |= skip.bit
	}
	if into.in[root]&mask != 0 {
		return nil
	}
	into.add(root)
	stack := []plumbing.Hash{root}
	var bad error
	for len(stack) > 0 {
		t := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if err := w.tick(); err != nil {
			return err
		}
		typ, data, err := w.st.read(t)
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
			into.list = append(into.list, h)
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
func (w *objectWalk) tick() error {
	w.ticks++
	if w.ticks&1023 != 0 {
		return nil
	}
	if w.progress != nil {
		w.progress(len(w.send.list))
	}
	return w.ctx.Err()
}
