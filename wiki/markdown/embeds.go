package markdown

import (
	"bytes"
	"html"
	"regexp"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Two embeds stand for content of other pages, which a cached render cannot
// hold: Obsidian's transclusion ![[Page]] and An Otter Wiki's {{PageIndex}}
// (the pages below this one). Each is recognised when it is alone in its
// paragraph and rendered as an empty placeholder <div> that the page view
// fills in (storage/internal/links/embed.go), with a depth limit and loop check.

// transclusionNode is ![[Page#Heading]] alone in a paragraph.
type transclusionNode struct {
	ast.BaseBlock
	target, fragment string
}

var kindTransclusion = ast.NewNodeKind("Transclusion")

// Kind implements ast.Node.
func (n *transclusionNode) Kind() ast.NodeKind { return kindTransclusion }

// Dump implements ast.Node.
func (n *transclusionNode) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"Target": n.target}, nil)
}

// pageIndexNode is {{PageIndex}} alone in a paragraph.
type pageIndexNode struct{ ast.BaseBlock }

var kindPageIndex = ast.NewNodeKind("PageIndex")

// Kind implements ast.Node.
func (n *pageIndexNode) Kind() ast.NodeKind { return kindPageIndex }

// Dump implements ast.Node.
func (n *pageIndexNode) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

var (
	// transclusionLine: ![[Target#Heading|anything]] and nothing else.
	transclusionLine = regexp.MustCompile(`^!\[\[([^\]|#]+)(?:#([^\]|]*))?(?:(?:\\?\|)[^\]]*)?\]\]$`)
	// pageIndexLine: {{PageIndex}}, with An Otter Wiki's optional arguments.
	pageIndexLine = regexp.MustCompile(`(?i)^\{\{\s*PageIndex\b[^}]*\}\}$`)
)

// embedTransformer replaces the paragraphs that hold only an embed.
type embedTransformer struct{}

// Transform implements parser.ASTTransformer.
func (embedTransformer) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	src := reader.Source()
	var paras []*ast.Paragraph
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if p, ok := n.(*ast.Paragraph); ok && entering {
			paras = append(paras, p)
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	for _, p := range paras {
		if repl := embedFor(p, src); repl != nil {
			p.Parent().ReplaceChild(p.Parent(), p, repl)
		}
	}
}

// embedFor returns the block a one-line paragraph stands for, or nil.
func embedFor(p *ast.Paragraph, src []byte) ast.Node {
	if p.Lines().Len() != 1 {
		return nil
	}
	seg := p.Lines().At(0)
	line := bytes.TrimSpace(seg.Value(src))
	if pageIndexLine.Match(line) {
		return &pageIndexNode{}
	}
	m := transclusionLine.FindSubmatch(line)
	if m == nil {
		return nil
	}
	name, ok := targetName(m[1])
	if !ok || isFileName(name) {
		return nil // a file embed stays an inline image or link
	}
	return &transclusionNode{target: name, fragment: string(bytes.TrimSpace(m[2]))}
}

// embedRenderer writes the placeholders.
type embedRenderer struct{}

// RegisterFuncs implements renderer.NodeRenderer.
func (embedRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindTransclusion, func(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			n := node.(*transclusionNode)
			_, _ = w.WriteString(`<div class="transclusion" data-transclude="` + html.EscapeString(n.target) + `"`)
			if n.fragment != "" {
				_, _ = w.WriteString(` data-fragment="` + html.EscapeString(n.fragment) + `"`)
			}
			_, _ = w.WriteString("></div>\n")
		}
		return ast.WalkSkipChildren, nil
	})
	reg.Register(kindPageIndex, func(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString(`<div class="page-index" data-page-index="children"></div>` + "\n")
		}
		return ast.WalkSkipChildren, nil
	})
}
