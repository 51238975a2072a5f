package gitrepo_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/internal/storetest"
	"github.com/warren-wiki/warren/wiki"
)

func TestRepoUpdateRef(t *testing.T) {
	r := storetest.MustInitRepo(t, map[string]string{"Home.md": "x"})
	ctx := context.Background()
	c1 := storetest.RepoHead(t, r)
	c2 := storetest.RepoMustCommit(t, r, c1, map[string]string{"Home.md": "y"})
	dir := r.Dir()
	steps := []struct {
		name, ref, old, new, code string
	}{
		{"create", "refs/heads/feature", "", c1, ""},
		{"create again", "refs/heads/feature", "", c2, wiki.ECONFLICT},
		{"update from wrong old", "refs/heads/feature", c2, c2, wiki.ECONFLICT},
		{"update", "refs/heads/feature", c1, c2, ""},
		{"create with zero id", "refs/tags/v1", strings.Repeat("0", 40), c1, ""},
		{"dir/file conflict", "refs/heads/feature/sub", "", c1, wiki.ECONFLICT},
		{"file/dir conflict", "refs/tags", "", c1, wiki.ECONFLICT},
		{"missing object", "refs/heads/other", "", strings.Repeat("12", 20), wiki.EINVALID},
		{"neither", "refs/heads/other", "", "", wiki.EINVALID},
		{"bad id", "refs/heads/other", "", "HEAD", wiki.EINVALID},
		{"delete from wrong old", "refs/heads/feature", c1, "", wiki.ECONFLICT},
		{"delete", "refs/heads/feature", c2, "", ""},
		{"delete missing", "refs/heads/feature", c2, "", wiki.ECONFLICT},
	}
	for _, s := range steps {
		err := r.UpdateRef(ctx, s.ref, s.old, s.new)
		if s.code == "" && err != nil {
			t.Fatalf("%s: %v", s.name, err)
		} else if s.code != "" && wiki.ErrorCode(err) != s.code {
			t.Fatalf("%s: err = %v, want %s", s.name, err, s.code)
		}
	}
	refs, err := r.Refs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"HEAD": c2, gitrepo.MainBranch: c2, "refs/tags/v1": c1}
	if len(refs) != len(want) {
		t.Fatalf("Refs = %v, want %v", refs, want)
	}
	for k, v := range want {
		if refs[k] != v {
			t.Fatalf("Refs[%s] = %s, want %s", k, refs[k], v)
		}
	}
	if got := storetest.MustGit(t, dir, "for-each-ref", "--format=%(refname) %(objectname)"); got != "refs/heads/main "+c2+"\nrefs/tags/v1 "+c1+"\n" {
		t.Fatalf("git sees refs %q", got)
	}
	if target, err := r.HeadTarget(ctx); err != nil || target != gitrepo.MainBranch {
		t.Fatalf("HeadTarget = %q, %v", target, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "refs/heads/feature")); !os.IsNotExist(err) {
		t.Fatal("deleted ref still on disk")
	}
}

func TestRepoRefNameInjection(t *testing.T) {
	r := storetest.MustInitRepo(t, map[string]string{"Home.md": "x"})
	head := storetest.RepoHead(t, r)
	for _, name := range []string{
		"HEAD", "main", "refs/heads/../../config", "refs/heads/a..b", "refs/heads/.hidden",
		"refs/heads/x.lock", "refs/heads/sp ace", "refs/heads/a\x00b", "refs/heads/a~1", "refs/heads/a:b",
		"refs/heads/", "refs//heads/x", "refs/heads/x.", "refs/heads/@{u}", "/refs/heads/x", "refs/heads/a\\b",
	} {
		err := r.UpdateRef(context.Background(), name, "", head)
		storetest.RepoWantCode(t, err, wiki.EINVALID)
	}
	if _, err := os.Stat(filepath.Join(r.Dir(), "config")); err != nil {
		t.Fatal(err)
	}
}

