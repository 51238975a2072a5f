package markdown

import (
	"html"
	"regexp"
	"slices"
	"strings"

	"github.com/wyatt915/treeblood"
)

// Limits that keep one page's math from stalling a render. A formula over
// them is shown as its source, marked as an error, like TeX that does not
// parse. Real formulas are a few hundred bytes; the converter's cost grows
// faster than linearly with nesting, hence the depth bound too.
const (
	maxFormulaBytes  = 16 << 10  // one formula
	maxMathPageBytes = 256 << 10 // all formulas of one page together
	maxBraceDepth    = 64        // nested { } groups in one formula
	// formulaCost is charged per formula on top of its length, so many
	// tiny formulas are bounded too (at most 4096 per page).
	formulaCost = 64
)

// mathBudget counts the TeX converted for one render, so a page of many
// small formulas is bounded like one huge formula.
type mathBudget struct{ used int }

// take reserves n bytes of the page's budget, reporting whether they fit.
func (b *mathBudget) take(n int) bool {
	if b.used+n > maxMathPageBytes {
		return false
	}
	b.used += n
	return true
}

// texToMathML converts TeX to a MathML <math> element, or to the escaped
// source marked as an error when the TeX cannot be converted within the
// limits. The converter's own markup is not trusted: it is re-read tag by tag
// through an allow-list (tags, attributes, values), text is re-escaped and
// the TeX source goes into the annotation escaped by us, so its output is
// well-formed and deterministic before the sanitizer sees it.
func texToMathML(tex string, display bool, budget *mathBudget) string {
	if len(tex) > maxFormulaBytes || braceDepth(tex) > maxBraceDepth || !budget.take(len(tex)+formulaCost) {
		return mathError(tex, display, "formula too large")
	}
	out, err := treeblood.TexToMML(tex, nil, display, false)
	if err != nil {
		return mathError(tex, display, "TeX could not be parsed")
	}
	body, ok := semanticsBody(out)
	if !ok {
		return mathError(tex, display, "TeX could not be parsed")
	}
	var b strings.Builder
	b.WriteString(`<math display="`)
	if display {
		b.WriteString("block")
	} else {
		b.WriteString("inline")
	}
	b.WriteString(`"><semantics>`)
	writeCleanMathML(&b, body)
	b.WriteString(`<annotation encoding="application/x-tex">`)
	b.WriteString(html.EscapeString(tex))
	b.WriteString("</annotation></semantics></math>")
	return b.String()
}

// mathError shows TeX that could not be converted as code the reader can
// still read and copy, with a class to mark it and the reason as a tooltip.
func mathError(tex string, display bool, why string) string {
	open, closing := "$", "$"
	if display {
		open, closing = "$$", "$$"
	}
	return `<code class="math-error" title="` + why + `">` + html.EscapeString(open+tex+closing) + "</code>"
}

// braceDepth is the deepest nesting of unescaped braces in tex.
func braceDepth(tex string) int {
	depth, deepest := 0, 0
	for i := 0; i < len(tex); i++ {
		switch tex[i] {
		case '\\':
			i++ // \{ and \} are literal braces
		case '{':
			depth++
			deepest = max(deepest, depth)
		case '}':
			depth--
		}
	}
	return deepest
}

// semanticsBody is the presentation markup inside the converter's
// <semantics>, without its annotation (which escapes only "<").
func semanticsBody(out string) (string, bool) {
	start := strings.Index(out, "<semantics>")
	end := strings.LastIndex(out, "<annotation")
	if start < 0 || end < start {
		return "", false
	}
	return out[start+len("<semantics>") : end], true
}

// mathTags are the MathML Core presentation elements the converter emits.
var mathTags = map[string]bool{
	"mrow": true, "mi": true, "mn": true, "mo": true, "ms": true, "mtext": true, "mspace": true,
	"msup": true, "msub": true, "msubsup": true, "mfrac": true, "msqrt": true, "mroot": true,
	"mover": true, "munder": true, "munderover": true, "mtable": true, "mtr": true, "mtd": true,
	"mlabeledtr": true, "mstyle": true, "mpadded": true, "mphantom": true, "menclose": true,
	"merror": true, "mmultiscripts": true, "mprescripts": true, "none": true,
}

