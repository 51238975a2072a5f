package markdown_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"
)

func TestWikilinks(t *testing.T) {
	tests := []struct {
		name string
		src  string
		base string
		want string
	}{
		{"page", "[[Home]]", "/acme/",
			`<a href="/acme/Home" class="wikilink" data-wikilink="home">Home</a>`},
		{"label", "[[Home|go home]]", "/acme/",
			`<a href="/acme/Home" class="wikilink" data-wikilink="home">go home</a>`},
		{"spaces", "[[Meeting Notes]]", "/acme/",
			`<a href="/acme/Meeting%20Notes" class="wikilink" data-wikilink="meeting notes">Meeting Notes</a>`},
		{"nested path", "[[Team/Meeting Notes]]", "/acme/",
			`<a href="/acme/Team/Meeting%20Notes" class="wikilink" data-wikilink="team/meeting notes">Team/Meeting Notes</a>`},
		{"fragment", "[[Team/Setup#Install the Tools]]", "/acme/",
			`<a href="/acme/Team/Setup#install-the-tools" class="wikilink" data-wikilink="team/setup">Team/Setup#Install the Tools</a>`},
		{"fragment and label", "[[Setup#Install|how to install]]", "/acme/",
			`<a href="/acme/Setup#install" class="wikilink" data-wikilink="setup">how to install</a>`},
		{"target spaces trimmed", "[[  Home  |x]]", "/acme/",
			`<a href="/acme/Home" class="wikilink" data-wikilink="home">x</a>`},
		{"md extension removed", "[[Team/Notes.md]]", "/acme/",
			`<a href="/acme/Team/Notes" class="wikilink" data-wikilink="team/notes">Team/Notes.md</a>`},
		{"dots kept", "[[Release 1.2]]", "/acme/",
			`<a href="/acme/Release%201.2" class="wikilink" data-wikilink="release 1.2">Release 1.2</a>`},
		{"leading slash means root", "[[/Team/Notes]]", "/acme/",
			`<a href="/acme/Team/Notes" class="wikilink" data-wikilink="team/notes">/Team/Notes</a>`},
		{"not relative to current page", "[[Notes]]", "/acme/",
			`<a href="/acme/Notes" class="wikilink" data-wikilink="notes">Notes</a>`},
		{"unicode", "[[Café Ümlaut]]", "/acme/",
			`<a href="/acme/Caf%C3%A9%20%C3%9Cmlaut" class="wikilink" data-wikilink="café ümlaut">Café Ümlaut</a>`},
		{"reserved characters escaped", "[[What? 100% & more]]", "/acme/",
			`<a href="/acme/What%3F%20100%25%20&amp;%20more" class="wikilink" data-wikilink="what? 100% &amp; more">What? 100% &amp; more</a>`},
		{"angle brackets and quotes", `[[a<b>'c"]]`, "/acme/",
			`<a href="/acme/a%3Cb%3E%27c%22" class="wikilink" data-wikilink="a&lt;b&gt;&#39;c&#34;">a&lt;b&gt;&#39;c&#34;</a>`},
		{"long name", "[[" + strings.Repeat("Long Folder/", 60) + "End]]", "/acme/",
			`data-wikilink="` + strings.Repeat("long folder/", 60) + `end"`},
		{"host mode base", "[[Home]]", "/",
			`<a href="/Home" class="wikilink" data-wikilink="home">Home</a>`},
		{"empty base is root", "[[Home]]", "",
			`<a href="/Home" class="wikilink" data-wikilink="home">Home</a>`},
		{"same page heading", "[[#Local Part]]", "/acme/", `<a href="#local-part">#Local Part</a>`},
		{"image embed", "![[diagrams/flow chart.png|The flow]]", "/acme/",
			`<img src="/acme/diagrams/flow%20chart.png" alt="The flow">`},
		{"page embed is a link", "![[Home]]", "/acme/",
			`<a href="/acme/Home" class="wikilink" data-wikilink="home">Home</a>`},
		{"in a table", "| a |\n|---|\n| [[Home]] |\n", "/acme/",
			`<td><a href="/acme/Home" class="wikilink" data-wikilink="home">Home</a></td>`},
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
		{"forms", "[[Home]] [[Team/Meeting Notes|notes]] [[Setup#Install]]",
			[]string{"Home", "Team/Meeting Notes", "Setup"}},
		{"deduplicated in order", "[[B]] [[A]] [[B|again]] [[B#x]] [[ A ]] [[A.md]]", []string{"B", "A"}},
		{"case kept as written", "[[home]] [[Home]]", []string{"home", "Home"}},
		{"same page, images and invalid names left out",
			"[[#Top]] ![[pic.png]] [[../etc/passwd]] [[a//b]] [[.git/config]] [[Real]]", []string{"Real"}},
		{"code is not a link", "`[[NotALink]]`\n\n    [[Indented]]\n\n```\n[[Fenced]]\n```\n", nil},
		{"none", "plain text", nil},
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