// Refs that live only in packed-refs (as git clone and git pack-refs leave
// them) are read, moved and deleted correctly, and git agrees afterwards.
func TestRepoPackedRefs(t *testing.T) {
	dir := storetest.MustGitRepo(t, map[string]string{"Home.md": "x"})
	r := storetest.MustOpenRepo(t, dir)
	ctx := context.Background()
	c1 := storetest.RepoHead(t, r)
	storetest.MustGit(t, dir, "tag", "-a", "-m", "annotated", "v1", c1)
	storetest.MustGit(t, dir, "branch", "side", c1)
	storetest.MustGit(t, dir, "pack-refs", "--all")
	for _, ref := range []string{"refs/heads/main", "refs/heads/side", "refs/tags/v1"} {
		if _, err := os.Stat(filepath.Join(dir, ref)); err == nil {
			t.Fatalf("%s is loose", ref)
		}
	}
	// Old value read from packed-refs; the loose file now shadows it.
	c2 := storetest.RepoMustCommit(t, r, c1, map[string]string{"Home.md": "y"})
	if got := strings.TrimSpace(storetest.MustGit(t, dir, "rev-parse", "main")); got != c2 {
		t.Fatalf("git sees main at %s, want %s", got, c2)
	}
	// Deleting a packed ref rewrites packed-refs, peeled line included.
	if err := r.UpdateRef(ctx, "refs/tags/v1", strings.TrimSpace(storetest.MustGit(t, dir, "rev-parse", "v1")), ""); err != nil {
		t.Fatal(err)
	}
	if err := r.UpdateRef(ctx, "refs/heads/side", c2, ""); wiki.ErrorCode(err) != wiki.ECONFLICT {
		t.Fatalf("delete side from wrong old = %v", err)
	}
	if err := r.UpdateRef(ctx, "refs/heads/side", c1, ""); err != nil {
		t.Fatal(err)
	}
	if got := storetest.MustGit(t, dir, "for-each-ref", "--format=%(refname)"); got != "refs/heads/main\n" {
		t.Fatalf("refs after delete = %q", got)
	}
	packed, _ := os.ReadFile(filepath.Join(dir, "packed-refs"))
	if strings.Contains(string(packed), "v1") || strings.Contains(string(packed), "^") {
		t.Fatalf("packed-refs still names the tag: %q", packed)
	}
	storetest.MustGit(t, dir, "fsck", "--full")
}

