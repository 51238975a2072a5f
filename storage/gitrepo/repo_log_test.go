package gitrepo_test

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/internal/storetest"
	"github.com/warren-wiki/warren/wiki"
)

// repoFastImport builds a bare repository of n linear commits with git
// fast-import: commit i writes "p<i%7>.md" = "v<i>". It returns the dir and
// the commit ids oldest first.
func repoFastImport(tb testing.TB, n int) (string, []string) {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "big.git")
	storetest.MustGit(tb, filepath.Dir(dir), "init", "-q", "--bare", "-b", "main", dir)
	var in strings.Builder
	for i := range n {
		content := fmt.Sprintf("v%d\n", i)
		fmt.Fprintf(&in, "commit refs/heads/main\nmark :%d\ncommitter C <c@example.com> %d +0000\ndata 4\nc%03d\n", i+1, 1700000000+i, i%1000)
		if i > 0 {
			fmt.Fprintf(&in, "from :%d\n", i)
		}
		fmt.Fprintf(&in, "M 100644 inline p%d.md\ndata %d\n%s\n", i%7, len(content), content)
	}
	cmd := exec.Command("git", "fast-import", "--quiet")
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(in.String())
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("fast-import: %v\n%s", err, out)
	}
	ids := strings.Fields(storetest.MustGit(tb, dir, "rev-list", "--reverse", "main"))
	if len(ids) != n {
		tb.Fatalf("fast-import made %d commits", len(ids))
	}
	return dir, ids
}

func TestRepoLogLinear(t *testing.T) {
	dir, ids := repoFastImport(t, 2000)
	r := storetest.MustOpenRepo(t, dir)
	ctx := context.Background()
	all, err := r.Log(ctx, "", ids[len(ids)-1])
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(ids) {
		t.Fatalf("Log = %d commits, want %d", len(all), len(ids))
	}
	for i, c := range all {
		if c.ID != ids[i] {
			t.Fatalf("Log[%d] = %s, want %s (oldest first)", i, c.ID, ids[i])
		}
	}
	if all[0].Parent != "" || len(all[0].Changes) != 1 || all[0].Changes[0].Action != "added" {
		t.Fatalf("root commit = %+v", all[0])
	}
	// Commit 8 rewrites p1.md, which commit 1 added; the change names both blobs.
	want := gitrepo.TreeChange{Path: "p1.md", Action: "modified", Blob: blobOf(t, dir, ids[8], "p1.md"), OldBlob: blobOf(t, dir, ids[7], "p1.md"), Mode: 0o100644}
	if c := all[8]; c.Parent != ids[7] || len(c.Changes) != 1 || c.Changes[0] != want {
		t.Fatalf("commit 8 = %+v", c)
	}
	// The indexer's common case: one commit past the watermark.
	one, err := r.Log(ctx, ids[1998], ids[1999])
	if err != nil || len(one) != 1 || one[0].ID != ids[1999] || one[0].Message != "c999" {
		t.Fatalf("Log(one) = %+v, %v", one, err)
	}
	if none, err := r.Log(ctx, ids[1999], ""); err != nil || len(none) != 0 {
		t.Fatalf("Log(head, head) = %+v, %v", none, err)
	}
	// Backwards (from a descendant of to) is empty.
	if none, err := r.Log(ctx, ids[1999], ids[5]); err != nil || len(none) != 0 {
		t.Fatalf("Log(backwards) = %d, %v", len(none), err)
	}
	_, err = r.Log(ctx, strings.Repeat("ab", 20), "")
	storetest.RepoWantCode(t, err, wiki.ENOTFOUND)
}

func blobOf(tb testing.TB, dir, rev, path string) string {
	return strings.TrimSpace(storetest.MustGit(tb, dir, "rev-parse", rev+":"+path))
}

// A push may bring merges and may rewrite history; Log must return exactly
// what git rev-list from..to does.
func TestRepoLogMergesAndForcePush(t *testing.T) {
	dir := storetest.MustGitRepo(t, map[string]string{"Home.md": "home\n"})
	work := storetest.MustClone(t, dir)
	root := work.Head()
	work.Git("checkout", "-q", "-b", "side")
	work.Commit("Side.md", "side 1\n")
	work.Commit("Side.md", "side 2\n")
	work.Git("checkout", "-q", "main")
	work.Commit("Main.md", "main 1\n")
	watermark := work.Head()
	work.Commit("Main.md", "main 2\n")
	work.Git("merge", "-q", "--no-ff", "-m", "merge side", "side")
	work.Commit("Home.md", "after merge\n")
	work.Git("push", "-q", "origin", "main")
	r := storetest.MustOpenRepo(t, dir)
	ctx := context.Background()
	head := storetest.RepoHead(t, r)
	check := func(from, to string) []gitrepo.CommitInfo {
		t.Helper()
		got, err := r.Log(ctx, from, to)
		if err != nil {
			t.Fatal(err)
		}
		rangeArg := to
		if from != "" {
			rangeArg = from + ".." + to
		}
		want := strings.Fields(storetest.MustGit(t, dir, "rev-list", "--topo-order", "--reverse", rangeArg))
		if len(got) != len(want) {
			t.Fatalf("Log(%s) = %d commits, git says %d", rangeArg, len(got), len(want))
		}
		seen := map[string]bool{}
		for _, c := range got {
			seen[c.ID] = true
			if c.Parent != "" && !seen[c.Parent] && strings.Contains(strings.Join(want, " "), c.Parent) {
				t.Fatalf("Log(%s): %s listed before its parent", rangeArg, c.ID)
			}
		}
		for _, w := range want {
			if !seen[w] {
				t.Fatalf("Log(%s) misses %s", rangeArg, w)
			}
		}
		return got
	}
	got := check(watermark, head) // side branch forked before the watermark
	if len(got) != 5 || got[len(got)-1].ID != head {
		t.Fatalf("Log = %+v", got)
	}
	merge := got[len(got)-2]
	if merge.Message != "merge side" || len(merge.Changes) != 1 || merge.Changes[0].Path != "Side.md" {
		t.Fatalf("merge changes against first parent = %+v", merge)
	}
	check("", head)
	check(root, head)
	// A force push: the watermark is no longer an ancestor of main.
	work.Git("reset", "-q", "--hard", root)
	work.Commit("Other.md", "rewritten\n")
	work.Git("push", "-q", "-f", "origin", "main")
	check(head, storetest.RepoHead(t, r))
}

