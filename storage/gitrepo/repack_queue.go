package gitrepo

import (
	"context"
	"log/slog"
	"path/filepath"
	"sync"
	"time"
)

// Repacker consolidates repositories in the background after pushes. One
// worker repacks one repository at a time (bounding the CPU and disk it
// takes from serving), from a bounded queue: a push never waits for it, and
// when the queue is full the request is dropped (the next push asks again).
// Files a repack replaced stay on disk for Grace, so that a clone that
// looked a pack up just before may still open it. The zero value is ready
// to use; Close stops it.
type Repacker struct {
	MaxPacks  int           // repack when a repository has more packs than this (default 8)
	MaxLoose  int           // or at least this many loose objects (default 256)
	Grace     time.Duration // how long replaced files stay (default 30s)
	QueueSize int           // repositories waiting at most (default 64)
	Logger    *slog.Logger  // repack failures; nil discards them

	mu       sync.Mutex
	started  bool
	closed   bool
	queue    chan *Repo
	queued   map[string]bool // repository dirs waiting in queue
	doomed   map[string]bool // replaced files awaiting removal
	timers   map[*time.Timer]func()
	ctx      context.Context
	cancel   context.CancelFunc
	stopped  chan struct{}
	removing sync.WaitGroup
	busy     int        // repositories queued or being repacked
	idle     *sync.Cond // signalled when busy drops to zero
}

// Enqueue asks for repo to be checked and, if it has too many packs or
// loose objects, repacked. It never blocks; false means the request was
// dropped (queue full, already queued, or the Repacker is closed).
func (p *Repacker) Enqueue(repo *Repo) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed || p.queued[repo.Dir()] {
		return false
	}
	p.startLocked()
	select {
	case p.queue <- repo:
		p.queued[repo.Dir()] = true
		p.busy++
		return true
	default:
		return false
	}
}

// Close stops the worker (an unfinished repack is abandoned and leaves
// nothing behind) and removes the replaced files still waiting for their
// grace period: once the server stops, no reader needs them.
func (p *Repacker) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	started := p.started
	if started {
		close(p.queue)
		p.cancel()
	}
	p.mu.Unlock()
	if !started {
		return nil
	}
	<-p.stopped
	p.mu.Lock()
	var pending []func()
	for t, remove := range p.timers {
		if t.Stop() {
			pending = append(pending, remove)
		}
	}
	p.mu.Unlock()
	for _, remove := range pending {
		remove()
	}
	p.removing.Wait()
	return nil
}

func (p *Repacker) startLocked() {
	if p.started {
		return
	}
	p.started = true
	size := p.QueueSize
	if size <= 0 {
		size = 64
	}
	p.queue = make(chan *Repo, size)
	p.queued, p.doomed, p.timers = map[string]bool{}, map[string]bool{}, map[*time.Timer]func(){}
	p.idle = sync.NewCond(&p.mu)
	p.ctx, p.cancel = context.WithCancel(context.Background())
	p.stopped = make(chan struct{})
	go p.run()
}

func (p *Repacker) run() {
	defer close(p.stopped)
	for repo := range p.queue {
		p.mu.Lock()
		delete(p.queued, repo.Dir())
		skip := make(map[string]bool, len(p.doomed))
		for f := range p.doomed {
			skip[f] = true
		}
		p.mu.Unlock()
		p.repackOne(repo, skip)
		p.mu.Lock()
		if p.busy--; p.busy == 0 {
			p.idle.Broadcast()
		}
		p.mu.Unlock()
	}
}

// Wait blocks until every enqueued repository has been handled (replaced
// files may still be waiting for their grace period), e.g. before Close
// for a graceful stop.
func (p *Repacker) Wait() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for p.started && p.busy > 0 {
		p.idle.Wait()
	}
}

func (p *Repacker) repackOne(repo *Repo, skip map[string]bool) {
	if p.ctx.Err() != nil || !p.needsRepack(repo, skip) {
		return
	}
	res, err := repackRepo(p.ctx, repo, skip, nil)
	if err != nil {
		if p.Logger != nil && p.ctx.Err() == nil {
			p.Logger.Error("repack failed", "repo", repo.Dir(), "err", err)
		}
		return
	}
	if res != nil {
		p.scheduleRemoval(repo, res)
	}
}

// needsRepack applies the thresholds, not counting replaced files.
func (p *Repacker) needsRepack(repo *Repo, skip map[string]bool) bool {
	maxPacks, maxLoose := p.MaxPacks, p.MaxLoose
	if maxPacks <= 0 {
		maxPacks = 8
	}
	if maxLoose <= 0 {
		maxLoose = 256
	}
	objDir := filepath.Join(repo.Dir(), "objects")
	return countPacks(filepath.Join(objDir, "pack"), skip) > maxPacks || countLoose(objDir, skip) >= maxLoose
}

// scheduleRemoval removes res's files after the grace period.
func (p *Repacker) scheduleRemoval(repo *Repo, res *repackResult) {
	grace := p.Grace
	if grace <= 0 {
		grace = 30 * time.Second
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, f := range res.paths() {
		p.doomed[f] = true
	}
	var t *time.Timer
	p.removing.Add(1)
	remove := func() {
		defer p.removing.Done()
		res.remove(repo)
		p.mu.Lock()
		for _, f := range res.paths() {
			delete(p.doomed, f)
		}
		delete(p.timers, t)
		p.mu.Unlock()
	}
	t = time.AfterFunc(grace, remove)
	p.timers[t] = remove
}
