package storage_test

import (
	"context"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/wiki"
)

// TestViewRenderCache: opening a wiki renders each page once (warming the
// cache); views then render nothing, a save renders the new text once, and
// an old revision renders once and is cached too.
func TestViewRenderCache(t *testing.T) {
	ctx := context.Background()
	w := MustOpenWiki(t, map[string]string{"Home.md": "# Home\n\nSee [[Notes]].\n", "Notes.md": "# Notes\n\n*hi*\n"})
	if got := w.Renderer.n.Load(); got != 2 {
		t.Errorf("renders while indexing = %d, want 2", got)
	}
	w.Renderer.n.Store(0)
	for range 3 {
		v, err := w.View(ctx, "Notes", "")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(v.HTML, "<em>hi</em>") {
			t.Errorf("HTML = %q", v.HTML)
		}
	}
	if got := w.Renderer.n.Load(); got != 0 {
		t.Errorf("warm views rendered %d times, want 0", got)
	}

	old := w.mustPage(t, "Notes").Revision
	w.mustSave(t, wiki.SaveRequest{Name: "Notes", Content: []byte("# Notes\n\n**bold**\n"), BaseRevision: old})
	if got := w.Renderer.n.Load(); got != 1 {
		t.Errorf("renders for one save = %d, want 1", got)
	}
	v, err := w.View(ctx, "notes", "")
	if err != nil || !strings.Contains(v.HTML, "<strong>bold</strong>") || v.Name != "Notes" {
		t.Fatalf("View after save = %+v, %v", v, err)
	}
	if got := w.Renderer.n.Load(); got != 1 {
		t.Errorf("view after save rendered: %d renders, want 1", got)
	}

	for i := range 2 {
		v, err := w.View(ctx, "Notes", old)
		if err != nil || !strings.Contains(v.HTML, "<em>hi</em>") || v.Revision != old {
			t.Fatalf("View(old) = %+v, %v", v, err)
		}
		if got := w.Renderer.n.Load(); got != 2 {
			t.Errorf("after old view %d: %d renders, want 2", i+1, got)
		}
	}
}

// TestViewMissingLinks: a link to a page that does not exist is marked and
// leads to its editor, until the page is created.
func TestViewMissingLinks(t *testing.T) {
	ctx := context.Background()
	w := MustOpenWiki(t, map[string]string{
		"Home.md":  "# Home\n\n[[the meeting|Team/Meeting Notes#Agenda]] and [[home]] and [[Notes]].\n",
		"Notes.md": "notes\n",
	})
	v, err := w.View(ctx, "Home", "")
	if err != nil {
		t.Fatal(err)
	}
	missing := `href="/test/-/edit/Team/Meeting%20Notes" class="wikilink missing" data-wikilink="Team/Meeting Notes"`
	if !strings.Contains(v.HTML, missing) {
		t.Errorf("missing link not marked:\n%s", v.HTML)
	}
	if strings.Count(v.HTML, "missing") != 1 {
		t.Errorf("existing pages marked missing:\n%s", v.HTML)
	}
	if p, err := w.Preview(ctx, "Home", []byte("[[Nowhere]]")); err != nil || !strings.Contains(p, "/test/-/edit/Nowhere") {
		t.Errorf("Preview = %q, %v", p, err)
	}

	w.mustSave(t, wiki.SaveRequest{Name: "Team/Meeting Notes", Content: []byte("# Agenda\n")})
	v, err = w.View(ctx, "Home", "")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(v.HTML, "missing") || !strings.Contains(v.HTML, `href="/test/Team/Meeting%20Notes#agenda"`) {
		t.Errorf("link still marked after creating the page:\n%s", v.HTML)
	}
	back, err := w.Backlinks(ctx, "team/meeting notes")
	if err != nil || len(back) != 1 || back[0].Name != "Home" {
		t.Errorf("Backlinks = %+v, %v", back, err)
	}
}

