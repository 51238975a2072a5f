package storage_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/storage/internal/storetest"
	"github.com/warren-wiki/warren/wiki"
)

// TestRestoreRoundTrip: restoring an old revision makes one commit with
// that text, naming the revision; a stale base changes nothing.
func TestRestoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	w := MustOpenWiki(t, map[string]string{"Home.md": "# Home\n"})
	v1 := w.mustSave(t, wiki.SaveRequest{Name: "Notes", Content: []byte("# Notes\n\nold text\n")}).Revision
	v2 := w.mustSave(t, wiki.SaveRequest{Name: "Notes", Content: []byte("# Notes\n\nnew text\n"), BaseRevision: v1}).Revision
	before := w.commits(t)

	_, err := w.Restore(ctx, wiki.RestoreRequest{Name: "Notes", Revision: v1, BaseRevision: v1, Author: caller("bob")})
	storetest.WantCode(t, err, wiki.EPRECONDITION)
	_, err = w.Restore(ctx, wiki.RestoreRequest{Name: "Notes", Revision: v1, Author: caller("bob")})
	storetest.WantCode(t, err, wiki.EPRECONDITIONNEEDED)
	if w.commits(t) != before {
		t.Fatal("a refused restore committed")
	}

	res, err := w.Restore(ctx, wiki.RestoreRequest{Name: "Notes", Revision: v1, BaseRevision: v2, Author: caller("bob")})
	if err != nil {
		t.Fatal(err)
	}
	if got := string(w.mustPage(t, "Notes").Content); got != "# Notes\n\nold text\n" || w.commits(t) != before+1 {
		t.Errorf("after restore: %q, %d commits", got, w.commits(t))
	}
	info, err := w.Revision(ctx, res.Revision)
	if err != nil || !strings.Contains(info.Message, v1[:8]) || info.Author != "Bob" {
		t.Errorf("restore commit = %+v, %v; want its message to name %s", info, err, v1[:8])
	}
}

// TestRevertRoundTrip: reverting a commit undoes it in every file it
// touched while later changes elsewhere in those files stay.
func TestRevertRoundTrip(t *testing.T) {
	ctx := context.Background()
	w := MustOpenWiki(t, map[string]string{"A.md": "# A\n\none\ntwo\nthree\n", "B.md": "# B\n"})
	head := w.mustHead(t)
	bad := storetest.RepoMustCommit(t, w.Repo, head, map[string]string{
		"A.md": "# A\n\none\nTWO (mistake)\nthree\n", "C.md": "# C\n\nadded by mistake\n"}, "B.md")
	w.mustSync(t)
	a := w.mustPage(t, "A")
	w.mustSave(t, wiki.SaveRequest{Name: "A", Content: []byte("# A\n\none\nTWO (mistake)\nthree\nfour, later\n"), BaseRevision: a.Revision})

	rev, err := w.Revert(ctx, wiki.RevertRequest{Commit: bad, Author: caller("carol")})
	if err != nil {
		t.Fatal(err)
	}
	if got := string(w.mustPage(t, "A").Content); got != "# A\n\none\ntwo\nthree\nfour, later\n" {
		t.Errorf("A after revert = %q", got)
	}
	if got := string(w.mustPage(t, "B").Content); got != "# B\n" {
		t.Errorf("B not restored: %q", got)
	}
	if _, err := w.Page(ctx, "C", ""); wiki.ErrorCode(err) != wiki.ENOTFOUND {
		t.Errorf("C still exists: %v", err)
	}
	info, _ := w.Revision(ctx, rev)
	if !strings.Contains(info.Message, "This reverts commit "+bad) {
		t.Errorf("message = %q", info.Message)
	}
	// Reverting it again has nothing left to undo.
	_, err = w.Revert(ctx, wiki.RevertRequest{Commit: bad})
	storetest.WantCode(t, err, wiki.EINVALID)
}

