package markdown

import (
	"bytes"
	"html"
	"path"
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"go.abhg.dev/goldmark/wikilink"

	"github.com/warren-wiki/warren/wiki"
)

// Rendered HTML never depends on which pages exist, nor on the page being
// rendered: a blob's HTML is cached once and may be shown at several paths.
// Every link that names something of the wiki therefore carries the target
// as written, and the page view (storage) resolves it per view against the
// page index and rewrites the href. The attributes are the contract:
//
//	<a href="TENTATIVE" class="wikilink" data-wikilink="Target as written">   [[Target]]
//	<a href="x/y.md#h" data-link="x/y.md">                                     [t](x/y.md#h), [t](/Page)
//	<img src="./d.png" data-link="./d.png">                                    ![](./d.png)
//	<img src="TENTATIVE" data-embed="d.png" width="300">                       ![[d.png|300]]
//	<div class="transclusion" data-transclude="Page" data-fragment="H"></div>  ![[Page#H]] alone in a paragraph
//	<div class="page-index" data-page-index="children"></div>                  {{PageIndex}} alone in a paragraph
//
// Changing any of it needs a Version bump and a look at storage's link pass.

// Attribute names under which annotate leaves a resolved wikilink on its node
// for wikilinkRenderer. They never reach the HTML as attributes.
const (
	attrHref  = "warren-href"
	attrName  = "warren-name"
	attrImage = "warren-image"
	attrSize  = "warren-size"
)

// styleKey carries the render's wikilink style to the parser, which is
// shared by every render and so cannot hold it.
var styleKey = parser.NewContextKey()

// linkStyle is the style of the render pc belongs to.
func linkStyle(pc parser.Context) wiki.LinkStyle {
	if s, ok := pc.Get(styleKey).(wiki.LinkStyle); ok && s != "" {
		return s
	}
	return wiki.LinkTextPage
}

// wikilinkParser reads [[Target]], [[Text|Target]] or [[Target|Text]] (by
// the wiki's style), [[Target#Heading]] and the embeds ![[file.png|300]] and
// ![[Page]]. A pipe written as \| (as Obsidian does inside tables) counts
// as a pipe. Embeds always name their target first, as in Obsidian, the
// only product that has them.
type wikilinkParser struct{}

// Trigger starts the parser on "[" and "!".
func (wikilinkParser) Trigger() []byte { return []byte{'!', '['} }

// Parse builds a wikilink.Node whose only child is the label.
func (wikilinkParser) Parse(_ ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, seg := block.PeekLine()
	open := 2
	embed := bytes.HasPrefix(line, []byte("![["))
	if embed {
		open = 3
	} else if !bytes.HasPrefix(line, []byte("[[")) {
		return nil
	}
	stop := bytes.Index(line[open:], []byte("]]"))
	if stop < 0 {
		return nil // must close on the same line
	}
	stop += open
	inner := line[open:stop]
	target := text.NewSegment(seg.Start+open, seg.Start+stop)
	label := target
	if i := bytes.IndexByte(inner, '|'); i >= 0 {
		leftEnd := i
		if i > 0 && inner[i-1] == '\\' {
			leftEnd = i - 1
		}
		left := text.NewSegment(seg.Start+open, seg.Start+open+leftEnd)
		right := text.NewSegment(seg.Start+open+i+1, seg.Start+stop)
		target, label = left, right
		if !embed && linkStyle(pc) == wiki.LinkTextPage {
			target, label = right, left
		}
	}
	// [[Page#Heading]], and Obsidian's nested [[Page#Part#Heading]]: the
	// page ends at the first "#", the link goes to the last heading.
	n := &wikilink.Node{Target: block.Value(target), Embed: embed}
	if i := bytes.IndexByte(n.Target, '#'); i >= 0 {
		n.Fragment = n.Target[bytes.LastIndexByte(n.Target, '#')+1:]
		n.Target = n.Target[:i]
	}
	if len(bytes.TrimSpace(n.Target)) == 0 && len(bytes.TrimSpace(n.Fragment)) == 0 || label.Len() == 0 {
		return nil
	}
	if embed && label != target {
		if size := bytes.TrimSpace(block.Value(label)); embedSize.Match(size) {
			n.SetAttributeString(attrSize, size)
			label = target
		}
	}
	n.AppendChild(n, ast.NewTextSegment(label))
	block.Advance(stop + 2)
	return n
}

// embedSize is Obsidian's ![[image.png|300]] or ![[image.png|640x480]].
var embedSize = regexp.MustCompile(`^[0-9]{1,5}(?:x[0-9]{1,5})?$`)

// resolver turns the wikilinks of one render into anchors. Targets are
// left as written for the view to resolve; base only makes the tentative
// href absolute.
type resolver struct {
	base string
}

