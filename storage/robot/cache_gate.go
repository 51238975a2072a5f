package robot

import "sync"

// Under load, many requests ask at once whether robot.db changed. Each
// must see every commit that ended before it arrived, so an answer is good
// for a request only if its check started after the request did — but one
// check serves every request that arrived before it started. askGate runs
// the checks one at a time and lets the requests that arrive while one is
// in flight share the next: a burst of N requests costs about two checks,
// not N, and no request is answered from a check older than itself.

// askGate shares data_version checks between concurrent requests.
type askGate struct {
	mu      sync.Mutex
	pending *askRound // not started yet: newcomers join it
	running *askRound // in flight: too old for newcomers
}

// askRound is one check and the requests waiting for it.
type askRound struct {
	done chan struct{}
	gen  uint64
	err  error
}

// do returns the answer of a check that started after do was called. The
// first request to join a round runs it, once the round before it ended;
// the others wait for its answer.
func (g *askGate) do(check func() (uint64, error)) (uint64, error) {
	g.mu.Lock()
	r, prev := g.pending, g.running
	leader := r == nil
	if leader {
		r = &askRound{done: make(chan struct{})}
		g.pending = r
	}
	g.mu.Unlock()
	if !leader {
		<-r.done
		return r.gen, r.err
	}
	if prev != nil {
		<-prev.done
	}
	g.mu.Lock()
	g.pending, g.running = nil, r // from here on, newcomers start another round
	g.mu.Unlock()
	r.gen, r.err = check()
	close(r.done)
	return r.gen, r.err
}
