package main_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// crashCycles is kept small for CI; each cycle is a real server killed with
// SIGKILL while it takes writes.
const crashCycles = 3

// crashRun is one cycle's load: API writers on two wikis (two pages each,
// so writers share a wiki's write lock) and a git pusher on a third.
type crashRun struct {
	t       *testing.T
	srv     *server
	ack     *acked
	next    map[string]int // wiki/page → number of the next write
	mu      sync.Mutex     // guards next while writers run
	killed  atomic.Bool
	acks    atomic.Int64
	refused atomic.Int64
	wg      sync.WaitGroup
}

var crashPages = [][2]string{{"alpha", "One"}, {"alpha", "Two"}, {"beta", "One"}, {"beta", "Two"}}

// A server killed with kill -9 while API writers and a git pusher work
// loses no acknowledged write, refuses no write after its restart (no lock
// left behind blocks it), and leaves every repository and database clean.
func TestKill9LosesNoAcknowledgedWrite(t *testing.T) {
	data := t.TempDir()
	cli{t: t}.ok("wiki", "create", "--data", data, "--owner", crashUser, "--visibility", "public", "alpha", "beta", "pushed")
	ack := newAcked()
	next := map[string]int{}
	work := filepath.Join(t.TempDir(), "work")
	locksLeft := 0
	for cycle := range crashCycles + 1 {
		run := &crashRun{t: t, srv: startServer(t, data), ack: ack, next: next}
		run.checkPages()
		if cycle == crashCycles {
			run.srv.stop(t)
			break
		}
		run.pusher(work, cycle == 0)
		for _, p := range crashPages {
			run.writer(p[0], p[1])
		}
		run.waitForAcks(int64(20 + 10*cycle))
		run.killed.Store(true)
		run.srv.kill(t)
		run.wg.Wait()
		locksLeft += leftLocks(data)
		if n := run.refused.Load(); n > 0 {
			t.Errorf("cycle %d: %d writes refused after the restart", cycle, n)
		}
	}
	lost := checkCommits(t, data, ack)
	t.Logf("%d cycles, %d acknowledged writes, %d lost, %d ref locks left by the kills", crashCycles, ack.n, lost, locksLeft)
	for _, slug := range []string{"alpha", "beta", "pushed"} {
		if out, err := crashGit(filepath.Join(data, "wikis", slug, "repo.git"), "fsck", "--no-progress"); err != nil {
			t.Errorf("git fsck %s: %v\n%s", slug, err, out)
		}
		integrity(t, filepath.Join(data, "wikis", slug, "wiki.db"))
	}
	integrity(t, filepath.Join(data, "robot.db"))
}

// checkPages makes sure every page shows its last acknowledged write (or a
// later one whose answer the kill cut off).
func (c *crashRun) checkPages() {
	client := &http.Client{Timeout: 10 * time.Second}
	for _, p := range crashPages {
		key := p[0] + "/" + p[1]
		want := c.ack.last[key]
		page, ok, err := getPage(client, c.srv.addr, p[0], p[1])
		if err != nil || (!ok && want > 0) {
			c.t.Fatalf("%s after restart: found %v, %v", key, ok, err)
		}
		if got := writeNumber(page.Content); got < want {
			c.t.Errorf("%s shows write %d, but write %d was acknowledged", key, got, want)
		}
	}
}

// writeNumber reads the number a writer put in a page.
func writeNumber(content string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(content, "write ")))
	return n
}

// writer saves one page over and over with If-Match until the server dies.
// Its first save after the restart must not be refused.
func (c *crashRun) writer(slug, page string) {
	key := slug + "/" + page
	n := c.next[key]
	c.wg.Go(func() {
		defer func() { c.mu.Lock(); c.next[key] = n; c.mu.Unlock() }()
		client := &http.Client{Timeout: 10 * time.Second}
		cur, _, err := getPage(client, c.srv.addr, slug, page)
		if err != nil {
			c.failed(key, 0, false, err)
			return
		}
		rev := cur.Revision
		for first := true; ; first = false {
			n++
			status, newRev, err := putPage(client, c.srv.addr, slug, page, fmt.Sprintf("write %d\n", n), rev)
			if err != nil {
				c.failed(key, status, first, err)
				return
			}
			c.ack.add(slug, page, newRev, n)
			c.acks.Add(1)
			rev = newRev
		}
	})
}

