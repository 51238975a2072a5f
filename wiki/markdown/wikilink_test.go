package markdown_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/wiki"
)

func TestWikilinks(t *testing.T) {
	tests := []struct {
		name string
		src  string
		base string
		want string
	}{
		{"page", "[[Home]]", "/acme/",
			`<a href="/acme/Home" class="wikilink" data-wikilink="Home">Home</a>`},
		{"label first by default", "[[go home|Home]]", "/acme/",
			`<a href="/acme/Home" class="wikilink" data-wikilink="Home">go home</a>`},
		{"spaces", "[[Meeting Notes]]", "/acme/",
			`<a href="/acme/Meeting%20Notes" class="wikilink" data-wikilink="Meeting Notes">Meeting Notes</a>`},
		{"nested path", "[[Team/Meeting Notes]]", "/acme/",
			`<a href="/acme/Team/Meeting%20Notes" class="wikilink" data-wikilink="Team/Meeting Notes">Team/Meeting Notes</a>`},
		{"fragment", "[[Team/Setup#Install the Tools]]", "/acme/",
			`<a href="/acme/Team/Setup#install-the-tools" class="wikilink" data-wikilink="Team/Setup">Team/Setup#Install the Tools</a>`},
		{"fragment and label", "[[how to install|Setup#Install]]", "/acme/",
			`<a href="/acme/Setup#install" class="wikilink" data-wikilink="Setup">how to install</a>`},
		{"escaped pipe in a table cell", "[[how to install\\|Setup]]", "/acme/",
			`<a href="/acme/Setup" class="wikilink" data-wikilink="Setup">how to install</a>`},
		{"target spaces trimmed", "[[x|  Home  ]]", "/acme/",
			`<a href="/acme/Home" class="wikilink" data-wikilink="Home">x</a>`},
		{"md extension removed", "[[Team/Notes.md]]", "/acme/",
			`<a href="/acme/Team/Notes" class="wikilink" data-wikilink="Team/Notes">Team/Notes.md</a>`},
		{"dots kept", "[[Release 1.2]]", "/acme/",
			`<a href="/acme/Release%201.2" class="wikilink" data-wikilink="Release 1.2">Release 1.2</a>`},
		{"leading slash means root", "[[/Team/Notes]]", "/acme/",
			`<a href="/acme/Team/Notes" class="wikilink" data-wikilink="Team/Notes">/Team/Notes</a>`},
		{"target kept as written for the view to resolve", "[[Notes]]", "/acme/",
			`<a href="/acme/Notes" class="wikilink" data-wikilink="Notes">Notes</a>`},
		{"unicode", "[[Café Ümlaut]]", "/acme/",
			`<a href="/acme/Caf%C3%A9%20%C3%9Cmlaut" class="wikilink" data-wikilink="Café Ümlaut">Café Ümlaut</a>`},
		{"reserved characters escaped", "[[What? 100% & more]]", "/acme/",
			`<a href="/acme/What%3F%20100%25%20&amp;%20more" class="wikilink" data-wikilink="What? 100% &amp; more">What? 100% &amp; more</a>`},
		{"angle brackets and quotes", `[[a<b>'c"]]`, "/acme/",
			`<a href="/acme/a%3Cb%3E%27c%22" class="wikilink" data-wikilink="a&lt;b&gt;&#39;c&#34;">a&lt;b&gt;&#39;c&#34;</a>`},
		{"long name", "[[" + strings.Repeat("Long Folder/", 60) + "End]]", "/acme/",
			`data-wikilink="` + strings.Repeat("Long Folder/", 60) + `End"`},
		{"host mode base", "[[Home]]", "/",
			`<a href="/Home" class="wikilink" data-wikilink="Home">Home</a>`},
		{"empty base is root", "[[Home]]", "",
			`<a href="/Home" class="wikilink" data-wikilink="Home">Home</a>`},
		{"same page heading", "[[#Local Part]]", "/acme/", `<a href="#local-part">#Local Part</a>`},
		{"image embed found by name", "![[diagrams/flow chart.png|The flow]]", "/acme/",
			`<img src="/acme/-/files/diagrams/flow%20chart.png" alt="The flow" data-embed="diagrams/flow chart.png">`},
		{"image embed with a width", "![[flow.png|300]]", "/acme/",
			`<img src="/acme/-/files/flow.png" alt="flow.png" data-embed="flow.png" width="300">`},
		{"image embed with a size", "![[flow.png|640x480]]", "/acme/",
			`<img src="/acme/-/files/flow.png" alt="flow.png" data-embed="flow.png" width="640" height="480">`},
		{"page embed alone is a transclusion", "![[Home#Intro]]", "/acme/",
			`<div class="transclusion" data-transclude="Home" data-fragment="Intro"></div>`},
		{"page embed inside text is a link", "see ![[Home]]", "/acme/",
			`see <a href="/acme/Home" class="wikilink" data-wikilink="Home">Home</a>`},
		{"page index", "{{PageIndex}}", "/acme/",
			`<div class="page-index" data-page-index="children"></div>`},
		{"in a table", "| a |\n|---|\n| [[Home]] |\n", "/acme/",
			`<td><a href="/acme/Home" class="wikilink" data-wikilink="Home">Home</a></td>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := MustRender(t, tt.src, tt.base)
			assertContains(t, out.HTML, tt.want)
			assertSafe(t, tt.src, out)
		})
	}
}

func TestWikilinkLinks(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"forms", "[[Home]] [[notes|Team/Meeting Notes]] [[Setup#Install]]",
			[]string{"Home", "Team/Meeting Notes", "Setup"}},
		{"deduplicated in order", "[[B]] [[A]] [[again|B]] [[B#x]] [[ A ]] [[A.md]]", []string{"B", "A"}},
		{"case kept as written", "[[home]] [[Home]]", []string{"home", "Home"}},
		{"same page, images and invalid names left out",
			"[[#Top]] ![[pic.png]] [[../etc/passwd]] [[a//b]] [[.git/config]] [[Real]]", []string{"Real"}},
		{"code is not a link", "`[[NotALink]]`\n\n    [[Indented]]\n\n```\n[[Fenced]]\n```\n", nil},
		{"none", "plain text", nil},
		{"relative Markdown links joined to the page's folder", "[a](Other.md) [b](../Top.md#x) [c](./pic.png) [d](https://x.org/y.md)",
			[]string{"Some/Other", "Top"}},
		{"transclusions count", "![[Shared Part]]\n", []string{"Shared Part"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := MustRender(t, tt.src, "/acme/")
			if !slices.Equal(out.Links, tt.want) {
				t.Errorf("Links = %q, want %q", out.Links, tt.want)
			}
		})
	}
}

// A fragment written as the heading's text must land on that heading's id.
func TestWikilinkFragmentMatchesHeadingID(t *testing.T) {
	for _, h := range []string{"Install the Tools", "What's new?", "Über uns", "C++ & Go", "Warren Toolbar"} {
		t.Run(h, func(t *testing.T) {
			out := MustRender(t, "## "+h+"\n\n[[Self#"+h+"]] [[#"+h+"]]\n", "/acme/")
			id := between(out.HTML, `<h2 id="`, `"`)
			// Non-ASCII fragments come out percent-encoded; browsers decode
			// them before matching ids.
			frag := (&url.URL{Fragment: id}).String()
			assertContains(t, out.HTML, `href="/acme/Self`+frag+`"`, `href="`+frag+`"`)
		})
	}
}

func TestWikilinkPathTraversal(t *testing.T) {
	for _, src := range []string{"[[../../etc/passwd]]", "[[Team/../../secret]]", "[[.git/config]]", "[[a\\b]]", "[[-flag]]"} {
		t.Run(src, func(t *testing.T) {
			out := MustRender(t, src, "/acme/")
			assertNotContains(t, out.HTML, "<a ", "href")
			if len(out.Links) != 0 {
				t.Errorf("Links = %q", out.Links)
			}
		})
	}
}

// between returns the text after the first start up to the next end.
func between(s, start, end string) string {
	_, rest, _ := strings.Cut(s, start)
	v, _, _ := strings.Cut(rest, end)
	return v
}

// TestWikilinkStyles checks both pipe orders a wiki may choose.
func TestWikilinkStyles(t *testing.T) {
	for style, want := range map[wiki.LinkStyle]string{
		"":                `<a href="/acme/Page#sec" class="wikilink" data-wikilink="Page">Text</a>`,
		wiki.LinkTextPage: `<a href="/acme/Page#sec" class="wikilink" data-wikilink="Page">Text</a>`,
		wiki.LinkPageText: `<a href="/acme/Text" class="wikilink" data-wikilink="Text">Page#Sec</a>`,
	} {
		out, err := renderer.Render([]byte("[[Text|Page#Sec]]"), wiki.RenderOptions{Base: "/acme/", LinkStyle: style})
		if err != nil {
			t.Fatal(err)
		}
		assertContains(t, out.HTML, want)
	}
}

// TestLocalLinksMarked checks which Markdown links the view may rewrite.
func TestLocalLinksMarked(t *testing.T) {
	out := MustRender(t, "[a](Notes.md) [b](../Other.md#setup) ![c](./d%20x.png) [e](/Installation) [f](https://x.org) [g](#top) [h](//cdn.example/x) [i](mailto:a@b)", "/acme/")
	assertContains(t, out.HTML, `<a href="Notes.md" data-link="Notes.md">a</a>`,
		`<a href="../Other.md#setup" data-link="../Other.md">b</a>`,
		`<img src="./d%20x.png" alt="c" data-link="./d x.png">`,
		`<a href="/Installation" data-link="/Installation">e</a>`)
	if n := strings.Count(out.HTML, "data-link"); n != 4 {
		t.Errorf("%d links marked, want 4:\n%s", n, out.HTML)
	}
}