// mathAttrs are the presentation attributes kept; everything else the
// converter may set (style, class, title, intent, xmlns) is dropped.
var mathAttrs = map[string]bool{
	"accent": true, "accentunder": true, "columnalign": true, "rowalign": true, "columnspacing": true,
	"rowspacing": true, "columnlines": true, "rowlines": true, "displaystyle": true, "fence": true,
	"form": true, "height": true, "depth": true, "width": true, "largeop": true, "linethickness": true,
	"lspace": true, "rspace": true, "voffset": true, "mathvariant": true, "movablelimits": true,
	"notation": true, "scriptlevel": true, "separator": true, "stretchy": true, "symmetric": true,
	"minsize": true, "maxsize": true, "mathcolor": true, "mathsize": true,
}

var (
	// mathTag is one tag as the converter writes them; a "<" that does not
	// start one (say from \text{a<b}) is text.
	mathTag      = regexp.MustCompile(`^<(/?)([a-z]+)((?: [a-z-]+="[^"<>]*")*)>`)
	mathAttr     = regexp.MustCompile(` ([a-z-]+)="([^"]*)"`)
	mathAttrText = regexp.MustCompile(`^[A-Za-z0-9 .%#+-]{0,64}$`)
)

// writeCleanMathML re-emits the converter's markup: allowed tags only,
// properly nested (stray end tags dropped, open ones closed), allowed
// attributes sorted by name, text unescaped and escaped again.
func writeCleanMathML(b *strings.Builder, s string) {
	var open []string
	for len(s) > 0 {
		i := strings.IndexByte(s, '<')
		if i != 0 {
			if i < 0 {
				i = len(s)
			}
			writeMathText(b, s[:i])
			s = s[i:]
			continue
		}
		m := mathTag.FindStringSubmatch(s)
		if m == nil || !mathTags[m[2]] {
			writeMathText(b, s[:1])
			s = s[1:]
			if m != nil {
				s = s[len(m[0])-1:] // an unknown tag is dropped, not shown
			}
			continue
		}
		s = s[len(m[0]):]
		if m[1] == "/" {
			open = closeMathTag(b, open, m[2])
			continue
		}
		b.WriteString("<" + m[2])
		writeMathAttrs(b, m[3])
		b.WriteString(">")
		open = append(open, m[2])
	}
	for i := len(open) - 1; i >= 0; i-- {
		b.WriteString("</" + open[i] + ">")
	}
}

// writeMathText writes converter text escaped. Whitespace between tags is
// the converter's indentation and is dropped.
func writeMathText(b *strings.Builder, t string) {
	if strings.TrimSpace(t) == "" {
		return
	}
	b.WriteString(html.EscapeString(html.UnescapeString(strings.TrimSpace(t))))
}

// closeMathTag closes name if it is open (and everything opened inside it);
// an end tag for an element that is not open is dropped.
func closeMathTag(b *strings.Builder, open []string, name string) []string {
	for i := len(open) - 1; i >= 0; i-- {
		if open[i] != name {
			continue
		}
		for j := len(open) - 1; j >= i; j-- {
			b.WriteString("</" + open[j] + ">")
		}
		return open[:i]
	}
	return open
}

// writeMathAttrs writes the allowed attributes of one tag in name order.
func writeMathAttrs(b *strings.Builder, raw string) {
	var kept []string
	for _, a := range mathAttr.FindAllStringSubmatch(raw, -1) {
		if mathAttrs[a[1]] && mathAttrText.MatchString(a[2]) {
			kept = append(kept, a[1]+`="`+a[2]+`"`)
		}
	}
	slices.Sort(kept)
	for _, a := range kept {
		b.WriteString(" " + a)
	}
}
