package gitproto_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/warren-wiki/warren/storage/gitproto"
	"github.com/warren-wiki/warren/storage/gitrepo"
)

// allObjects lists every object of a repository, reachable or not.
func allObjects(tb testing.TB, repo *gitrepo.Repo) []string {
	tb.Helper()
	out := runGit(tb, repo.Dir(), "cat-file", "--batch-all-objects", "--batch-check")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	slices.Sort(lines)
	return lines
}

func packFiles(tb testing.TB, repo *gitrepo.Repo) []string {
	tb.Helper()
	names, err := filepath.Glob(filepath.Join(repo.Dir(), "objects", "pack", "pack-*.pack"))
	if err != nil {
		tb.Fatal(err)
	}
	return names
}

func looseCount(tb testing.TB, repo *gitrepo.Repo) int {
	tb.Helper()
	n := 0
	dirs, _ := filepath.Glob(filepath.Join(repo.Dir(), "objects", "[0-9a-f][0-9a-f]"))
	for _, d := range dirs {
		files, _ := os.ReadDir(d)
		n += len(files)
	}
	return n
}

// manyPacks makes a wiki with web saves (one small pack each) and then
// pushes (one pack each) and returns it.
func manyPacks(t *testing.T, opt gitproto.ReceiveOptions, pushes int) *pushEnv {
	e := newPushEnv(t, opt)
	ctx := context.Background()
	for i := range 3 {
		head := e.refs()["refs/heads/main"]
		if _, err := webSave(ctx, e.repo, &sync.Mutex{}, head, 100+i); err != nil {
			t.Fatal(err)
		}
	}
	runGit(t, e.work, "pull", "-q", "--ff-only")
	for i := range pushes {
		commitIn(t, e.work, map[string]string{"Notes/Otters.md": pageText + fmt.Sprintf("push %d\n", i)}, "push")
		e.mustPush("origin", "main")
	}
	return e
}

func TestRepackConsolidates(t *testing.T) {
	e := manyPacks(t, gitproto.ReceiveOptions{}, 5)
	before := allObjects(t, e.repo)
	if len(packFiles(t, e.repo)) < 5+3 {
		t.Fatalf("setup: %d packs, %d loose objects", len(packFiles(t, e.repo)), looseCount(t, e.repo))
	}
	if err := gitrepo.Repack(context.Background(), e.repo); err != nil {
		t.Fatal(err)
	}
	if n := len(packFiles(t, e.repo)); n != 1 {
		t.Fatalf("%d packs after repack, want 1", n)
	}
	if n := looseCount(t, e.repo); n != 0 {
		t.Fatalf("%d loose objects after repack", n)
	}
	if after := allObjects(t, e.repo); !slices.Equal(before, after) {
		t.Fatalf("objects changed:\nbefore %d\nafter %d", len(before), len(after))
	}
	assertRepoSound(t, e.repo)
	// The repository keeps serving: a fresh clone and a further push work.
	fresh := e.clone()
	if got, want := strings.TrimSpace(runGit(t, fresh, "rev-parse", "HEAD")), e.refs()["refs/heads/main"]; got != want {
		t.Fatalf("clone at %s, want %s", got, want)
	}
	commitIn(t, fresh, map[string]string{"After.md": "after repack\n"}, "after")
	runGit(t, fresh, "push", "-q", "origin", "main")
	assertRepoSound(t, e.repo)
	if err := gitrepo.Repack(context.Background(), e.repo); err != nil {
		t.Fatal(err)
	}
	packs := packFiles(t, e.repo)
	if len(packs) != 1 {
		t.Fatalf("packs after the second repack: %v", packs)
	}
	// Nothing left to consolidate: a third repack changes nothing.
	if err := gitrepo.Repack(context.Background(), e.repo); err != nil {
		t.Fatal(err)
	}
	if after := packFiles(t, e.repo); !slices.Equal(packs, after) {
		t.Fatalf("a repack with nothing to do rewrote %v into %v", packs, after)
	}
	assertRepoSound(t, e.repo)
}

