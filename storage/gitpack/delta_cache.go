package gitpack

import (
	"container/list"
	"slices"
	"sync"
)

// deltaCacheMax bounds the resolved objects one object store keeps,
// counted by the capacity of the buffers that hold them (a small object
// resolved into a large spare keeps all of it). A walk reads tree versions
// newest first, and each is usually a delta against one just read, so a
// few megabytes hold the bases that matter (a 2,000-version history of a
// 2,000-entry tree walks as fast with 1 MiB as with 16); a larger bound
// only raises what a request costs in memory.
const deltaCacheMax = 2 << 20

// deltaItemMax is the largest object the cache keeps. One larger than the
// bound is kept alone (the last one resolved), so a huge directory's
// versions still resolve from each other rather than from the chain's end.
const deltaItemMax = 8 << 20

// deltaCaches keeps the caches of closed stores, with their buffers, for
// the next request (the garbage collector empties it when memory is idle).
var deltaCaches = sync.Pool{New: func() any { return newDeltaBaseCache(deltaCacheMax) }}

// getDeltaCache returns an empty cache, with spare buffers when a closed
// store left some.
func getDeltaCache() *deltaBaseCache { return deltaCaches.Get().(*deltaBaseCache) }

// release empties the cache, keeping buffers as spares, and pools it. A
// cache of another bound (a push's) is left to the collector: pooled, it
// would hand the next request a bound that is not its own.
func (c *deltaBaseCache) release() {
	if c.max != deltaCacheMax {
		return
	}
	for e := c.lru.Back(); e != nil; e = c.lru.Back() {
		c.evict(e)
	}
	deltaCaches.Put(c)
}

// deltaBaseCache keeps recently resolved objects, bounded by their total
// size. The buffers of evicted objects are kept (up to a quarter of the
// bound) and handed out again for the next objects resolved, so a walk
// over thousands of tree versions does not leave each one to the garbage
// collector: a request's memory stays near the bound instead of growing
// with the garbage the collector has yet to reclaim.
type deltaBaseCache struct {
	max, used int
	lru       *list.List
	items     map[deltaCacheKey]*list.Element
	spare     [][]byte // evicted buffers, to be reused
	spareLen  int      // their total capacity
}

type deltaCacheKey struct {
	p   *PackFile
	off int64
}

type deltaCacheItem struct {
	key  deltaCacheKey
	typ  int
	data []byte
}

func newDeltaBaseCache(max int) *deltaBaseCache {
	return &deltaBaseCache{max: max, lru: list.New(), items: map[deltaCacheKey]*list.Element{}}
}

func (c *deltaBaseCache) get(p *PackFile, off int64) (int, []byte, bool) {
	e, ok := c.items[deltaCacheKey{p, off}]
	if !ok {
		return 0, nil, false
	}
	c.lru.MoveToFront(e)
	it := e.Value.(*deltaCacheItem)
	return it.typ, it.data, true
}

func (c *deltaBaseCache) put(p *PackFile, off int64, typ int, data []byte) {
	if len(data) > deltaItemMax {
		return
	}
	k := deltaCacheKey{p, off}
	if _, ok := c.items[k]; ok {
		return
	}
	c.items[k] = c.lru.PushFront(&deltaCacheItem{key: k, typ: typ, data: data})
	c.used += cap(data)
	for c.used > c.max && c.lru.Len() > 1 {
		c.evict(c.lru.Back())
	}
}

// evict drops one object, keeping its buffer as a spare.
func (c *deltaBaseCache) evict(e *list.Element) {
	it := e.Value.(*deltaCacheItem)
	c.lru.Remove(e)
	delete(c.items, it.key)
	c.used -= cap(it.data)
	c.keepSpare(it.data)
}

// keepSpare keeps an evicted buffer for reuse, dropping the smallest
// spares when they would exceed a quarter of the bound.
func (c *deltaBaseCache) keepSpare(b []byte) {
	if cap(b) == 0 || cap(b) > c.max/4 {
		return
	}
	c.spare = append(c.spare, b[:0])
	c.spareLen += cap(b)
	for c.spareLen > c.max/4 {
		small := 0
		for i, s := range c.spare {
			if cap(s) < cap(c.spare[small]) {
				small = i
			}
		}
		c.spareLen -= cap(c.spare[small])
		c.spare = slices.Delete(c.spare, small, small+1)
	}
}

// take returns an empty spare buffer that holds n bytes (the smallest such),
// or nil.
func (c *deltaBaseCache) take(n int) []byte {
	best := -1
	for i, s := range c.spare {
		if cap(s) >= n && (best < 0 || cap(s) < cap(c.spare[best])) {
			best = i
		}
	}
	if best < 0 {
		return nil
	}
	b := c.spare[best]
	c.spareLen -= cap(b)
	c.spare = slices.Delete(c.spare, best, best+1)
	return b[:0]
}

// alloc returns an empty buffer that holds n bytes: a spare, or a new one
// with room for the slightly larger versions of the same object that a
// walk meets next.
func (c *deltaBaseCache) alloc(n int) []byte {
	if b := c.take(n); b != nil {
		return b
	}
	return make([]byte, 0, n+n/16)
}
