package web

import (
	"html/template"
	"strings"
	"time"

	"github.com/warren-wiki/warren/wiki"
)

// changesHTML is the list of recent changes, built in Go like the page
// frame (ui_fragments.go): a hundred entries through the template cost
// many times a page view, this costs about one. Every value from a commit
// or a page name is escaped; the markup is what changes.html had.
func changesHTML(v *view, entries []wiki.ChangeEntry) template.HTML {
	var b strings.Builder
	b.Grow(len(entries) * 400)
	b.WriteString("<ol class=\"entries\">")
	for _, e := range entries {
		b.WriteString("\n <li class=\"entry\">\n  <span class=\"when\"><time datetime=\"")
		b.WriteString(e.Time.UTC().Format(time.RFC3339))
		b.WriteString(`">`)
		b.WriteString(formatTime(e.Time))
		b.WriteString("</time></span>\n  ")
		if e.Action == "deleted" {
			b.WriteString(`<span class="page">` + attr(e.Page) + `</span>`)
		} else {
			b.WriteString(`<a class="page" href="` + attr(v.PageURL(e.Page)) + `">` + attr(e.Page) + `</a>`)
		}
		b.WriteString("\n  <span class=\"tag " + attr(e.Action) + `">` + attr(e.Action) + "</span>")
		b.WriteString("\n  <span class=\"author\">" + attr(e.Author) + "</span>")
		b.WriteString("\n  <span class=\"msg\">" + attr(e.Message) + "</span>")
		b.WriteString("\n  <a class=\"rev\" href=\"" + attr(v.URL("-/commit/"+e.Revision)) + `"><code>` + attr(shortRev(e.Revision)) + "</code></a>")
		b.WriteString(" <a class=\"difflink\" href=\"" + attr(v.Action("history", e.Page)) + "\">history</a>\n </li>")
	}
	b.WriteString("\n</ol>")
	return template.HTML(b.String())
}
