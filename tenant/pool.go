package tenant

import (
	"container/list"
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/warren-wiki/warren/storage"
	"github.com/warren-wiki/warren/wiki"
)

// Defaults for a Pool whose fields are left zero.
const (
	DefaultMax     = 256
	DefaultIdleTTL = 5 * time.Minute
)

// Pool keeps the open wikis. Opening a wiki costs file descriptors (wiki.db's
// writer and readers, pack files) and a migration check, so open wikis are
// shared by every request for them, bounded by Max (least recently used
// first out) and closed when idle. A wiki a request still holds is never
// closed under it, and there is never more than one open storage.Wiki per
// slug, so that its write lock is the wiki's only write lock.
//
// The zero value with Open set is ready to use; set the fields before the
// first Acquire and do not change them afterwards.
type Pool struct {
	Max     int           // open wikis kept; 0 = DefaultMax. Held ones may overflow it briefly.
	IdleTTL time.Duration // an unheld wiki unused this long is closed; 0 = DefaultIdleTTL, <0 = never
	Open    func(ctx context.Context, slug string) (*storage.Wiki, error)
	Logger  *slog.Logger // nil = slog.Default()

	// Closer closes a wiki leaving the pool; nil = (*storage.Wiki).Close.
	// It exists so the wiring can add work around a close (and tests can
	// count closes) without the pool knowing about it.
	Closer func(*storage.Wiki) error

	mu      sync.Mutex
	entries map[string]*entry // attached wikis, open or opening
	lru     *list.List        // of *entry, most recently acquired first
	closing map[string]*entry // detached wikis not yet closed, by slug
	closed  bool
	stop    chan struct{} // closed by Close to stop the sweeper
	swept   chan struct{} // closed when the sweeper has stopped
	stats   Stats
}

// entry is one wiki in the pool. It is in entries from the moment its open
// starts, so that concurrent first requests wait for one open instead of
// starting their own. This placeholder does singleflight's job and more: it
// carries the waiters' references from the first instant, so an eviction,
// Remove or Close that runs during the open sees that the wiki is wanted. Fields other than slug and ready are guarded by p.mu;
// w and err are written once, before ready is closed.
type entry struct {
	slug     string
	w        *storage.Wiki
	err      error
	ready    chan struct{} // closed when the open has finished
	refs     int           // requests holding (or waiting for) the wiki
	elem     *list.Element // position in p.lru; nil once detached
	lastUsed time.Time
	gone     chan struct{} // set at detach; closed once w is closed
}

// Stats are the pool's counters, for metrics.
type Stats struct {
	Open      int    // wikis open now (attached or waiting to close)
	Held      int    // of those, held by at least one request
	Hits      uint64 // acquires that found the wiki open or opening
	Misses    uint64 // acquires that had to open it
	Evictions uint64 // wikis closed to stay under Max or because they were idle
}

// errClosed is what Acquire answers once the pool is closing: the server is
// shutting down, which is a temporary condition from the client's side.
func errClosed() error {
	return wiki.Errorf(wiki.EUNAVAILABLE, "warren is shutting down; try again shortly")
}

// Acquire returns the open wiki for slug, opening (and so migrating) it if
// needed, and a release func the caller must call when done with it; release
// is idempotent. Concurrent first requests for one wiki share a single open.
// A failed open is not remembered: the next request tries again. Acquire
// does not check that the wiki exists; the resolver asks robot.db first. It
// does refuse an invalid slug, which Open would turn into a path.
func (p *Pool) Acquire(ctx context.Context, slug string) (*storage.Wiki, func(), error) {
	if err := wiki.ValidateSlug(slug); err != nil {
		return nil, nil, err
	}
	for {
		e, leader, wait, err := p.attach(slug)
		if err != nil {
			return nil, nil, err
		}
		if wait != nil { // the slug's previous handle is still closing
			select {
			case <-wait:
				continue
			case <-ctx.Done():
				return nil, nil, ctx.Err()
			}
		}
		if leader {
			p.open(ctx, e)
		}
		return p.await(ctx, e)
	}
}

