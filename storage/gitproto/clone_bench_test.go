//go:build linux

package gitproto_test

import (
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/warren-wiki/warren/storage/gitproto"
	"github.com/warren-wiki/warren/storage/internal/storetest"
)

// TestCloneVsGit clones one generated repository (2,000 commits over 2,000
// files, packed by `git gc --aggressive`) alternately from warren's
// upload-pack and from `git upload-pack --stateless-rpc` behind a minimal
// Go handler, and prints wall time, server time, server CPU and server peak
// memory of each, with the ratios. It asserts nothing about speed (no
// timing thresholds in tests); it only runs with WARREN_BENCH_CLONE=1.
// WARREN_BENCH_ROUNDS sets the rounds (default 5), WARREN_BENCH_REPO uses
// an existing bare repository instead of generating one.
func TestCloneVsGit(t *testing.T) {
	if os.Getenv("WARREN_BENCH_CLONE") != "1" {
		t.Skip("set WARREN_BENCH_CLONE=1 to run the clone benchmark")
	}
	rounds := 5
	if n, err := strconv.Atoi(os.Getenv("WARREN_BENCH_ROUNDS")); err == nil && n > 0 {
		rounds = n
	}
	dir := os.Getenv("WARREN_BENCH_REPO")
	if dir == "" {
		start := time.Now()
		dir = mustHistoryRepo(t, 2000, 2000, "gc", "-q", "--aggressive")
		t.Logf("generated the repository in %v", time.Since(start).Round(time.Millisecond))
	}
	t.Logf("repository: %s", runGit(t, dir, "count-objects", "-v"))

	warrenURL := serveGitObserved(t, storetest.MustOpenRepo(t, dir), gitproto.ReceiveOptions{}, nil)
	gitSrv := &gitBackend{dir: dir}
	gitHTTP := httptest.NewServer(gitSrv)
	defer gitHTTP.Close()

	clone := func(url string) time.Duration {
		target := filepath.Join(t.TempDir(), "clone.git")
		start := time.Now()
		runGit(t, ".", "-c", "protocol.version=0", "clone", "-q", "--bare", url, target)
		d := time.Since(start)
		os.RemoveAll(target)
		return d
	}
	clone(warrenURL) // warm both page caches
	clone(gitHTTP.URL)

	var wWall, gWall, wCPU, gCPU []time.Duration
	var wPeak uint64
	var wRSS int64
	for i := 0; i < rounds; i++ {
		debug.FreeOSMemory() // forget the memory the repository generation used
		stop := sampleHeap(&wPeak)
		stopRSS := sampleRSS(os.Getpid(), false, &wRSS)
		cpu0 := selfCPU()
		wWall = append(wWall, clone(warrenURL))
		wCPU = append(wCPU, selfCPU()-cpu0)
		stopRSS()
		stop()

		gitSrv.cpu.Store(0)
		gWall = append(gWall, clone(gitHTTP.URL))
		gCPU = append(gCPU, time.Duration(gitSrv.cpu.Load()))
	}
	wm, gm := median(wWall), median(gWall)
	t.Logf("clone wall   warren %v  git %v  ratio %.2f×  (warren %v, git %v)", wm, gm, float64(wm)/float64(gm), wWall, gWall)
	t.Logf("server CPU   warren %v  git %v  ratio %.2f×", median(wCPU), median(gCPU), float64(median(wCPU))/float64(median(gCPU)))
	t.Logf("server mem   warren peak RSS %.1f MiB (whole test process; Go heap in use %.1f MiB)  git peak RSS %.1f MiB (upload-pack + pack-objects)",
		float64(wRSS)/1024, float64(wPeak)/(1<<20), float64(gitSrv.maxRSS.Load())/1024)
}

// gitBackend serves one repository with `git upload-pack --stateless-rpc`,
// recording the CPU time and peak RSS of the git processes. (The rusage
// of a child started by Go is no use for memory: its max RSS includes the
// parent's at exec time.)
type gitBackend struct {
	dir    string
	cpu    atomic.Int64 // nanoseconds of user+system time
	maxRSS atomic.Int64 // KiB, sampled from /proc
}

func (g *gitBackend) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var args []string
	var in io.Reader = r.Body
	switch {
	case r.Method == "GET" && r.URL.Path == "/info/refs":
		w.Header().Set("Content-Type", "application/x-git-upload-pack-advertisement")
		io.WriteString(w, "001e# service=git-upload-pack\n0000")
		args = []string{"upload-pack", "--stateless-rpc", "--advertise-refs", g.dir}
		in = nil
	case r.Method == "POST" && r.URL.Path == "/git-upload-pack":
		if r.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(r.Body)
			if err != nil {
				http.Error(w, err.Error(), 400)
				return
			}
			in = zr
		}
		w.Header().Set("Content-Type", "application/x-git-upload-pack-result")
		args = []string{"upload-pack", "--stateless-rpc", g.dir}
	default:
		http.NotFound(w, r)
		return
	}
	cmd := exec.CommandContext(context.Background(), "git", args...)
	cmd.Stdin = in
	cmd.Stdout = &flushWriter{w: w}
	cmd.Env = gitCleanEnv(os.TempDir())
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "git upload-pack: %v\n", err)
		return
	}
	var peak int64
	stop := sampleRSS(cmd.Process.Pid, true, &peak)
	if err := cmd.Wait(); err != nil {
		fmt.Fprintf(os.Stderr, "git upload-pack: %v\n", err)
	}
	stop()
	if peak > g.maxRSS.Load() {
		g.maxRSS.Store(peak)
	}
	if ps := cmd.ProcessState; ps != nil {
		g.cpu.Add(int64(ps.UserTime() + ps.SystemTime())) // includes the reaped pack-objects
	}
}

// sampleRSS records every 5 ms the VmRSS (KiB) of pid, summed with its
// descendants' if tree, keeping the peak, until stopped.
func sampleRSS(pid int, tree bool, peak *int64) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			if v := treeRSS(pid, tree); v > *peak {
				*peak = v
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() { close(done); <-finished }
}

// treeRSS reads VmRSS of a process (and sums its descendants') from /proc.
func treeRSS(pid int, tree bool) int64 {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	var total int64
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			f := strings.Fields(v)
			if len(f) > 0 {
				total, _ = strconv.ParseInt(f[0], 10, 64)
			}
		}
	}
	if !tree {
		return total
	}
	children, _ := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", pid, pid))
	for _, c := range strings.Fields(string(children)) {
		if cpid, err := strconv.Atoi(c); err == nil && cpid != pid {
			total += treeRSS(cpid, true)
		}
	}
	return total
}

// selfCPU is this process's user+system time.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// sampleHeap records the peak in-use heap every 10 ms until stopped.
func sampleHeap(peak *uint64) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		var ms runtime.MemStats
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&ms)
			if v := ms.HeapInuse + ms.StackInuse; v > *peak {
				*peak = v
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() { close(done); <-finished }
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