// TestRepackerInBackground: pushes enqueue the repository; the Repacker
// consolidates it once it has more packs than MaxPacks, keeps the replaced
// packs for the grace period and removes them on Close.
func TestRepackerInBackground(t *testing.T) {
	rp := &gitrepo.Repacker{MaxPacks: 3, Grace: time.Hour}
	e := manyPacks(t, gitproto.ReceiveOptions{Repacker: rp}, 5)
	rp.Wait()
	before := allObjects(t, e.repo)
	if n := len(packFiles(t, e.repo)); n < 5 {
		t.Fatalf("%d packs during the grace period, want the replaced ones kept", n)
	}
	assertRepoSound(t, e.repo)
	if err := rp.Close(); err != nil {
		t.Fatal(err)
	}
	packs := packFiles(t, e.repo)
	if len(packs) > 3 {
		t.Fatalf("%d packs after Close, want at most MaxPacks", len(packs))
	}
	if after := allObjects(t, e.repo); !slices.Equal(before, after) {
		t.Fatal("objects changed")
	}
	assertRepoSound(t, e.repo)
	if rp.Enqueue(e.repo) {
		t.Fatal("a closed Repacker accepted work")
	}
}

// TestRepackRacesPushes: repacks run while pushes land; no push loses an
// object and the repository stays sound.
func TestRepackRacesPushes(t *testing.T) {
	e := manyPacks(t, gitproto.ReceiveOptions{}, 3)
	for i := range 5 {
		rev := commitIn(t, e.work, map[string]string{fmt.Sprintf("Race-%d.md", i): "racing a repack\n"}, "race")
		var wg sync.WaitGroup
		var repackErr error
		wg.Go(func() { repackErr = gitrepo.Repack(context.Background(), e.repo) })
		e.mustPush("origin", "main")
		wg.Wait()
		if repackErr != nil {
			t.Fatal(repackErr)
		}
		runGit(t, e.repo.Dir(), "cat-file", "-e", rev)
		assertRepoSound(t, e.repo)
	}
}

// TestRepackRemovesStaleTemporaryFiles: a crash leaves tmp_pack files;
// the next repack removes those older than an hour and keeps fresh ones
// (a push may be writing them).
func TestRepackRemovesStaleTemporaryFiles(t *testing.T) {
	e := manyPacks(t, gitproto.ReceiveOptions{}, 2)
	dir := filepath.Join(e.repo.Dir(), "objects", "pack")
	stale, fresh := filepath.Join(dir, "tmp_pack_crashed"), filepath.Join(dir, "tmp_pack_running")
	for _, f := range []string{stale, fresh} {
		if err := os.WriteFile(f, []byte("PACK"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-2 * time.Hour)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	if err := gitrepo.Repack(context.Background(), e.repo); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Fatal("stale temporary pack kept")
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Fatal("fresh temporary pack removed")
	}
}

// BenchmarkRepack consolidates a 2,000-commit wiki (8,000 objects in one
// pack) after ten pushes and a few web saves; entries are copied verbatim
// and the result is indexed by a full second pass.
func BenchmarkRepack(b *testing.B) {
	src := pushBenchRepo(b, 2000, 200)
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		dir := filepath.Join(b.TempDir(), "repo.git")
		runGit(b, b.TempDir(), "clone", "-q", "--bare", src, dir)
		repo, err := gitrepo.OpenRepo(dir)
		if err != nil {
			b.Fatal(err)
		}
		url := MustServeGit(b, repo, gitproto.ReceiveOptions{})
		work := filepath.Join(b.TempDir(), "work")
		runGit(b, b.TempDir(), "clone", "-q", url, work)
		for i := range 10 {
			commitIn(b, work, map[string]string{fmt.Sprintf("pages/New-%d.md", i): "new\n"}, "push")
			runGit(b, work, "push", "-q", "origin", "main")
		}
		b.StartTimer()
		if err := gitrepo.Repack(context.Background(), repo); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		repo.Close()
	}
}
