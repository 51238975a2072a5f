package markdown_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/wiki/markdown"
)

func TestMathKeepsBackslashes(t *testing.T) {
	out := MustRender(t, `$a\,b \\ c$ and \(\{x\}\)`, "/acme/")
	assertContains(t, out.HTML, `<mspace width="0.17em">`, `<annotation encoding="application/x-tex">a\,b \\ c</annotation>`,
		`<annotation encoding="application/x-tex">\{x\}</annotation>`)
	assertContains(t, out.Text, `a\,b \\ c`)
}

func TestDollarPricesStayText(t *testing.T) {
	for _, src := range []string{"It costs $5 and $6.", "From $5 to $10", "$ 1 + 1 $", "a$b", `\$x\$`} {
		out := MustRender(t, src, "/acme/")
		assertNotContains(t, out.HTML, "<math")
	}
}

func TestBadTeXIsMarkedNotFatal(t *testing.T) {
	out := MustRender(t, "before $\\frac{1}{$ after\n\n# Still here\n", "/acme/")
	assertContains(t, out.HTML, `<code class="math-error" title="TeX could not be parsed">$\frac{1}{$</code>`, `<h1 id="still-here">`)
}

func TestHugeFormulaIsBounded(t *testing.T) {
	big := "$" + strings.Repeat("x^2+", 1<<18) + "1$"
	deep := "$" + strings.Repeat("{", 500) + "x" + strings.Repeat("}", 500) + "$"
	for name, src := range map[string]string{"big": big, "deep": deep} {
		out := MustRender(t, src, "/acme/")
		assertContains(t, out.HTML, `<code class="math-error" title="formula too large">`)
		if name == "big" && len(out.HTML) > 2*len(src) {
			t.Errorf("%s: output %d bytes for %d of input", name, len(out.HTML), len(src))
		}
	}
	many := strings.Repeat("$x^2$ ", 1<<16) // 384 KiB of formulas: past the page budget
	out := MustRender(t, many, "/acme/")
	if n := strings.Count(out.HTML, "<math"); n == 0 || n >= 1<<16 {
		t.Errorf("%d of %d formulas converted; want some, not all", n, 1<<16)
	}
}

func TestUnclosedBlocksSwallowNothing(t *testing.T) {
	out := MustRender(t, "$$\nstill text\n\n\\[\nmore\n\n::: info\nbody\n", "/acme/")
	assertContains(t, out.HTML, "still text", "more", "::: info")
	assertNotContains(t, out.HTML, "<math", "callout")
}

func TestFrontMatterMetadata(t *testing.T) {
	out := MustRender(t, "---\ntitle: \"  Plan\\n B \"\ntags: 'a, #b c,a'\naliases: [X, Y, x]\n---\n# Body title\n", "/acme/")
	if out.Title != "Plan B" || !slices.Equal(out.Tags, []string{"a", "b", "c"}) || !slices.Equal(out.Aliases, []string{"X", "Y"}) {
		t.Errorf("Title=%q Tags=%q Aliases=%q", out.Title, out.Tags, out.Aliases)
	}
	assertContains(t, out.HTML, `<h1 id="body-title">Body title</h1>`)
	assertNotContains(t, out.HTML, "title:", "<hr>", `id="plan-b"`)
	assertNotContains(t, out.TOC, "title")
}

func TestFrontMatterNotDecodedIsHidden(t *testing.T) {
	out := MustRender(t, "---\n: [unbalanced\n---\nText\n", "/acme/")
	if out.HTML != "<p>Text</p>\n" || out.Title != "" {
		t.Errorf("HTML %q Title %q", out.HTML, out.Title)
	}
}

func TestHasDiagram(t *testing.T) {
	if !markdown.HasDiagram(MustRender(t, "```mermaid\ngraph TD; A-->B\n```\n", "/acme/").HTML) {
		t.Error("a mermaid fence is not detected")
	}
	if markdown.HasDiagram(MustRender(t, "```go\nmermaid\n```\n<pre>mermaid</pre>", "/acme/").HTML) {
		t.Error("a page without a diagram is detected")
	}
}

func TestCodeLanguageNeverReachesHTMLRaw(t *testing.T) {
	out := MustRender(t, "```x\" onclick=\"alert(1)\n1\n```\n```go{style=x}\n1\n```\n", "/acme/")
	assertSafe(t, "", out)
	assertNotContains(t, out.HTML, "onclick", "style=")
}

// BenchmarkHostileMath measures a page of the worst math the limits let
// through plus what they refuse: a 1 MB formula, deep nesting and many
// small formulas. It bounds render time by construction; nothing asserts
// a duration.
func BenchmarkHostileMath(b *testing.B) {
	src := "$" + strings.Repeat("x^2+", 1<<18) + "1$\n\n$" + strings.Repeat("{", 60) + "x" + strings.Repeat("}", 60) + "$\n\n" +
		strings.Repeat(`$\frac{a}{b}+\sqrt{x_1^2}$ `, 10000)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		MustRender(b, src, "/acme/")
	}
}

// BenchmarkHugeDiagram renders a 10,000-node diagram: the server only
// escapes its source, so the cost is linear in its size.
func BenchmarkHugeDiagram(b *testing.B) {
	var src strings.Builder
	src.WriteString("```mermaid\nflowchart TD\n")
	for i := range 10000 {
		src.WriteString("  N" + strings.Repeat("x", i%7) + " --> M\n")
	}
	src.WriteString("```\n")
	b.SetBytes(int64(src.Len()))
	for b.Loop() {
		MustRender(b, src.String(), "/acme/")
	}
}
