package markdown_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden .html files from the renderer's output")

// TestGolden renders every testdata/golden/*.md and compares the HTML with
// the .html beside it (go test -run TestGolden -update rewrites them after
// a deliberate change; review the diff). Each file covers one construct.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/golden/*.md")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden inputs: %v", err)
	}
	for _, in := range files {
		name := strings.TrimSuffix(filepath.Base(in), ".md")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			out := MustRender(t, string(src), "/acme/")
			assertSafe(t, string(src), out)
			want := strings.TrimSuffix(in, ".md") + ".html"
			if *update {
				if err := os.WriteFile(want, []byte(out.HTML), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			golden, err := os.ReadFile(want)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if out.HTML != string(golden) {
				t.Errorf("%s differs from %s:\n%s", in, want, out.HTML)
			}
		})
	}
}

// TestOtterDemoLeavesNoMarkers renders a page written with every block
// syntax of An Otter Wiki and checks that no syntax shows through as text.
func TestOtterDemoLeavesNoMarkers(t *testing.T) {
	src, err := os.ReadFile("testdata/otter-demo.md")
	if err != nil {
		t.Fatal(err)
	}
	out := MustRender(t, string(src), "/acme/")
	assertSafe(t, string(src), out)
	for _, marker := range []string{":::", ">!", ">|", "[!TIP]", "==", "$$", "$A", "```", "# Well done", "# Show"} {
		if strings.Contains(visibleText(out.HTML), marker) {
			t.Errorf("marker %q left in the page:\n%s", marker, out.HTML)
		}
	}
	assertContains(t, out.HTML, "<mark>marked</mark>", `<math display="inline">`, `<math display="block">`,
		`<div class="callout callout-success">`, `<div class="callout-title">Well done</div>`,
		`<div class="callout callout-warning">`, `<details class="callout callout-spoiler">`,
		`<summary class="callout-title">Show the long list</summary>`, `<div class="callout callout-tip">`,
		`<pre class="mermaid">`, `<span class="ln">1</span>`)
	if strings.Count(out.TOC, "<li>") != 6 {
		t.Errorf("box titles must stay out of the contents:\n%s", out.TOC)
	}
}
