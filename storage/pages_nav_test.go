package storage_test

import (
	"context"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/wiki"
)

// TestHomeFallback: the root shows Home, else README, else index (any
// case), else nothing (the web then lists the pages).
func TestHomeFallback(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		files map[string]string
		want  string
	}{
		{map[string]string{"home.md": "h", "README.md": "r"}, "home"},
		{map[string]string{"README.md": "r", "index.md": "i"}, "README"},
		{map[string]string{"Index.md": "i", "docs/README.md": "r"}, "Index"},
		{map[string]string{"docs/README.md": "r"}, ""},
	} {
		w := MustOpenWiki(t, tc.files)
		if got, err := w.HomePage(ctx); err != nil || got != tc.want {
			t.Errorf("%v: HomePage = %q, %v; want %q", tc.files, got, err, tc.want)
		}
	}
}

// TestChromePages: the nearest _Sidebar and _Footer up the tree apply,
// with their links resolved from where they live, and are not listed.
func TestChromePages(t *testing.T) {
	ctx := context.Background()
	w := MustOpenWiki(t, map[string]string{
		"Home.md":           "home",
		"_Sidebar.md":       "root sidebar [[Home]]",
		"_Footer.md":        "root footer",
		"Team/Notes.md":     "notes",
		"Team/_sidebar.md":  "team sidebar [[Notes]]",
		"Team/Deep/Page.md": "deep",
	})
	c, err := w.Chrome(ctx, "Team/Deep/Page")
	if err != nil || c.SidebarPage != "Team/_sidebar" || c.FooterPage != "_Footer" ||
		!strings.Contains(c.Sidebar, `href="/test/Team/Notes"`) || !strings.Contains(c.Footer, "root footer") {
		t.Errorf("Chrome = %+v, %v", c, err)
	}
	if c, _ := w.Chrome(ctx, "Home"); c.SidebarPage != "_Sidebar" {
		t.Errorf("Chrome(Home) = %+v", c)
	}
	pages, err := w.List(ctx, "", "", 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		if wiki.IsChromePage(p.Name) {
			t.Errorf("List shows %s", p.Name)
		}
	}
	p := wiki.DefaultPreferences()
	p.Sidebar = wiki.SidebarTree
	if err := w.SetPreferences(ctx, p); err != nil {
		t.Fatal(err)
	}
	if c, _ := w.Chrome(ctx, "Home"); c.Sidebar != "" || c.Footer == "" {
		t.Errorf("with the page tree as sidebar, Chrome = %+v", c)
	}
}

// TestResolveURL: a page URL finds its page by key, alias or base name,
// a file by its path, and nothing else.
func TestResolveURL(t *testing.T) {
	ctx := context.Background()
	w := MustOpenWiki(t, map[string]string{
		"Getting-Started.md": "gs",
		"Meetings/Weekly.md": "---\naliases: [Standup]\n---\nw",
		"img/logo.png":       "png",
		"..md":               "dot",
	})
	for name, want := range map[string]wiki.Resolution{
		"getting started": {Page: "Getting-Started"},
		"Standup":         {Page: "Meetings/Weekly"},
		"weekly":          {Page: "Meetings/Weekly"},
		"img/logo.png":    {File: "img/logo.png"},
		"IMG/Logo.PNG":    {File: "img/logo.png"},
		"..md":            {Page: "."},
		"nothing":         {},
	} {
		if got, err := w.Resolve(ctx, name); err != nil || got != want {
			t.Errorf("Resolve(%q) = %+v, %v; want %+v", name, got, err, want)
		}
	}
}

// TestLinkStyleChangeRerenders: switching the style re-renders the pages
// and their link graph; the cache never serves the other style's HTML.
func TestLinkStyleChangeRerenders(t *testing.T) {
	ctx := context.Background()
	w := MustOpenWiki(t, map[string]string{"Home.md": "[[Label|Target]]", "Target.md": "t", "Label.md": "l"})
	v, _ := w.View(ctx, "Home", "")
	if !strings.Contains(v.HTML, `href="/test/Target"`) {
		t.Fatalf("text|page: %s", v.HTML)
	}
	p := wiki.DefaultPreferences()
	p.LinkStyle = wiki.LinkPageText
	if err := w.SetPreferences(ctx, p); err != nil {
		t.Fatal(err)
	}
	v, _ = w.View(ctx, "Home", "")
	if !strings.Contains(v.HTML, `href="/test/Label"`) {
		t.Errorf("page|text: %s", v.HTML)
	}
	if back, _ := w.Backlinks(ctx, "Label"); len(back) != 1 {
		t.Errorf("backlinks of Label after the switch = %v", back)
	}
	w = w.reopen(t)
	v, _ = w.View(ctx, "Home", "")
	if !strings.Contains(v.HTML, `href="/test/Label"`) {
		t.Errorf("after reopening: %s", v.HTML)
	}
}

// TestLinkStyleChangedByAnotherProcess: `warren wiki set` changes the style
// through its own handle while the server's is open; the server's next view
// renders with the new style, and a handle opened without the server's
// default does not leave its style behind.
func TestLinkStyleChangedByAnotherProcess(t *testing.T) {
	ctx := context.Background()
	server := MustOpenWiki(t, map[string]string{"Home.md": "[[Label|Target]]", "Target.md": "t", "Label.md": "l"})
	if v, _ := server.View(ctx, "Home", ""); !strings.Contains(v.HTML, `href="/test/Target"`) {
		t.Fatalf("text|page: %s", v.HTML)
	}
	setStyleElsewhere(t, server.Dir, wiki.LinkPageText)
	if v, _ := server.View(ctx, "Home", ""); !strings.Contains(v.HTML, `href="/test/Label"`) {
		t.Errorf("the server still renders the old style: %s", v.HTML)
	}
}

// setStyleElsewhere sets the wiki's link style through a handle of its own,
// as the CLI in another process would.
func setStyleElsewhere(t *testing.T, dir string, style wiki.LinkStyle) {
	t.Helper()
	cli := mustOpenDir(t, dir)
	defer cli.Close()
	p := wiki.DefaultPreferences()
	p.LinkStyle = style
	if err := cli.SetPreferences(context.Background(), p); err != nil {
		t.Fatal(err)
	}
}
