package markdown

import (
	"html"
	"net/url"
	"path"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
	"go.abhg.dev/goldmark/wikilink"

	"github.com/warren-wiki/warren/wiki"
)

// Attribute names under which annotate leaves a resolved wikilink on its node
// for wikilinkRenderer. They never reach the HTML as attributes.
const (
	attrHref  = "warren-href"
	attrName  = "warren-name"
	attrImage = "warren-image"
)

// resolver is the wikilink.Resolver for one render: targets are page names
// from the wiki root (as in An Otter Wiki), never relative to the current
// page, so base is all it needs.
type resolver struct {
	base string
}

var _ wikilink.Resolver = resolver{}

// ResolveWikilink returns the URL path of the link's page with its heading
// fragment, or nil when the target is not a valid page name, in which case
// the label is shown as plain text rather than as a link that could point
// outside the wiki.
func (r resolver) ResolveWikilink(n *wikilink.Node) ([]byte, error) {
	name, ok := targetName(n.Target)
	frag := strings.TrimSpace(string(n.Fragment))
	switch {
	case ok:
		href := r.base + escapePath(name)
		if frag != "" {
			href += "#" + slug(frag)
		}
		return []byte(href), nil
	case len(strings.TrimSpace(string(n.Target))) == 0 && frag != "":
		return []byte("#" + slug(frag)), nil // [[#Heading]]: a heading on this page
	}
	return nil, nil
}

// annotate resolves n and stores the outcome on it for the renderer. It
// returns the page name the link counts as (for Rendered.Links), or "" for
// same-page and unresolvable links.
func (r resolver) annotate(n *wikilink.Node) (string, error) {
	dest, err := r.ResolveWikilink(n)
	if err != nil || dest == nil {
		return "", err
	}
	n.SetAttributeString(attrHref, dest)
	name, ok := targetName(n.Target)
	if !ok {
		return "", nil
	}
	if n.Embed && isImage(name) {
		// ![[diagram.png]] shows an attachment; it is not a page link.
		n.SetAttributeString(attrImage, true)
		return "", nil
	}
	n.SetAttributeString(attrName, []byte(name))
	return name, nil
}

// targetName turns a wikilink target as written into a page name: spaces
// trimmed, leading slashes dropped (every name is from the root anyway) and a
// trailing ".md" removed, so [[Team/Notes.md]] and [[Team/Notes]] agree. ok is
// false for names wiki.ValidatePageName refuses (.., control characters, …).
func targetName(target []byte) (string, bool) {
	name := strings.TrimLeft(strings.TrimSpace(string(target)), "/")
	if len(name) > len(wiki.PageExt) && strings.EqualFold(path.Ext(name), wiki.PageExt) {
		name = name[:len(name)-len(wiki.PageExt)]
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
	case ".apng", ".avif", ".gif", ".jpg", ".jpeg", ".png", ".svg", ".webp":
		return true
	}
	return false
}

// escapePath URL-escapes each segment of a page name, keeping the slashes, so
// that "Team/Meeting Notes" becomes "Team/Meeting%20Notes".
func escapePath(name string) string {
	segs := strings.Split(name, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
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

// wikilinkRenderer writes the anchor format the page view depends on:
//
//	<a href="HREF" class="wikilink" data-wikilink="lower-cased name">label</a>
//
// The view finds links to missing pages by data-wikilink and rewrites them,
// so this format is a contract: changing it needs a Version bump and a look
// at the view code. Same-page links ([[#Heading]]) are plain anchors.
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
	if _, img := node.AttributeString(attrImage); img {
		if entering {
			_, _ = w.WriteString(`<img src="`)
			_, _ = w.WriteString(html.EscapeString(string(href.([]byte))))
			_, _ = w.WriteString(`" alt="`)
			_, _ = w.WriteString(html.EscapeString(inlineText(node, src)))
			_, _ = w.WriteString(`">`)
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
		_, _ = w.WriteString(html.EscapeString(strings.ToLower(string(name.([]byte)))))
		_ = w.WriteByte('"')
	}
	_ = w.WriteByte('>')
	return ast.WalkContinue, nil
}