// TestRevertConflictChangesNothing: when a later edit overlaps the change,
// the revert is refused and the wiki stays as it was.
func TestRevertConflictChangesNothing(t *testing.T) {
	ctx := context.Background()
	w := MustOpenWiki(t, map[string]string{"A.md": "# A\n\nline\n"})
	v1 := w.mustPage(t, "A").Revision
	v2 := w.mustSave(t, wiki.SaveRequest{Name: "A", Content: []byte("# A\n\nline edited\n"), BaseRevision: v1}).Revision
	w.mustSave(t, wiki.SaveRequest{Name: "A", Content: []byte("# A\n\nline edited twice\n"), BaseRevision: v2})
	head, n := w.mustHead(t), w.commits(t)
	_, err := w.Revert(ctx, wiki.RevertRequest{Commit: v2})
	storetest.WantCode(t, err, wiki.ECONFLICT)
	if w.mustHead(t) != head || w.commits(t) != n {
		t.Error("a conflicting revert moved the branch")
	}
}

// TestRevertRefused: stale heads, unknown commits and merge commits
// without a named parent are refused, and nothing changes.
func TestRevertRefused(t *testing.T) {
	ctx := context.Background()
	w := MustOpenWiki(t, map[string]string{"A.md": "# A\n"})
	first := w.mustHead(t)
	v := w.mustSave(t, wiki.SaveRequest{Name: "A", Content: []byte("# A\n\nmore\n"), BaseRevision: first}).Revision
	merge := w.mergeCommit(t)
	head := w.mustHead(t)

	_, err := w.Revert(ctx, wiki.RevertRequest{Commit: v, BaseRevision: first})
	storetest.WantCode(t, err, wiki.EPRECONDITION)
	_, err = w.Revert(ctx, wiki.RevertRequest{Commit: strings.Repeat("ab", 20)})
	storetest.WantCode(t, err, wiki.ENOTFOUND)
	_, err = w.Revert(ctx, wiki.RevertRequest{Commit: "HEAD~1"})
	storetest.WantCode(t, err, wiki.EINVALID)
	_, err = w.Revert(ctx, wiki.RevertRequest{Commit: merge})
	storetest.WantCode(t, err, wiki.EINVALID)
	_, err = w.Revert(ctx, wiki.RevertRequest{Commit: v, Parent: 2})
	storetest.WantCode(t, err, wiki.EINVALID)
	if w.mustHead(t) != head {
		t.Fatal("a refused revert moved the branch")
	}
	if _, err := w.Revert(ctx, wiki.RevertRequest{Commit: merge, Parent: 1}); err != nil {
		t.Fatalf("revert of a merge with its first parent named: %v", err)
	}
	if _, err := w.Page(ctx, "Side", ""); wiki.ErrorCode(err) != wiki.ENOTFOUND {
		t.Errorf("the merged side is still there: %v", err)
	}
}

// mergeCommit makes a merge on main with the git CLI (a branch adding
// Side.md merged with --no-ff) and returns it.
func (tw *testWiki) mergeCommit(tb testing.TB) string {
	tb.Helper()
	work := tb.TempDir() + "/work"
	storetest.MustGit(tb, tb.TempDir(), "clone", "-q", "-b", "main", tw.bare(), work)
	storetest.MustGit(tb, work, "checkout", "-q", "-b", "side")
	storetest.MustGit(tb, work, "commit", "-q", "--allow-empty", "-m", "empty")
	writeFile(tb, work+"/Side.md", "# Side\n")
	storetest.MustGit(tb, work, "add", "-A")
	storetest.MustGit(tb, work, "commit", "-q", "-m", "side page")
	storetest.MustGit(tb, work, "checkout", "-q", "main")
	storetest.MustGit(tb, work, "merge", "-q", "--no-ff", "-m", "merge side", "side")
	storetest.MustGit(tb, work, "push", "-q", "origin", "main")
	tw.mustSync(tb)
	return tw.mustHead(tb)
}

func (tw *testWiki) mustHead(tb testing.TB) string {
	tb.Helper()
	h, err := tw.Repo.Head(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return h
}

func (tw *testWiki) mustSync(tb testing.TB) {
	tb.Helper()
	if err := tw.Sync(context.Background()); err != nil {
		tb.Fatal(err)
	}
}

func writeFile(tb testing.TB, name, content string) {
	tb.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		tb.Fatal(err)
	}
}
