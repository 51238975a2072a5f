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

// TestMoveWithFolder: a page moves with its attachments and sub-pages in
// one commit, and its old names redirect.
func TestMoveWithFolder(t *testing.T) {
	ctx := context.Background()
	w := MustOpenWiki(t, map[string]string{
		"Home.md":                "# Home\n",
		"Team/Notes.md":          "# Notes\n\nSee [the plan](Notes/Plan.md) and ![d](Notes/diagram.png).\n",
		"Team/Notes/Plan.md":     "# Plan\n\nBack to [notes](../Notes.md), [home](../../Home.md).\n",
		"Team/Notes/diagram.png": "PNG",
		"Team/Other.md":          "# Other\n",
	})
	n := w.commits(t)
	res, err := w.Move(ctx, wiki.MoveRequest{From: "Team/Notes", To: "Archive/Notes 2024",
		BaseRevision: w.mustPage(t, "Team/Notes").Revision, Author: caller("alice"), RewriteLinks: true})
	if err != nil {
		t.Fatal(err)
	}
	if w.commits(t) != n+1 {
		t.Errorf("move made %d commits", w.commits(t)-n)
	}
	for _, gone := range []string{"Team/Notes", "Team/Notes/Plan"} {
		if _, err := w.Page(ctx, gone, ""); wiki.ErrorCode(err) != wiki.ENOTFOUND {
			t.Errorf("%s still exists", gone)
		}
	}
	plan := string(w.mustPage(t, "Archive/Notes 2024/Plan").Content)
	if plan != "# Plan\n\nBack to [notes](../Notes%202024.md), [home](../../Home.md).\n" {
		t.Errorf("moved sub-page = %q", plan)
	}
	notes := string(w.mustPage(t, "Archive/Notes 2024").Content)
	if notes != "# Notes\n\nSee [the plan](Notes%202024/Plan.md) and ![d](Notes%202024/diagram.png).\n" {
		t.Errorf("moved page = %q", notes)
	}
	if _, _, err := w.Repo.ReadFile(ctx, "", "Archive/Notes 2024/diagram.png"); err != nil {
		t.Errorf("attachment did not move: %v", err)
	}
	if res.Moved["Team/Notes/Plan"] != "Archive/Notes 2024/Plan" {
		t.Errorf("Moved = %v", res.Moved)
	}
	for old, want := range map[string]string{"Team/Notes": "Archive/Notes 2024", "team/notes/plan": "Archive/Notes 2024/Plan"} {
		if got, err := w.Redirect(ctx, old); err != nil || got != want {
			t.Errorf("Redirect(%q) = %q, %v; want %q", old, got, err, want)
		}
	}
}

