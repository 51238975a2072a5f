package main_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// serveProc is one `warren serve` process of the test.
type serveProc struct {
	cmd  *exec.Cmd
	addr string
}

// startServe runs `warren serve` on a free loopback port and returns once
// it listens (it prints its address).
func startServe(t *testing.T, data string, extra ...string) *serveProc {
	t.Helper()
	return startServeEnv(t, nil, data, extra...)
}

// startServeEnv is startServe with env added to the environment.
func startServeEnv(t *testing.T, env []string, data string, extra ...string) *serveProc {
	t.Helper()
	args := append([]string{"serve", "--data", data, "--listen", "127.0.0.1:0", "--log-level", "warn"}, extra...)
	cmd := exec.Command(warrenBin, args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	m := regexp.MustCompile(`on http://([^/]+)/`).FindStringSubmatch(line)
	if err != nil || m == nil {
		t.Fatalf("serve did not start: %q %v", line, err)
	}
	go io.Copy(io.Discard, out)
	return &serveProc{cmd: cmd, addr: m[1]}
}

// write is one PUT a writer sent and what became of it.
type write struct {
	content string
	status  int   // 0: no answer
	err     error // why there was no answer
}

// writer saves its own page again and again on one keep-alive connection,
// each save based on the revision the previous answer gave, until the
// server is gone; it returns every write it sent, in order.
func writer(addr, page string, answered *atomic.Int64) []write {
	client := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 1, DisableCompression: true}, Timeout: time.Minute}
	var out []write
	rev := ""
	for fails := 0; fails < 3; {
		w := write{content: fmt.Sprintf("%s write %d\n", page, len(out))}
		body, _ := json.Marshal(map[string]string{"content": w.content})
		req, _ := http.NewRequest("PUT", "http://"+addr+"/acme/-/api/pages/"+page, strings.NewReader(string(body)))
		req.Header.Set("X-Forwarded-User", "alice")
		if rev != "" {
			req.Header.Set("If-Match", `"`+rev+`"`)
		}
		resp, err := client.Do(req)
		if err != nil {
			w.err = err
			fails++
		} else {
			var res struct{ Revision string }
			json.NewDecoder(resp.Body).Decode(&res)
			resp.Body.Close()
			w.status = resp.StatusCode
			if resp.StatusCode/100 == 2 {
				rev = res.Revision
				answered.Add(1)
			} else {
				fails++
			}
		}
		out = append(out, w)
	}
	return out
}

// TestShutdownAnswersEveryAppliedWrite sends SIGTERM to a real server while
// eight clients keep saving on keep-alive connections. Requests caught by
// the shutdown may fail (connection reset or refused), but only if they
// were not applied: after a restart, each page holds exactly the last
// write its client was told succeeded. The server exits 0.
func TestShutdownAnswersEveryAppliedWrite(t *testing.T) {
	data := t.TempDir()
	c := cli{t: t}
	c.ok("wiki", "create", "--data", data, "--owner", "alice", "acme")
	srv := startServe(t, data, "--write-rate", "0") // eight writers as one user: no rate limit
	var answered atomic.Int64
	results := make([][]write, 8)
	var wg sync.WaitGroup
	for i := range results {
		wg.Go(func() { results[i] = writer(srv.addr, fmt.Sprintf("P%d", i), &answered) })
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	for answered.Load() < 80 { // well under way on every connection
		select {
		case <-done:
			t.Fatalf("the writers stopped after %d answered writes, before the shutdown", answered.Load())
		default:
			runtime.Gosched()
		}
	}
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if err := srv.cmd.Wait(); err != nil {
		t.Fatalf("serve after SIGTERM: %v", err)
	}
	again := startServe(t, data)
	lost := 0
	for i, ws := range results {
		last, unanswered := "", 0
		for _, w := range ws {
			if w.status/100 == 2 {
				last = w.content
			} else if w.status == 0 {
				unanswered++
			}
		}
		got := readPage(t, again.addr, fmt.Sprintf("P%d", i))
		if got != last {
			t.Errorf("P%d holds %q, but the last write its client saw succeed was %q (an applied write went unanswered)", i, got, last)
		}
		lost += unanswered
	}
	t.Logf("%d writes answered, %d requests caught by the shutdown without an answer (none applied)", answered.Load(), lost)
}

func readPage(t *testing.T, addr, page string) string {
	t.Helper()
	req, _ := http.NewRequest("GET", "http://"+addr+"/acme/-/api/pages/"+page, nil)
	req.Header.Set("X-Forwarded-User", "alice")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var p struct{ Content string }
	json.NewDecoder(resp.Body).Decode(&p)
	return p.Content
}