// attach takes a reference on slug's entry, creating it (leader) when the
// wiki is not open. If an earlier handle for slug is still being closed it
// returns a channel to wait on instead, so that two handles never coexist.
func (p *Pool) attach(slug string) (e *entry, leader bool, wait <-chan struct{}, err error) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil, false, nil, errClosed()
	}
	p.initLocked()
	now := time.Now()
	if e = p.entries[slug]; e != nil {
		e.refs++
		e.lastUsed = now
		p.lru.MoveToFront(e.elem)
		p.stats.Hits++
		p.mu.Unlock()
		return e, false, nil, nil
	}
	if old := p.closing[slug]; old != nil {
		p.mu.Unlock()
		return nil, false, old.gone, nil
	}
	e = &entry{slug: slug, ready: make(chan struct{}), refs: 1, lastUsed: now}
	e.elem = p.lru.PushFront(e)
	p.entries[slug] = e
	p.stats.Misses++
	victims := p.evictLocked()
	p.mu.Unlock()
	p.finish(victims)
	return e, true, nil, nil
}

// open runs Open for a new entry outside the lock. The open does not inherit
// the leader's cancellation: other requests wait for the same open, and a
// migration half-abandoned by one client would only be retried by the next.
func (p *Pool) open(ctx context.Context, e *entry) {
	w, err := p.Open(context.WithoutCancel(ctx), e.slug)
	if err == nil && w == nil {
		err = wiki.Errorf(wiki.EINTERNAL, "opening wiki %s returned nothing", e.slug)
	}
	if err != nil {
		p.logger().Warn("open wiki", "wiki", e.slug, "err", err)
	}
	p.mu.Lock()
	e.w, e.err = w, err
	close(e.ready)
	if err != nil && e.gone == nil {
		// Forget the failure so that a later request tries again.
		p.unlinkLocked(e)
	}
	p.mu.Unlock()
}

// await waits for e's open and hands out the wiki with its release func.
func (p *Pool) await(ctx context.Context, e *entry) (*storage.Wiki, func(), error) {
	select {
	case <-e.ready:
	case <-ctx.Done():
		p.release(e)
		return nil, nil, ctx.Err()
	}
	if e.err != nil {
		p.release(e)
		return nil, nil, e.err
	}
	var once sync.Once
	return e.w, func() { once.Do(func() { p.release(e) }) }, nil
}

// release drops one reference. The last holder of a detached wiki closes it;
// the last holder of an attached one lets the pool shrink back to Max.
func (p *Pool) release(e *entry) {
	p.mu.Lock()
	e.refs--
	e.lastUsed = time.Now()
	var victims []*entry
	if e.refs == 0 {
		if e.gone != nil {
			victims = []*entry{e}
		} else if e.elem != nil {
			victims = p.evictLocked()
		}
	}
	p.mu.Unlock()
	p.finish(victims)
}

// Remove takes a deleted wiki out of the pool: it is closed now if no request
// holds it, otherwise when the last holder releases it. A later Acquire for
// the slug opens afresh once that close is done.
func (p *Pool) Remove(slug string) {
	p.mu.Lock()
	var victims []*entry
	if e := p.entries[slug]; e != nil {
		p.detachLocked(e)
		if e.refs == 0 {
			victims = []*entry{e}
		}
	}
	p.mu.Unlock()
	p.finish(victims)
}

// Close stops the idle sweeper, closes every wiki no request holds, and makes
// later Acquires fail with EUNAVAILABLE. Wikis still held are closed by their
// last release, so stop serving requests (http.Server.Shutdown) first for a
// clean exit. Close returns the errors of the closes it made.
func (p *Pool) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	p.initLocked()
	close(p.stop)
	swept := p.swept
	var mine, others []*entry
	for _, e := range p.closing {
		if e.refs == 0 {
			others = append(others, e) // being closed right now by someone else
		}
	}
	for _, e := range p.entries {
		p.detachLocked(e)
		if e.refs == 0 {
			mine = append(mine, e)
		}
	}
	p.mu.Unlock()
	if swept != nil {
		<-swept
	}
	err := p.finish(mine)
	for _, e := range others {
		<-e.gone
	}
	return err
}

// Stats returns the pool's counters.
func (p *Pool) Stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.stats
	count := func(e *entry) {
		if e.w != nil {
			s.Open++
			if e.refs > 0 {
				s.Held++
			}
		}
	}
	for _, e := range p.entries {
		count(e)
	}
	for _, e := range p.closing {
		count(e)
	}
	return s
}

func (p *Pool) logger() *slog.Logger {
	if p.Logger != nil {
		return p.Logger
	}
	return slog.Default()
}
