package gitproto_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// commitCount is `git rev-list --count` of rev in dir.
func commitCount(t *testing.T, dir, rev string) string {
	t.Helper()
	return strings.TrimSpace(runGit(t, dir, "rev-list", "--count", rev))
}

// shallowLines reads the client's .git/shallow (nil if it is not shallow).
func shallowLines(t *testing.T, work string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(work, ".git", "shallow"))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Fields(string(b))
}

func TestShallowCloneDepth1(t *testing.T) {
	dir := mustHistoryRepo(t, 30, 20, "repack", "-adq")
	url := serveDir(t, dir)
	work := filepath.Join(t.TempDir(), "clone")
	out := runGit(t, ".", "clone", "--progress", "--depth", "1", url, work)
	if got := commitCount(t, work, "HEAD"); got != "1" {
		t.Fatalf("depth 1 clone has %s commits", got)
	}
	head := strings.TrimSpace(runGit(t, dir, "rev-parse", "main"))
	if sh := shallowLines(t, work); len(sh) != 1 || sh[0] != head {
		t.Errorf("shallow file %v, want [%s]", sh, head)
	}
	// Only the tip's commit, trees and blobs: 1 + 41 trees + 20 blobs.
	want := strings.Count(runGit(t, dir, "ls-tree", "-r", "-t", "main"), "\n") + 2
	if got := remoteTotal(out); got != want {
		t.Errorf("received %d objects, want %d\n%s", got, want, out)
	}
	mustFsck(t, work)
}

func TestShallowDeepen(t *testing.T) {
	dir := mustHistoryRepo(t, 30, 20, "repack", "-adq")
	url := serveDir(t, dir)
	work := filepath.Join(t.TempDir(), "clone")
	runGit(t, ".", "clone", "-q", "--depth", "2", url, work)
	runGit(t, work, "fetch", "-q", "--deepen", "3")
	if got := commitCount(t, work, "HEAD"); got != "5" {
		t.Errorf("after --deepen 3 from depth 2: %s commits, want 5", got)
	}
	want := strings.TrimSpace(runGit(t, dir, "rev-parse", "main~4"))
	if sh := shallowLines(t, work); len(sh) != 1 || sh[0] != want {
		t.Errorf("shallow file %v, want [%s]", sh, want)
	}
	runGit(t, work, "fetch", "-q", "--depth", "10")
	if got := commitCount(t, work, "HEAD"); got != "10" {
		t.Errorf("after --depth 10: %s commits", got)
	}
	mustFsck(t, work)
}

func TestShallowUnshallow(t *testing.T) {
	dir := mustHistoryRepo(t, 30, 20, "repack", "-adq")
	url := serveDir(t, dir)
	work := filepath.Join(t.TempDir(), "clone")
	runGit(t, ".", "clone", "-q", "--depth", "1", url, work)
	commitInBare(t, dir, 2, "later") // the server moves on meanwhile
	runGit(t, work, "fetch", "-q", "--unshallow")
	if sh := shallowLines(t, work); sh != nil {
		t.Errorf("still shallow after --unshallow: %v", sh)
	}
	if got, want := commitCount(t, work, "origin/main"), commitCount(t, dir, "main"); got != want {
		t.Errorf("after --unshallow: %s commits, server has %s", got, want)
	}
	mustFsck(t, work)
}

// TestShallowSinceAndExclude covers deepen-since and deepen-not.
func TestShallowSinceAndExclude(t *testing.T) {
	dir := mustHistoryRepo(t, 30, 20, "repack", "-adq")
	runGit(t, dir, "tag", "old", "main~10")
	url := serveDir(t, dir)

	// Commits are a minute apart from 1700000000; keep the last five.
	since := filepath.Join(t.TempDir(), "since")
	runGit(t, ".", "clone", "-q", "--shallow-since", "1700001440", url, since)
	if got := commitCount(t, since, "HEAD"); got != "6" {
		t.Errorf("--shallow-since: %s commits, want 6", got)
	}
	mustFsck(t, since)

	excl := filepath.Join(t.TempDir(), "exclude")
	runGit(t, ".", "clone", "-q", "--shallow-exclude", "old", url, excl)
	if got := commitCount(t, excl, "HEAD"); got != "10" {
		t.Errorf("--shallow-exclude old: %s commits, want 10", got)
	}
	mustFsck(t, excl)
}

// TestShallowFetchAfterServerMoves: a depth-1 clone fetches new commits
// without deepening its history.
func TestShallowFetchAfterServerMoves(t *testing.T) {
	dir := mustHistoryRepo(t, 20, 20, "repack", "-adq")
	url := serveDir(t, dir)
	work := filepath.Join(t.TempDir(), "clone")
	runGit(t, ".", "clone", "-q", "--depth", "1", url, work)
	tip := commitInBare(t, dir, 3, "more")
	runGit(t, work, "pull", "-q", "--ff-only")
	if got := strings.TrimSpace(runGit(t, work, "rev-parse", "HEAD")); got != tip {
		t.Fatalf("HEAD %s after pull, want %s", got, tip)
	}
	if got := commitCount(t, work, "HEAD"); got != "4" {
		t.Errorf("%s commits after pull, want 4 (1 shallow + 3 new)", got)
	}
	mustFsck(t, work)
}