// failed sorts a failed write: expected once the kill began, a refusal if
// it was the first write after a restart, else an error of the server.
func (c *crashRun) failed(what string, status int, first bool, err error) {
	switch {
	case c.killed.Load():
	case first && status == http.StatusConflict:
		c.refused.Add(1)
		c.t.Errorf("%s: first write after restart refused: %v", what, err)
	default:
		c.t.Errorf("%s: %v", what, err)
	}
}

// pusher commits a file and pushes it with the git CLI, over and over,
// until the server dies.
func (c *crashRun) pusher(work string, clone bool) {
	url := "http://" + c.srv.addr + "/pushed/.git"
	if clone {
		if out, err := crashGit(filepath.Dir(work), "clone", "-q", url, work); err != nil {
			c.t.Fatalf("clone: %v\n%s", err, out)
		}
	} else {
		for _, args := range [][]string{{"remote", "set-url", "origin", url}, {"fetch", "-q", "origin"}, {"reset", "-q", "--hard", "origin/main"}} {
			if out, err := crashGit(work, args...); err != nil {
				c.t.Fatalf("git %v: %v\n%s", args, err, out)
			}
		}
	}
	c.wg.Go(func() {
		for first := true; ; first = false {
			name := fmt.Sprintf("Push %d.md", time.Now().UnixNano())
			if err := os.WriteFile(filepath.Join(work, name), []byte("# pushed\n"), 0o644); err != nil {
				c.t.Error(err)
				return
			}
			if out, err := crashGit(work, "add", "-A"); err != nil {
				c.t.Errorf("git add: %v\n%s", err, out)
				return
			}
			if out, err := crashGit(work, "commit", "-q", "-m", "push"); err != nil {
				c.t.Errorf("git commit: %v\n%s", err, out)
				return
			}
			if out, err := crashGit(work, "push", "-q", "origin", "HEAD:main"); err != nil {
				status := 0
				if strings.Contains(out, "locked") || strings.Contains(out, "409") {
					status = http.StatusConflict
				}
				c.failed("push", status, first, fmt.Errorf("%v: %s", err, out))
				return
			}
			id, _ := crashGit(work, "rev-parse", "HEAD")
			c.ack.add("pushed", "", id, 0)
			c.acks.Add(1)
		}
	})
}

// waitForAcks waits until this cycle's writers have had n writes
// acknowledged, so the kill lands while they are busy.
func (c *crashRun) waitForAcks(n int64) {
	deadline := time.Now().Add(2 * time.Minute)
	for c.acks.Load() < n && !c.t.Failed() {
		if time.Now().After(deadline) {
			c.t.Fatalf("only %d writes acknowledged", c.acks.Load())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// checkCommits makes sure every acknowledged commit is on main; it returns
// how many are not.
func checkCommits(t *testing.T, data string, ack *acked) int {
	lost := 0
	for slug, ids := range ack.commits {
		repo := filepath.Join(data, "wikis", slug, "repo.git")
		for _, id := range ids {
			if out, err := crashGit(repo, "merge-base", "--is-ancestor", id, "main"); err != nil {
				lost++
				t.Errorf("%s: acknowledged commit %s is not on main: %v %s", slug, id, err, out)
			}
		}
	}
	return lost
}

// leftLocks counts the ref lock files the kill left in the repositories.
func leftLocks(data string) int {
	locks, _ := filepath.Glob(filepath.Join(data, "wikis", "*", "repo.git", "refs", "heads", "*.lock"))
	return len(locks)
}
