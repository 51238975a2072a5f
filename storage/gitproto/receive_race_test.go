package gitproto_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/warren-wiki/warren/storage/gitproto"
	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/wiki"
)

// TestPushRaceOneWins: two clones at the same commit push different
// commits at once, 20 times. Each time exactly one push is accepted, the
// other is told to fetch first, and main holds the winner: no push is
// reported as saved and then lost.
func TestPushRaceOneWins(t *testing.T) {
	e := newPushEnv(t, gitproto.ReceiveOptions{})
	clones := []string{e.work, e.clone()}
	serverSide := 0
	for trial := range 20 {
		var revs [2]string
		for i, dir := range clones {
			runGit(t, dir, "fetch", "-q", "origin")
			runGit(t, dir, "reset", "-q", "--hard", "origin/main")
			revs[i] = commitIn(t, dir, map[string]string{"Race.md": fmt.Sprintf("trial %d, clone %d\n", trial, i)}, "racer")
		}
		var outs [2]string
		var errs [2]error
		var wg sync.WaitGroup
		for i, dir := range clones {
			wg.Go(func() { outs[i], errs[i] = runGitErr(t, dir, nil, "push", "origin", "main") })
		}
		wg.Wait()
		winners := 0
		for i := range clones {
			if errs[i] == nil {
				winners++
				if head := e.refs()["refs/heads/main"]; head != revs[i] {
					t.Fatalf("trial %d: push %d reported ok but main is %s, not %s", trial, i, head, revs[i])
				}
			} else if !strings.Contains(outs[i], "fetch first") {
				t.Fatalf("trial %d: the losing push lacks a fetch-first reason:\n%s", trial, outs[i])
			} else if strings.Contains(outs[i], "remote rejected") {
				serverSide++
			}
		}
		if winners != 1 {
			t.Fatalf("trial %d: %d pushes won\n%s\n%s", trial, winners, outs[0], outs[1])
		}
	}
	// Losers refused by the server (not by their own client, which saw the
	// winner's ref already) went through the compare-and-swap.
	t.Logf("%d of 20 races were decided by the server's compare-and-swap", serverSide)
	assertRepoSound(t, e.repo)
}

// TestPushRacesWebCommit: a push and a web save (repo.Commit under the same
// write lock) start from the same commit, 20 times. One wins the
// compare-and-swap; the loser is told (ECONFLICT for the web, "fetch
// first" for git) and the web side retries on the new head, as a save
// merges. Neither change is lost.
func TestPushRacesWebCommit(t *testing.T) {
	e := newPushEnv(t, gitproto.ReceiveOptions{})
	ctx := context.Background()
	var lock sync.Mutex
	for trial := range 20 {
		head := e.refs()["refs/heads/main"]
		runGit(t, e.work, "fetch", "-q", "origin")
		runGit(t, e.work, "reset", "-q", "--hard", head)
		pushed := commitIn(t, e.work, map[string]string{"Pushed.md": strings.Repeat("p", trial+1)}, "pushed")
		body := rawPush(t, e.work, []string{head + " " + pushed + " refs/heads/main"}, "report-status", pushed, "^"+head)

		var answer bytes.Buffer
		var pushErr, webErr error
		var web string
		var wg sync.WaitGroup
		wg.Go(func() {
			pushErr = gitproto.ReceivePack(ctx, e.repo, &lock, bytes.NewReader(body), &answer, gitproto.ReceiveOptions{})
		})
		wg.Go(func() { web, webErr = webSave(ctx, e.repo, &lock, head, trial) })
		wg.Wait()
		if pushErr != nil {
			t.Fatal(pushErr)
		}
		pushWon := strings.Contains(answer.String(), "ok refs/heads/main")
		webWon := webErr == nil
		if pushWon == webWon {
			t.Fatalf("trial %d: push won %v, web won %v (%v)\n%q", trial, pushWon, webWon, webErr, answer.String())
		}
		if pushWon {
			if wiki.ErrorCode(webErr) != wiki.ECONFLICT {
				t.Fatalf("trial %d: the web save failed with %v, want ECONFLICT", trial, webErr)
			}
			// The web save retries on the new head, as the editor merges.
			if web, webErr = webSave(ctx, e.repo, &lock, pushed, trial); webErr != nil {
				t.Fatal(webErr)
			}
			if parentOf(t, e.repo, web) != pushed {
				t.Fatalf("trial %d: the retried save is not on top of the push", trial)
			}
		} else if !strings.Contains(answer.String(), "ng refs/heads/main fetch first") {
			t.Fatalf("trial %d: the losing push was not told to fetch first: %q", trial, answer.String())
		}
		if got := e.refs()["refs/heads/main"]; got != web {
			t.Fatalf("trial %d: main is %s, want the web save %s", trial, got, web)
		}
	}
	assertRepoSound(t, e.repo)
}

// webSave commits one page change on top of parent under lock, as the web
// editor's save does.
func webSave(ctx context.Context, repo *gitrepo.Repo, lock sync.Locker, parent string, n int) (string, error) {
	lock.Lock()
	defer lock.Unlock()
	return repo.Commit(ctx, gitrepo.CommitRequest{
		Parent:      parent,
		Changes:     []gitrepo.FileChange{{Path: "Web.md", Content: []byte(strings.Repeat("w", n+1))}},
		AuthorName:  "Web Editor",
		AuthorEmail: "web@example.com",
		Message:     "web save",
		When:        time.Now(),
	})
}

func parentOf(tb testing.TB, repo *gitrepo.Repo, rev string) string {
	tb.Helper()
	out := runGit(tb, repo.Dir(), "rev-parse", rev+"^")
	return strings.TrimSpace(out)
}
