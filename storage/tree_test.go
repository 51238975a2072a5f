package storage_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/storage/internal/storetest"
	"github.com/warren-wiki/warren/wiki"
)

// treeNames writes entries as "name" for pages, "name/" for folders and
// "name+/" for both.
func treeNames(es []wiki.TreeEntry) string {
	var out []string
	for _, e := range es {
		s := e.Name
		switch {
		case e.Page && e.Folder:
			s += "+/"
		case e.Folder:
			s += "/"
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

// TestTree lists one folder at a time from the page index: pages and
// sub-folders merged in name order, a page and a folder of the same name
// as one entry, names that sort between a folder's pages kept apart.
func TestTree(t *testing.T) {
	ctx := context.Background()
	w := MustOpenWiki(t, map[string]string{
		"Home.md": "# Home\n", "Team.md": "# The Team\n", "Team/Notes.md": "# Notes\n", "Team/Plans/Q1.md": "# Q1\n",
		"Team Notes.md": "x", "Team-old/A.md": "x", "Zeta/Deep/er/Page.md": "x", "b.md": "x",
	})
	for _, c := range []struct{ dir, want string }{
		{"", "Home Team+/ Team Notes Team-old/ Zeta/ b"},
		{"Team", "Notes Plans/"},
		{"/Team/", "Notes Plans/"},
		{"Team/Plans", "Q1"},
		{"Zeta", "Deep/"},
		{"Nowhere", ""},
	} {
		es, more, err := w.Tree(ctx, c.dir, 0)
		if err != nil || more || treeNames(es) != c.want {
			t.Errorf("Tree(%q) = %q more=%v %v, want %q", c.dir, treeNames(es), more, err, c.want)
		}
	}
	es, _, _ := w.Tree(ctx, "", 0)
	if es[1].Path != "Team" || es[1].Title != "The Team" {
		t.Errorf("Team entry: %+v", es[1])
	}
	for _, bad := range []string{"../x", ".git", "a//b"} {
		_, _, err := w.Tree(ctx, bad, 0)
		storetest.WantCode(t, err, wiki.EINVALID)
	}
}

// TestTreeLargeFolders: thousands of pages in a folder and in sub-folders
// are listed within the limit, with "more" set, and sub-folders with many
// pages each still show as one entry.
func TestTreeLargeFolders(t *testing.T) {
	ctx := context.Background()
	files := map[string]string{}
	for i := range 600 {
		files[fmt.Sprintf("Flat/P%04d.md", i)] = "x"
		files[fmt.Sprintf("Nested/F%02d/P%03d.md", i%30, i)] = "x"
	}
	w := MustOpenWiki(t, files)
	es, more, err := w.Tree(ctx, "Flat", 250)
	if err != nil || len(es) != 250 || !more || es[249].Name != "P0249" {
		t.Fatalf("Flat: %d entries, more=%v, %v", len(es), more, err)
	}
	es, more, err = w.Tree(ctx, "Nested", 0)
	if err != nil || len(es) != 30 || more || es[29].Name != "F29" || !es[29].Folder {
		t.Fatalf("Nested: %q more=%v %v", treeNames(es), more, err)
	}
	es, _, _ = w.Tree(ctx, "", 0)
	if treeNames(es) != "Flat/ Nested/" {
		t.Fatalf("root: %q", treeNames(es))
	}
}

// TestRenameAttachment renames in one commit, keeps the bytes, and refuses
// a missing source, a taken name (in any case) and bad names.
func TestRenameAttachment(t *testing.T) {
	ctx := context.Background()
	w := MustOpenWiki(t, map[string]string{"Team/Notes.md": notes})
	for _, n := range []string{"a.png", "b.txt"} {
		if _, err := w.PutAttachment(ctx, wiki.AttachmentRequest{Page: "Team/Notes", Name: n, Content: []byte("data " + n), Author: caller("alice")}); err != nil {
			t.Fatal(err)
		}
	}
	commits := w.commits(t)
	if _, err := w.RenameAttachment(ctx, "Team/Notes", "a.png", "diagram.png", "", caller("bob")); err != nil {
		t.Fatalf("rename: %v", err)
	}
	if got := w.commits(t); got != commits+1 {
		t.Errorf("commits %d, want %d", got, commits+1)
	}
	data, _, err := w.Attachment(ctx, "Team/Notes", "diagram.png")
	if err != nil || string(data) != "data a.png" {
		t.Fatalf("renamed file: %q %v", data, err)
	}
	_, _, err = w.Attachment(ctx, "Team/Notes", "a.png")
	storetest.WantCode(t, err, wiki.ENOTFOUND)
	if msg := storetest.MustGit(t, w.bare(), "log", "-1", "--format=%an %s"); !strings.Contains(msg, "Bob Rename attachment a.png of Team/Notes to diagram.png") {
		t.Errorf("commit: %q", msg)
	}
	for _, c := range []struct{ from, to, code string }{
		{"gone.png", "x.png", wiki.ENOTFOUND},
		{"diagram.png", "B.TXT", wiki.EEXISTS},
		{"diagram.png", "../x.png", wiki.EINVALID},
		{"diagram.png", "page.md", wiki.EINVALID},
		{"diagram.png", "", wiki.EINVALID},
		{"diagram.png", "diagram.png", wiki.EINVALID},
	} {
		_, err := w.RenameAttachment(ctx, "Team/Notes", c.from, c.to, "", caller("bob"))
		storetest.WantCode(t, err, c.code)
	}
	if got := w.commits(t); got != commits+1 {
		t.Errorf("refused renames made commits: %d", got-commits-1)
	}
	hist, err := w.AttachmentHistory(ctx, "Team/Notes", "b.txt", 10)
	if err != nil || len(hist) != 1 || !strings.Contains(hist[0].Message, "Add attachment b.txt") {
		t.Fatalf("history of b.txt: %+v %v", hist, err)
	}
	w.PutAttachment(ctx, wiki.AttachmentRequest{Page: "Team/Notes", Name: "b.txt", Content: []byte("v2"), Author: caller("carol")})
	hist, err = w.AttachmentHistory(ctx, "Team/Notes", "b.txt", 10)
	if err != nil || len(hist) != 2 || hist[0].Author != "Carol" {
		t.Fatalf("history after an update: %+v %v", hist, err)
	}
}
