package markdown_test

import (
	"strings"
	"testing"
)

// attack is one hostile input and, optionally, text that must not survive.
type attack struct {
	name string
	src  string
	bad  []string
}

func runAttacks(t *testing.T, attacks []attack) {
	t.Helper()
	for _, a := range attacks {
		t.Run(a.name, func(t *testing.T) {
			out := MustRender(t, a.src, "/acme/")
			assertSafe(t, a.src, out)
			assertNotContains(t, out.HTML, a.bad...)
			assertNotContains(t, out.TOC, a.bad...)
		})
	}
}

func TestScriptTagStripped(t *testing.T) {
	runAttacks(t, []attack{
		{"block", "<script>alert(1)</script>", []string{"alert(1)"}},
		{"inline", "text <script>alert(1)</script> more", []string{"alert(1)"}},
		{"upper case", "<SCRIPT>alert(1)</SCRIPT>", []string{"alert(1)"}},
		{"src", `<script src="https://evil.example/x.js"></script>`, []string{"evil.example"}},
		{"split tag", "<scr<script>ipt>alert(1)</script>", nil},
		{"inside svg", "<svg><script>alert(1)</script></svg>", []string{"alert(1)"}},
		{"in heading", "# Title <script>alert(1)</script>\n# Two\n", []string{"alert(1)"}},
		{"noscript", "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>", nil},
	})
}

func TestEventHandlerStripped(t *testing.T) {
	runAttacks(t, []attack{
		{"img onerror", `<img src=x onerror=alert(1)>`, []string{"onerror"}},
		{"div onclick", `<div onclick="alert(1)">x</div>`, []string{"onclick"}},
		{"a onmouseover", `<a href="/x" onmouseover="alert(1)">x</a>`, []string{"onmouseover"}},
		{"details ontoggle", `<details open ontoggle=alert(1)><summary>s</summary></details>`, []string{"ontoggle"}},
		{"svg onload", `<svg onload=alert(1)>`, []string{"onload"}},
		{"body onload", `<body onload=alert(1)>`, []string{"onload"}},
		{"markdown image title", `![x](/a.png "t\" onerror=\"alert(1)")`, []string{`onerror="`}},
	})
}

func TestJavascriptURLInLink(t *testing.T) {
	runAttacks(t, []attack{
		{"markdown link", "[x](javascript:alert(1))", []string{"href"}},
		{"upper case", "[x](JAVASCRIPT:alert(1))", []string{"href"}},
		{"entity encoded", "[x](jav&#x61;script:alert(1))", []string{"href"}},
		{"decimal entities", "[x](&#106;&#97;vascript:alert(1))", []string{"href"}},
		{"leading space", "[x](< javascript:alert(1)>)", []string{"href"}},
		{"tab inside", "[x](<java\tscript:alert(1)>)", []string{"href"}},
		{"reference", "[x][r]\n\n[r]: javascript:alert(1)\n", []string{"href"}},
		{"autolink", "<javascript:alert(1)>", []string{"href"}},
		{"raw anchor", `<a href="javascript:alert(1)">x</a>`, []string{"href"}},
		{"raw anchor entities", `<a href="&#x6A;avascript&colon;alert(1)">x</a>`, []string{"href"}},
		{"image", "![x](javascript:alert(1))", []string{"src"}},
		{"vbscript", "[x](vbscript:msgbox(1))", []string{"href"}},
		{"file", "[x](file:///etc/passwd)", []string{"href"}},
	})
}

func TestJavascriptURLInWikilinkTarget(t *testing.T) {
	for _, src := range []string{"[[javascript:alert(1)]]", "[[JavaScript:alert(1)|click]]", "[[javascript:alert(1)#x]]"} {
		t.Run(src, func(t *testing.T) {
			for _, base := range []string{"/acme/", "/", ""} {
				out := MustRender(t, src, base)
				assertSafe(t, src, out)
				href := between(out.HTML, `href="`, `"`)
				if !strings.HasPrefix(href, "/") || strings.HasPrefix(href, "//") {
					t.Errorf("base %q: wikilink href %q is not a path inside the wiki", base, href)
				}
			}
		})
	}
}

func TestJavascriptURLInWikilinkLabel(t *testing.T) {
	runAttacks(t, []attack{
		{"scheme as label", "[[javascript:alert(1)|Home]]", []string{`href="javascript`}},
		{"tag as label", "[[<img src=x onerror=alert(1)>|Home]]", []string{"<img"}},
		{"markdown link as label", "[[[x](javascript:alert(1))|Home]]", []string{`href="javascript`}},
		{"scheme as target", "[[x|javascript:alert(1)]]", []string{`href="javascript`}},
		{"embed of a script file", "![[x.svg|javascript:alert(1)]]", []string{`href="javascript`, `src="javascript`}},
	})
	out := MustRender(t, "[[<b>x</b>|Home]]", "/acme/")
	assertContains(t, out.HTML, `<a href="/acme/Home" class="wikilink" data-wikilink="Home">&lt;b&gt;x&lt;/b&gt;</a>`)
}

