package markdown

import (
	"html"
	"strings"
)

// heading is one entry of the table of contents.
type heading struct {
	level int
	id    string
	text  string
}

// buildTOC nests the headings by level into <ul> lists linking to their ids.
// Skipped levels (an h4 right under an h2) nest one step, not two, so the
// list never has empty items. The result still goes through the policy.
func buildTOC(hs []heading) string {
	var b strings.Builder
	var open []int // levels of the lists currently open, innermost last
	for _, h := range hs {
		switch {
		case len(open) == 0:
			b.WriteString("<ul>\n<li>")
			open = append(open, h.level)
		case h.level > open[len(open)-1]:
			b.WriteString("\n<ul>\n<li>")
			open = append(open, h.level)
		default:
			for len(open) > 1 && h.level < open[len(open)-1] && h.level <= open[len(open)-2] {
				b.WriteString("</li>\n</ul>\n")
				open = open[:len(open)-1]
			}
			b.WriteString("</li>\n<li>")
			// A heading between two open levels (h1, h3, then h2) continues
			// the inner list at its own level.
			open[len(open)-1] = min(open[len(open)-1], h.level)
		}
		b.WriteString(`<a href="#`)
		b.WriteString(html.EscapeString(h.id))
		b.WriteString(`">`)
		b.WriteString(html.EscapeString(h.text))
		b.WriteString("</a>")
	}
	for range open {
		b.WriteString("</li>\n</ul>\n")
	}
	return b.String()
}
