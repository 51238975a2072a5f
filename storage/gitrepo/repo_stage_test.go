package gitrepo_test

import (
	"context"
	"testing"

	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/internal/storetest"
	"github.com/warren-wiki/warren/wiki"
)

// A staged update sees the new commit's objects before the branch names
// it, and is told the branch moved before Commit returns.
func TestRepoCommitStageSeesTheCommitBeforeTheBranch(t *testing.T) {
	r := storetest.MustInitRepo(t, map[string]string{"Home.md": "home"})
	ctx := context.Background()
	parent := storetest.RepoHead(t, r)
	var staged, headWhileStaged, blobWhileStaged string
	made := false
	id, err := r.Commit(ctx, gitrepo.CommitRequest{
		Parent:  parent,
		Changes: []gitrepo.FileChange{{Path: "Home.md", Content: []byte("home v2")}},
		Message: "edit",
		Stage: func(id string) func(bool) {
			staged = id
			headWhileStaged, _ = r.Head(ctx)
			rd, err := r.OpenReader()
			if err != nil {
				t.Error(err)
				return func(bool) {}
			}
			defer rd.Close()
			f, err := r.ListFiles(ctx, id)
			if err != nil {
				t.Error(err)
			}
			for _, e := range f {
				if e.Path == "Home.md" {
					b, _ := rd.ReadBlob(ctx, e.Blob)
					blobWhileStaged = string(b)
				}
			}
			return func(m bool) { made = m }
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if staged != id || !made {
		t.Fatalf("staged %q made %v, commit %q", staged, made, id)
	}
	if headWhileStaged != parent {
		t.Fatalf("branch while staged = %q, want the parent %q", headWhileStaged, parent)
	}
	if blobWhileStaged != "home v2" {
		t.Fatalf("page while staged = %q", blobWhileStaged)
	}
	storetest.MustGit(t, r.Dir(), "fsck", "--full", "--strict", "--no-dangling")
}

// A commit on a stale parent is refused before anything is staged.
func TestRepoCommitStageNotCalledOnConflict(t *testing.T) {
	r := storetest.MustInitRepo(t, map[string]string{"Home.md": "home"})
	ctx := context.Background()
	parent := storetest.RepoHead(t, r)
	storetest.RepoMustCommit(t, r, parent, map[string]string{"Home.md": "theirs"})
	called := false
	_, err := r.Commit(ctx, gitrepo.CommitRequest{
		Parent:  parent,
		Changes: []gitrepo.FileChange{{Path: "Home.md", Content: []byte("mine")}},
		Stage:   func(string) func(bool) { called = true; return func(bool) {} },
	})
	if wiki.ErrorCode(err) != wiki.ECONFLICT || called {
		t.Fatalf("err = %v, staged = %v; want a conflict and no stage", err, called)
	}
}
