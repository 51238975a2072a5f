package storage_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/storage/internal/storetest"
	"github.com/warren-wiki/warren/wiki"
)

// TestSyncOutOfBandPush: a commit pushed into the bare repository with the
// real git CLI (bypassing warren) reaches the page index, search, the link
// graph and the change log at the next Sync.
func TestSyncOutOfBandPush(t *testing.T) {
	ctx := context.Background()
	w := MustOpenWiki(t, map[string]string{"Home.md": "# Home\n"})
	w.outOfBand(t, map[string]string{"Pushed.md": "# Pushed\n\nzanzibar and [[Home]]\n"}, "pushed by git")
	if _, err := w.Page(ctx, "Pushed", ""); wiki.ErrorCode(err) != wiki.ENOTFOUND {
		t.Fatalf("the index saw the push before Sync: %v", err)
	}
	if err := w.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	p := w.mustPage(t, "Pushed")
	if p.Title != "Pushed" || !strings.Contains(string(p.Content), "zanzibar") {
		t.Errorf("page = %+v", p)
	}
	res, err := w.Search(ctx, "zanzibar", 10, "")
	hits := res.Hits
	if err != nil || len(hits) != 1 || hits[0].Name != "Pushed" || !strings.Contains(hits[0].Snippet, "<mark>zanzibar</mark>") {
		t.Errorf("Search = %+v, %v", hits, err)
	}
	log, err := w.History(ctx, "", 10, 0)
	if err != nil || len(log) != 2 || log[0].Page != "Pushed" || log[0].Message != "pushed by git" || log[0].Author != "Git CLI" {
		t.Errorf("History = %+v, %v", log, err)
	}
	back, err := w.Backlinks(ctx, "Home")
	if err != nil || len(back) != 1 || back[0].Name != "Pushed" {
		t.Errorf("Backlinks = %+v, %v", back, err)
	}
	// A web save after the push builds on it instead of overwriting it.
	w.mustSave(t, wiki.SaveRequest{Name: "Pushed", Content: []byte("# Pushed\n\nedited\n"), BaseRevision: p.Revision})
	if got := w.commits(t); got != 3 {
		t.Errorf("commits = %d, want 3", got)
	}
}

// TestSaveAfterUnsyncedPush: a push the index has not seen yet is caught up
// by the save itself, so the save merges with it rather than losing it.
func TestSaveAfterUnsyncedPush(t *testing.T) {
	w := MustOpenWiki(t, map[string]string{"Notes.md": notes})
	base := w.mustPage(t, "Notes").Revision
	pushed := strings.Replace(notes, "line one", "line one (pushed)", 1)
	w.outOfBand(t, map[string]string{"Notes.md": pushed}, "push")
	res := w.mustSave(t, wiki.SaveRequest{Name: "Notes", Content: []byte(notes + "line six\n"), BaseRevision: base})
	if !res.Merged {
		t.Errorf("save over an unsynced push was not merged: %+v", res)
	}
	if got := string(w.mustPage(t, "Notes").Content); got != pushed+"line six\n" {
		t.Errorf("content = %q", got)
	}
}

// TestRebuildAfterDeletingDB: wiki.db is derived state plus drafts;
// deleting it loses the drafts and nothing else.
func TestRebuildAfterDeletingDB(t *testing.T) {
	ctx := context.Background()
	w := MustOpenWiki(t, map[string]string{"Home.md": "# Home\n\n[[Missing]]\n", "Notes.md": notes})
	base := w.mustPage(t, "Notes").Revision
	w.mustSave(t, wiki.SaveRequest{Name: "Notes", Content: []byte(strings.Replace(notes, "two", "2", 1)), BaseRevision: base})
	_, err := w.Save(ctx, wiki.SaveRequest{Name: "Notes", Content: []byte(strings.Replace(notes, "two", "II", 1)),
		BaseRevision: base, Author: caller("bob")})
	asConflict(t, err)
	wantHistory, err := w.History(ctx, "", 100, 0)
	if err != nil {
		t.Fatal(err)
	}

	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(filepath.Join(w.Dir, "wiki.db"+suffix)); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
	w = mustOpenDir(t, w.Dir)

	if got := string(w.mustPage(t, "Notes").Content); !strings.Contains(got, "line 2") {
		t.Errorf("Notes after rebuild = %q", got)
	}
	gotHistory, err := w.History(ctx, "", 100, 0)
	if err != nil || fmt.Sprint(gotHistory) != fmt.Sprint(wantHistory) {
		t.Errorf("History after rebuild =\n%v\nwant\n%v", gotHistory, wantHistory)
	}
	if res, err := w.Search(ctx, "line", 10, ""); err != nil || len(res.Hits) != 1 {
		t.Errorf("Search after rebuild = %+v, %v", res, err)
	}
	if _, _, err := w.Draft(ctx, "Notes", "bob"); wiki.ErrorCode(err) != wiki.ENOTFOUND {
		t.Errorf("Draft survived deleting wiki.db: %v", err)
	}
	if w.Renderer.n.Load() != 2 {
		t.Errorf("rebuild rendered %d times, want 2 (once per page)", w.Renderer.n.Load())
	}
}

