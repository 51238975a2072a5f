package gitrepo_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/internal/storetest"
	"github.com/warren-wiki/warren/wiki"
)

func TestRepoInitLayout(t *testing.T) {
	r := storetest.MustInitRepo(t, map[string]string{"Home.md": "# Home\n", "Team/Notes.md": "notes\n"})
	dir := r.Dir()
	if got := strings.TrimSpace(storetest.MustGit(t, dir, "symbolic-ref", "HEAD")); got != gitrepo.MainBranch {
		t.Errorf("HEAD -> %q, want %s", got, gitrepo.MainBranch)
	}
	if got := strings.TrimSpace(storetest.MustGit(t, dir, "rev-parse", "--is-bare-repository")); got != "true" {
		t.Errorf("bare = %q", got)
	}
	head := storetest.RepoHead(t, r)
	if got := strings.TrimSpace(storetest.MustGit(t, dir, "rev-parse", "main")); got != head {
		t.Errorf("git sees main at %s, Repo at %s", got, head)
	}
	if got := storetest.MustGit(t, dir, "log", "-1", "--format=%an <%ae>|%cn <%ce>|%s"); got != "Test Author <author@example.com>|warren <warren@localhost>|initial\n" {
		t.Errorf("commit identity/message = %q", got)
	}
	if got := storetest.MustGit(t, dir, "ls-tree", "-r", "--name-only", "main"); got != "Home.md\nTeam/Notes.md\n" {
		t.Errorf("tree = %q", got)
	}
	storetest.MustGit(t, dir, "fsck", "--full", "--strict")
}

func TestRepoInitRefusesExistingDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "repo.git")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := gitrepo.InitRepo(context.Background(), dir, nil, "a", "a@example.com", "x")
	storetest.RepoWantCode(t, err, wiki.EEXISTS)
}

// A failed InitRepo must leave neither the repository nor its temporary
// directory behind.
func TestRepoInitLeavesNothingOnFailure(t *testing.T) {
	cases := map[string][]gitrepo.FileChange{
		"traversal": {{Path: "../escape.md", Content: []byte("x")}},
		"dot git":   {{Path: ".git/config", Content: []byte("x")}},
		"twice":     {{Path: "a.md"}, {Path: "a.md"}},
	}
	for name, files := range cases {
		t.Run(name, func(t *testing.T) {
			parent := t.TempDir()
			dir := filepath.Join(parent, "repo.git")
			_, err := gitrepo.InitRepo(context.Background(), dir, files, "a", "a@example.com", "x")
			storetest.RepoWantCode(t, err, wiki.EINVALID)
			if entries, _ := os.ReadDir(parent); len(entries) != 0 {
				t.Fatalf("left behind: %v", entries)
			}
		})
	}
	_, err := gitrepo.InitRepo(context.Background(), filepath.Join(t.TempDir(), "no", "parent"), nil, "a", "", "x")
	if err == nil {
		t.Fatal("InitRepo under a missing parent succeeded")
	}
}

func TestRepoOpenNotARepository(t *testing.T) {
	_, err := gitrepo.OpenRepo(t.TempDir())
	storetest.RepoWantCode(t, err, wiki.ENOTFOUND)
}

func TestRepoOpenGitCLIRepo(t *testing.T) {
	dir := storetest.MustGitRepo(t, map[string]string{"Home.md": "hello\n"})
	r := storetest.MustOpenRepo(t, dir)
	// git clone --bare packs its refs: main lives only in packed-refs.
	if _, err := os.Stat(filepath.Join(dir, "refs/heads/main")); err == nil {
		t.Fatal("expected main only in packed-refs")
	}
	if got, want := storetest.RepoHead(t, r), strings.TrimSpace(storetest.MustGit(t, dir, "rev-parse", "main")); got != want {
		t.Fatalf("Head = %s, want %s", got, want)
	}
	data, blob, err := r.ReadFile(context.Background(), "", "Home.md")
	if err != nil || string(data) != "hello\n" {
		t.Fatalf("ReadFile = %q, %v", data, err)
	}
	if want := strings.TrimSpace(storetest.MustGit(t, dir, "rev-parse", "main:Home.md")); blob != want {
		t.Fatalf("blob = %s, want %s", blob, want)
	}
}

func TestRepoReadErrors(t *testing.T) {
	r := storetest.MustInitRepo(t, map[string]string{"Home.md": "x", "Team/Notes.md": "y"})
	ctx := context.Background()
	_, _, err := r.ReadFile(ctx, "", "Missing.md")
	storetest.RepoWantCode(t, err, wiki.ENOTFOUND)
	_, _, err = r.ReadFile(ctx, "", "Team") // a directory is not a file
	storetest.RepoWantCode(t, err, wiki.ENOTFOUND)
	_, _, err = r.ReadFile(ctx, "", "home.md") // ReadFile is exact
	storetest.RepoWantCode(t, err, wiki.ENOTFOUND)
	for _, rev := range []string{"0123456789012345678901234567890123456789", "nothex", "refs/heads/nope", "../../etc/passwd", "deadbeef"} {
		_, _, err = r.ReadFile(ctx, rev, "Home.md")
		storetest.RepoWantCode(t, err, wiki.ENOTFOUND)
	}
	_, err = r.ReadBlob(ctx, "0123456789012345678901234567890123456789")
	storetest.RepoWantCode(t, err, wiki.ENOTFOUND)
	_, err = r.ReadBlob(ctx, "../../HEAD")
	storetest.RepoWantCode(t, err, wiki.ENOTFOUND)
	// A commit id is not a blob.
	_, err = r.ReadBlob(ctx, storetest.RepoHead(t, r))
	storetest.RepoWantCode(t, err, wiki.ENOTFOUND)
}

func TestRepoRevisionForms(t *testing.T) {
	r := storetest.MustInitRepo(t, map[string]string{"Home.md": "one"})
	first := storetest.RepoHead(t, r)
	storetest.RepoMustCommit(t, r, first, map[string]string{"Home.md": "two"})
	ctx := context.Background()
	for rev, want := range map[string]string{
		first:                  "one",
		strings.ToUpper(first): "one",
		first[:7]:              "one",
		"":                     "two",
		"HEAD":                 "two",
		gitrepo.MainBranch:     "two",
	} {
		data, _, err := r.ReadFile(ctx, rev, "Home.md")
		if err != nil || string(data) != want {
			t.Errorf("ReadFile(%q) = %q, %v; want %q", rev, data, err, want)
		}
	}
}

func TestRepoUnbornHead(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "empty.git")
	storetest.MustGit(t, filepath.Dir(dir), "init", "-q", "--bare", "-b", "main", dir)
	r := storetest.MustOpenRepo(t, dir)
	ctx := context.Background()
	if h := storetest.RepoHead(t, r); h != "" {
		t.Fatalf("Head of empty repo = %q", h)
	}
	_, err := r.ListFiles(ctx, "")
	storetest.RepoWantCode(t, err, wiki.ENOTFOUND)
	if log, err := r.Log(ctx, "", ""); err != nil || len(log) != 0 {
		t.Fatalf("Log of empty repo = %v, %v", log, err)
	}
	if h, err := r.History(ctx, "", 10, ""); err != nil || len(h) != 0 {
		t.Fatalf("History of empty repo = %v, %v", h, err)
	}
	id := storetest.RepoMustCommit(t, r, "", map[string]string{"Home.md": "first"})
	if storetest.RepoHead(t, r) != id {
		t.Fatal("first commit did not create main")
	}
	storetest.MustGit(t, dir, "fsck", "--full", "--strict")
}
