package storage

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
	wfTheyHave                  // a common have or a parent of one
	wfClientShallow             // the client told us it is shallow there
	wfNotShallow                // inside the requested depth
	wfShallow                   // on the new shallow boundary
)

// walkCommit is a commit as the walks see it. A node can exist before it
// is parsed, so that flags reach commits that are not loaded yet.
type walkCommit struct {
	hash   plumbing.Hash
	parsed bool
	commitHeader
	flags uint16
}

// walkGraph loads commits on demand for one request. Commits registered
// as shallow (the client's boundary and the new one) have no parents for
// the walks, exactly as git's shallow grafts make them.
type walkGraph struct {
	st      *objectStore
	nodes   map[plumbing.Hash]*walkCommit
	shallow map[plumbing.Hash]bool
}

func newWalkGraph(st *objectStore) *walkGraph {
	return &walkGraph{st: st, nodes: map[plumbing.Hash]*walkCommit{}, shallow: map[plumbing.Hash]bool{}}
}

var errNotCommit = errors.New("not a commit")

// node returns the node for h without loading it.
func (g *walkGraph) node(h plumbing.Hash) *walkCommit {
	n := g.nodes[h]
	if n == nil {
		n = &walkCommit{hash: h}
		g.nodes[h] = n
	}
	return n
}

// get returns the parsed commit h; errNotCommit if h is another type,
// ENOTFOUND if it is missing.
func (g *walkGraph) get(h plumbing.Hash) (*walkCommit, error) {
	n := g.node(h)
	if n.parsed {
		return n, nil
	}
	typ, data, err := g.st.read(h)
	if err != nil {
		return nil, err
	}
	if typ != objCommit {
		return nil, errNotCommit
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
func (g *walkGraph) mustGet(h plumbing.Hash) (*walkCommit, error) {
	n, err := g.get(h)
	if err != nil {
		if wiki.ErrorCode(err) == wiki.ENOTFOUND || errors.Is(err, errNotCommit) {
			return nil, packCorrupt("commit "+h.String(), err)
		}
		return nil, err
	}
	return n, nil
}

// parents are n's parents as the walks see them (none for a shallow one).
func (g *walkGraph) parents(n *walkCommit) []plumbing.Hash {
	if g.shallow[n.hash] {
		return nil
	}
	return n.parents
}

// markParentsUninteresting spreads "the client has it" to every ancestor
// already known, so commits reached earlier by an interesting path are
// corrected.
func (g *walkGraph) markParentsUninteresting(n *walkCommit) {
	stack := append([]plumbing.Hash(nil), g.parents(n)...)
	for len(stack) > 0 {
		p := g.node(stack[len(stack)-1])
		stack = stack[:len(stack)-1]
		if p.flags&wfUninteresting != 0 {
			continue
		}
		p.flags |= wfUninteresting
		if p.parsed {
			stack = append(stack, g.parents(p)...)
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
	n   *walkCommit
	seq int
}

func (q *walkQueue) Len() int { return len(q.items) }
func (q *walkQueue) Less(i, j int) bool {
	a, b := q.items[i], q.items[j]
	if a.n.date != b.n.date {
		return a.n.date > b.n.date
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

func (q *walkQueue) push(n *walkCommit) {
	q.seq++
	heap.Push(q, queued{n: n, seq: q.seq})
}

func (q *walkQueue) pop() *walkCommit { return heap.Pop(q).(queued).n }

// allUninteresting reports whether nothing interesting is left to walk.
func (q *walkQueue) allUninteresting() bool {
	for _, it := range q.items {
		if it.n.flags&wfUninteresting == 0 {
			return false
		}
	}
	return true
}

// unreachable returns the commits of targets that no ref reaches (a want
// that is not a ref tip must still be reachable: allow-reachable-sha1-in-want).
func (g *walkGraph) unreachable(tips []plumbing.Hash, targets []plumbing.Hash) ([]plumbing.Hash, error) {
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
		n, err := g.get(h)
		if errors.Is(err, errNotCommit) {
			continue
		}
		if err != nil {
			return nil, err
		}
		stack = append(stack, n.parents...)
	}
	var out []plumbing.Hash
	for _, t := range targets {
		if left[t] {
			out = append(out, t)
		}
	}
	return out, nil
}