// TestSyncForcePush: history rewritten by a force push is re-indexed from
// scratch; the change log forgets the dropped commits.
func TestSyncForcePush(t *testing.T) {
	ctx := context.Background()
	w := MustOpenWiki(t, map[string]string{"Home.md": "# Home\n"})
	w.mustSave(t, wiki.SaveRequest{Name: "Secret", Content: []byte("# Secret\n\npassword hunter2\n")})

	// Rewrite: reset main to the first commit, then add another page.
	work := filepath.Join(t.TempDir(), "work")
	storetest.MustGit(t, filepath.Dir(work), "clone", "-q", "-b", "main", w.bare(), work)
	storetest.MustGit(t, work, "reset", "-q", "--hard", "HEAD~1")
	if err := os.WriteFile(filepath.Join(work, "Other.md"), []byte("# Other\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	storetest.MustGit(t, work, "add", "-A")
	storetest.MustGit(t, work, "commit", "-q", "-m", "rewritten")
	storetest.MustGit(t, work, "push", "-q", "--force", "origin", "main")

	if err := w.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Page(ctx, "Secret", ""); wiki.ErrorCode(err) != wiki.ENOTFOUND {
		t.Errorf("Secret survived the force push: %v", err)
	}
	if res, err := w.Search(ctx, "hunter2", 10, ""); err != nil || len(res.Hits) != 0 {
		t.Errorf("Search still finds the dropped page: %+v, %v", res, err)
	}
	log, err := w.History(ctx, "", 10, 0)
	if err != nil || len(log) != 2 || log[0].Page != "Other" || log[1].Page != "Home" {
		t.Errorf("History = %+v, %v", log, err)
	}
	w.mustPage(t, "Other")
}

// TestSearchQuoting: whatever the user types is searched for as words and
// never parsed as FTS5 syntax; snippets are HTML-escaped.
func TestSearchQuoting(t *testing.T) {
	ctx := context.Background()
	w := MustOpenWiki(t, map[string]string{
		"Home.md":   "# Home\n\nalpha beta gamma\n",
		"Script.md": "# Script\n\nthe `<script>alert(1)</script>` tag is alpha\n",
	})
	for _, q := range []string{`alpha"`, `alp*`, `alpha OR beta`, `NEAR(alpha beta)`, `NEAR(`,
		`title:alpha`, `alpha -beta`, `(alpha`, `alpha)`, `^alpha`, `alpha AND`, `NOT`, `{name title}: x`, `alpha OR`, `OR alpha`} {
		if _, err := w.Search(ctx, q, 10, ""); err != nil {
			t.Errorf("Search(%q): %v", q, err)
		}
	}
	// Nothing to find: no word at all, or only words to leave out.
	for _, q := range []string{"", "   ", "\t\n", `"`, `""`, `*`, `-alpha`, `'`, `\`} {
		_, err := w.Search(ctx, q, 10, "")
		storetest.WantCode(t, err, wiki.EINVALID)
	}
	res, err := w.Search(ctx, "OR", 10, "")
	if err != nil || len(res.Hits) != 0 {
		t.Errorf(`Search("OR") = %+v, %v; want the word, not the operator`, res, err)
	}
	res, err = w.Search(ctx, "alpha script", 10, "")
	if err != nil || len(res.Hits) != 1 || res.Hits[0].Name != "Script" {
		t.Fatalf("Search = %+v, %v", res, err)
	}
	hits := res.Hits
	if s := hits[0].Snippet; strings.Contains(s, "<script") || !strings.Contains(s, "&lt;<mark>script</mark>&gt;") {
		t.Errorf("snippet not escaped: %q", s)
	}
}

// TestListAndHistoryPaging walks the page index and the change log with
// their cursors.
func TestListAndHistoryPaging(t *testing.T) {
	ctx := context.Background()
	files := map[string]string{}
	for _, n := range []string{"A", "B/One", "B/Two", "Ba", "C"} {
		files[n+".md"] = n + "\n"
	}
	w := MustOpenWiki(t, files)
	var names []string
	for after := ""; ; {
		page, err := w.List(ctx, "", after, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, p := range page {
			names = append(names, p.Name)
		}
		after = page[len(page)-1].Name
	}
	if got := strings.Join(names, ","); got != "A,B/One,B/Two,Ba,C" {
		t.Errorf("List = %s", got)
	}
	sub, err := w.List(ctx, "B/", "", 10)
	if err != nil || len(sub) != 2 || sub[0].Name != "B/One" {
		t.Errorf("List(B/) = %+v, %v", sub, err)
	}

	for i := range 4 {
		p := w.mustPage(t, "A")
		w.mustSave(t, wiki.SaveRequest{Name: "A", Content: fmt.Appendf(nil, "A%d\n", i), BaseRevision: p.Revision})
	}
	first, err := w.Changes(ctx, "A", 3, 0)
	if err != nil || len(first) != 3 || first[0].Message != "Update A" {
		t.Fatalf("Changes = %+v, %v", first, err)
	}
	rest, err := w.Changes(ctx, "a", 3, first[2].Seq)
	if err != nil || len(rest) != 2 || rest[1].Action != "added" || rest[0].Seq >= first[2].Seq {
		t.Errorf("Changes after cursor = %+v, %v", rest, err)
	}
}