// TestMoveRewritesLinks: wikilinks and relative links in other pages follow
// the move in the same commit, in both link styles; labels stay as readers
// saw them; code is left alone; with rewriting off nothing else changes.
func TestMoveRewritesLinks(t *testing.T) {
	source := "# Links\n\n[[Old Page]] and [[the old one|Old Page]] and [[Old Page#Part]] and ![[Old Page]]\n" +
		"[rel](Old%20Page.md) [root](/test/Old%20Page) [ref]\n\n[ref]: <Old Page.md> \"title\"\n\n" +
		"`[[Old Page]]` stays\n\n```\n[[Old Page]]\n```\n[[Other]] [x](https://example.org/Old%20Page.md)\n"
	for _, c := range []struct {
		style wiki.LinkStyle
		want  string
	}{
		{wiki.LinkTextPage, "# Links\n\n[[Old Page|New Page]] and [[the old one|New Page]] and [[Old Page#Part|New Page#Part]] and ![[New Page]]\n" +
			"[rel](New%20Page.md) [root](/test/New%20Page) [ref]\n\n[ref]: <New Page.md> \"title\"\n\n" +
			"`[[Old Page]]` stays\n\n```\n[[Old Page]]\n```\n[[Other]] [x](https://example.org/Old%20Page.md)\n"},
		{wiki.LinkPageText, "# Links\n\n[[New Page|Old Page]] and [[New Page|Old Page]] and [[New Page#Part|Old Page#Part]] and ![[New Page]]\n" +
			"[rel](New%20Page.md) [root](/test/New%20Page) [ref]\n\n[ref]: <New Page.md> \"title\"\n\n" +
			"`[[Old Page]]` stays\n\n```\n[[Old Page]]\n```\n[[Other]] [x](https://example.org/Old%20Page.md)\n"},
	} {
		t.Run(string(c.style), func(t *testing.T) {
			ctx := context.Background()
			src := source
			if c.style == wiki.LinkPageText {
				src = strings.Replace(src, "[[the old one|Old Page]]", "[[Old Page|Old Page]]", 1)
			}
			w := MustOpenWiki(t, map[string]string{"Old Page.md": "# Old\n", "Links.md": src, "Other.md": "# Other\n"})
			prefs, _ := w.Preferences(ctx)
			prefs.LinkStyle = c.style
			if err := w.SetPreferences(ctx, prefs); err != nil {
				t.Fatal(err)
			}
			res, err := w.Move(ctx, wiki.MoveRequest{From: "Old Page", To: "New Page",
				BaseRevision: w.mustPage(t, "Old Page").Revision, RewriteLinks: true})
			if err != nil {
				t.Fatal(err)
			}
			if got := string(w.mustPage(t, "Links").Content); got != c.want {
				t.Errorf("Links =\n%s\nwant\n%s", got, c.want)
			}
			if len(res.Rewritten) != 1 || res.Rewritten[0] != "Links" {
				t.Errorf("Rewritten = %v", res.Rewritten)
			}
			if back, _ := w.Backlinks(ctx, "New Page"); len(back) != 1 {
				t.Errorf("backlinks of the new name = %v", back)
			}
		})
	}
	t.Run("off", func(t *testing.T) {
		ctx := context.Background()
		w := MustOpenWiki(t, map[string]string{"Old Page.md": "# Old\n", "Links.md": source})
		_, err := w.Move(ctx, wiki.MoveRequest{From: "Old Page", To: "New Page", BaseRevision: w.mustPage(t, "Old Page").Revision})
		if err != nil {
			t.Fatal(err)
		}
		if got := string(w.mustPage(t, "Links").Content); got != source {
			t.Errorf("links were rewritten with rewriting off:\n%s", got)
		}
	})
}

// TestMoveFolderAndCase: a folder without a page of its own moves whole;
// a case-only rename works.
func TestMoveFolderAndCase(t *testing.T) {
	ctx := context.Background()
	w := MustOpenWiki(t, map[string]string{"Home.md": "# Home\n\n[[Docs/A]]\n", "Docs/A.md": "# A\n", "Docs/Sub/B.md": "# B\n", "notes.md": "# notes\n"})
	rev, err := w.FolderRevision(ctx, "Docs/")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Move(ctx, wiki.MoveRequest{From: "Docs", To: "Manual", BaseRevision: rev, RewriteLinks: true}); err != nil {
		t.Fatal(err)
	}
	w.mustPage(t, "Manual/Sub/B")
	if got := string(w.mustPage(t, "Home").Content); got != "# Home\n\n[[Docs/A|Manual/A]]\n" {
		t.Errorf("Home = %q", got)
	}
	if _, err := w.Move(ctx, wiki.MoveRequest{From: "notes", To: "Notes", BaseRevision: w.mustPage(t, "notes").Revision}); err != nil {
		t.Fatal(err)
	}
	if p := w.mustPage(t, "Notes"); p.File != "Notes.md" {
		t.Errorf("case-only rename left file %q", p.File)
	}
}

// TestMoveRefused: onto an existing page (any case) or file, into an
// invalid name, out of the wiki, into itself, with a stale revision — 4xx
// codes, and nothing moves.
func TestMoveRefused(t *testing.T) {
	ctx := context.Background()
	w := MustOpenWiki(t, map[string]string{"A.md": "# A\n", "A/f.txt": "x", "B.md": "# B\n", "C/f.txt": "y"})
	rev := w.mustPage(t, "A").Revision
	head := w.mustHead(t)
	for _, c := range []struct {
		name, to, base, code string
	}{
		{"OntoPage", "B", rev, wiki.EEXISTS},
		{"OntoPageOtherCase", "b", rev, wiki.EEXISTS},
		{"OntoAttachment", "C", rev, wiki.EEXISTS},
		{"DotDot", "../escape", rev, wiki.EINVALID},
		{"Absolute", "/etc/x", rev, wiki.EINVALID},
		{"GitDir", ".git/x", rev, wiki.EINVALID},
		{"IntoItself", "A/Inner", rev, wiki.EINVALID},
		{"Stale", "D", strings.Repeat("0", 40), wiki.EPRECONDITION},
		{"NoRevision", "D", "", wiki.EPRECONDITIONNEEDED},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := w.Move(ctx, wiki.MoveRequest{From: "A", To: c.to, BaseRevision: c.base, RewriteLinks: true})
			storetest.WantCode(t, err, c.code)
		})
	}
	if w.mustHead(t) != head {
		t.Fatal("a refused move committed")
	}
}

