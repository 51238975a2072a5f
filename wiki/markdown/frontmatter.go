package markdown

import (
	"bytes"
	"fmt"
	"html"
	"net/url"
	"strings"
	"unicode"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"go.abhg.dev/goldmark/frontmatter"
)

// Front matter is YAML between "---" lines or TOML between "+++" lines at
// the very top of a page (Jekyll, Hugo, Obsidian). It is never shown as
// text. Three keys mean something to warren:
//
//	title:    the page's title; shown as its heading if the page has no "# "
//	tags:     a list, or one string split at commas and spaces; "#" is dropped
//	aliases:  a list, or one string split at commas: other names of the page
//
// Tags and aliases are shown in a small properties panel at the top of the
// page, each tag linking to a search for tag:NAME. Other keys are ignored.
// Front matter that does not decode is hidden all the same.

// Bounds on what front matter contributes, so hostile values cannot bloat
// the page, the index or the panel.
const (
	maxMetaItems = 64
	maxTitleLen  = 200 // runes
	maxTagLen    = 100
	maxAliasLen  = 200
)

// pageMeta is what the page's front matter says about it.
type pageMeta struct {
	title   string
	tags    []string
	aliases []string
}

// frontMatterParser is the library's parser, opened only when a closing
// delimiter line follows: a page that merely starts with a "---" rule and
// never closes it keeps its text.
type frontMatterParser struct{ *frontmatter.Parser }

// Open implements parser.BlockParser.
func (p frontMatterParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, seg := reader.PeekLine()
	delim := bytes.TrimRight(line, " \t\r\n")
	if lineno, _ := reader.Position(); lineno > 1 || len(delim) != 3 || (string(delim) != "---" && string(delim) != "+++") {
		return nil, parser.NoChildren
	}
	closes := func(t []byte) bool { return bytes.Equal(t, delim) }
	if !hasLineAfter(reader.Source(), seg.Stop, "frontmatter", closes, pc) {
		return nil, parser.NoChildren
	}
	return p.Parser.Open(parent, reader, pc)
}

// readMeta decodes the front matter the parse found, if any.
func readMeta(pc parser.Context) pageMeta {
	data := frontmatter.Get(pc)
	if data == nil {
		return pageMeta{}
	}
	var raw map[string]any
	if err := data.Decode(&raw); err != nil {
		return pageMeta{}
	}
	var m pageMeta
	for k, v := range raw {
		switch strings.ToLower(k) {
		case "title":
			m.title = clean(scalar(v), maxTitleLen)
		case "tags", "tag":
			m.tags = items(v, " ,", maxTagLen, "#")
		case "aliases", "alias":
			m.aliases = items(v, ",", maxAliasLen, "")
		}
	}
	return m
}

// scalar is a YAML/TOML scalar as text ("" for maps and lists).
func scalar(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case int, int64, uint64, float64, bool:
		return fmt.Sprint(v)
	}
	return ""
}

// items reads a list, or a string split at any of seps, into distinct
// clean values.
func items(v any, seps string, maxLen int, trim string) []string {
	var raw []string
	switch v := v.(type) {
	case string:
		raw = strings.FieldsFunc(v, func(r rune) bool { return strings.ContainsRune(seps, r) })
	case []any:
		for _, e := range v {
			raw = append(raw, scalar(e))
		}
	}
	var out []string
	seen := map[string]bool{}
	for _, s := range raw {
		s = clean(strings.TrimLeft(strings.TrimSpace(s), trim), maxLen)
		if s != "" && !seen[strings.ToLower(s)] && len(out) < maxMetaItems {
			seen[strings.ToLower(s)] = true
			out = append(out, s)
		}
	}
	return out
}

// clean drops control characters, collapses white space and cuts s to
// maxLen runes.
func clean(s string, maxLen int) string {
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
	if r := []rune(s); len(r) > maxLen {
		s = string(r[:maxLen])
	}
	return s
}

// KindProperties is the node kind of the properties panel.
var KindProperties = ast.NewNodeKind("Properties")

// propertiesNode is the panel of tags and aliases, built per render
// because tag links depend on the wiki's base URL.
type propertiesNode struct {
	ast.BaseBlock
	html string
}

// Kind implements ast.Node.
func (n *propertiesNode) Kind() ast.NodeKind { return KindProperties }

// Dump implements ast.Node.
func (n *propertiesNode) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

// applyMeta puts the front matter's visible parts at the top of doc: the
// title as a level-one heading when the page has none, then the panel.
func applyMeta(doc ast.Node, m pageMeta, base string) {
	if panel := propertiesHTML(m, base); panel != "" {
		doc.InsertBefore(doc, doc.FirstChild(), &propertiesNode{html: panel})
	}
	if m.title != "" && !hasTitleHeading(doc) {
		h := ast.NewHeading(1)
		h.AppendChild(h, ast.NewString([]byte(m.title)))
		doc.InsertBefore(doc, doc.FirstChild(), h)
	}
}

// hasTitleHeading reports whether doc has a level-one heading of its own.
func hasTitleHeading(doc ast.Node) bool {
	for c := doc.FirstChild(); c != nil; c = c.NextSibling() {
		if h, ok := c.(*ast.Heading); ok && h.Level == 1 {
			return true
		}
	}
	return false
}

// propertiesHTML is the panel's markup, every value escaped.
func propertiesHTML(m pageMeta, base string) string {
	if len(m.tags) == 0 && len(m.aliases) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(`<dl class="properties">` + "\n")
	if len(m.tags) > 0 {
		b.WriteString("<dt>Tags</dt><dd>")
		for i, t := range m.tags {
			if i > 0 {
				b.WriteString(" ")
			}
			href := base + "-/search?q=" + url.QueryEscape("tag:"+t)
			b.WriteString(`<a class="tag" href="` + html.EscapeString(href) + `">#` + html.EscapeString(t) + "</a>")
		}
		b.WriteString("</dd>\n")
	}
	if len(m.aliases) > 0 {
		b.WriteString("<dt>Aliases</dt><dd>")
		for i, a := range m.aliases {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(html.EscapeString(a))
		}
		b.WriteString("</dd>\n")
	}
	b.WriteString("</dl>\n")
	return b.String()
}

// propertiesRenderer writes the prepared panel.
type propertiesRenderer struct{}

// RegisterFuncs implements renderer.NodeRenderer.
func (propertiesRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindProperties, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString(n.(*propertiesNode).html)
		}
		return ast.WalkSkipChildren, nil
	})
}