func TestRepoDiff(t *testing.T) {
	r := storetest.MustInitRepo(t, map[string]string{"Home.md": "h", "a/x.md": "x", "a/y.md": "y", "b": "file"})
	ctx := context.Background()
	c1 := storetest.RepoHead(t, r)
	// b turns from a file into a directory, a/ loses a file, c/ appears.
	c2 := storetest.RepoMustCommit(t, r, c1, map[string]string{"Home.md": "h2", "c/z.md": "z"}, "a/x.md", "b")
	c3 := storetest.RepoMustCommit(t, r, c2, map[string]string{"b/inner.md": "i"})
	changes, err := r.Diff(ctx, c1, c3)
	if err != nil {
		t.Fatal(err)
	}
	got := ""
	for _, ch := range changes {
		got += ch.Action + " " + ch.Path + "\n"
		if (ch.Blob == "") != (ch.Action == "deleted") {
			t.Errorf("blob of %+v", ch)
		}
	}
	want := "modified Home.md\ndeleted a/x.md\ndeleted b\nadded b/inner.md\nadded c/z.md\n"
	if got != want {
		t.Fatalf("Diff =\n%swant\n%s", got, want)
	}
	if want := storetest.MustGit(t, r.Dir(), "diff", "--name-status", "--no-renames", c1, c3); len(strings.Split(strings.TrimSpace(want), "\n")) != len(changes) {
		t.Fatalf("git diff disagrees:\n%s", want)
	}
	full, err := r.Diff(ctx, "", c1)
	if err != nil || len(full) != 4 || full[0].Action != "added" {
		t.Fatalf("Diff from empty = %+v, %v", full, err)
	}
	if same, err := r.Diff(ctx, c3, c3); err != nil || len(same) != 0 {
		t.Fatalf("Diff(c3, c3) = %+v, %v", same, err)
	}
}

func TestRepoHistory(t *testing.T) {
	dir, ids := repoFastImport(t, 100)
	r := storetest.MustOpenRepo(t, dir)
	ctx := context.Background()
	// p3.md was written by commits 3, 10, 17, ..., 94: 14 commits.
	var want []string
	for i := 99; i >= 0; i-- {
		if i%7 == 3 {
			want = append(want, ids[i])
		}
	}
	var got []string
	after := ""
	for {
		page, err := r.History(ctx, "p3.md", 5, after)
		if err != nil {
			t.Fatal(err)
		}
		for _, rev := range page {
			got = append(got, rev.ID)
		}
		if len(page) < 5 {
			break
		}
		after = page[len(page)-1].ID
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("History(p3.md) =\n%v\nwant\n%v", got, want)
	}
	all, err := r.History(ctx, "", 0, "")
	if err != nil || len(all) != 100 || all[0].ID != ids[99] || all[99].ID != ids[0] {
		t.Fatalf("History(all) = %d, %v", len(all), err)
	}
	if none, err := r.History(ctx, "never.md", 10, ""); err != nil || len(none) != 0 {
		t.Fatalf("History(never) = %v, %v", none, err)
	}
	_, err = r.History(ctx, "p3.md", 5, "nothex")
	storetest.RepoWantCode(t, err, wiki.ENOTFOUND)
}

// History follows git log's simplification: a merge that did not touch the
// page is not listed, changes made on a merged branch are.
func TestRepoHistoryThroughMerge(t *testing.T) {
	dir := storetest.MustGitRepo(t, map[string]string{"Home.md": "home\n", "Page.md": "p0\n"})
	work := storetest.MustClone(t, dir)
	work.Git("checkout", "-q", "-b", "side")
	work.Commit("Page.md", "p1 on side\n")
	work.Git("checkout", "-q", "main")
	work.Commit("Home.md", "home 2\n")
	work.Git("merge", "-q", "--no-ff", "-m", "merge", "side")
	work.Commit("Home.md", "home 3\n")
	work.Git("push", "-q", "origin", "main")
	r := storetest.MustOpenRepo(t, dir)
	for _, path := range []string{"Page.md", "Home.md"} {
		revs, err := r.History(context.Background(), path, 0, "")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, rev := range revs {
			got = append(got, rev.ID)
		}
		want := strings.Fields(storetest.MustGit(t, dir, "log", "--format=%H", "main", "--", path))
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("History(%s) = %v, git log says %v", path, got, want)
		}
	}
}
