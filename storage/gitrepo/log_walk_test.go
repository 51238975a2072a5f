package gitrepo_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
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
	work := filepath.Join(t.TempDir(), "w")
	storetest.MustGit(t, filepath.Dir(work), "clone", "-q", dir, work)
	write := func(name, content string) {
		p := filepath.Join(work, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		storetest.MustGit(t, work, "add", name)
		storetest.MustGit(t, work, "commit", "-qm", "edit "+name)
	}
	root := strings.TrimSpace(storetest.MustGit(t, work, "rev-parse", "HEAD"))
	storetest.MustGit(t, work, "checkout", "-q", "-b", "side")
	write("Team/Deep/Side.md", "side 1\n")
	storetest.MustGit(t, work, "checkout", "-q", "main")
	write("Main.md", "main 1\n")
	mark := strings.TrimSpace(storetest.MustGit(t, work, "rev-parse", "HEAD"))
	storetest.MustGit(t, work, "rm", "-q", "Team/Old.md")
	storetest.MustGit(t, work, "commit", "-qm", "remove old")
	storetest.MustGit(t, work, "merge", "-q", "--no-ff", "-m", "merge side", "side")
	write("Home.md", "after merge\n")
	storetest.MustGit(t, work, "push", "-q", "origin", "main")
	r, err := gitrepo.OpenRepo(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
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
	storetest.MustGit(t, work, "reset", "-q", "--hard", root)
	write("Other.md", "rewritten\n")
	storetest.MustGit(t, work, "push", "-q", "-f", "origin", "main")
	r.Reload()
	if l := compare(head, storetest.RepoHead(t, r)); l.HasChildOf(head) {
		t.Errorf("a rewritten history must not look like it descends from the old head")
	}
}
