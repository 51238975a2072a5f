package markdown

import (
	"bytes"
	"html"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Fenced code blocks with a special language are not code:
//
//	```mermaid   a diagram, drawn in the browser (the source shows without script)
//	```math      display math, converted to MathML on the server
//
// and a language ending in "=" (```python=, as in An Otter Wiki and HackMD)
// asks for line numbers, like ```python {linenos=true}.

// KindDiagram is the node kind of a Mermaid diagram.
var KindDiagram = ast.NewNodeKind("Diagram")

// diagramNode is a ```mermaid block. Its source is written escaped inside
// <pre class="mermaid">: the browser script draws it, and without script
// the reader sees the source.
type diagramNode struct {
	ast.BaseBlock
	source []byte
}

// Kind implements ast.Node.
func (n *diagramNode) Kind() ast.NodeKind { return KindDiagram }

// IsRaw implements ast.Node.
func (n *diagramNode) IsRaw() bool { return true }

// Dump implements ast.Node.
func (n *diagramNode) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"Source": string(n.source)}, nil)
}

// DiagramClass is the class of the <pre> a diagram is written in. Pages
// whose HTML contains it need the diagram script; see HasDiagram.
const DiagramClass = "mermaid"

// HasDiagram reports whether rendered (sanitized) HTML contains a diagram,
// so the page view loads the diagram script only where it is needed. It
// reads the HTML rather than a flag so it works for cached renders too.
func HasDiagram(renderedHTML string) bool {
	return strings.Contains(renderedHTML, `<pre class="`+DiagramClass+`">`)
}

// fenceTransformer turns ```mermaid and ```math fences into their nodes and
// reads the "lang=" line-number shorthand.
type fenceTransformer struct{}

// Transform implements parser.ASTTransformer.
func (fenceTransformer) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	src := reader.Source()
	var fences []*ast.FencedCodeBlock
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if f, ok := n.(*ast.FencedCodeBlock); ok && entering {
			fences = append(fences, f)
		}
		return ast.WalkContinue, nil
	})
	for _, f := range fences {
		switch lang := strings.ToLower(string(f.Language(src))); {
		case lang == "mermaid":
			replace(f, &diagramNode{source: blockLines(f, src)})
		case lang == "math" || lang == "latex" || lang == "tex":
			replace(f, &mathBlock{content: bytes.TrimSpace(blockLines(f, src))})
		case strings.HasSuffix(lang, "=") && f.Info != nil:
			numberLines(f, src)
		}
	}
}

// replace puts n where old was.
func replace(old, n ast.Node) {
	old.Parent().ReplaceChild(old.Parent(), old, n)
}

// blockLines is the raw text of a block's lines.
func blockLines(n ast.Node, src []byte) []byte {
	var b bytes.Buffer
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		b.Write(seg.Value(src))
	}
	return b.Bytes()
}

// numberLines turns ```go= into ```go with line numbers. The block is
// replaced, not edited, because a fence caches its language once read.
func numberLines(f *ast.FencedCodeBlock, src []byte) {
	seg := f.Info.Segment
	info := seg.Value(src)
	end := bytes.IndexAny(info, " \t{")
	if end < 0 {
		end = len(info)
	}
	if end < 2 || info[end-1] != '=' {
		return
	}
	n := ast.NewFencedCodeBlock(ast.NewTextSegment(text.NewSegment(seg.Start, seg.Start+end-1)))
	n.SetLines(f.Lines())
	n.SetAttributeString("linenos", true)
	replace(f, n)
}

// diagramRenderer writes a diagram's source escaped in its <pre>.
type diagramRenderer struct{}

// RegisterFuncs implements renderer.NodeRenderer.
func (diagramRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindDiagram, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString(`<pre class="` + DiagramClass + `">`)
			_, _ = w.WriteString(html.EscapeString(string(n.(*diagramNode).source)))
			_, _ = w.WriteString("</pre>\n")
		}
		return ast.WalkSkipChildren, nil
	})
}
