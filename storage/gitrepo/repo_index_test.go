package gitrepo_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/warren-wiki/warren/storage/internal/storetest"
)

// TestFailedIndexLoadDoesNotHideObjects: a lookup that fails while go-git
// loads the packs' indexes (here: an .idx unreadable for a moment, as a
// pack being replaced or too many open files make it) left go-git with a
// partial index, and every later lookup missed the objects of the packs it
// skipped, with the pack list unchanged: a push was then refused with
// "object … is not in the repository" although its pack was installed.
func TestFailedIndexLoadDoesNotHideObjects(t *testing.T) {
	ctx := context.Background()
	repo := storetest.MustInitRepo(t, map[string]string{"Home.md": "# Home\n"})
	if out, err := exec.Command("git", "-C", repo.Dir(), "repack", "-adq").CombinedOutput(); err != nil {
		t.Fatalf("git repack: %v %s", err, out)
	}
	if err := repo.Reload(); err != nil {
		t.Fatal(err)
	}
	refs, err := repo.Refs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	head := refs["refs/heads/main"]
	idx, _ := filepath.Glob(filepath.Join(repo.Dir(), "objects", "pack", "pack-*.idx"))
	if len(idx) != 1 {
		t.Fatalf("packs: %v", idx)
	}
	good, err := os.ReadFile(idx[0])
	if err != nil {
		t.Fatal(err)
	}
	mustWrite(t, idx[0], []byte("not an index"))
	if _, err := repo.Revision(ctx, head[:8]); err == nil {
		t.Fatal("a short revision resolved against a broken index")
	}
	mustWrite(t, idx[0], good)
	if ok, err := repo.HasObject(plumbing.NewHash(head)); !ok || err != nil {
		t.Fatalf("HasObject(head) after the index is whole again = %v, %v", ok, err)
	}
	if err := repo.UpdateRef(ctx, "refs/heads/copy", "", head); err != nil {
		t.Fatalf("UpdateRef to an object the repository holds: %v", err)
	}
}

func mustWrite(t *testing.T, path string, data []byte) {
	t.Helper()
	os.Chmod(path, 0o644)
	if err := os.WriteFile(path, data, 0o444); err != nil {
		t.Fatal(err)
	}
}
