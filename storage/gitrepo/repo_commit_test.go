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

func TestRepoCommitNestedAndDeletes(t *testing.T) {
	r := storetest.MustInitRepo(t, map[string]string{"Home.md": "home", "a/b/c/deep.md": "deep", "a/keep.md": "keep"})
	dir := r.Dir()
	c1 := storetest.RepoMustCommit(t, r, storetest.RepoHead(t, r), map[string]string{
		"x/y/z/new.md": "new", "a/b/second.md": "2", "Home.md": "home v2",
	})
	if got := storetest.MustGit(t, dir, "ls-tree", "-r", "--name-only", c1); got != "Home.md\na/b/c/deep.md\na/b/second.md\na/keep.md\nx/y/z/new.md\n" {
		t.Fatalf("tree after adds = %q", got)
	}
	// Deleting the last file of a directory removes the directory, up the chain.
	c2 := storetest.RepoMustCommit(t, r, c1, nil, "a/b/c/deep.md", "x/y/z/new.md")
	if got := storetest.MustGit(t, dir, "ls-tree", "-r", "-t", "--name-only", c2); got != "Home.md\na\na/b\na/b/second.md\na/keep.md\n" {
		t.Fatalf("tree after deletes = %q", got)
	}
	// Unchanged subtrees keep their ids.
	if a, b := storetest.MustGit(t, dir, "rev-parse", c1+":a/keep.md"), storetest.MustGit(t, dir, "rev-parse", c2+":a/keep.md"); a != b {
		t.Fatal("unchanged blob changed id")
	}
	// Deleting everything leaves the empty tree.
	c3 := storetest.RepoMustCommit(t, r, c2, nil, "Home.md", "a/b/second.md", "a/keep.md")
	if got := strings.TrimSpace(storetest.MustGit(t, dir, "rev-parse", c3+"^{tree}")); got != "4b825dc642cb6eb9a060e54bf8d69288fbee4904" {
		t.Fatalf("empty tree = %s", got)
	}
	storetest.MustGit(t, dir, "fsck", "--full", "--strict", "--no-dangling")
	if got := storetest.MustGit(t, dir, "rev-list", "--count", "main"); got != "4\n" {
		t.Fatalf("commit count = %q", got)
	}
}

func TestRepoCommitIdentityAndMessage(t *testing.T) {
	r := storetest.MustInitRepo(t, map[string]string{"Home.md": "x"})
	when := time.Date(2024, 5, 6, 7, 8, 9, 0, time.FixedZone("", 2*3600))
	id, err := r.Commit(context.Background(), gitrepo.CommitRequest{
		Parent:  storetest.RepoHead(t, r),
		Changes: []gitrepo.FileChange{{Path: "Home.md", Content: []byte("y")}},
		// A proxy header may carry anything; it must not break the commit.
		AuthorName: "Eve <evil>\nInjected: yes", AuthorEmail: "eve@example.com>", Message: "Edit Home", When: when,
	})
	if err != nil {
		t.Fatal(err)
	}
	got := storetest.MustGit(t, r.Dir(), "log", "-1", "--format=%an|%ae|%ad|%cn|%ce|%B", "--date=iso-strict", id)
	if want := "Eve evilInjected: yes|eve@example.com|2024-05-06T07:08:09+02:00|warren|warren@localhost|Edit Home\n\n"; got != want {
		t.Fatalf("commit = %q, want %q", got, want)
	}
	storetest.MustGit(t, r.Dir(), "fsck", "--full", "--strict")
	rev, err := r.Revision(context.Background(), id)
	if err != nil || rev.Author != "Eve evilInjected: yes" || rev.Message != "Edit Home" || !rev.Time.Equal(when) ||
		len(rev.Files) != 1 || rev.Files[0] != "Home.md" {
		t.Fatalf("Revision = %+v, %v", rev, err)
	}
}

// A lost compare-and-swap changes nothing: the branch stays where the other
// writer put it.
func TestRepoCommitConflictLeavesRefUnchanged(t *testing.T) {
	r := storetest.MustInitRepo(t, map[string]string{"Home.md": "base"})
	base := storetest.RepoHead(t, r)
	theirs := storetest.RepoMustCommit(t, r, base, map[string]string{"Home.md": "theirs"})
	for name, parent := range map[string]string{"stale parent": base, "unborn claim": "", "unknown": strings.Repeat("ab", 20)} {
		_, err := r.Commit(context.Background(), gitrepo.CommitRequest{
			Parent: parent, Changes: []gitrepo.FileChange{{Path: "Home.md", Content: []byte("mine")}}, AuthorName: "m",
		})
		storetest.RepoWantCode(t, err, wiki.ECONFLICT)
		if h := storetest.RepoHead(t, r); h != theirs {
			t.Fatalf("%s: main moved to %s", name, h)
		}
	}
	data, _, _ := r.ReadFile(context.Background(), "", "Home.md")
	if string(data) != "theirs" {
		t.Fatalf("content = %q", data)
	}
	if _, err := os.Stat(filepath.Join(r.Dir(), "refs/heads/main.lock")); !os.IsNotExist(err) {
		t.Fatalf("lock left behind: %v", err)
	}
}

