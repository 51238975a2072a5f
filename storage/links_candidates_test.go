package storage_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// The resolver looks every reference of a view up in one statement; these
// check the shapes it takes: a page that only embeds a file (the file
// lookups come first), a page with more keys than go into a plain IN list,
// and an alias two pages share (the first page in name order wins).
func TestLinkLookupShapes(t *testing.T) {
	ctx := context.Background()
	files := map[string]string{
		"Home.md":    "# Home\n",
		"Embeds.md":  "![[pic.png]]\n",
		"Zeta.md":    "---\naliases: [Shared]\n---\nz\n",
		"Alpha.md":   "---\naliases: [Shared]\n---\na\n",
		"Aliased.md": "[[Shared]]\n",
		"pic.png":    "png",
	}
	var many strings.Builder
	for i := range 80 {
		fmt.Fprintf(&many, "[[P%d]] ", i)
		if i%2 == 0 {
			files[fmt.Sprintf("P%d.md", i)] = "p\n"
		}
	}
	files["Many.md"] = many.String() + "\n"
	w := MustOpenWiki(t, files)
	for page, wants := range map[string][]string{
		"Embeds":  {`src="/test/-/files/pic.png"`},
		"Aliased": {`<a href="/test/Alpha" class="wikilink" data-wikilink="Shared">Shared</a>`},
		"Many": {
			`<a href="/test/P0" class="wikilink" data-wikilink="P0">P0</a>`,
			`<a href="/test/P78" class="wikilink" data-wikilink="P78">P78</a>`,
			`<a href="/test/-/edit/P1" class="wikilink missing" data-wikilink="P1">P1</a>`,
			`<a href="/test/-/edit/P79" class="wikilink missing" data-wikilink="P79">P79</a>`,
		},
	} {
		v, err := w.View(ctx, page, "")
		if err != nil {
			t.Fatalf("%s: %v", page, err)
		}
		for _, want := range wants {
			if !strings.Contains(v.HTML, want) {
				t.Errorf("%s: missing %s in:\n%s", page, want, v.HTML)
			}
		}
	}
}
