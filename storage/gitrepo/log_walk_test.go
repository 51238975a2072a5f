package gitrepo_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/internal/storetest"
)

// walkAll describes a range through StartLog and Each.
func walkAll(tb testing.TB, r *gitrepo.Repo, from, to string) ([]gitrepo.CommitInfo, *gitrepo.LogWalk) {
	tb.Helper()
	l, err := r.StartLog(context.Background(), from, to)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(l.Close)
	var got []gitrepo.CommitInfo
	err = l.Each(context.Background(), func(c *gitrepo.CommitInfo) error {
		got = append(got, *c)
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return got, l
}

// The walk that indexes a push reads objects its own way (straight from
// packs and loose files); it must describe exactly what Log describes —
// order, metadata, changes against the first parent, nested folders,
// deletions, merges — for every kind of range, packed or loose.
func TestLogWalkDescribesWhatLogDoes(t *testing.T) {
	dir := storetest.MustGitRepo(t, map[string]string{"Home.md": "home\n", "Team/Old.md": "old\n"})
	work := storetest.MustClone(t, dir)
	root := work.Head()
	work.Git("checkout", "-q", "-b", "side")
	work.Commit("Team/Deep/Side.md", "side 1\n")
	work.Git("checkout", "-q", "main")
	work.Commit("Main.md", "main 1\n")
	mark := work.Head()
	work.Git("rm", "-q", "Team/Old.md")
	work.Git("commit", "-qm", "remove old")
	work.Git("merge", "-q", "--no-ff", "-m", "merge side", "side")
	work.Commit("Home.md", "after merge\n")
	work.Git("push", "-q", "origin", "main")
	r := storetest.MustOpenRepo(t, dir)
	head := storetest.RepoHead(t, r)
	compare := func(from, to string) *gitrepo.LogWalk {
		t.Helper()
		want, err := r.Log(context.Background(), from, to)
		if err != nil {
			t.Fatal(err)
		}
		got, l := walkAll(t, r, from, to)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("walk %s..%s =\n%+v\nLog =\n%+v", from, to, got, want)
		}
		return l
	}
	for range 2 { // loose objects as pushed, then packed
		if l := compare(mark, head); !l.HasChildOf(mark) || l.HasChildOf(head) {
			t.Errorf("HasChildOf: the watermark must have a child in the range, the tip not")
		}
		compare("", head)
		compare(root, head)
		storetest.MustGit(t, dir, "repack", "-adq")
		r.Reload()
	}
	// A force push: the old head is no longer an ancestor of main.
	work.Git("reset", "-q", "--hard", root)
	work.Commit("Other.md", "rewritten\n")
	work.Git("push", "-q", "-f", "origin", "main")
	r.Reload()
	if l := compare(head, storetest.RepoHead(t, r)); l.HasChildOf(head) {
		t.Errorf("a rewritten history must not look like it descends from the old head")
	}
}
