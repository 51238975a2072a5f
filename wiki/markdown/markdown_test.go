package markdown_test

import (
	"strings"
	"testing"

	"github.com/warren-wiki/warren/wiki/markdown"
)

func TestGFM(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"table", "| Name | Qty |\n|:-----|----:|\n| pen | 2 |\n",
			[]string{"<table>", `<th align="left">Name</th>`, `<th align="right">Qty</th>`, `<td align="left">pen</td>`}},
		{"strikethrough", "this is ~~gone~~ now", []string{"<del>gone</del>"}},
		{"task list", "- [x] done\n- [ ] todo\n",
			[]string{`<li><input checked="" disabled="" type="checkbox"> done</li>`, `<li><input disabled="" type="checkbox"> todo</li>`}},
		{"linkify www", "see www.example.com today",
			[]string{`<a href="http://www.example.com" rel="nofollow noreferrer">www.example.com</a>`}},
		{"linkify https", "see https://example.org/a?b=1 today",
			[]string{`<a href="https://example.org/a?b=1" rel="nofollow noreferrer">https://example.org/a?b=1</a>`}},
		{"autolink", "<https://example.org>", []string{`<a href="https://example.org" rel="nofollow noreferrer">`}},
		{"relative link has no rel", "[doc](other/page)", []string{`<a href="other/page" data-link="other/page">doc</a>`}},
		{"mailto", "[mail](mailto:a@example.org)", []string{`<a href="mailto:a@example.org">mail</a>`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := MustRender(t, tt.src, "/acme/")
			assertContains(t, out.HTML, tt.want...)
			assertSafe(t, tt.src, out)
		})
	}
}

func TestFootnotes(t *testing.T) {
	src := "A claim[^src] and another[^2].\n\n[^src]: The source.\n[^2]: Second.\n"
	out := MustRender(t, src, "/acme/")
	assertContains(t, out.HTML,
		`<sup id="fnref:1"><a href="#fn:1" class="footnote-ref">1</a></sup>`,
		`<div class="footnotes">`,
		`<li id="fn:1">`, `<li id="fn:2">`,
		`<a href="#fnref:1" class="footnote-backref">`)
	assertContains(t, out.Text, "The source.", "Second.")
	assertNotContains(t, out.Text, "↩")
}

func TestHighlightingUsesClasses(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"go", "```go\nfunc main() { fmt.Println(\"hi\") }\n```\n",
			[]string{`<pre class="chroma"><code>`, `<span class="kd">func</span>`, `<span class="s">&#34;hi&#34;</span>`}},
		{"line numbers and highlighted lines", "```python {linenos=table,hl_lines=[2]}\nx = 1\ny = 2\n```\n",
			[]string{`class="lnt"`, `class="line hl"`}},
		{"unknown language stays plain", "```nosuchlang\na < b\n```\n",
			[]string{`<pre><code class="language-nosuchlang">a &lt; b`}},
		{"no language", "```\nplain & simple\n```\n", []string{"<pre><code>plain &amp; simple"}},
		{"style attribute in info string is ignored", "```go {style=monokai}\nvar x int\n```\n",
			[]string{`<span class="kd">var</span>`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := MustRender(t, tt.src, "/acme/")
			assertContains(t, out.HTML, tt.want...)
			assertNotContains(t, out.HTML, "style=")
			assertSafe(t, tt.src, out)
		})
	}
}

func TestHighlightCSS(t *testing.T) {
	css := markdown.HighlightCSS()
	dark := strings.Index(css, "@media (prefers-color-scheme: dark) {")
	if dark < 0 {
		t.Fatalf("no dark block in:\n%s", css)
	}
	light := css[:dark]
	assertContains(t, light, ".chroma {", ".chroma .kd {")
	assertContains(t, css[dark:], ".chroma {", ".chroma .kd {")
	if light == css[dark:] || strings.Count(css, "{") != strings.Count(css, "}") {
		t.Errorf("light and dark sheets must differ and braces balance:\n%s", css)
	}
	if again := markdown.HighlightCSS(); again != css {
		t.Error("HighlightCSS changed between calls")
	}
}

