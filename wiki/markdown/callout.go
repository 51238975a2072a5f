package markdown

import (
	"html"
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// A callout is a titled box. Four syntaxes make one:
//
//	> [!NOTE]                 GitHub alert (NOTE, TIP, IMPORTANT, WARNING, CAUTION)
//	> [!tip]- Custom title    Obsidian callout; "-" folds it closed, "+" open
//	::: warning               An Otter Wiki fancy block (container.go)
//	>! / >|                   An Otter Wiki spoiler and folded blocks (container.go)
//
// The kind written by the author never reaches the HTML: it is looked up in
// calloutKinds, and anything unknown is a note (as Obsidian does).

// KindCallout is the node kind of a callout box.
var KindCallout = ast.NewNodeKind("Callout")

// calloutNode is a box with a title row. Its children are the box's body,
// except the first, a calloutTitle.
type calloutNode struct {
	ast.BaseBlock
	kind string // a value of calloutKinds, safe as a class name
	fold byte   // 0: not foldable; '+': <details open>; '-': <details>
}

// Kind implements ast.Node.
func (n *calloutNode) Kind() ast.NodeKind { return KindCallout }

// Dump implements ast.Node.
func (n *calloutNode) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"Kind": n.kind, "Fold": string(n.fold)}, nil)
}

// KindCalloutTitle is the node kind of a callout's title row.
var KindCalloutTitle = ast.NewNodeKind("CalloutTitle")

// calloutTitle holds the title's inline content, or a fallback text when
// it has none. It is not a heading, so it stays out of the page's table of
// contents.
type calloutTitle struct {
	ast.BaseBlock
	fallback string
}

// Kind implements ast.Node.
func (n *calloutTitle) Kind() ast.NodeKind { return KindCalloutTitle }

// Dump implements ast.Node.
func (n *calloutTitle) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

// calloutKinds maps every accepted type name (lower case) to the class it
// gets; the values are the callout styles warren.css knows.
var calloutKinds = map[string]string{
	"note": "note", "tip": "tip", "hint": "tip", "important": "important",
	"warning": "warning", "caution": "caution", "attention": "warning",
	"info": "info", "todo": "info", "abstract": "info", "summary": "info", "tldr": "info",
	"success": "success", "check": "success", "done": "success",
	"question": "question", "help": "question", "faq": "question",
	"failure": "caution", "fail": "caution", "missing": "caution",
	"danger": "danger", "error": "danger", "bug": "danger",
	"example": "example", "quote": "quote", "cite": "quote",
	// An Otter Wiki's fancy-block colours.
	"blue": "info", "green": "success", "yellow": "warning", "red": "danger", "none": "plain",
}

// calloutKind is the class for a type name, "note" for unknown ones.
func calloutKind(name string) string {
	if k, ok := calloutKinds[strings.ToLower(name)]; ok {
		return k
	}
	return "note"
}

// calloutMarker is the first line of a callout blockquote.
var calloutMarker = regexp.MustCompile(`^\[!([A-Za-z][A-Za-z0-9_-]{0,30})\]([+-]?)[ \t]*`)

// calloutTransformer turns blockquotes that start with a [!type] marker
// into callouts.
type calloutTransformer struct{}

// Transform implements parser.ASTTransformer.
func (calloutTransformer) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	src := reader.Source()
	var quotes []*ast.Blockquote
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if q, ok := n.(*ast.Blockquote); ok && entering {
			quotes = append(quotes, q)
		}
		return ast.WalkContinue, nil
	})
	for _, q := range quotes {
		if p, ok := q.FirstChild().(*ast.Paragraph); ok && p.Lines().Len() > 0 {
			toCallout(q, p, src)
		}
	}
}

// toCallout replaces q by a callout if its first paragraph starts with a
// marker. The rest of the marker's line is the title; without one the
// title is the type's name, as GitHub shows it.
func toCallout(q *ast.Blockquote, p *ast.Paragraph, src []byte) {
	first := p.Lines().At(0)
	m := calloutMarker.FindSubmatchIndex(first.Value(src))
	if m == nil {
		return
	}
	name := string(first.Value(src)[m[2]:m[3]])
	c := &calloutNode{kind: calloutKind(name)}
	if m[5] > m[4] {
		c.fold = src[first.Start+m[4]]
	}
	title := &calloutTitle{}
	moveFirstLine(p, title, first.Start+m[1])
	if !title.HasChildren() {
		title.fallback = titleCase(name)
	}
	if !p.HasChildren() {
		q.RemoveChild(q, p)
	}
	c.AppendChild(c, title)
	for child := q.FirstChild(); child != nil; child = q.FirstChild() {
		c.AppendChild(c, child)
	}
	replace(q, c)
}

// moveFirstLine moves the inline nodes of p's first line into title,
// dropping the text before from (the marker).
func moveFirstLine(p *ast.Paragraph, title ast.Node, from int) {
	for n := p.FirstChild(); n != nil; n = p.FirstChild() {
		t, isText := n.(*ast.Text)
		if isText && t.Segment.Stop <= from {
			p.RemoveChild(p, n)
			if t.SoftLineBreak() || t.HardLineBreak() {
				return
			}
			continue
		}
		if isText && t.Segment.Start < from {
			t.Segment = t.Segment.WithStart(from)
		}
		endsLine := isText && (t.SoftLineBreak() || t.HardLineBreak())
		if isText {
			t.SetSoftLineBreak(false)
			t.SetHardLineBreak(false)
		}
		title.AppendChild(title, n)
		if endsLine {
			return
		}
	}
}

// titleCase is "Note" for "NOTE" or "note".
func titleCase(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + strings.ToLower(s[1:])
}

// calloutRenderer writes callouts as <div> boxes, or <details> when they
// fold (which works without script).
type calloutRenderer struct{}

// RegisterFuncs implements renderer.NodeRenderer.
func (calloutRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindCallout, renderCallout)
	reg.Register(KindCalloutTitle, renderCalloutTitle)
}

func renderCallout(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*calloutNode)
	tag := "div"
	if n.fold != 0 {
		tag = "details"
	}
	if !entering {
		_, _ = w.WriteString("</" + tag + ">\n")
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString("<" + tag + ` class="callout callout-` + n.kind + `"`)
	if n.fold == '+' {
		_, _ = w.WriteString(" open")
	}
	_, _ = w.WriteString(">\n")
	return ast.WalkContinue, nil
}

func renderCalloutTitle(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	tag := "div"
	if c, ok := node.Parent().(*calloutNode); ok && c.fold != 0 {
		tag = "summary"
	}
	if entering {
		_, _ = w.WriteString("<" + tag + ` class="callout-title">`)
		if !node.HasChildren() {
			_, _ = w.WriteString(html.EscapeString(node.(*calloutTitle).fallback))
		}
	} else {
		_, _ = w.WriteString("</" + tag + ">\n")
	}
	return ast.WalkContinue, nil
}