// TestRedirectFromGitMv: a rename made with `git mv` in a clone and pushed
// redirects like one made in warren, and a chain of renames leads to the end.
func TestRedirectFromGitMv(t *testing.T) {
	ctx := context.Background()
	w := MustOpenWiki(t, map[string]string{"Home.md": "# Home\n", "Draft.md": "# Draft\n\nsome text\nmore text\n"})
	work := filepath.Join(t.TempDir(), "work")
	storetest.MustGit(t, filepath.Dir(work), "clone", "-q", "-b", "main", w.bare(), work)
	storetest.MustGit(t, work, "mv", "Draft.md", "Final.md")
	storetest.MustGit(t, work, "commit", "-q", "-m", "rename")
	writeFile(t, filepath.Join(work, "Final.md"), "# Final\n\nsome text\nmore text\nedited\n")
	storetest.MustGit(t, work, "mv", "Final.md", "Published.md")
	storetest.MustGit(t, work, "commit", "-q", "-am", "rename and edit")
	storetest.MustGit(t, work, "push", "-q", "origin", "main")
	w.mustSync(t)
	for _, old := range []string{"Draft", "final"} {
		if got, err := w.Redirect(ctx, old); err != nil || got != "Published" {
			t.Errorf("Redirect(%q) = %q, %v", old, got, err)
		}
	}
	_, err := w.Redirect(ctx, "Never")
	storetest.WantCode(t, err, wiki.ENOTFOUND)
	// The index rebuilt from scratch derives the same.
	w = w.dropIndex(t)
	if got, err := w.Redirect(ctx, "Draft"); err != nil || got != "Published" {
		t.Errorf("after rebuild Redirect = %q, %v", got, err)
	}
}

// TestFolderCountsAndDelete: folder counts are right past any screen size,
// and deleting a folder removes everything in it.
func TestFolderCountsAndDelete(t *testing.T) {
	ctx := context.Background()
	files := map[string]string{"Home.md": "# Home\n", "Big/x.png": "png"}
	for i := range 620 {
		files["Big/P"+itoa(i)+".md"] = "# P\n"
	}
	for i := range 7 {
		files["Small/Deep/P"+itoa(i)+".md"] = "# P\n"
	}
	w := MustOpenWiki(t, files)
	fs, err := w.Folders(ctx, "", "", 10)
	if err != nil || len(fs) != 2 || fs[0].Count != 620 || fs[1].Count != 7 || fs[1].Path != "Small/" {
		t.Fatalf("Folders = %+v, %v", fs, err)
	}
	if fs, _ := w.Folders(ctx, "", "Big", 10); len(fs) != 1 || fs[0].Name != "Small" {
		t.Errorf("Folders after Big = %+v", fs)
	}
	if ps, _ := w.PagesIn(ctx, "", "", 10); len(ps) != 1 || ps[0].Name != "Home" {
		t.Errorf("PagesIn root = %+v", ps)
	}
	rev, err := w.FolderRevision(ctx, "Big/")
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.DeleteFolder(ctx, "Big", strings.Repeat("1", 40), "", caller("root"))
	storetest.WantCode(t, err, wiki.EPRECONDITION)
	if _, err := w.DeleteFolder(ctx, "Big", rev, "", caller("root")); err != nil {
		t.Fatal(err)
	}
	if fs, _ := w.Folders(ctx, "", "", 10); len(fs) != 1 {
		t.Errorf("Folders after delete = %+v", fs)
	}
	if _, _, err := w.Repo.ReadFile(ctx, "", "Big/x.png"); wiki.ErrorCode(err) != wiki.ENOTFOUND {
		t.Errorf("attachment survived the folder delete: %v", err)
	}
}

func itoa(i int) string { return fmt.Sprintf("%03d", i) }

// dropIndex closes the wiki, deletes its wiki.db and opens it again, so
// every index is rebuilt from git.
func (tw *testWiki) dropIndex(tb testing.TB) *testWiki {
	tb.Helper()
	if err := tw.Close(); err != nil {
		tb.Fatal(err)
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(filepath.Join(tw.Dir, "wiki.db"+suffix)); err != nil && !os.IsNotExist(err) {
			tb.Fatal(err)
		}
	}
	return mustOpenDir(tb, tw.Dir)
}
