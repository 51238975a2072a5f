package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// bench holds one run's data directory and figures.
type bench struct {
	o         options
	data, tmp string
	figs      map[string]float64
}

const benchUser = "bench" // owner of every bench wiki, asserted via the proxy header

func slugOf(i int) string { return fmt.Sprintf("w%05d", i) }

// warren runs a warren CLI command to completion.
func (b *bench) warren(ctx context.Context, args ...string) error {
	cmd := exec.CommandContext(ctx, b.o.warren, args...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("warren %s: %v: %s", args[0], err, out)
	}
	return nil
}

// serve starts `warren serve` on the bench data.
func (b *bench) serve(ctx context.Context, extra ...string) (*server, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	// The save figures measure the disk and the commit path, not the
	// per-user write rate limit, which they would hit at once.
	args := append([]string{"serve", "--data", b.data, "--listen", addr, "--log-level", "warn", "--write-rate", "0"}, extra...)
	if b.o.debugAddr != "" {
		args = append(args, "--debug-addr", b.o.debugAddr)
	}
	return startProcess(ctx, addr, "/-/healthz", b.o.warren, args...)
}

// request builds a request as the bench user through the trusted header.
func request(method, url string, body io.Reader) (*http.Request, error) {
	req, err := http.NewRequest(method, url, body)
	if err == nil {
		req.Header.Set("X-Forwarded-User", benchUser)
	}
	return req, err
}

// setup registers the wikis (in batches through the real CLI) and gives
// the hot ones the typical page.
func (b *bench) setup(ctx context.Context) error {
	args := []string{"wiki", "create", "--data", b.data, "--owner", benchUser, "--visibility", "public", "bench"}
	if err := b.warren(ctx, args...); err != nil {
		return err
	}
	for lo := 1; lo <= b.o.wikis; lo += 2000 {
		batch := append([]string{}, args[:len(args)-1]...)
		for i := lo; i < lo+2000 && i <= b.o.wikis; i++ {
			batch = append(batch, slugOf(i))
		}
		if err := b.warren(ctx, batch...); err != nil {
			return err
		}
	}
	srv, err := b.serve(ctx)
	if err != nil {
		return err
	}
	defer srv.stop()
	client := newClient(b.o.conns)
	slugs := []string{"bench"}
	for i := 1; i <= min(b.o.hot, b.o.wikis); i++ {
		slugs = append(slugs, slugOf(i))
	}
	// One page per wiki, so writers on different wikis run in parallel.
	put := func(_, i int) (*http.Request, error) {
		body, _ := json.Marshal(map[string]string{"content": typicalPage, "message": "bench"})
		req, err := request("PUT", "http://"+srv.addr+"/"+slugs[i]+"/-/api/pages/Typical", bytes.NewReader(body))
		if err == nil {
			req.Header.Set("Content-Type", "application/json")
		}
		return req, err
	}
	_, err = runLoad(ctx, client, 4, 10*time.Minute, len(slugs), put)
	return err
}

// putPage creates or updates a page through the JSON API.
func putPage(client *http.Client, url, content, rev string) error {
	_, err := putPageRev(client, url, content, rev)
	return err
}