// Commit is the last line of defence against a path that would escape the
// tree or hide in git's metadata: the caller validates page names, but a
// bug there must not reach the repository.
func TestRepoCommitPathTraversal(t *testing.T) {
	r := storetest.MustInitRepo(t, map[string]string{"Home.md": "x", "dir/file.md": "y"})
	head := storetest.RepoHead(t, r)
	cases := map[string]gitrepo.FileChange{
		"dot dot":            {Path: "../outside.md"},
		"dot dot inside":     {Path: "a/../../outside.md"},
		"absolute":           {Path: "/etc/passwd"},
		"dot git":            {Path: ".git/config"},
		"nested dot git":     {Path: "a/.GIT/hooks/pre-receive"},
		"nul":                {Path: "a\x00b.md"},
		"control":            {Path: "a\nb.md"},
		"empty":              {Path: ""},
		"empty component":    {Path: "a//b.md"},
		"dot component":      {Path: "./a.md"},
		"backslash":          {Path: `a\..\b.md`},
		"trailing slash":     {Path: "a/"},
		"file as directory":  {Path: "Home.md/x.md", Content: []byte("x")},
		"directory as file":  {Path: "dir", Content: []byte("x")},
		"delete a directory": {Path: "dir", Delete: true},
	}
	for name, ch := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := r.Commit(context.Background(), gitrepo.CommitRequest{Parent: head, Changes: []gitrepo.FileChange{ch}})
			code := wiki.ErrorCode(err)
			if code != wiki.EINVALID && code != wiki.ENOTFOUND {
				t.Fatalf("Commit(%q) = %v, want EINVALID or ENOTFOUND", ch.Path, err)
			}
			if storetest.RepoHead(t, r) != head {
				t.Fatal("main moved")
			}
		})
	}
	_, err := r.Commit(context.Background(), gitrepo.CommitRequest{Parent: head, Changes: []gitrepo.FileChange{{Path: "Nope.md", Delete: true}}})
	storetest.RepoWantCode(t, err, wiki.ENOTFOUND)
	if entries, _ := os.ReadDir(filepath.Dir(r.Dir())); len(entries) != 1 {
		t.Fatalf("files appeared beside the repository: %v", entries)
	}
}

func TestRepoCommitKeepsExecutableMode(t *testing.T) {
	dir := storetest.MustGitRepo(t, map[string]string{"tool.sh": "#!/bin/sh\n"})
	work := filepath.Join(t.TempDir(), "w")
	storetest.MustGit(t, filepath.Dir(work), "clone", "-q", dir, work)
	storetest.MustGit(t, work, "update-index", "--chmod=+x", "tool.sh")
	storetest.MustGit(t, work, "commit", "-qm", "exec")
	storetest.MustGit(t, work, "push", "-q", "origin", "main")
	r := storetest.MustOpenRepo(t, dir)
	id := storetest.RepoMustCommit(t, r, storetest.RepoHead(t, r), map[string]string{"tool.sh": "#!/bin/sh\necho hi\n"})
	if got := storetest.MustGit(t, dir, "ls-tree", id, "tool.sh"); !strings.HasPrefix(got, "100755 ") {
		t.Fatalf("mode lost: %q", got)
	}
}

// What Repo writes is a repository the git CLI reads in full: fsck finds
// nothing and a clone sees every commit and file.
func TestRepoGitCLIReadsCommits(t *testing.T) {
	r := storetest.MustInitRepo(t, map[string]string{"Home.md": "home"})
	head := storetest.RepoHead(t, r)
	for i := range 5 {
		head = storetest.RepoMustCommit(t, r, head, map[string]string{"Page " + string(rune('A'+i)) + ".md": "content", "Home.md": "v" + string(rune('0'+i))})
	}
	storetest.MustGit(t, r.Dir(), "fsck", "--full", "--strict", "--no-dangling")
	work := filepath.Join(t.TempDir(), "clone")
	storetest.MustGit(t, filepath.Dir(work), "clone", "-q", r.Dir(), work)
	if got := strings.TrimSpace(storetest.MustGit(t, work, "rev-parse", "HEAD")); got != head {
		t.Fatalf("clone HEAD = %s, want %s", got, head)
	}
	data, err := os.ReadFile(filepath.Join(work, "Page E.md"))
	if err != nil || string(data) != "content" {
		t.Fatalf("cloned file = %q, %v", data, err)
	}
	if got := storetest.MustGit(t, work, "rev-list", "--count", "HEAD"); got != "6\n" {
		t.Fatalf("cloned history = %q", got)
	}
}
