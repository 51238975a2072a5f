package markdown

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/microcosm-cc/bluemonday"
)

// newPolicy builds the allow-list every rendered page passes through last.
// It is written out element by element instead of starting from UGCPolicy,
// whose global id attribute, rel="nofollow" on every link and Paragraph-only
// titles do not fit (the first would let user ids clobber warren's, the
// second would change the wikilink format, the third drops any title with a
// "?" or ":"). A built policy is only read, so one serves all goroutines.
func newPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	allowText(p)
	allowBlocks(p)
	allowLinksAndImages(p)
	allowGeneratedMarkup(p)
	allowMathML(p)
	return p
}

var (
	// idPattern: ASCII letters, digits, _ : . - and any non-ASCII character
	// (GitHub-like slugs keep "über"), never starting with reservedIDPrefix
	// in any case.
	idPattern = regexp.MustCompile(`^` + notPrefixed(reservedIDPrefix, idASCII, true) + `$`)
	// classPattern: space-separated tokens of [A-Za-z0-9_-], none of them in
	// warren's own namespace, so user HTML cannot borrow the app's styling.
	classPattern = regexp.MustCompile(`^(?:` + classToken + `)(?: (?:` + classToken + `))*$`)
	classToken   = notPrefixed(reservedIDPrefix, classASCII, false)

	titlePattern = regexp.MustCompile(`^[^<>\x00-\x1f]{0,500}$`)
	// pageNamePattern: anything wiki.ValidatePageName lets through, of any
	// length, so data-wikilink survives for every valid page name.
	pageNamePattern = regexp.MustCompile(`^[^\x00-\x1f\x7f]+$`)
	numberPattern   = regexp.MustCompile(`^[0-9]{1,4}$`)
	sizePattern     = regexp.MustCompile(`^[0-9]{1,5}%?$`)
	alignPattern    = regexp.MustCompile(`^(?:left|right|center)$`)
	emptyPattern    = regexp.MustCompile(`^(?:|open|checked|disabled)$`)
	langPattern     = regexp.MustCompile(`^[a-zA-Z]{2,8}(?:-[a-zA-Z0-9]{1,8})*$`)
	dataImageMIME   = regexp.MustCompile(`^image/(?:png|gif|jpeg|webp);base64,`)
)

const (
	idASCII    = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_:.-"
	classASCII = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
)

// notPrefixed builds a regexp (without anchors) for one or more characters of
// the set chars (plus any non-ASCII character if nonASCII) that does not
// start with prefix, compared case-insensitively. Go's regexp has no
// look-ahead, so it spells out "shorter than prefix, or differs from it at
// position i" for every i.
func notPrefixed(prefix, chars string, nonASCII bool) string {
	anyChar := charClass(chars, 0, nonASCII)
	alts := []string{fmt.Sprintf("%s{1,%d}", anyChar, len(prefix)-1)}
	for i := 0; i < len(prefix); i++ {
		var b strings.Builder
		for j := 0; j < i; j++ {
			fmt.Fprintf(&b, `[\x{%x}\x{%x}]`, lower(prefix[j]), upper(prefix[j]))
		}
		b.WriteString(charClass(chars, prefix[i], nonASCII))
		b.WriteString(anyChar + "*")
		alts = append(alts, b.String())
	}
	return "(?:" + strings.Join(alts, "|") + ")"
}

