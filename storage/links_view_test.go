package storage_test

import (
	"context"
	"strings"
	"testing"
)

// TestLinkPassResolvesAsTheSourceProducts checks the link pass on the forms
// the imported wikis use, with the resolver's precedence.
func TestLinkPassResolvesAsTheSourceProducts(t *testing.T) {
	ctx := context.Background()
	w := MustOpenWiki(t, map[string]string{
		"Home.md": "# Home\n\n" +
			"[[Getting Started]] [[a|Team/Notes]] [[b|notes]] [[c|Deep]] [[d|Nowhere]]\n\n" +
			"[e](Team/Notes.md#x) [f](/Team/Notes) [g](/test/Team/Notes) [h](/examples) [i](/Team/a/pic.png)\n\n" +
			"![[pic.png|120]] [[Nested#Part#Leaf]]\n",
		"Getting-Started.md":    "gs\n",
		"Team/Notes.md":         "# Notes\n\n[[up|../Home]] [back](../Home.md)\n",
		"Team/pic.png":          "png",
		"x/y/Deep.md":           "deep\n",
		"Archive/x/y/z/Deep.md": "deeper\n",
		"Nested.md":             "# Part\n## Leaf\n",
	})
	v, err := w.View(ctx, "Home", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<a href="/test/Getting-Started" class="wikilink" data-wikilink="Getting Started">Getting Started</a>`,
		`<a href="/test/Team/Notes" class="wikilink" data-wikilink="Team/Notes">a</a>`,
		`<a href="/test/x/y/Deep" class="wikilink" data-wikilink="Deep">c</a>`,
		`<a href="/test/-/edit/Nowhere" class="wikilink missing" data-wikilink="Nowhere">d</a>`,
		`<a href="/test/Team/Notes#x" data-link="Team/Notes.md">e</a>`,
		`<a href="/test/Team/Notes" data-link="/Team/Notes">f</a>`,
		`<a href="/test/Team/Notes" data-link="/test/Team/Notes">g</a>`,
		`<a href="/test/examples" data-link="/examples">h</a>`,
		`<a href="/test/-/files/Team/pic.png" data-link="/Team/a/pic.png">i</a>`,
		`src="/test/-/files/Team/pic.png"`, `width="120"`,
		`href="/test/Nested#leaf"`,
	} {
		if !strings.Contains(v.HTML, want) {
			t.Errorf("missing %s in:\n%s", want, v.HTML)
		}
	}
	if !strings.Contains(v.HTML, `<a href="/test/Team/Notes" class="wikilink" data-wikilink="notes">b</a>`) {
		t.Errorf("[[notes]] from the root: the base name is Team/Notes:\n%s", v.HTML)
	}
	n, err := w.View(ctx, "Team/Notes", "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(n.HTML, `href="/test/Home" data-link="../Home.md"`) {
		t.Errorf("relative link from a folder:\n%s", n.HTML)
	}
}

// TestTransclusion: ![[Page#Heading]] includes that section, ![[Page#^id]]
// the marked block, loops and depth bombs stop, and a missing page or part
// leaves a link.
func TestTransclusion(t *testing.T) {
	ctx := context.Background()
	files := map[string]string{
		"Home.md":   "![[Shared#Two]]\n\n![[Shared#^blk]]\n\n![[Shared#^quoted]]\n\n![[Shared#Nope]]\n\n![[Ghost]]\n",
		"Shared.md": "# One\n\nfirst\n\n# Two\n\nsecond\n\nmarked para ^blk\n\n> quoted\n\n^quoted\n",
		"Loop.md":   "loop\n\n![[Loop]]\n",
	}
	// A bomb: each level includes the next twice, ten levels deep.
	for i := range 10 {
		files[fmtLevel(i)+".md"] = "level\n\n![[" + fmtLevel(i+1) + "]]\n\n![[" + fmtLevel(i+1) + "]]\n"
	}
	w := MustOpenWiki(t, files)
	v, err := w.View(ctx, "Home", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<p>second</p>", "<p>marked para</p>", "<blockquote>\n<p>quoted</p>\n</blockquote>",
		`<p class="transclusion"><a class="wikilink" href="/test/Shared">Shared</a></p>`,
		`<p class="transclusion"><a href="/test/-/edit/Ghost" class="wikilink missing">Ghost</a></p>`} {
		if !strings.Contains(v.HTML, want) {
			t.Errorf("missing %q in:\n%s", want, v.HTML)
		}
	}
	if strings.Contains(v.HTML, "first") {
		t.Errorf("the other section was included:\n%s", v.HTML)
	}
	loop, err := w.View(ctx, "Loop", "")
	if err != nil || strings.Count(loop.HTML, "<p>loop</p>") != 1 || !strings.Contains(loop.HTML, "transclusion stopped") {
		t.Errorf("loop: %v\n%s", err, loop.HTML)
	}
	bomb, err := w.View(ctx, fmtLevel(0), "")
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(bomb.HTML, "<p>level</p>"); n > 33 {
		t.Errorf("the bomb expanded %d times", n)
	}
}

func fmtLevel(i int) string { return "Level " + string(rune('A'+i)) }
