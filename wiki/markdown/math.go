package markdown

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Math in pages is written as in LaTeX, MathJax and KaTeX:
//
//	$a^2$  \(a^2\)          inline
//	$$a^2$$  \[a^2\]        display, inside a paragraph
//	$$ / \[ on their own lines, or a ```math fence: a display block
//
// Delimiters are recognised in the raw line, before Markdown's backslash
// escapes, so "\," and "\\" reach TeX unchanged. A single "$" opens math only
// when followed by a non-space and closes only after a non-space and before
// a non-digit (pandoc's rule), so "$5 and $6" stays text; "\$" is a dollar.
// The TeX is converted to MathML on the server during annotate, where the
// per-page size budget lives; the node renderer only writes the result.

// KindMath is the node kind of inline and display math.
var KindMath = ast.NewNodeKind("Math")

// mathNode is one formula. Inline math is an inline node; display blocks
// are mathBlock, which embeds it.
type mathNode struct {
	ast.BaseInline
	tex     []byte
	display bool
	html    string // set by annotate
}

// Kind implements ast.Node.
func (n *mathNode) Kind() ast.NodeKind { return KindMath }

// Dump implements ast.Node.
func (n *mathNode) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"TeX": string(n.tex)}, nil)
}

// KindMathBlock is the node kind of a display formula standing as a block.
var KindMathBlock = ast.NewNodeKind("MathBlock")

// mathBlock is a display formula between $$ or \[ lines, or a math fence.
type mathBlock struct {
	ast.BaseBlock
	closer  []byte
	content []byte
	html    string // set by annotate
}

// Kind implements ast.Node.
func (n *mathBlock) Kind() ast.NodeKind { return KindMathBlock }

// IsRaw implements ast.Node: the lines are TeX, not Markdown.
func (n *mathBlock) IsRaw() bool { return true }

// Dump implements ast.Node.
func (n *mathBlock) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"TeX": string(n.content)}, nil)
}

// mathInlineParser finds $…$, $$…$$, \(…\) and \[…\] within one line.
type mathInlineParser struct{}

// Trigger implements parser.InlineParser.
func (mathInlineParser) Trigger() []byte { return []byte{'$', '\\'} }

// Parse implements parser.InlineParser.
func (mathInlineParser) Parse(_ ast.Node, block text.Reader, _ parser.Context) ast.Node {
	line, _ := block.PeekLine()
	var tex []byte
	var display bool
	var used int
	switch {
	case bytes.HasPrefix(line, []byte("$$")):
		tex, used = delimited(line, 2, []byte("$$"))
		display = true
	case line[0] == '$':
		tex, used = dollarMath(line)
	case bytes.HasPrefix(line, []byte(`\(`)):
		tex, used = delimited(line, 2, []byte(`\)`))
	case bytes.HasPrefix(line, []byte(`\[`)):
		tex, used = delimited(line, 2, []byte(`\]`))
		display = true
	}
	if used == 0 || len(bytes.TrimSpace(tex)) == 0 {
		return nil
	}
	block.Advance(used)
	return &mathNode{tex: bytes.TrimSpace(tex), display: display}
}

// delimited finds closer after the opener's width bytes, skipping
// backslash pairs, and returns the content and the bytes used (0: no match).
func delimited(line []byte, width int, closer []byte) ([]byte, int) {
	for i := width; i < len(line); i++ {
		if bytes.HasPrefix(line[i:], closer) {
			return line[width:i], i + len(closer)
		}
		if line[i] == '\\' {
			i++ // an escaped character, or TeX's "\\", never closes
		}
	}
	return nil, 0
}

// dollarMath applies pandoc's rule for single-dollar math.
func dollarMath(line []byte) ([]byte, int) {
	if len(line) < 3 || util.IsSpace(line[1]) {
		return nil, 0
	}
	for i := 1; i < len(line); i++ {
		switch line[i] {
		case '\\':
			i++
		case '$':
			if i+1 < len(line) && line[i+1] == '$' {
				i++ // "$$" neither closes nor opens single-dollar math
				continue
			}
			if util.IsSpace(line[i-1]) || i+1 < len(line) && line[i+1] >= '0' && line[i+1] <= '9' {
				continue
			}
			return line[1:i], i + 1
		}
	}
	return nil, 0
}