func putPageRev(client *http.Client, url, content, rev string) (string, error) {
	body, _ := json.Marshal(map[string]string{"content": content, "message": "bench"})
	req, err := request("PUT", url, strings.NewReader(string(body)))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	if rev != "" {
		req.Header.Set("If-Match", `"`+rev+`"`)
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var out struct{ Revision string }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode >= 300 {
		return "", fmt.Errorf("PUT %s: status %d %v", url, resp.StatusCode, err)
	}
	return out.Revision, nil
}

// views measures figures 1 and 2: the warm view against the hello
// baseline, and the same view spread Zipf-wise over many wikis, in
// alternating rounds on one server.
func (b *bench) views(ctx context.Context) error {
	srv, err := b.serve(ctx)
	if err != nil {
		return err
	}
	defer srv.stop()
	client := newClient(b.o.conns)
	pageURL := "http://" + srv.addr + "/bench/Typical"
	hello, err := b.startHello(ctx, client, pageURL)
	if err != nil {
		return err
	}
	defer hello.stop()
	helloURL := "http://" + hello.addr + "/"
	get := func(url string) makeReq {
		return func(int, int) (*http.Request, error) { return request("GET", url, nil) }
	}
	zipf := b.zipfReq("http://" + srv.addr)
	for _, warm := range []makeReq{get(pageURL), get(helloURL), zipf} { // warm-up, not measured
		if _, err := runLoad(ctx, client, b.o.conns, time.Second, 0, warm); err != nil {
			return err
		}
	}
	if err := b.visitHot(ctx, client, srv.addr); err != nil {
		return err
	}
	var views, hellos, spread []result
	for range b.o.rounds {
		for _, step := range []struct {
			mk  makeReq
			dst *[]result
		}{{get(pageURL), &views}, {get(helloURL), &hellos}, {zipf, &spread}} {
			r, err := runLoad(ctx, client, b.o.conns, b.o.dur, 0, step.mk)
			if err != nil {
				return err
			}
			*step.dst = append(*step.dst, r)
		}
	}
	v, h, z := merge(views), merge(hellos), merge(spread)
	b.figs["view_rps"], b.figs["view_p50_ms"], b.figs["view_p99_ms"] = v.RPS(), ms(v.P50), ms(v.P99)
	b.figs["hello_rps"] = h.RPS()
	b.figs["view_vs_hello"] = v.RPS() / h.RPS()
	b.figs["view_rps_10k"] = z.RPS()
	b.figs["view_10k_vs_1"] = z.RPS() / v.RPS()
	b.figs["rss_mib_10k"] = srv.peakRSSMiB()
	b.figs["open_fds_10k"] = float64(srv.openFDs())
	b.figs["fd_budget_10k"] = fdBudget(defaultPool)
	return nil
}

// visitHot views the typical page of every hot wiki once, unmeasured:
// view_10k_vs_1 is about warm views across many wikis (most of them not
// open in the pool), and a wiki's first view ever is a cold open, which
// cold_open_p50_ms measures. Without it, how many tail wikis the Zipf
// load happens to reach for the first time inside the timed window
// decides the figure.
func (b *bench) visitHot(ctx context.Context, client *http.Client, addr string) error {
	hot := min(b.o.hot, b.o.wikis)
	_, err := runLoad(ctx, client, b.o.conns, time.Minute, hot, func(_, i int) (*http.Request, error) {
		return request("GET", "http://"+addr+"/"+slugOf(i+1)+"/Typical", nil)
	})
	return err
}

// zipfReq spreads views over the hot wikis with a Zipf distribution, as
// real traffic over many wikis is: a few busy, a long tail.
func (b *bench) zipfReq(base string) makeReq {
	hot := uint64(min(b.o.hot, b.o.wikis))
	gens := make([]*rand.Zipf, b.o.conns)
	for i := range gens {
		gens[i] = rand.NewZipf(rand.New(rand.NewPCG(uint64(i), 42)), 1.1, 1, hot-1)
	}
	return func(w, _ int) (*http.Request, error) {
		return request("GET", base+"/"+slugOf(int(gens[w].Uint64())+1)+"/Typical", nil)
	}
}

// coldOpens measures figure 3 on a server with a small pool: the first
// request to never-opened wikis (creating and migrating wiki.db), then the
// first request after each was evicted: once as a view the farm-wide view
// cache may answer without opening the wiki (revisit), once with a query,
// which the cache never answers, so the wiki is opened again (reopen).
func (b *bench) coldOpens(ctx context.Context) error {
	srv, err := b.serve(ctx, "--max-open-wikis", "16")
	if err != nil {
		return err
	}
	defer srv.stop()
	client := newClient(1)
	n := min(200, b.o.wikis-b.o.hot)
	if n <= 0 {
		return fmt.Errorf("need more wikis than hot ones for cold opens")
	}
	first := b.o.wikis - n + 1 // the tail: never opened by earlier figures
	home := func(query string) makeReq {
		return func(_, i int) (*http.Request, error) {
			return request("GET", "http://"+srv.addr+"/"+slugOf(first+i)+"/"+query, nil)
		}
	}
	var runs [3]result
	for i, query := range []string{"", "", "?reopen"} {
		if runs[i], err = runLoad(ctx, client, 1, time.Minute, n, home(query)); err != nil {
			return err
		}
	}
	b.figs["cold_open_p50_ms"], b.figs["cold_open_p99_ms"] = ms(runs[0].P50), ms(runs[0].P99)
	b.figs["revisit_p50_ms"] = ms(runs[1].P50)
	b.figs["reopen_p50_ms"] = ms(runs[2].P50)
	return nil
}

// saves measures figure 4 against its baselines, alternating in rounds:
// the disk's fsync floor (same file system as the data), sequential saves
// on one wiki, and eight writers on eight wikis, each save a real durable
// commit through the JSON API.
func (b *bench) saves(ctx context.Context) error {
	srv, err := b.serve(ctx)
	if err != nil {
		return err
	}
	defer srv.stop()
	client := newClient(8)
	floorDir := filepath.Join(b.data, "fsync-floor")
	defer os.RemoveAll(floorDir)
	var floor, seq, par rate
	var floorCPU, saveCPU time.Duration
	revs := make([]string, 9) // each loop goes on from the revision the last round left
	for range b.o.rounds {
		c0 := selfCPU()
		n, el, err := fsyncFloor(ctx, floorDir, b.o.dur)
		if err != nil {
			return err
		}
		floor.add(n, el)
		floorCPU += selfCPU() - c0
		c0 = srv.cpuTime()
		if n, el, err = saveLoop(ctx, client, "http://"+srv.addr+"/bench/-/api/pages/Saved", b.o.dur, &revs[0]); err != nil {
			return err
		}
		seq.add(n, el)
		saveCPU += srv.cpuTime() - c0
		if n, el, err = b.parallelSaves(ctx, client, srv.addr, revs[1:]); err != nil {
			return err
		}
		par.add(n, el)
	}
	b.figs["fsync_floor_per_s"] = floor.perSecond()
	b.figs["save_per_s"] = seq.perSecond()
	b.figs["save_vs_floor"] = seq.perSecond() / floor.perSecond()
	b.figs["save_per_s_8wikis"] = par.perSecond()
	b.figs["save_8_vs_1"] = par.perSecond() / seq.perSecond()
	// Where a save's time goes: the server's CPU per sequential save, beside
	// the CPU one update of the floor loop costs this process.
	b.figs["save_cpu_ms"] = ms(saveCPU) / float64(seq.n)
	b.figs["fsync_floor_cpu_ms"] = ms(floorCPU) / float64(floor.n)
	return nil
}

// rate sums counts and times over rounds.
type rate struct {
	n  int
	el time.Duration
}

func (r *rate) add(n int, el time.Duration) { r.n, r.el = r.n+n, r.el+el }

func (r rate) perSecond() float64 { return float64(r.n) / r.el.Seconds() }

// parallelSaves runs one save loop on each of len(revs) wikis at once and
// returns the saves made and the longest loop's time.
func (b *bench) parallelSaves(ctx context.Context, client *http.Client, addr string, revs []string) (int, time.Duration, error) {
	type out struct {
		n   int
		el  time.Duration
		err error
	}
	ch := make(chan out, len(revs))
	for i := range revs {
		go func() {
			n, el, err := saveLoop(ctx, client, "http://"+addr+"/"+slugOf(i+1)+"/-/api/pages/Saved", b.o.dur, &revs[i])
			ch <- out{n, el, err}
		}()
	}
	total, longest := 0, time.Duration(0)
	var first error
	for range revs {
		o := <-ch
		if o.err != nil && first == nil {
			first = o.err
		}
		total, longest = total+o.n, max(longest, o.el)
	}
	return total, longest, first
}

// saveLoop saves one page over and over for d, each with If-Match of the
// previous revision, and counts the saves.
func saveLoop(ctx context.Context, client *http.Client, url string, d time.Duration, rev *string) (int, time.Duration, error) {
	start, n := time.Now(), 0
	for time.Since(start) < d && ctx.Err() == nil {
		r, err := putPageRev(client, url, fmt.Sprintf("# Saved\n\nsave %d at %d\n", n, time.Now().UnixNano()), *rev)
		if err != nil {
			return n, 0, err
		}
		*rev, n = r, n+1
	}
	return n, time.Since(start), ctx.Err()
}

// startHello captures the page's exact response and serves it from memory
// in a child process, the baseline of figure 1.
func (b *bench) startHello(ctx context.Context, client *http.Client, pageURL string) (*server, error) {
	req, _ := request("GET", pageURL, nil)
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 {
		return nil, fmt.Errorf("fetch page for baseline: %d %v", resp.StatusCode, err)
	}
	file := filepath.Join(b.tmp, "hello.html")
	if err := os.WriteFile(file, body, 0o644); err != nil {
		return nil, err
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	return startProcess(ctx, addr, "/", self, "-hello", addr, file, resp.Header.Get("Content-Type"))
}

// defaultPool is `warren serve`'s --max-open-wikis, which the views run with.
const defaultPool = 256

// fdBudget is the README's descriptor budget: about 6 per open wiki plus
// about 60 for the process itself.
func fdBudget(pool int) float64 { return float64(6*pool + 60) }
