package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"
)

// result is what one load run measured.
type result struct {
	Requests int
	Elapsed  time.Duration
	P50, P99 time.Duration
	lats     []time.Duration
}

// merge pools several rounds of the same figure.
func merge(rs []result) result {
	var lats []time.Duration
	var el time.Duration
	for _, r := range rs {
		lats = append(lats, r.lats...)
		el += r.Elapsed
	}
	return summarize(lats, el)
}

// RPS is requests per second over the run.
func (r result) RPS() float64 { return float64(r.Requests) / r.Elapsed.Seconds() }

// newClient makes a keep-alive client with enough idle connections for
// every worker, so a run measures the server and not connection setup.
func newClient(conns int) *http.Client {
	t := &http.Transport{
		MaxIdleConns: conns * 2, MaxIdleConnsPerHost: conns * 2, IdleConnTimeout: time.Minute,
		DialContext: (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
	}
	return &http.Client{Transport: t, Timeout: 30 * time.Second}
}

// makeReq builds request number i of a run (counted over all workers, from
// 0) for a worker.
type makeReq func(worker, i int) (*http.Request, error)

// runLoad sends requests from `workers` goroutines for duration d (or until
// maxReqs requests were sent, if > 0). Any failed request fails the run, also
// one still in flight when d ends (requests are not cut off at the end, so
// an error is always the server's): a broken server must not post a fast
// number.
func runLoad(parent context.Context, client *http.Client, workers int, d time.Duration, maxReqs int, mk makeReq) (result, error) {
	ctx, cancel := context.WithTimeout(parent, d)
	defer cancel()
	var (
		mu    sync.Mutex
		lats  []time.Duration
		first error
		sent  int
	)
	take := func() (int, bool) {
		mu.Lock()
		defer mu.Unlock()
		if first != nil || (maxReqs > 0 && sent >= maxReqs) {
			return 0, false
		}
		sent++
		return sent - 1, true
	}
	start := time.Now()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			var local []time.Duration
			for ctx.Err() == nil {
				i, ok := take()
				if !ok {
					break
				}
				lat, err := once(client, w, i, mk)
				if err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
					return
				}
				local = append(local, lat)
			}
			mu.Lock()
			lats = append(lats, local...)
			mu.Unlock()
		})
	}
	wg.Wait()
	if first != nil {
		return result{}, first
	}
	if err := parent.Err(); err != nil {
		return result{}, err // interrupted: the figures are incomplete
	}
	return summarize(lats, time.Since(start)), nil
}

// once sends one request and drains the body.
func once(client *http.Client, w, i int, mk makeReq) (time.Duration, error) {
	req, err := mk(w, i)
	if err != nil {
		return 0, err
	}
	t0 := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	lat := time.Since(t0)
	if err != nil {
		return 0, err
	}
	if resp.StatusCode >= 300 {
		return 0, fmt.Errorf("%s %s: status %d", req.Method, req.URL.Path, resp.StatusCode)
	}
	return lat, nil
}

func summarize(lats []time.Duration, elapsed time.Duration) result {
	slices.Sort(lats)
	r := result{Requests: len(lats), Elapsed: elapsed, lats: lats}
	if len(lats) > 0 {
		r.P50 = lats[len(lats)/2]
		r.P99 = lats[min(len(lats)-1, len(lats)*99/100)]
	}
	return r
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
