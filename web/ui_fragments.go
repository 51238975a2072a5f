package web

import (
	"html/template"
	"strings"
	"time"

	"github.com/warren-wiki/warren/wiki"
)

// Fragments of the page frame that every view repeats are built here in Go
// instead of in the templates: each template action costs several
// reflective calls, which made the frame the largest CPU cost of a warm
// page view. Every value that can come from a user (page names, wiki
// titles, hosts) passes through template.HTMLEscapeString before it joins
// the markup, and URLs are built by the same escaping helpers (escapePage,
// url.QueryEscape) the templates used, so the output means the same.

// attr is s escaped for a double-quoted attribute or for text, byte for
// byte as html/template escapes it there ('+' included, which
// HTMLEscapeString leaves alone), so the page does not change.
func attr(s string) string {
	s = template.HTMLEscapeString(s)
	if strings.IndexByte(s, '+') < 0 {
		return s
	}
	return strings.ReplaceAll(s, "+", "&#43;")
}

// wikiHeader is the header inside a wiki up to its navigation: the wiki's
// name, the search box (with the query, escaped) and the links the
// caller's role allows.
func (v *view) wikiHeader() template.HTML {
	var b strings.Builder
	name := v.Wiki.Title
	if name == "" {
		name = v.Wiki.Slug
	}
	b.WriteString("\n  <a class=\"brand\" href=\"" + attr(v.Root) + `">` + attr(name) + "</a>\n  ")
	if v.CanRead() {
		b.WriteString(`<form class="search" action="` + attr(v.URL("-/search")) + `" method="get" role="search">` +
			"\n   <input type=\"search\" name=\"q\" value=\"" + attr(v.Query) +
			`" placeholder="Search…" aria-label="Search this wiki">` + "\n  </form>")
	}
	b.WriteString("\n  <nav class=\"nav\" aria-label=\"Wiki\">")
	if v.CanRead() {
		b.WriteString(`<a href="` + attr(v.URL("-/pages")) + `">Pages</a>`)
	}
	if v.CanRead() && !v.HideHistory {
		b.WriteString(`<a href="` + attr(v.URL("-/changes")) + `">Changes</a>`)
	}
	if v.CanEdit() {
		b.WriteString(`<a href="` + attr(v.URL("-/new")) + `">New page</a>`)
	}
	if v.IsAdmin() {
		b.WriteString(`<a href="` + attr(v.URL("-/settings")) + `">Settings</a>`)
	}
	// The platform link stays in the template: it comes from the Host
	// header and should keep html/template's URL normalisation.
	return template.HTML(b.String())
}

// crumbsHTML is the breadcrumb list; labels are page and folder names and
// the wiki title, so each is escaped.
func crumbsHTML(cs []crumb) template.HTML {
	if len(cs) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n <nav class=\"crumbs\" aria-label=\"Breadcrumb\"><ol>")
	for _, c := range cs {
		if c.URL != "" {
			b.WriteString(`<li><a href="` + attr(c.URL) + `">` + attr(c.Label) + `</a></li>`)
		} else {
			b.WriteString(`<li><span aria-current="page">` + attr(c.Label) + `</span></li>`)
		}
	}
	b.WriteString("</ol></nav>")
	return template.HTML(b.String())
}

// pageActions is the row of buttons above a page: editing ones only for
// editors and only at the current revision.
func pageActions(v *view, name string, old bool) template.HTML {
	var b strings.Builder
	button := func(class, action, label string) {
		b.WriteString(`<a class="` + class + `" href="` + attr(v.Action(action, name)) + `">` + label + `</a>`)
	}
	b.WriteString(`<div class="actions">`)
	edit := v.CanEdit() && !old
	if edit || v.SignIn != "" && !old {
		// An anonymous reader's Edit leads to the sign-in offer (ui_signin.go).
		button("button", "edit", "Edit")
	}
	b.WriteString("\n   ")
	if !v.HideHistory {
		button("button", "history", "History")
	}
	if !old && !v.HideHistory {
		button("button", "attachments", "Attachments")
	}
	if edit {
		button("button", "rename", "Rename")
		button("button danger", "delete", "Delete")
	}
	b.WriteString("\n  </div>")
	return template.HTML(b.String())
}

// backlinksHTML is the sidebar list of pages linking here; their titles and
// names are user data, so each is escaped.
func backlinksHTML(v *view, links []wiki.PageInfo) template.HTML {
	if len(links) == 0 {
		return `<p class="muted">No pages link here.</p>`
	}
	var b strings.Builder
	b.WriteString("<ul>")
	for _, l := range links {
		label := l.Title
		if label == "" {
			label = l.Name
		}
		b.WriteString(`<li><a href="` + attr(v.PageURL(l.Name)) + `">` + attr(label) + `</a></li>`)
	}
	b.WriteString("</ul>")
	return template.HTML(b.String())
}

// lastChangeHTML is the page footer naming the latest change; author and
// message are user data, so both are escaped.
func lastChangeHTML(v *view, name string, c *wiki.Change) template.HTML {
	if c == nil {
		return ""
	}
	s := "\n  <p class=\"last-change\">Last changed <a href=\"" + attr(v.Action("history", name)) + `"><time datetime="` +
		attr(c.Time.UTC().Format(time.RFC3339)) + `">` + attr(formatTime(c.Time)) + `</time></a> by ` + attr(c.Author)
	if c.Message != "" {
		s += ": “" + attr(c.Message) + "”"
	}
	return template.HTML(s + "</p>")
}

// frame fills the view's precomputed frame fields from the ones handlers
// set; render calls it just before the template runs.
func (v *view) frame() {
	v.CrumbsHTML = crumbsHTML(v.Crumbs)
	v.HeadTitle = v.Title
	if v.Wiki != nil {
		v.Header = v.wikiHeader()
		name := v.Wiki.Title
		if name == "" {
			name = v.Wiki.Slug
		}
		v.HeadTitle += " · " + name
	}
	v.Who = "not signed in"
	if !v.Caller.Anonymous() {
		v.Who = v.Caller.Login
		if v.whoMark != "" {
			v.Who = v.whoMark
		}
	}
}