func TestHeadingIDs(t *testing.T) {
	tests := []struct {
		heading string
		id      string
	}{
		{"Hello World", "hello-world"},
		{"What's new in *v2*?", "whats-new-in-v2"},
		{"Use `go vet` [now](https://go.dev)", "use-go-vet-now"},
		{"C++ & Go", "c--go"},
		{"Über uns", "über-uns"},
		{"snake_case-and-dash", "snake_case-and-dash"},
		{"!!!", "section"},
		{"Warren Toolbar", "user-warren-toolbar"},
	}
	for _, tt := range tests {
		t.Run(tt.heading, func(t *testing.T) {
			out := MustRender(t, "## "+tt.heading+"\n", "/acme/")
			assertContains(t, out.HTML, `<h2 id="`+tt.id+`">`)
		})
	}
}

func TestHeadingIDsUnique(t *testing.T) {
	out := MustRender(t, "# Notes\n## Notes\nNotes\n---\n### Notes-1\n", "/acme/")
	assertContains(t, out.HTML, `<h1 id="notes">`, `<h2 id="notes-1">`, `<h2 id="notes-2">`, `<h3 id="notes-1-1">`)
}

func TestTOC(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"one heading has none", "# Only\ntext\n", ""},
		{"no headings", "just text", ""},
		{"nested", "# A\n## B\n### C\n## D\n# E\n",
			"<ul>\n<li><a href=\"#a\">A</a>\n<ul>\n<li><a href=\"#b\">B</a>\n<ul>\n<li><a href=\"#c\">C</a></li>\n</ul>\n" +
				"</li>\n<li><a href=\"#d\">D</a></li>\n</ul>\n</li>\n<li><a href=\"#e\">E</a></li>\n</ul>\n"},
		{"skipped level nests once", "## A\n#### B\n### C\n",
			"<ul>\n<li><a href=\"#a\">A</a>\n<ul>\n<li><a href=\"#b\">B</a></li>\n<li><a href=\"#c\">C</a></li>\n</ul>\n</li>\n</ul>\n"},
		{"starts deep", "### A\n# B\n",
			"<ul>\n<li><a href=\"#a\">A</a></li>\n<li><a href=\"#b\">B</a></li>\n</ul>\n"},
		{"text is escaped", "# a &lt;b&gt; \\* `<i>`\n# Two\n",
			"<ul>\n<li><a href=\"#a-b--i\">a &lt;b&gt; * &lt;i&gt;</a></li>\n<li><a href=\"#two\">Two</a></li>\n</ul>\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := MustRender(t, tt.src, "/acme/")
			if out.TOC != tt.want {
				t.Errorf("TOC:\n%s\nwant:\n%s", out.TOC, tt.want)
			}
		})
	}
}

func TestPlainText(t *testing.T) {
	src := "# Title\n\nFish &amp; chips, **bold** and [a link](https://x.org).\n\n| a | b |\n|---|---|\n| cell1 | cell2 |\n\n" +
		"```go\nfunc searchable() {}\n```\n\n<details><summary>Spoiler</summary>hidden words</details>\n\n<script>var secret = 1</script>\n"
	out := MustRender(t, src, "/acme/")
	want := "Title\nFish & chips, bold and a link.\na\nb\ncell1\ncell2\nfunc searchable() {}\nSpoiler\nhidden words"
	if out.Text != want {
		t.Errorf("Text:\n%q\nwant:\n%q", out.Text, want)
	}
}

func TestVersion(t *testing.T) {
	if v := renderer.Version(); v != markdown.Version || v < 1 {
		t.Errorf("Version() = %d, constant %d", v, markdown.Version)
	}
}

func TestEmptyInput(t *testing.T) {
	out := MustRender(t, "", "/acme/")
	if out.HTML != "" || out.TOC != "" || out.Text != "" || len(out.Links) != 0 {
		t.Errorf("empty page rendered %+v", out)
	}
}
