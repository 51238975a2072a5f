package storage_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/storage"
	"github.com/warren-wiki/warren/wiki"
)

func TestRepoInitLayout(t *testing.T) {
	r := MustInitRepo(t, map[string]string{"Home.md": "# Home\n", "Team/Notes.md": "notes\n"})
	dir := r.Dir()
	if got := strings.TrimSpace(MustGit(t, dir, "symbolic-ref", "HEAD")); got != storage.MainBranch {
		t.Errorf("HEAD -> %q, want %s", got, storage.MainBranch)
	}
	if got := strings.TrimSpace(MustGit(t, dir, "rev-parse", "--is-bare-repository")); got != "true" {
		t.Errorf("bare = %q", got)
	}
	head := repoHead(t, r)
	if got := strings.TrimSpace(MustGit(t, dir, "rev-parse", "main")); got != head {
		t.Errorf("git sees main at %s, Repo at %s", got, head)
	}
	if got := MustGit(t, dir, "log", "-1", "--format=%an <%ae>|%cn <%ce>|%s"); got != "Test Author <author@example.com>|warren <warren@localhost>|initial\n" {
		t.Errorf("commit identity/message = %q", got)
	}
	if got := MustGit(t, dir, "ls-tree", "-r", "--name-only", "main"); got != "Home.md\nTeam/Notes.md\n" {
		t.Errorf("tree = %q", got)
	}
	MustGit(t, dir, "fsck", "--full", "--strict")
}

func TestRepoInitRefusesExistingDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "repo.git")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := storage.InitRepo(context.Background(), dir, nil, "a", "a@example.com", "x")
	repoWantCode(t, err, wiki.EEXISTS)
}

// A failed InitRepo must leave neither the repository nor its temporary
// directory behind.
func TestRepoInitLeavesNothingOnFailure(t *testing.T) {
	cases := map[string][]storage.FileChange{
		"traversal": {{Path: "../escape.md", Content: []byte("x")}},
		"dot git":   {{Path: ".git/config", Content: []byte("x")}},
		"twice":     {{Path: "a.md"}, {Path: "a.md"}},
	}
	for name, files := range cases {
		t.Run(name, func(t *testing.T) {
			parent := t.TempDir()
			dir := filepath.Join(parent, "repo.git")
			_, err := storage.InitRepo(context.Background(), dir, files, "a", "a@example.com", "x")
			repoWantCode(t, err, wiki.EINVALID)
			if entries, _ := os.ReadDir(parent); len(entries) != 0 {
				t.Fatalf("left behind: %v", entries)
			}
		})
	}
	_, err := storage.InitRepo(context.Background(), filepath.Join(t.TempDir(), "no", "parent"), nil, "a", "", "x")
	if err == nil {
		t.Fatal("InitRepo under a missing parent succeeded")
	}
}

func TestRepoOpenNotARepository(t *testing.T) {
	_, err := storage.OpenRepo(t.TempDir())
	repoWantCode(t, err, wiki.ENOTFOUND)
}

func TestRepoOpenGitCLIRepo(t *testing.T) {
	dir := MustGitRepo(t, map[string]string{"Home.md": "hello\n"})
	r, err := storage.OpenRepo(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	// git clone --bare packs its refs: main lives only in packed-refs.
	if _, err := os.Stat(filepath.Join(dir, "refs/heads/main")); err == nil {
		t.Fatal("expected main only in packed-refs")
	}
	if got, want := repoHead(t, r), strings.TrimSpace(MustGit(t, dir, "rev-parse", "main")); got != want {
		t.Fatalf("Head = %s, want %s", got, want)
	}
	data, blob, err := r.ReadFile(context.Background(), "", "Home.md")
	if err != nil || string(data) != "hello\n" {
		t.Fatalf("ReadFile = %q, %v", data, err)
	}
	if want := strings.TrimSpace(MustGit(t, dir, "rev-parse", "main:Home.md")); blob != want {
		t.Fatalf("blob = %s, want %s", blob, want)
	}
}

func TestRepoReadErrors(t *testing.T) {
	r := MustInitRepo(t, map[string]string{"Home.md": "x", "Team/Notes.md": "y"})
	ctx := context.Background()
	_, _, err := r.ReadFile(ctx, "", "Missing.md")
	repoWantCode(t, err, wiki.ENOTFOUND)
	_, _, err = r.ReadFile(ctx, "", "Team") // a directory is not a file
	repoWantCode(t, err, wiki.ENOTFOUND)
	_, _, err = r.ReadFile(ctx, "", "home.md") // ReadFile is exact
	repoWantCode(t, err, wiki.ENOTFOUND)
	for _, rev := range []string{"0123456789012345678901234567890123456789", "nothex", "refs/heads/nope", "../../etc/passwd", "deadbeef"} {
		_, _, err = r.ReadFile(ctx, rev, "Home.md")
		repoWantCode(t, err, wiki.ENOTFOUND)
	}
	_, err = r.ReadBlob(ctx, "0123456789012345678901234567890123456789")
	repoWantCode(t, err, wiki.ENOTFOUND)
	_, err = r.ReadBlob(ctx, "../../HEAD")
	repoWantCode(t, err, wiki.ENOTFOUND)
	// A commit id is not a blob.
	_, err = r.ReadBlob(ctx, repoHead(t, r))
	repoWantCode(t, err, wiki.ENOTFOUND)
}

func TestRepoRevisionForms(t *testing.T) {
	r := MustInitRepo(t, map[string]string{"Home.md": "one"})
	first := repoHead(t, r)
	repoMustCommit(t, r, first, map[string]string{"Home.md": "two"})
	ctx := context.Background()
	for rev, want := range map[string]string{
		first:                  "one",
		strings.ToUpper(first): "one",
		first[:7]:              "one",
		"":                     "two",
		"HEAD":                 "two",
		storage.MainBranch:     "two",
	} {
		data, _, err := r.ReadFile(ctx, rev, "Home.md")
		if err != nil || string(data) != want {
			t.Errorf("ReadFile(%q) = %q, %v; want %q", rev, data, err, want)
		}
	}
}

func TestRepoUnbornHead(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "empty.git")
	MustGit(t, filepath.Dir(dir), "init", "-q", "--bare", "-b", "main", dir)
	r, err := storage.OpenRepo(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx := context.Background()
	if h := repoHead(t, r); h != "" {
		t.Fatalf("Head of empty repo = %q", h)
	}
	_, err = r.ListFiles(ctx, "")
	repoWantCode(t, err, wiki.ENOTFOUND)
	if log, err := r.Log(ctx, "", ""); err != nil || len(log) != 0 {
		t.Fatalf("Log of empty repo = %v, %v", log, err)
	}
	if h, err := r.History(ctx, "", 10, ""); err != nil || len(h) != 0 {
		t.Fatalf("History of empty repo = %v, %v", h, err)
	}
	id := repoMustCommit(t, r, "", map[string]string{"Home.md": "first"})
	if repoHead(t, r) != id {
		t.Fatal("first commit did not create main")
	}
	MustGit(t, dir, "fsck", "--full", "--strict")
}
