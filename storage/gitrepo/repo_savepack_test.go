package gitrepo_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/warren-wiki/warren/storage/gitpack"
	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/internal/storetest"
)

// packFiles lists objects/pack/pack-*.pack of the repository at dir.
func packFiles(tb testing.TB, dir string) []string {
	tb.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "objects", "pack", "pack-*.pack"))
	if err != nil {
		tb.Fatal(err)
	}
	return names
}

// looseObjects counts files under objects/xx/.
func looseObjects(tb testing.TB, dir string) int {
	tb.Helper()
	names, _ := filepath.Glob(filepath.Join(dir, "objects", "[0-9a-f][0-9a-f]", "*"))
	return len(names)
}

// Commits write packs, not loose objects; past MaxSmallPacks the packs are
// merged in the background, and real git reads every commit and finds the
// repository whole at each step.
func TestCommitsWritePacksThatGitReads(t *testing.T) {
	r := storetest.MustInitRepo(t, map[string]string{"Home.md": "# Home\n", "Team/Notes.md": "notes\n"})
	dir := r.Dir()
	head := storetest.RepoHead(t, r)
	const commits = 70 // more than twice MaxSmallPacks
	for i := range commits {
		path := fmt.Sprintf("Team/Page %d.md", i%7)
		head = storetest.RepoMustCommit(t, r, head, map[string]string{path: fmt.Sprintf("edit %d\n", i)})
	}
	if n := looseObjects(t, dir); n != 0 {
		t.Errorf("%d loose objects after %d commits, want none", n, commits)
	}
	r.Close() // waits for a merge still running
	if n := len(packFiles(t, dir)); n > gitrepo.MaxSmallPacks+1 || n >= commits/2 {
		t.Errorf("%d packs after %d commits, want at most %d", n, commits, min(gitrepo.MaxSmallPacks+1, commits/2-1))
	}
	storetest.MustGit(t, dir, "fsck", "--strict", "--no-progress")
	if got := strings.TrimSpace(storetest.MustGit(t, dir, "rev-list", "--count", "main")); got != fmt.Sprint(commits+1) {
		t.Errorf("git rev-list --count main = %s, want %d", got, commits+1)
	}
	if got := storetest.MustGit(t, dir, "show", "main:Team/Page 0.md"); !strings.HasPrefix(got, "edit ") {
		t.Errorf("git show main:Team/Page 0.md = %q", got)
	}
	r2, err := gitrepo.OpenRepo(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	content, _, err := r2.ReadFile(context.Background(), "", fmt.Sprintf("Team/Page %d.md", (commits-1)%7))
	if err != nil || string(content) != fmt.Sprintf("edit %d\n", commits-1) {
		t.Errorf("reopened: ReadFile = %q, %v", content, err)
	}
}

// Objects a commit wrote are read back at once by the handle that wrote
// them (from memory, go-git has not indexed the pack yet) and by another
// handle on the same repository (from the pack).
func TestCommittedObjectsAreReadableAtOnce(t *testing.T) {
	r := storetest.MustInitRepo(t, map[string]string{"Home.md": "# Home\n"})
	other, err := gitrepo.OpenRepo(r.Dir())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	ctx := context.Background()
	head := storetest.RepoHead(t, r)
	for i := range 3 {
		head = storetest.RepoMustCommit(t, r, head, map[string]string{"Home.md": fmt.Sprintf("v%d\n", i)})
		for name, repo := range map[string]*gitrepo.Repo{"writer": r, "other handle": other} {
			repo.Reload()
			got, _, err := repo.ReadFile(ctx, head, "Home.md")
			if err != nil || string(got) != fmt.Sprintf("v%d\n", i) {
				t.Errorf("%s: commit %d reads %q, %v", name, i, got, err)
			}
		}
		if got, _, err := r.ReadFile(ctx, head[:10], "Home.md"); err != nil || string(got) != fmt.Sprintf("v%d\n", i) {
			t.Errorf("short id of a fresh commit: %q, %v", got, err)
		}
	}
}

// A crash during a commit's flush can leave its pack and index named but
// empty or cut short. No ref names their objects; every reader (go-git,
// the object store that serves clones, real git after the repack) passes
// over them, commits go on, and the repack removes them once they are old.
func TestPackCutShortByCrashIsPassedOver(t *testing.T) {
	r := storetest.MustInitRepo(t, map[string]string{"Home.md": "# Home\n"})
	dir := r.Dir()
	head := storetest.RepoMustCommit(t, r, storetest.RepoHead(t, r), map[string]string{"Home.md": "kept\n"})
	r.Close()
	packDir := filepath.Join(dir, "objects", "pack")
	cut := cutShortPacks(t, packDir)
	r = storetest.MustOpenRepo(t, dir)
	ctx := context.Background()
	if got, _, err := r.ReadFile(ctx, "", "Home.md"); err != nil || string(got) != "kept\n" {
		t.Fatalf("ReadFile beside cut-short packs = %q, %v", got, err)
	}
	head = storetest.RepoMustCommit(t, r, head, map[string]string{"Home.md": "after\n"})
	st, err := gitpack.OpenObjectStore(dir)
	if err != nil {
		t.Fatalf("object store beside cut-short packs: %v", err)
	}
	st.Close()
	old := time.Now().Add(-2 * time.Hour)
	for _, name := range cut {
		os.Chtimes(name, old, old)
	}
	if err := gitrepo.Repack(ctx, r); err != nil {
		t.Fatalf("Repack: %v", err)
	}
	for _, name := range cut {
		if _, err := os.Stat(name); err == nil {
			t.Errorf("%s is still there after the repack", filepath.Base(name))
		}
	}
	storetest.MustGit(t, dir, "fsck", "--strict", "--no-progress")
	if got := storetest.MustGit(t, dir, "show", head+":Home.md"); got != "after\n" {
		t.Errorf("git show = %q", got)
	}
}

// cutShortPacks leaves in packDir what a crash in a commit's flush can:
// a pack and index of the right names, one pair empty, one cut short. It
// returns their paths.
func cutShortPacks(tb testing.TB, packDir string) []string {
	tb.Helper()
	data := []byte("never acknowledged\n")
	objs := []gitpack.PackObject{{Hash: plumbing.ComputeHash(plumbing.BlobObject, data), Type: plumbing.BlobObject, Data: data}}
	sp, err := gitpack.EncodeSmallPack(objs)
	if err != nil {
		tb.Fatal(err)
	}
	var paths []string
	write := func(base string, pack, idx []byte) {
		for ext, data := range map[string][]byte{".pack": pack, ".idx": idx} {
			p := filepath.Join(packDir, base+ext)
			if err := os.WriteFile(p, data, 0o444); err != nil {
				tb.Fatal(err)
			}
			paths = append(paths, p)
		}
	}
	write("pack-"+sp.Sum.String(), sp.Pack[:len(sp.Pack)/2], sp.Idx[:len(sp.Idx)-30])
	write("pack-"+strings.Repeat("ab", 20), nil, nil)
	slices.Sort(paths)
	return paths
}

// The geometric repack rolls up the small packs and leaves a large one
// alone until the small ones add up to half of it.
func TestGeometricSplit(t *testing.T) {
	cases := []struct {
		sizes []int64
		want  int
	}{
		{[]int64{10}, 0},
		{[]int64{10, 10}, 2},
		{[]int64{1, 2, 4, 8}, 0},
		{[]int64{1, 3, 9, 27}, 0},
		{[]int64{1, 1, 1, 1, 1000}, 4},
		{[]int64{1, 1, 1, 1, 8}, 4},
		{[]int64{1, 1, 1, 1, 7}, 5},
		{[]int64{1, 1, 10, 100}, 2},
	}
	for _, c := range cases {
		if got := gitrepo.GeometricSplit(c.sizes); got != c.want {
			t.Errorf("GeometricSplit(%v) = %d, want %d", c.sizes, got, c.want)
		}
	}
}
