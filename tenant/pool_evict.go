package tenant

import (
	"container/list"
	"errors"
	"time"

	"github.com/warren-wiki/warren/storage"
)

// initLocked makes the zero Pool usable and starts the idle sweeper on first
// use, so that a Pool needs no constructor and no Start call.
func (p *Pool) initLocked() {
	if p.entries == nil {
		p.entries = make(map[string]*entry)
		p.closing = make(map[string]*entry)
		p.lru = list.New()
		p.stop = make(chan struct{})
	}
	if ttl := p.idleTTL(); !p.closed && ttl > 0 && p.swept == nil {
		p.swept = make(chan struct{})
		go p.sweep(ttl, p.stop, p.swept)
	}
}

func (p *Pool) max() int {
	if p.Max > 0 {
		return p.Max
	}
	return DefaultMax
}

func (p *Pool) idleTTL() time.Duration {
	if p.IdleTTL == 0 {
		return DefaultIdleTTL
	}
	return p.IdleTTL
}

// evictLocked detaches least recently used wikis that no request holds until
// the pool is back at Max. When every wiki is held it leaves the pool over
// Max; the next release shrinks it again. The caller closes the victims
// after unlocking, so a slow close never blocks other wikis' requests.
func (p *Pool) evictLocked() []*entry {
	over := len(p.entries) - p.max()
	var victims []*entry
	for el := p.lru.Back(); el != nil && over > 0; {
		e := el.Value.(*entry)
		el = el.Prev()
		if e.refs == 0 {
			p.detachLocked(e)
			p.stats.Evictions++
			victims = append(victims, e)
			over--
		}
	}
	return victims
}

// detachLocked takes e out of the pool and marks it as closing, so that a new
// Acquire for its slug waits for the close instead of opening a second
// handle beside it.
func (p *Pool) detachLocked(e *entry) {
	p.unlinkLocked(e)
	e.gone = make(chan struct{})
	p.closing[e.slug] = e
}

// unlinkLocked removes e from the map and the LRU list.
func (p *Pool) unlinkLocked(e *entry) {
	if p.entries[e.slug] == e {
		delete(p.entries, e.slug)
	}
	if e.elem != nil {
		p.lru.Remove(e.elem)
		e.elem = nil
	}
}

// finish closes detached, unheld wikis outside the lock and then lets
// waiting Acquires for their slugs go ahead.
func (p *Pool) finish(victims []*entry) error {
	var errs []error
	for _, e := range victims {
		if e.w != nil {
			if err := p.closeWiki(e.w); err != nil {
				p.logger().Error("close wiki", "wiki", e.slug, "err", err)
				errs = append(errs, err)
			} else {
				p.logger().Debug("closed wiki", "wiki", e.slug)
			}
		}
		p.mu.Lock()
		if p.closing[e.slug] == e {
			delete(p.closing, e.slug)
		}
		p.mu.Unlock()
		close(e.gone)
	}
	return errors.Join(errs...)
}

func (p *Pool) closeWiki(w *storage.Wiki) error {
	if p.Closer != nil {
		return p.Closer(w)
	}
	return w.Close()
}

// sweep closes wikis left unused for ttl, checking every ttl/2, until stop.
func (p *Pool) sweep(ttl time.Duration, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(max(ttl/2, time.Millisecond))
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case now := <-t.C:
			p.finish(p.expired(now, ttl))
		}
	}
}

// expired detaches the unheld wikis whose last use is ttl or more ago.
func (p *Pool) expired(now time.Time, ttl time.Duration) []*entry {
	p.mu.Lock()
	defer p.mu.Unlock()
	var victims []*entry
	for el := p.lru.Back(); el != nil; {
		e := el.Value.(*entry)
		el = el.Prev()
		if e.refs == 0 && now.Sub(e.lastUsed) >= ttl {
			p.detachLocked(e)
			p.stats.Evictions++
			victims = append(victims, e)
		}
	}
	return victims
}
