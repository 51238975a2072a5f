package gitpack

import (
	"container/heap"
	"errors"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/warren-wiki/warren/wiki"
)

// Flags on commits during one upload-pack request.
const (
	wfSeen          = 1 << iota // queued by the object walk
	wfUninteresting             // the client has it (reachable from a common have)
	WfTheyHave                  // a common have or a parent of one
	WfClientShallow             // the client told us it is shallow there
	WfNotShallow                // inside the requested depth
	WfShallow                   // on the new shallow boundary
)

// walkCommit is a commit as the walks see it. A node can exist before it
// is parsed, so that flags reach commits that are not loaded yet.
type WalkCommit struct {
	Hash   plumbing.Hash
	parsed bool
	commitHeader
	Flags uint16
}

// walkGraph loads commits on demand for one request. Commits registered
// as shallow (the client's boundary and the new one) have no parents for
// the walks, exactly as git's shallow grafts make them.
type WalkGraph struct {
	st      *ObjectStore
	nodes   map[plumbing.Hash]*WalkCommit
	Shallow map[plumbing.Hash]bool
}

func NewWalkGraph(st *ObjectStore) *WalkGraph {
	return &WalkGraph{st: st, nodes: map[plumbing.Hash]*WalkCommit{}, Shallow: map[plumbing.Hash]bool{}}
}

var ErrNotCommit = errors.New("not a commit")

// node returns the node for h without loading it.
func (g *WalkGraph) Node(h plumbing.Hash) *WalkCommit {
	n := g.nodes[h]
	if n == nil {
		n = &WalkCommit{Hash: h}
		g.nodes[h] = n
	}
	return n
}

// get returns the parsed commit h; errNotCommit if h is another type,
// ENOTFOUND if it is missing.
func (g *WalkGraph) Get(h plumbing.Hash) (*WalkCommit, error) {
	n := g.Node(h)
	if n.parsed {
		return n, nil
	}
	typ, data, err := g.st.Read(h)
	if err != nil {
		return nil, err
	}
	if typ != ObjCommit {
		return nil, ErrNotCommit
	}
	f, ok := parseCommitHeader(data)
	if !ok {
		return nil, packCorrupt("commit "+h.String(), errors.New("bad header"))
	}
	n.commitHeader, n.parsed = f, true
	return n, nil
}

// mustGet is get for commits that a parsed commit names as parent: a
// missing one means the repository is broken.
func (g *WalkGraph) MustGet(h plumbing.Hash) (*WalkCommit, error) {
	n, err := g.Get(h)
	if err != nil {
		if wiki.ErrorCode(err) == wiki.ENOTFOUND || errors.Is(err, ErrNotCommit) {
			return nil, packCorrupt("commit "+h.String(), err)
		}
		return nil, err
	}
	return n, nil
}

// parents are n's parents as the walks see them (none for a shallow one).
func (g *WalkGraph) Parents(n *WalkCommit) []plumbing.Hash {
	if g.Shallow[n.Hash] {
		return nil
	}
	return n.Parents
}

// markParentsUninteresting spreads "the client has it" to every ancestor
// already known, so commits reached earlier by an interesting path are
// corrected.
func (g *WalkGraph) markParentsUninteresting(n *WalkCommit) {
	stack := append([]plumbing.Hash(nil), g.Parents(n)...)
	for len(stack) > 0 {
		p := g.Node(stack[len(stack)-1])
		stack = stack[:len(stack)-1]
		if p.Flags&wfUninteresting != 0 {
			continue
		}
		p.Flags |= wfUninteresting
		if p.parsed {
			stack = append(stack, g.Parents(p)...)
		}
	}
}

// walkQueue pops the newest commit first (by committer date, then by
// insertion order), as git's revision walk does.
type walkQueue struct {
	items []queued
	seq   int
}

type queued struct {
	n   *WalkCommit
	seq int
}

func (q *walkQueue) Len() int { return len(q.items) }
func (q *walkQueue) Less(i, j int) bool {
	a, b := q.items[i], q.items[j]
	if a.n.Date != b.n.Date {
		return a.n.Date > b.n.Date
	}
	return a.seq < b.seq
}
func (q *walkQueue) Swap(i, j int) { q.items[i], q.items[j] = q.items[j], q.items[i] }
func (q *walkQueue) Push(x any)    { q.items = append(q.items, x.(queued)) }
func (q *walkQueue) Pop() any {
	it := q.items[len(q.items)-1]
	q.items = q.items[:len(q.items)-1]
	return it
}

func (q *walkQueue) push(n *WalkCommit) {
	q.seq++
	heap.Push(q, queued{n: n, seq: q.seq})
}

func (q *walkQueue) pop() *WalkCommit { return heap.Pop(q).(queued).n }

// allUninteresting reports whether nothing interesting is left to walk.
func (q *walkQueue) allUninteresting() bool {
	for _, it := range q.items {
		if it.n.Flags&wfUninteresting == 0 {
			return false
		}
	}
	return true
}

// unreachable returns the commits of targets that no ref reaches (a want
// that is not a ref tip must still be reachable: allow-reachable-sha1-in-want).
func (g *WalkGraph) Unreachable(tips []plumbing.Hash, targets []plumbing.Hash) ([]plumbing.Hash, error) {
	left := map[plumbing.Hash]bool{}
	for _, t := range targets {
		left[t] = true
	}
	seen := map[plumbing.Hash]bool{}
	stack := append([]plumbing.Hash(nil), tips...)
	for len(stack) > 0 && len(left) > 0 {
		h := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[h] {
			continue
		}
		seen[h] = true
		delete(left, h)
		n, err := g.Get(h)
		if errors.Is(err, ErrNotCommit) {
			continue
		}
		if err != nil {
			return nil, err
		}
		stack = append(stack, n.Parents...)
	}
	var out []plumbing.Hash
	for _, t := range targets {
		if left[t] {
			out = append(out, t)
		}
	}
	return out, nil
}