// annotate stores the outcome on n for the renderer. It returns the page
// name the link counts as (for Rendered.Links), or "" for same-page links,
// embeds and unusable targets (shown as their label).
func (r resolver) annotate(n *wikilink.Node) string {
	name, ok := targetName(n.Target)
	frag := strings.TrimSpace(string(n.Fragment))
	if !ok {
		if len(strings.TrimSpace(string(n.Target))) == 0 && frag != "" {
			n.SetAttributeString(attrHref, []byte("#"+slug(frag))) // [[#Heading]]
		}
		return ""
	}
	if n.Embed && isImage(name) {
		// ![[diagram.png]] shows an attachment found by its name.
		n.SetAttributeString(attrHref, []byte(r.base+"-/files/"+wiki.EscapePage(name)))
		n.SetAttributeString(attrImage, []byte(name))
		return ""
	}
	href := r.base + wiki.EscapePage(name)
	if frag != "" {
		href += "#" + slug(frag)
	}
	n.SetAttributeString(attrHref, []byte(href))
	n.SetAttributeString(attrName, []byte(name))
	if n.Embed {
		return "" // an embed that is not alone in its paragraph: a link
	}
	return name
}

// targetName turns a wikilink target as written into a page name: spaces
// trimmed, leading slashes dropped (a root-absolute name is looked up from
// the root first anyway) and a trailing ".md" removed, so [[Team/Notes.md]]
// and [[Team/Notes]] agree. ok is false for names wiki.ValidatePageName
// refuses (.., control characters, …).
func targetName(target []byte) (string, bool) {
	name := strings.TrimLeft(strings.TrimSpace(string(target)), "/")
	if len(name) > len(wiki.PageExt) && strings.EqualFold(path.Ext(name), wiki.PageExt) {
		name = name[:len(name)-len(wiki.PageExt)]
	}
	if strings.HasPrefix(name, ".") && (name == "." || name == ".." || strings.HasPrefix(name, "./") || strings.HasPrefix(name, "../")) {
		return "", false // relative forms are for Markdown links
	}
	if wiki.ValidatePageName(name) != nil {
		return "", false
	}
	return name, true
}

// isImage reports whether an embedded target names an image attachment,
// which ![[...]] shows inline instead of linking to.
func isImage(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".apng", ".avif", ".gif", ".jpg", ".jpeg", ".png", ".svg", ".webp", ".bmp":
		return true
	}
	return false
}

// isFileName reports whether a target names a file rather than a page: it
// has an extension other than .md that is not just a version number's tail.
func isFileName(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	if ext == "" || ext == wiki.PageExt || len(ext) > 6 {
		return false
	}
	return strings.Trim(ext[1:], "abcdefghijklmnopqrstuvwxyz0123456789") == "" && strings.ContainsAny(ext, "abcdefghijklmnopqrstuvwxyz")
}

// normalizeBase makes sure page links are absolute paths even when a caller
// passes an empty or slash-less base, so a target can never become a scheme
// ("javascript:") or a host ("//evil").
func normalizeBase(base string) string {
	if !strings.HasPrefix(base, "/") {
		base = "/" + base
	}
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	return base
}

// wikilinkRenderer writes the anchor format the page view depends on (see
// the contract at the top of this file). Same-page links ([[#Heading]]) are
// plain anchors.
type wikilinkRenderer struct{}

// RegisterFuncs installs the renderer for wikilink nodes.
func (wikilinkRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(wikilink.Kind, renderWikilink)
}

func renderWikilink(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	href, ok := node.AttributeString(attrHref)
	if !ok {
		return ast.WalkContinue, nil // unresolvable: the label as text
	}
	if img, ok := node.AttributeString(attrImage); ok {
		if entering {
			renderEmbedImage(w, node, href.([]byte), img.([]byte), inlineText(node, src))
		}
		return ast.WalkSkipChildren, nil
	}
	if !entering {
		_, _ = w.WriteString("</a>")
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString(`<a href="`)
	_, _ = w.WriteString(html.EscapeString(string(href.([]byte))))
	_ = w.WriteByte('"')
	if name, ok := node.AttributeString(attrName); ok {
		_, _ = w.WriteString(` class="wikilink" data-wikilink="`)
		_, _ = w.WriteString(html.EscapeString(string(name.([]byte))))
		_ = w.WriteByte('"')
	}
	_ = w.WriteByte('>')
	return ast.WalkContinue, nil
}

// renderEmbedImage writes ![[name|300]] as an image the view resolves by
// file name.
func renderEmbedImage(w util.BufWriter, node ast.Node, href, name []byte, alt string) {
	_, _ = w.WriteString(`<img src="`)
	_, _ = w.WriteString(html.EscapeString(string(href)))
	_, _ = w.WriteString(`" alt="`)
	_, _ = w.WriteString(html.EscapeString(alt))
	_, _ = w.WriteString(`" data-embed="`)
	_, _ = w.WriteString(html.EscapeString(string(name)))
	_ = w.WriteByte('"')
	if size, ok := node.AttributeString(attrSize); ok {
		wd, ht, _ := strings.Cut(string(size.([]byte)), "x")
		_, _ = w.WriteString(` width="` + wd + `"`)
		if ht != "" {
			_, _ = w.WriteString(` height="` + ht + `"`)
		}
	}
	_ = w.WriteByte('>')
}