func TestWikilinkAttributeInjection(t *testing.T) {
	src := `[[Page" onmouseover="alert(1)]] [[x' onclick='alert(1)]]`
	out := MustRender(t, src, "/acme/")
	assertSafe(t, src, out)
	assertContains(t, out.HTML, `data-wikilink="Page&#34; onmouseover=&#34;alert(1)"`, `href="/acme/Page%22%20onmouseover=%22alert%281%29"`)
}

func TestDataURLScript(t *testing.T) {
	runAttacks(t, []attack{
		{"html in anchor", `<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>`, []string{"data:"}},
		{"markdown link", "[x](data:text/html,<script>alert(1)</script>)", []string{"data:"}},
		{"svg image", `<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">`, []string{"data:"}},
		{"markdown svg image", "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)", []string{"data:"}},
		{"png with bad base64", `<img src="data:image/png;base64,<script>">`, []string{"data:"}},
	})
	png := "data:image/png;base64,iVBORw0KGgo="
	out := MustRender(t, "![dot]("+png+")", "/acme/")
	assertContains(t, out.HTML, `<img src="`+png+`" alt="dot">`)
}

func TestStyleTagStripped(t *testing.T) {
	runAttacks(t, []attack{
		{"style element", "<style>body{display:none}</style>", []string{"display:none"}},
		{"style attribute", `<p style="position:fixed;top:0">x</p>`, []string{"position"}},
		{"link stylesheet", `<link rel="stylesheet" href="https://evil.example/x.css">`, []string{"evil.example"}},
	})
}

func TestIframeStripped(t *testing.T) {
	runAttacks(t, []attack{
		{"iframe", `<iframe src="https://evil.example"></iframe>`, []string{"evil.example"}},
		{"srcdoc", `<iframe srcdoc="<script>alert(1)</script>"></iframe>`, []string{"alert"}},
		{"frameset", `<frameset><frame src="https://evil.example"></frameset>`, []string{"evil.example"}},
		{"object", `<object data="https://evil.example/x.swf"></object>`, []string{"evil.example"}},
		{"embed", `<embed src="https://evil.example/x.swf">`, []string{"evil.example"}},
	})
}

func TestFormAndMetaStripped(t *testing.T) {
	runAttacks(t, []attack{
		{"form", `<form action="https://evil.example"><input name="password"><button>go</button></form>`, []string{"evil.example", "<button"}},
		{"meta refresh", `<meta http-equiv="refresh" content="0;url=https://evil.example">`, []string{"evil.example"}},
		{"base href", `<base href="https://evil.example/">`, []string{"evil.example"}},
		{"input text", `<input type="text" value="x">`, []string{"<input"}},
	})
}

func TestWarrenIDClobbering(t *testing.T) {
	runAttacks(t, []attack{
		{"raw heading id", `<h2 id="warren-editor">x</h2>`, []string{"warren-editor"}},
		{"upper case id", `<h2 id="Warren-Editor">x</h2>`, []string{"Warren-Editor"}},
		{"footnote shaped id", `<sup id="warren-x">1</sup>`, []string{"warren-x"}},
		{"id on other element", `<div id="config">x</div>`, []string{"config"}},
		{"name attribute", `<img name="warren-form" src="/a.png">`, []string{"warren-form"}},
		{"reserved class", `<span class="warren-modal">x</span>`, []string{"warren-modal"}},
		{"reserved class among others", `<div class="note warren-overlay">x</div>`, []string{"warren-overlay"}},
	})
	out := MustRender(t, "# Warren Editor\n\n<h3 id=\"warren\">a</h3><h3 id=\"über\">b</h3><h3 id=\"x-warren-y\">c</h3><span class=\"note wide\">d</span>", "/acme/")
	assertContains(t, out.HTML, `<h1 id="user-warren-editor">`, `<h3 id="warren">`, `<h3 id="über">`, `<h3 id="x-warren-y">`, `<span class="note wide">`)
}

