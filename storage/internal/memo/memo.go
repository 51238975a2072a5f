package memo

import (
	"sync"
	"sync/atomic"
)

// Bounds: a Memo keeps at most Budget bytes of answers (then starts over),
// and an answer bigger than MaxItem is never kept.
const (
	Budget  = 256 << 10
	MaxItem = 64 << 10
)

// Key is what a Memo is keyed by; Size is roughly the bytes the key itself
// holds, added to each answer's size.
type Key interface {
	comparable
	Size() int
}

// Memo holds answers by key until Changed. The zero Memo is empty and ready.
type Memo[K Key] struct {
	gen   atomic.Uint64
	mu    sync.Mutex
	items map[K]item // guarded by mu
	size  int        // bytes held, roughly; guarded by mu
}

type item struct {
	gen  uint64
	val  any
	size int
}

// Changed invalidates every answer; call it after a change commits.
func (m *Memo[K]) Changed() { m.gen.Add(1) }

// Gen is the current generation: read it before the reads an answer is
// computed from, and pass it to Put.
func (m *Memo[K]) Gen() uint64 { return m.gen.Load() }

// Get returns the answer to k if it was computed at the current generation.
func (m *Memo[K]) Get(k K) (any, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	it, ok := m.items[k]
	if !ok || it.gen != m.gen.Load() {
		return nil, false
	}
	return it.val, true
}

// Put stores an answer of about size bytes computed from reads that
// started at gen; it keeps nothing if the data changed meanwhile.
func (m *Memo[K]) Put(k K, gen uint64, val any, size int) {
	size += k.Size()
	if size > MaxItem {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if gen != m.gen.Load() {
		return // the data changed meanwhile: the answer may be stale
	}
	if old, ok := m.items[k]; ok {
		m.size -= old.size
	}
	if m.items == nil || m.size+size > Budget {
		m.items, m.size = make(map[K]item), 0
	}
	m.items[k] = item{gen: gen, val: val, size: size}
	m.size += size
}

// Do answers k from m, else computes the answer and keeps a copy. clone
// (nil: values are kept as they are) copies what is kept and what a hit
// returns, so callers never share what they may modify; size is the
// answer's bytes, roughly.
func Do[K Key, V any](m *Memo[K], k K, clone func(V) V, size func(V) int, compute func() (V, error)) (V, error) {
	if clone == nil {
		clone = func(v V) V { return v }
	}
	if v, ok := m.Get(k); ok {
		return clone(v.(V)), nil
	}
	gen := m.Gen()
	v, err := compute()
	if err != nil {
		return v, err
	}
	m.Put(k, gen, clone(v), size(v))
	return v, nil
}