// TestPageNames: pages are found case-insensitively and by their real file,
// dots and spaces included, as An Otter Wiki and GitHub wikis lay them out.
func TestPageNames(t *testing.T) {
	ctx := context.Background()
	w := MustOpenWiki(t, map[string]string{
		"home.md":               "# Welcome\n",
		"team/meeting notes.md": "notes\n",
		"Release-1.2.md":        "release\n",
		"Upper.MD":              "upper\n",
		"image.png":             "not a page",
	})
	for _, tc := range []struct{ ask, name, file, title string }{
		{"Home", "home", "home.md", "Welcome"},
		{"Team/Meeting Notes", "team/meeting notes", "team/meeting notes.md", "meeting notes"},
		{"release-1.2", "Release-1.2", "Release-1.2.md", "Release 1.2"},
		{"Upper", "Upper", "Upper.MD", "Upper"},
	} {
		p := w.mustPage(t, tc.ask)
		if p.Name != tc.name || p.File != tc.file || p.Title != tc.title {
			t.Errorf("Page(%q) = name %q file %q title %q, want %q %q %q", tc.ask, p.Name, p.File, p.Title, tc.name, tc.file, tc.title)
		}
	}
	if _, err := w.Page(ctx, "image", ""); wiki.ErrorCode(err) != wiki.ENOTFOUND {
		t.Errorf("an attachment is a page: %v", err)
	}
	// Editing "Upper" writes back to Upper.MD rather than adding Upper.md.
	p := w.mustPage(t, "Upper")
	w.mustSave(t, wiki.SaveRequest{Name: "Upper", Content: []byte("UPPER\n"), BaseRevision: p.Revision})
	if p := w.mustPage(t, "Upper"); p.File != "Upper.MD" || string(p.Content) != "UPPER\n" {
		t.Errorf("Upper = %+v", p)
	}
}

// TestPagePathTraversal: names that try to leave the wiki are EINVALID,
// on every read path, before anything is looked up.
func TestPagePathTraversal(t *testing.T) {
	ctx := context.Background()
	w := MustOpenWiki(t, map[string]string{"Home.md": "home\n"})
	for _, name := range []string{"../repo.git/config", "a/../../wiki.db", "/etc/passwd", ".git/HEAD", "x\x00y"} {
		if _, err := w.Page(ctx, name, ""); wiki.ErrorCode(err) != wiki.EINVALID {
			t.Errorf("Page(%q): %v", name, err)
		}
		if _, err := w.View(ctx, name, ""); wiki.ErrorCode(err) != wiki.EINVALID {
			t.Errorf("View(%q): %v", name, err)
		}
		if _, err := w.PageDiff(ctx, name, "", ""); wiki.ErrorCode(err) != wiki.EINVALID {
			t.Errorf("PageDiff(%q): %v", name, err)
		}
	}
	if _, err := w.Page(ctx, "Home", "../../HEAD"); wiki.ErrorCode(err) != wiki.EINVALID {
		t.Errorf("Page at a revision expression: %v", err)
	}
}

// TestPageDiff diffs a page between revisions, creation included.
func TestPageDiff(t *testing.T) {
	ctx := context.Background()
	w := MustOpenWiki(t, map[string]string{"Home.md": "a\nb\nc\n"})
	r1 := w.mustPage(t, "Home").Revision
	r2 := w.mustSave(t, wiki.SaveRequest{Name: "Home", Content: []byte("a\nB\nc\n"), BaseRevision: r1}).Revision
	d, err := w.PageDiff(ctx, "Home", r1, r2)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range d {
		got = append(got, string(l.Op)+strings.TrimSuffix(l.Text, "\n"))
	}
	if want := " a|-b|+B| c"; strings.Join(got, "|") != want {
		t.Errorf("diff = %q, want %q", strings.Join(got, "|"), want)
	}
	d, err = w.PageDiff(ctx, "Home", "", r1)
	if err != nil || len(d) != 3 || d[0].Op != '+' {
		t.Errorf("diff from nothing = %+v, %v", d, err)
	}
	if _, err := w.PageDiff(ctx, "Nowhere", r1, r2); wiki.ErrorCode(err) != wiki.ENOTFOUND {
		t.Errorf("diff of a missing page: %v", err)
	}
}