func TestAllowedRawHTMLSurvives(t *testing.T) {
	tests := []struct{ src, want string }{
		{"<details open><summary>More</summary>\n\nHidden *text*\n\n</details>", "<details open=\"\"><summary>More</summary>"},
		{"<details open><summary>More</summary>\n\nHidden *text*\n\n</details>", "<p>Hidden <em>text</em></p>"},
		{"Press <kbd>Ctrl</kbd>+<kbd>S</kbd>", "<kbd>Ctrl</kbd>+<kbd>S</kbd>"},
		{"H<sub>2</sub>O and x<sup>2</sup>", "H<sub>2</sub>O and x<sup>2</sup>"},
		{"line<br>break<br/>two", "line<br>break<br/>two"},
		{"<mark>found</mark>", "<mark>found</mark>"},
		{`<abbr title="HyperText Markup Language">HTML</abbr>`, `<abbr title="HyperText Markup Language">HTML</abbr>`},
		{"<ins>new</ins> <del>old</del>", "<ins>new</ins> <del>old</del>"},
		{"<dl><dt>Term</dt><dd>Definition</dd></dl>", "<dl><dt>Term</dt><dd>Definition</dd></dl>"},
		{`<div class="note">boxed</div>`, `<div class="note">boxed</div>`},
		{`<span class="badge green">ok</span>`, `<span class="badge green">ok</span>`},
		{`<table><tr><td colspan="2" align="center">x</td></tr></table>`, `<td colspan="2" align="center">x</td>`},
		{`<img src="/acme/pic.png" alt="a pic" width="200">`, `<img src="/acme/pic.png" alt="a pic" width="200">`},
		{`<a href="https://example.org" title="Example">ex</a>`, `<a href="https://example.org" title="Example" rel="nofollow noreferrer">ex</a>`},
		{`<ol start="3"><li>c</li></ol>`, `<ol start="3"><li>c</li></ol>`},
		{`<p lang="de" dir="ltr">Hallo</p>`, `<p lang="de" dir="ltr">Hallo</p>`},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			out := MustRender(t, tt.src, "/acme/")
			assertContains(t, out.HTML, tt.want)
			assertSafe(t, tt.src, out)
		})
	}
}

// FuzzRenderIsSafe checks that no input makes the renderer emit markup that
// could run script, whatever goldmark and its extensions do with it. The
// seeds run with every `go test`; `go test -fuzz` explores further.
func FuzzRenderIsSafe(f *testing.F) {
	for _, s := range []string{
		"<script>alert(1)</script>", "[x](javascript:alert(1))", "[[javascript:alert(1)]]",
		"<img src=x onerror=alert(1)>", "[[a|<svg onload=alert(1)>]]", "<a href=\"&#x6A;avascript:x\">x</a>",
		"# h <style>*{}</style>\n## [[x#y]]", "<details ontoggle=alert(1) open>", "```go {style=x}\n<x>\n```",
		"<h1 id=warren-x>", "![[x.svg|<b>]]", "<![CDATA[<script>x</script>]]>", "<!-- --><script>x</script>",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		out := MustRender(t, src, "/acme/")
		assertSafe(t, src, out)
	})
}

func TestRawHTMLIDs(t *testing.T) {
	tests := []struct {
		id   string
		kept bool
	}{
		{"warren-x", false}, {"WARREN-X", false}, {"wArReN-", false}, {"warren-", false},
		{"warren", true}, {"warrenx", true}, {"warren_x", true}, {"w", true}, {"warre-x", true},
		{"xwarren-y", true}, {"fn:1", true}, {"über-uns", true}, {"a.b_c-d", true},
		{"has space", false}, {"quote\"", false}, {"", false},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			src := `<h4 id="` + strings.ReplaceAll(tt.id, `"`, "&quot;") + `">x</h4>`
			out := MustRender(t, src, "/acme/")
			if kept := strings.Contains(out.HTML, " id="); kept != tt.kept {
				t.Errorf("id %q kept=%v, want %v: %s", tt.id, kept, tt.kept, out.HTML)
			}
			assertSafe(t, src, out)
		})
	}
}

// The safety oracle itself must object to each kind of attack, or every test
// built on it would pass vacuously.
func TestUnsafeMarkupDetects(t *testing.T) {
	for _, s := range []string{
		"<script>x</script>", `<img src=x onerror=alert(1)>`, `<a href="javascript:x">`, `<a href=" JavaScript:x">`,
		`<p style="color:red">`, `<iframe>`, `<h2 id="warren-x">`, `<img src="data:image/svg+xml;base64,AA==">`,
		`<a href="data:image/png;base64,AA==">`, `<form>`, `<img name="x">`,
	} {
		if unsafeMarkup(s) == "" {
			t.Errorf("unsafeMarkup(%q) found nothing", s)
		}
	}
	if bad := unsafeMarkup(`<p><a href="/x" class="wikilink">y</a><img src="data:image/png;base64,AA=="></p>`); bad != "" {
		t.Errorf("safe markup flagged: %s", bad)
	}
}
