package markdown_test

import (
	"strings"
	"testing"
)

// payloads are hostile strings from the XSS corpus, each tried inside
// every construct the renderer gained for issue 11. Raw <img> with a
// relative src is allowed content, so only its handler must go.
var payloads = []string{
	"<script>alert(1)</script>",
	`<img src=x onerror=alert(1)>`,
	`<svg onload=alert(1)>`,
	`<a href="javascript:alert(1)">x</a>`,
	`"><script>alert(1)</script>`,
	`<details open ontoggle=alert(1)>`,
	`<style>*{display:none}</style>`,
	`<iframe srcdoc="<script>alert(1)</script>">`,
	`<math><mtext><img src=x onerror=alert(1)></mtext></math>`,
	`</annotation><img src=x onerror=alert(1)>`,
	`<h2 id="warren-editor">x</h2>`,
}

// constructs wrap a payload in each new syntax.
var constructs = map[string]func(p string) string{
	"inline math":        func(p string) string { return "$\\text{" + p + "}$" },
	"inline math raw":    func(p string) string { return "$" + p + "$" },
	"display math":       func(p string) string { return "$$\n" + p + "\n$$" },
	"bracket math":       func(p string) string { return "\\[" + p + "\\]" },
	"math fence":         func(p string) string { return "```math\n\\text{" + p + "}\n```" },
	"math class command": func(p string) string { return `$\class{` + p + `}{x}\style{` + p + `}{y}\href{` + p + `}{z}$` },
	"mermaid":            func(p string) string { return "```mermaid\nflowchart LR\n A[\"" + p + "\"] --> B\n```" },
	"alert title":        func(p string) string { return "> [!NOTE] " + p + "\n> body" },
	"alert body":         func(p string) string { return "> [!WARNING]\n> " + p },
	"alert kind":         func(p string) string { return "> [!" + p + "]\n> body" },
	"obsidian fold":      func(p string) string { return "> [!tip]- " + p + "\n> body" },
	"fancy block":        func(p string) string { return "::: info\n# " + p + "\n" + p + "\n:::" },
	"fancy kind":         func(p string) string { return "::: " + p + "\nbody\n:::" },
	"spoiler":            func(p string) string { return ">! " + p },
	"fold":               func(p string) string { return ">| # " + p + "\n>| " + p },
	"mark":               func(p string) string { return "==" + p + "==" },
	"definition":         func(p string) string { return p + "\n: " + p },
	"front matter title": func(p string) string { return "---\ntitle: '" + strings.ReplaceAll(p, "'", "''") + "'\n---\nx" },
	"front matter tags":  func(p string) string { return "---\ntags: ['" + strings.ReplaceAll(p, "'", "''") + "']\n---\nx" },
	"front matter alias": func(p string) string { return "---\naliases: '" + strings.ReplaceAll(p, "'", "''") + "'\n---\nx" },
	"toml front matter":  func(p string) string { return "+++\ntitle = '''" + p + "'''\ntags = ['''" + p + "''']\n+++\nx" },
	"code language":      func(p string) string { return "```" + strings.ReplaceAll(p, "`", "") + "=\ncode\n```" },
	// Issue 8's links and embeds: targets travel in data attributes the
	// page view resolves, so they must arrive there inert.
	"transclusion":         func(p string) string { return "![[" + p + "]]" },
	"transclusion section": func(p string) string { return "![[Home#" + p + "]]" },
	"image embed":          func(p string) string { return "![[" + p + ".png|300]]" },
	"wikilink label":       func(p string) string { return "[[" + p + "|Home]]" },
	"wikilink target":      func(p string) string { return "[[Home|" + p + "]]" },
	"local link":           func(p string) string { return "[x](" + p + ".md)" },
	"forged placeholder": func(p string) string {
		return `<div data-transclude="` + p + `" data-page-index="x" onclick="alert(1)"></div>`
	},
	"page index": func(p string) string { return "{{PageIndex " + p + "}}" },
}

// TestHostileInputInNewConstructs runs the corpus through every construct:
// nothing may come out that could run script, load a frame, restyle the
// page or clobber warren's ids, and no payload's markup survives as markup.
func TestHostileInputInNewConstructs(t *testing.T) {
	for name, wrap := range constructs {
		for _, p := range payloads {
			src := wrap(p)
			t.Run(name+"/"+p, func(t *testing.T) {
				out := MustRender(t, src, "/acme/")
				assertSafe(t, src, out)
				for _, bad := range []string{"<script", "<svg", "<iframe", "<style", `href="javascript`} {
					if strings.Contains(strings.ToLower(out.HTML), bad) {
						t.Errorf("%q survived in:\n%s", bad, out.HTML)
					}
				}
				for _, field := range append(append([]string{out.Title}, out.Tags...), out.Aliases...) {
					if strings.ContainsAny(field, "\x00\n\r") {
						t.Errorf("front matter value %q keeps control characters", field)
					}
				}
			})
		}
	}
}

// TestMathMLOracle keeps the safety oracle honest about MathML: it accepts
// what the math converter emits and still objects to script inside math.
func TestMathMLOracle(t *testing.T) {
	if bad := unsafeMarkup(`<math display="block"><semantics><mrow><mi>x</mi></mrow><annotation encoding="application/x-tex">x</annotation></semantics></math>`); bad != "" {
		t.Errorf("MathML flagged: %s", bad)
	}
	for _, s := range []string{`<math><mi onclick="x">y</mi></math>`, `<math><maction actiontype="statusline">x</maction></math>`, `<math><mi style="x">y</mi></math>`} {
		if unsafeMarkup(s) == "" {
			t.Errorf("unsafeMarkup(%q) found nothing", s)
		}
	}
}