// charClass is a bracket expression for the ASCII characters in chars except
// except (in either case), written as \x{..} escapes so no character is
// special inside the brackets.
func charClass(chars string, except byte, nonASCII bool) string {
	var b strings.Builder
	b.WriteByte('[')
	for i := 0; i < len(chars); i++ {
		if c := chars[i]; except == 0 || lower(c) != lower(except) {
			fmt.Fprintf(&b, `\x{%x}`, c)
		}
	}
	if nonASCII {
		b.WriteString(`\x{80}-\x{10FFFF}`)
	}
	b.WriteByte(']')
	return b.String()
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func upper(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}

// allowText permits inline text semantics, including the raw HTML people
// use in wikis for what Markdown lacks (<kbd>, <sub>, <mark>, <abbr>, …).
func allowText(p *bluemonday.Policy) {
	p.AllowElements("b", "i", "u", "s", "em", "strong", "del", "ins", "strike",
		"sub", "sup", "mark", "small", "kbd", "samp", "var", "abbr", "cite",
		"dfn", "q", "code", "br", "wbr", "span", "time", "bdi", "ruby", "rt", "rp")
	p.AllowAttrs("title").Matching(titlePattern).Globally()
	p.AllowAttrs("lang").Matching(langPattern).Globally()
	p.AllowAttrs("dir").Matching(bluemonday.Direction).Globally()
}

// allowBlocks permits document structure: headings, lists, tables,
// <details>/<summary>, definition lists.
func allowBlocks(p *bluemonday.Policy) {
	p.AllowElements("p", "div", "hr", "blockquote", "pre", "section",
		"h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
		"table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
		"details", "summary", "figure", "figcaption")
	p.AllowAttrs("open").Matching(emptyPattern).OnElements("details")
	p.AllowAttrs("start").Matching(numberPattern).OnElements("ol")
	p.AllowAttrs("align").Matching(alignPattern).OnElements("th", "td")
	p.AllowAttrs("colspan", "rowspan").Matching(numberPattern).OnElements("th", "td")
	p.AllowAttrs("id").Matching(idPattern).OnElements("h1", "h2", "h3", "h4", "h5", "h6", "li", "sup", "dt")
}

// allowLinksAndImages permits http(s), mailto and relative URLs, plus inline
// raster images as data: URLs (never HTML or SVG, which could carry script).
// External links get rel="nofollow noreferrer": no SEO credit for spam, and no
// Referer leaking private page names to other sites.
func allowLinksAndImages(p *bluemonday.Policy) {
	p.RequireParseableURLs(true)
	p.AllowRelativeURLs(true)
	p.AllowURLSchemes("http", "https", "mailto")
	p.AllowURLSchemeWithCustomPolicy("data", isRasterDataURL)
	p.RequireNoFollowOnFullyQualifiedLinks(true)
	p.RequireNoReferrerOnFullyQualifiedLinks(true)
	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("data-wikilink").Matching(pageNamePattern).OnElements("a")
	// The targets the page view resolves (see the contract in wikilinks.go).
	p.AllowAttrs("data-link").Matching(pageNamePattern).OnElements("a", "img")
	p.AllowAttrs("data-embed").Matching(pageNamePattern).OnElements("img")
	p.AllowAttrs("data-transclude").Matching(pageNamePattern).OnElements("div")
	p.AllowAttrs("data-fragment").Matching(titlePattern).OnElements("div")
	p.AllowAttrs("data-page-index").Matching(regexp.MustCompile(`^children$`)).OnElements("div")
	p.AllowAttrs("src").OnElements("img")
	p.AllowAttrs("alt").Matching(titlePattern).OnElements("img")
	p.AllowAttrs("width", "height").Matching(sizePattern).OnElements("img")
}

// isRasterDataURL accepts data:image/{png,gif,jpeg,webp};base64 URLs only.
// Such a URL is inert wherever it lands (an <a href> to it shows a picture).
func isRasterDataURL(u *url.URL) bool {
	if u.RawQuery != "" || u.Fragment != "" {
		return false
	}
	prefix := dataImageMIME.FindString(u.Opaque)
	if prefix == "" {
		return false
	}
	_, err := base64.StdEncoding.DecodeString(u.Opaque[len(prefix):])
	return err == nil
}

// allowGeneratedMarkup permits what the extensions emit: chroma's classes,
// footnote and wikilink classes, task-list checkboxes, callout boxes
// (<details>/<summary> with a class) and the properties panel (<dl>).
func allowGeneratedMarkup(p *bluemonday.Policy) {
	p.AllowAttrs("class").Matching(classPattern).OnElements(
		"code", "pre", "span", "div", "a", "sup", "li", "section", "ol", "ul",
		"details", "summary", "dl")
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^checkbox$`)).OnElements("input")
	p.AllowAttrs("checked", "disabled").Matching(emptyPattern).OnElements("input")
}

var (
	mathDisplayPattern  = regexp.MustCompile(`^(?:block|inline)$`)
	mathEncodingPattern = regexp.MustCompile(`^application/x-tex$`)
)

// allowMathML permits the MathML Core presentation elements the math
// converter emits, with its presentation attributes (plain words, numbers
// and lengths only: no URLs, no styles, no ids, no classes). None of these
// elements can run script or load anything.
func allowMathML(p *bluemonday.Policy) {
	els := append(mathElements(), "math", "semantics", "annotation")
	p.AllowElements(els...)
	// bluemonday drops an element left without attributes unless told.
	p.AllowNoAttrs().OnElements(els...)
	p.AllowAttrs("display").Matching(mathDisplayPattern).OnElements("math")
	p.AllowAttrs("encoding").Matching(mathEncodingPattern).OnElements("annotation")
	for attr := range mathAttrs {
		p.AllowAttrs(attr).Matching(mathAttrText).OnElements(mathElements()...)
	}
}

// mathElements lists mathTags, sorted, for the policy's rules.
func mathElements() []string {
	var out []string
	for tag := range mathTags {
		out = append(out, tag)
	}
	slices.Sort(out)
	return out
}
