package markdown

import (
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// ==text== highlights text with <mark>, as in An Otter Wiki, Obsidian and
// many Markdown editors. It follows the emphasis rules (flanking runs of
// exactly two "="), so "a == b" stays text.

// KindMark is the node kind of highlighted text.
var KindMark = ast.NewNodeKind("Mark")

// markNode is ==highlighted== text.
type markNode struct{ ast.BaseInline }

// Kind implements ast.Node.
func (n *markNode) Kind() ast.NodeKind { return KindMark }

// Dump implements ast.Node.
func (n *markNode) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

// markDelimiters pairs "==" runs.
type markDelimiters struct{}

// IsDelimiter implements parser.DelimiterProcessor.
func (markDelimiters) IsDelimiter(b byte) bool { return b == '=' }

// CanOpenCloser implements parser.DelimiterProcessor.
func (markDelimiters) CanOpenCloser(opener, closer *parser.Delimiter) bool {
	return opener.Char == closer.Char
}

// OnMatch implements parser.DelimiterProcessor.
func (markDelimiters) OnMatch(int) ast.Node { return &markNode{} }

// markParser finds "==" delimiter runs.
type markParser struct{}

// Trigger implements parser.InlineParser.
func (markParser) Trigger() []byte { return []byte{'='} }

// Parse implements parser.InlineParser.
func (markParser) Parse(_ ast.Node, block text.Reader, pc parser.Context) ast.Node {
	before := block.PrecendingCharacter()
	line, seg := block.PeekLine()
	d := parser.ScanDelimiter(line, before, 2, markDelimiters{})
	if d == nil || d.OriginalLength != 2 || before == '=' {
		return nil
	}
	d.Segment = seg.WithStop(seg.Start + d.OriginalLength)
	block.Advance(d.OriginalLength)
	pc.PushDelimiter(d)
	return d
}

// CloseBlock implements parser.InlineParser.
func (markParser) CloseBlock(ast.Node, parser.Context) {}

// markRenderer writes <mark>.
type markRenderer struct{}

// RegisterFuncs implements renderer.NodeRenderer.
func (markRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindMark, func(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString("<mark>")
		} else {
			_, _ = w.WriteString("</mark>")
		}
		return ast.WalkContinue, nil
	})
}
