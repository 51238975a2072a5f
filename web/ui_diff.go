package web

import (
	"html/template"
	"strconv"
	"strings"

	"github.com/warren-wiki/warren/wiki"
)

// diffTable renders a line diff as a table: the old and new line numbers,
// the sign, and the text, with the changed words of paired lines marked
// (<del>/<ins>). It is built in Go, escaping every piece of page text,
// because a diff has as many rows as the page has lines.
func diffTable(lines []wiki.DiffLine) template.HTML {
	if len(lines) == 0 {
		return `<p class="muted">No differences.</p>`
	}
	var b strings.Builder
	b.WriteString(`<table class="diff"><thead><tr><th scope="col">old</th><th scope="col">new</th><th scope="col"><span class="sr">change</span></th><th scope="col"><span class="sr">line</span></th></tr></thead><tbody>`)
	for _, l := range lines {
		class, sign, mark := "ctx", " ", ""
		switch l.Op {
		case '+':
			class, sign, mark = "add", "+", "ins"
		case '-':
			class, sign, mark = "del", "-", "del"
		}
		b.WriteString(`<tr class="` + class + `"><td class="ln">` + lineNo(l.Old) + `</td><td class="ln">` + lineNo(l.New) +
			`</td><td class="sign">` + sign + `</td><td class="text">`)
		if len(l.Spans) == 0 {
			b.WriteString(template.HTMLEscapeString(l.Text))
		}
		for _, sp := range l.Spans {
			if sp.Changed {
				b.WriteString("<" + mark + ">" + template.HTMLEscapeString(sp.Text) + "</" + mark + ">")
			} else {
				b.WriteString(template.HTMLEscapeString(sp.Text))
			}
		}
		b.WriteString("</td></tr>")
	}
	b.WriteString("</tbody></table>")
	return template.HTML(b.String())
}

func lineNo(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}
