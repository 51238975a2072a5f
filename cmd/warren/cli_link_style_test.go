package main_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/warren-wiki/warren/storage"
	"github.com/warren-wiki/warren/storage/robot"
	"github.com/warren-wiki/warren/wiki"
	"github.com/warren-wiki/warren/wiki/markdown"
)

// TestWikiCreateLinkStyle: --link-style is stored as the new wiki's
// preference and its pages render with it; without the flag a wiki follows
// the server's default.
func TestWikiCreateLinkStyle(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	c := cli{t: t}
	c.ok("wiki", "create", "--data", data, "--link-style", "page|text", "vault")
	c.ok("wiki", "create", "--data", data, "plain")
	ctx := context.Background()
	for slug, want := range map[string]wiki.LinkStyle{"vault": wiki.LinkPageText, "plain": wiki.LinkTextPage} {
		w, err := storage.OpenWiki(ctx, robot.WikiDir(data, slug), slug, markdown.New(), "/"+slug+"/")
		if err != nil {
			t.Fatal(err)
		}
		p, err := w.Preferences(ctx)
		if err != nil || p.LinkStyle != want {
			t.Errorf("%s: link style %q, %v; want %q", slug, p.LinkStyle, err, want)
		}
		html, err := w.Preview(ctx, "Home", []byte("[[Home|x]]"))
		if err != nil {
			t.Fatal(err)
		}
		if got := want == wiki.LinkPageText; got != (html == "<p><a href=\"/"+slug+"/Home\" class=\"wikilink\" data-wikilink=\"Home\">x</a></p>\n") {
			t.Errorf("%s renders %q", slug, html)
		}
		w.Close()
	}
}