// CloseBlock implements parser.InlineParser.
func (mathInlineParser) CloseBlock(ast.Node, parser.Context) {}

// mathBlockParser reads display math whose opening $$ or \[ ends its line.
// It opens only if a closing line follows, so a stray "$$" never swallows
// the rest of the page.
type mathBlockParser struct{}

// Trigger implements parser.BlockParser.
func (mathBlockParser) Trigger() []byte { return []byte{'$', '\\'} }

var closerScanKey = parser.NewContextKey()

// closerScan remembers, per document and kind of closer, the last search
// for a closing line: the first closer at or after [0] is at [1] (-1: none
// to the end), so repeated searches never rescan the same text and parsing
// stays linear.
type closerScan map[string][2]int

// Open implements parser.BlockParser.
func (mathBlockParser) Open(_ ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, seg := reader.PeekLine()
	pos := pc.BlockOffset()
	if pos < 0 {
		return nil, parser.NoChildren
	}
	rest := bytes.TrimRight(line[pos:], " \t\r\n")
	var closer []byte
	switch {
	case bytes.HasPrefix(rest, []byte("$$")):
		closer = []byte("$$")
	case bytes.HasPrefix(rest, []byte(`\[`)):
		closer = []byte(`\]`)
	default:
		return nil, parser.NoChildren
	}
	first := rest[2:]
	if bytes.Contains(first, closer) || !hasLineAfter(reader.Source(), seg.Stop, string(closer), func(t []byte) bool { return bytes.HasSuffix(t, closer) }, pc) {
		return nil, parser.NoChildren // one-line $$…$$ is inline display math
	}
	reader.Advance(seg.Len() - 1)
	n := &mathBlock{closer: closer}
	n.content = append(n.content, bytes.TrimSpace(first)...)
	return n, parser.NoChildren
}

// Continue implements parser.BlockParser.
func (mathBlockParser) Continue(node ast.Node, reader text.Reader, _ parser.Context) parser.State {
	n := node.(*mathBlock)
	line, seg := reader.PeekLine()
	t := bytes.TrimSpace(line)
	if bytes.HasSuffix(t, n.closer) {
		n.content = appendLine(n.content, t[:len(t)-len(n.closer)])
		reader.Advance(seg.Len() - 1)
		return parser.Close
	}
	n.content = appendLine(n.content, line)
	reader.Advance(seg.Len() - 1)
	return parser.Continue | parser.NoChildren
}

// appendLine adds one line of TeX, newline-separated.
func appendLine(dst, line []byte) []byte {
	line = bytes.TrimRight(line, "\r\n")
	if len(bytes.TrimSpace(line)) == 0 {
		return dst
	}
	if len(dst) > 0 {
		dst = append(dst, '\n')
	}
	return append(dst, line...)
}

// Close implements parser.BlockParser.
func (mathBlockParser) Close(ast.Node, text.Reader, parser.Context) {}

// CanInterruptParagraph implements parser.BlockParser.
func (mathBlockParser) CanInterruptParagraph() bool { return true }

// CanAcceptIndentedLine implements parser.BlockParser.
func (mathBlockParser) CanAcceptIndentedLine() bool { return false }

// mathRenderer writes the MathML annotate stored in the nodes.
type mathRenderer struct{}

// RegisterFuncs implements renderer.NodeRenderer.
func (mathRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindMath, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString(n.(*mathNode).html)
		}
		return ast.WalkSkipChildren, nil
	})
	reg.Register(KindMathBlock, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString(`<div class="math-display">` + n.(*mathBlock).html + "</div>\n")
		}
		return ast.WalkSkipChildren, nil
	})
}
