package markdown

import (
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
	"golang.org/x/net/html"
)

// inlineText is the visible text of an inline container (a heading, a
// wikilink label): what slugs, TOC entries and alt texts are made of. Raw
// HTML is left out; a link contributes its text, not its URL.
func inlineText(n ast.Node, src []byte) string {
	var b strings.Builder
	writeInlineText(&b, n, src)
	return strings.TrimSpace(b.String())
}

func writeInlineText(b *strings.Builder, n ast.Node, src []byte) {
	skipping := "" // the closing tag that ends an inline <script> or <style>
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if raw, ok := c.(*ast.RawHTML); ok {
			skipping = skipUntil(raw, src, skipping)
			continue // tags are markup, not text
		}
		if skipping != "" {
			continue
		}
		switch c := c.(type) {
		case *ast.Text:
			v := c.Segment.Value(src)
			if !c.IsRaw() { // as goldmark's writer does: \* is *, &amp; is &
				v = util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(v)))
			}
			b.Write(v)
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		case *ast.AutoLink:
			b.Write(c.Label(src))
		case *mathNode:
			b.Write(c.tex)
		default:
			writeInlineText(b, c, src)
		}
	}
}

// skipUntil tracks inline <script> and <style> elements, whose content the
// sanitizer drops, so that headings' slugs and TOC entries leave it out too.
// It returns the closing tag still awaited, or "".
func skipUntil(raw *ast.RawHTML, src []byte, skipping string) string {
	var tag strings.Builder
	for i := 0; i < raw.Segments.Len(); i++ {
		s := raw.Segments.At(i)
		tag.Write(s.Value(src))
	}
	t := strings.ToLower(tag.String())
	if skipping != "" {
		if strings.HasPrefix(t, skipping) {
			return ""
		}
		return skipping
	}
	for _, el := range []string{"script", "style"} {
		if strings.HasPrefix(t, "<"+el) && !strings.HasSuffix(t, "/>") {
			return "</" + el
		}
	}
	return ""
}

// blockTags end a line of plain text, so words from adjacent paragraphs,
// cells or list items are never glued together in the search index.
var blockTags = map[string]bool{
	"p": true, "div": true, "br": true, "hr": true, "li": true, "dt": true, "dd": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"pre": true, "blockquote": true, "tr": true, "td": true, "th": true,
	"table": true, "ul": true, "ol": true, "dl": true, "details": true, "summary": true,
	"section": true, "figure": true, "figcaption": true, "caption": true,
}

// plainText extracts the text a reader sees from sanitized HTML, for the
// full-text index: entities decoded, one line per block, footnote back-links
// (an arrow) left out. Working from the final HTML rather than the AST means
// text inside allowed raw HTML (<details>, <kbd>, …) is searchable too.
// Math contributes its TeX source (the annotation), not the MathML pieces.
func plainText(safeHTML string) string {
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(safeHTML))
	skipDepth := 0 // >0 while inside a footnote back-link
	inMath, inTeX := false, false
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return tidyLines(b.String())
		case html.TextToken:
			if skipDepth == 0 && (!inMath || inTeX) {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, hasAttr := z.TagName()
			isA := string(name) == "a"
			switch string(name) {
			case "math":
				inMath = tt == html.StartTagToken
				b.WriteByte(' ')
			case "annotation":
				inTeX = tt == html.StartTagToken
			}
			switch {
			case isA && tt == html.EndTagToken && skipDepth > 0:
				skipDepth--
			case isA && tt == html.StartTagToken && (skipDepth > 0 || hasAttr && isBacklink(z)):
				skipDepth++
			case skipDepth == 0 && blockTags[string(name)]:
				b.WriteByte('\n')
			}
		}
	}
}

// isBacklink reports whether the current tag is goldmark's footnote
// back-link, whose arrow is navigation rather than content.
func isBacklink(z *html.Tokenizer) bool {
	for {
		key, val, more := z.TagAttr()
		if string(key) == "class" && strings.Contains(" "+string(val)+" ", " footnote-backref ") {
			return true
		}
		if !more {
			return false
		}
	}
}

// tidyLines collapses runs of spaces within lines and drops empty lines.
func tidyLines(s string) string {
	var out []string
	for line := range strings.Lines(s) {
		if f := strings.Fields(line); len(f) > 0 {
			out = append(out, strings.Join(f, " "))
		}
	}
	return strings.Join(out, "\n")
}
