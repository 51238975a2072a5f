package markdown_test

import (
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/warren-wiki/warren/wiki"
	"github.com/warren-wiki/warren/wiki/markdown"
)

// renderer is shared by all tests, as it is by the server: it is built once
// and must behave the same for every caller.
var renderer = markdown.New()

// MustRender renders src for the wiki at base and fails the test on error.
func MustRender(tb testing.TB, src, base string) *wiki.Rendered {
	tb.Helper()
	out, err := renderer.Render([]byte(src), wiki.RenderOptions{Base: base, Page: "Some/Page"})
	if err != nil {
		tb.Fatalf("Render(%q): %v", src, err)
	}
	return out
}

// safeTags are the only elements the renderer may ever emit.
var safeTags = map[string]bool{}

func init() {
	for _, t := range strings.Fields(`a abbr b bdi blockquote br caption cite code dd del details dfn div dl dt
		em figcaption figure h1 h2 h3 h4 h5 h6 hr i img input ins kbd li mark ol p pre q rp rt ruby
		s samp section small span strike strong sub summary sup table tbody td tfoot th thead time
		tr u ul var wbr
		math semantics annotation mrow mi mn mo ms mtext mspace msup msub msubsup mfrac msqrt mroot
		mover munder munderover mtable mtr mtd mlabeledtr mstyle mpadded mphantom menclose merror
		mmultiscripts mprescripts none`) {
		safeTags[t] = true
	}
}

// unsafeMarkup parses rendered HTML the way a browser tokenizer would and
// returns a description of the first thing that could run script, load a
// frame, restyle the page or clobber warren's ids; "" if there is none.
// It is independent of the policy, so a policy mistake shows up here.
func unsafeMarkup(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			t := z.Token()
			if !safeTags[t.Data] {
				return "element <" + t.Data + ">"
			}
			for _, a := range t.Attr {
				if bad := unsafeAttr(t.Data, a); bad != "" {
					return bad
				}
			}
		}
	}
}

func unsafeAttr(tag string, a html.Attribute) string {
	key := strings.ToLower(a.Key)
	switch {
	case strings.HasPrefix(key, "on"):
		return "event handler " + key + " on <" + tag + ">"
	case key == "style" || key == "srcdoc" || key == "formaction" || key == "name":
		return "attribute " + key + " on <" + tag + ">"
	case key == "id" && strings.HasPrefix(strings.ToLower(a.Val), "warren-"):
		return "reserved id " + a.Val
	case key == "href" || key == "src" || key == "cite" || key == "action" || key == "xlink:href":
		u, err := url.Parse(strings.TrimSpace(a.Val))
		if err != nil {
			return "unparseable URL " + a.Val
		}
		switch u.Scheme {
		case "", "http", "https", "mailto":
		case "data":
			if tag != "img" || !strings.HasPrefix(u.Opaque, "image/png;") && !strings.HasPrefix(u.Opaque, "image/gif;") &&
				!strings.HasPrefix(u.Opaque, "image/jpeg;") && !strings.HasPrefix(u.Opaque, "image/webp;") {
				return "data URL " + a.Val + " on <" + tag + ">"
			}
		default:
			return "URL scheme " + u.Scheme + " in " + key
		}
	}
	return ""
}

// assertSafe fails the test if the rendered HTML or TOC contains anything
// unsafeMarkup objects to.
func assertSafe(tb testing.TB, src string, out *wiki.Rendered) {
	tb.Helper()
	for _, s := range []string{out.HTML, out.TOC} {
		if bad := unsafeMarkup(s); bad != "" {
			tb.Errorf("Render(%q) emitted %s:\n%s", src, bad, s)
		}
	}
}

// assertContains fails unless every want occurs in got.
func assertContains(tb testing.TB, got string, wants ...string) {
	tb.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			tb.Errorf("missing %q in:\n%s", w, got)
		}
	}
}

// assertNotContains fails if any of bad occurs in got.
func assertNotContains(tb testing.TB, got string, bads ...string) {
	tb.Helper()
	for _, b := range bads {
		if strings.Contains(got, b) {
			tb.Errorf("unexpected %q in:\n%s", b, got)
		}
	}
}

// visibleText is what a reader sees of rendered HTML: text outside tags,
// leaving out math annotations (TeX source kept for search only) and
// diagram sources (drawn by script).
func visibleText(s string) string {
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	hidden := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			if hidden == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken:
			if t := z.Token(); t.Data == "annotation" || t.Data == "pre" && hasClass(t, "mermaid") {
				hidden++
			}
		case html.EndTagToken:
			if t := z.Token(); hidden > 0 && (t.Data == "annotation" || t.Data == "pre") {
				hidden--
			}
		}
	}
}

// hasClass reports whether a start tag carries class c.
func hasClass(t html.Token, c string) bool {
	for _, a := range t.Attr {
		if a.Key == "class" && strings.Contains(" "+a.Val+" ", " "+c+" ") {
			return true
		}
	}
	return false
}
