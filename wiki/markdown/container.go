package markdown

import (
	"bytes"
	"regexp"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// An Otter Wiki's block syntaxes, parsed into callout nodes:
//
//	::: info            a fancy block (info, success, warning, danger, none, or a
//	# Optional title    colour blue, green, yellow, red); closed by a line of ":::"
//	Body
//	:::
//
//	>! hidden text      a spoiler, revealed on click (a closed <details>)
//	>| # Summary        a folded block; an optional first "# " line is its summary
//	>| folded text
//
// Fancy blocks do not nest: the first ":::" line closes the open block. A
// "# " line at the top of any of them titles the box, not the page.

// fancyOpen is the first line of a fancy block.
var fancyOpen = regexp.MustCompile(`^:{3,}[ \t]*([A-Za-z]*)[ \t]*$`)

// fancyBlockParser reads ::: blocks. Like display math it opens only when a
// closing line follows.
type fancyBlockParser struct{}

// Trigger implements parser.BlockParser.
func (fancyBlockParser) Trigger() []byte { return []byte{':'} }

// Open implements parser.BlockParser.
func (fancyBlockParser) Open(_ ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, seg := reader.PeekLine()
	pos := pc.BlockOffset()
	if pos < 0 {
		return nil, parser.NoChildren
	}
	m := fancyOpen.FindSubmatch(bytes.TrimRight(line[pos:], "\r\n"))
	if m == nil || !hasLineAfter(reader.Source(), seg.Stop, ":::", isColonLine, pc) {
		return nil, parser.NoChildren
	}
	kind := "plain"
	if len(m[1]) > 0 {
		kind = calloutKind(string(m[1]))
	}
	reader.Advance(seg.Len() - 1)
	return &calloutNode{kind: kind}, parser.HasChildren
}

// isColonLine reports whether a trimmed line closes a fancy block.
func isColonLine(t []byte) bool {
	return len(t) >= 3 && len(bytes.Trim(t, ":")) == 0
}

// Continue implements parser.BlockParser.
func (fancyBlockParser) Continue(_ ast.Node, reader text.Reader, _ parser.Context) parser.State {
	line, seg := reader.PeekLine()
	if isColonLine(bytes.TrimSpace(line)) {
		reader.Advance(seg.Len() - 1)
		return parser.Close
	}
	return parser.Continue | parser.HasChildren
}

// Close implements parser.BlockParser: a leading heading becomes the title.
func (fancyBlockParser) Close(node ast.Node, _ text.Reader, _ parser.Context) {
	titleFromHeading(node, "")
}

// CanInterruptParagraph implements parser.BlockParser.
func (fancyBlockParser) CanInterruptParagraph() bool { return true }

// CanAcceptIndentedLine implements parser.BlockParser.
func (fancyBlockParser) CanAcceptIndentedLine() bool { return false }

// titleFromHeading gives a box its title: the lines of a leading heading
// (inline-parsed later like any block's), else fallback if not empty.
func titleFromHeading(box ast.Node, fallback string) {
	title := &calloutTitle{}
	if h, ok := box.FirstChild().(*ast.Heading); ok {
		title.SetLines(h.Lines())
		box.RemoveChild(box, h)
	} else if fallback != "" {
		title.fallback = fallback
	} else {
		return
	}
	box.InsertBefore(box, box.FirstChild(), title)
}

// prefixBlockParser reads blocks whose every line starts with a two-byte
// marker: ">!" spoilers and ">|" folded blocks. It runs before the
// blockquote parser, which would otherwise take these lines.
type prefixBlockParser struct {
	marker   string
	kind     string
	fallback string // title when there is no heading
}

// Trigger implements parser.BlockParser.
func (p prefixBlockParser) Trigger() []byte { return []byte{'>'} }

// strip advances past the marker and one optional space; false if the
// line does not start with it.
func (p prefixBlockParser) strip(reader text.Reader, pc parser.Context) bool {
	line, _ := reader.PeekLine()
	pos := pc.BlockOffset()
	if pos < 0 || !bytes.HasPrefix(line[pos:], []byte(p.marker)) {
		return false
	}
	n := pos + len(p.marker)
	if n < len(line) && (line[n] == ' ' || line[n] == '\t') {
		n++
	}
	reader.Advance(n)
	return true
}

// Open implements parser.BlockParser.
func (p prefixBlockParser) Open(_ ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	if !p.strip(reader, pc) {
		return nil, parser.NoChildren
	}
	return &calloutNode{kind: p.kind, fold: '-'}, parser.HasChildren
}

// Continue implements parser.BlockParser.
func (p prefixBlockParser) Continue(_ ast.Node, reader text.Reader, pc parser.Context) parser.State {
	if !p.strip(reader, pc) {
		return parser.Close
	}
	return parser.Continue | parser.HasChildren
}

// Close implements parser.BlockParser.
func (p prefixBlockParser) Close(node ast.Node, _ text.Reader, _ parser.Context) {
	titleFromHeading(node, p.fallback)
}

// CanInterruptParagraph implements parser.BlockParser.
func (prefixBlockParser) CanInterruptParagraph() bool { return true }

// CanAcceptIndentedLine implements parser.BlockParser.
func (prefixBlockParser) CanAcceptIndentedLine() bool { return false }

// hasLineAfter reports whether a line satisfying closes starts at or after
// from in src. The last answer per key is remembered for the document (see
// closerScan), so many unclosed openers cost one pass, not one each.
func hasLineAfter(src []byte, from int, key string, closes func([]byte) bool, pc parser.Context) bool {
	memo, _ := pc.Get(closerScanKey).(closerScan)
	if memo == nil {
		memo = closerScan{}
		pc.Set(closerScanKey, memo)
	}
	if m, ok := memo[key]; ok && from >= m[0] && (m[1] < 0 || m[1] >= from) {
		return m[1] >= 0
	}
	found := -1
	for at := from; at < len(src); {
		end := bytes.IndexByte(src[at:], '\n')
		if end < 0 {
			end = len(src) - at
		}
		if closes(bytes.TrimSpace(src[at : at+end])) {
			found = at
			break
		}
		at += end + 1
	}
	memo[key] = [2]int{from, found}
	return found >= 0
}