// A lock file held by another writer (a git CLI mid-update) makes the
// update fail cleanly; one left by a crash long ago is broken.
func TestRepoRefLocks(t *testing.T) {
	r := storetest.MustInitRepo(t, map[string]string{"Home.md": "x"})
	head := storetest.RepoHead(t, r)
	lock := filepath.Join(r.Dir(), "refs/heads/main.lock")
	if err := os.WriteFile(lock, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := r.Commit(context.Background(), gitrepo.CommitRequest{Parent: head, Changes: []gitrepo.FileChange{{Path: "Home.md", Content: []byte("y")}}})
	storetest.RepoWantCode(t, err, wiki.ECONFLICT)
	if storetest.RepoHead(t, r) != head {
		t.Fatal("main moved while locked")
	}
	if _, err := os.Stat(lock); err != nil {
		t.Fatal("someone else's lock was removed")
	}
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(lock, old, old); err != nil {
		t.Fatal(err)
	}
	storetest.RepoMustCommit(t, r, head, map[string]string{"Home.md": "y"})
	if _, err := os.Stat(lock); !os.IsNotExist(err) {
		t.Fatal("lock left behind")
	}
}

// Objects and refs written by the git CLI become visible: refs at once,
// objects in a new pack after Reload (and on a miss even without it).
func TestRepoReloadSeesGitCLIPush(t *testing.T) {
	r := storetest.MustInitRepo(t, map[string]string{"Home.md": "from warren"})
	ctx := context.Background()
	dir := r.Dir()
	if _, err := r.ListFiles(ctx, ""); err != nil { // load the pack index
		t.Fatal(err)
	}
	storetest.MustGit(t, dir, "config", "receive.unpackLimit", "1") // keep pushed packs as packs
	work := filepath.Join(t.TempDir(), "w")
	storetest.MustGit(t, filepath.Dir(work), "clone", "-q", dir, work)
	if err := os.WriteFile(filepath.Join(work, "Pushed.md"), []byte("from git"), 0o644); err != nil {
		t.Fatal(err)
	}
	storetest.MustGit(t, work, "add", "Pushed.md")
	storetest.MustGit(t, work, "commit", "-qm", "pushed")
	storetest.MustGit(t, work, "push", "-q", "origin", "main")
	pushed := strings.TrimSpace(storetest.MustGit(t, work, "rev-parse", "HEAD"))
	if packs, _ := filepath.Glob(filepath.Join(dir, "objects/pack/*.pack")); len(packs) == 0 {
		t.Fatal("push did not write a pack")
	}
	if err := r.Reload(); err != nil {
		t.Fatal(err)
	}
	if h := storetest.RepoHead(t, r); h != pushed {
		t.Fatalf("Head = %s, want %s", h, pushed)
	}
	data, _, err := r.ReadFile(ctx, "", "Pushed.md")
	if err != nil || string(data) != "from git" {
		t.Fatalf("ReadFile = %q, %v", data, err)
	}
	// git gc repacks everything and deletes the old packs and loose objects
	// behind our back; reads still work.
	storetest.MustGit(t, dir, "gc", "-q", "--prune=now")
	data, _, err = r.ReadFile(ctx, "", "Home.md")
	if err != nil || string(data) != "from warren" {
		t.Fatalf("after gc: ReadFile = %q, %v", data, err)
	}
	next := storetest.RepoMustCommit(t, r, pushed, map[string]string{"After GC.md": "ok"})
	storetest.MustGit(t, work, "pull", "-q", "--ff-only")
	if got := strings.TrimSpace(storetest.MustGit(t, work, "rev-parse", "HEAD")); got != next {
		t.Fatalf("git pulled %s, want %s", got, next)
	}
	storetest.MustGit(t, dir, "fsck", "--full", "--strict")
}

// A pack whose index is missing (receive-pack between its two renames, or
// a crash there) is ignored, as git ignores it, instead of breaking reads.
func TestRepoIgnoresPackWithoutIndex(t *testing.T) {
	dir := storetest.MustGitRepo(t, map[string]string{"Home.md": "home"})
	storetest.MustGit(t, dir, "repack", "-q", "-a", "-d")
	storetest.MustGit(t, dir, "prune-packed")
	bogus := filepath.Join(dir, "objects/pack/pack-"+strings.Repeat("ab", 20)+".pack")
	if err := os.WriteFile(bogus, []byte("PACK half written"), 0o444); err != nil {
		t.Fatal(err)
	}
	r := storetest.MustOpenRepo(t, dir)
	ctx := context.Background()
	for range 2 {
		data, _, err := r.ReadFile(ctx, "", "Home.md")
		if err != nil || string(data) != "home" {
			t.Fatalf("ReadFile = %q, %v", data, err)
		}
		if err := r.Reload(); err != nil {
			t.Fatal(err)
		}
	}
}

// Deleting refs/heads/a/b prunes the emptied directory, so refs/heads/a can
// be created next; an empty directory left by anyone else gives way too.
func TestRepoRefDirectoriesGiveWay(t *testing.T) {
	r := storetest.MustInitRepo(t, map[string]string{"Home.md": "x"})
	ctx := context.Background()
	head := storetest.RepoHead(t, r)
	for _, step := range []struct{ name, old, new string }{
		{"refs/heads/a/b", "", head},
		{"refs/heads/a/b", head, ""},
		{"refs/heads/a", "", head},
	} {
		if err := r.UpdateRef(ctx, step.name, step.old, step.new); err != nil {
			t.Fatalf("%+v: %v", step, err)
		}
	}
	if err := os.MkdirAll(filepath.Join(r.Dir(), "refs/heads/empty"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := r.UpdateRef(ctx, "refs/heads/empty", "", head); err != nil {
		t.Fatal(err)
	}
	if got := storetest.MustGit(t, r.Dir(), "for-each-ref", "--format=%(refname)", "refs/heads"); got != "refs/heads/a\nrefs/heads/empty\nrefs/heads/main\n" {
		t.Fatalf("refs = %q", got)
	}
}
