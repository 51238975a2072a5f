package web

import (
	"html/template"
	"strings"
)

// The front end is split by concern into a few small files rather than one
// bundle, so each stays readable without a build step. They are listed here
// in the order the browser must run them.

// headScripts run before the page paints: the theme is applied first so a
// dark page never flashes white. pageScripts are deferred and run in order;
// editor-text.js defines the helpers the later editor scripts share.
func assetLists() (styles, printStyles, headScripts, pageScripts []string) {
	return []string{"warren.css", "editor.css"},
		[]string{"print.css"},
		[]string{"theme.js"},
		[]string{"warren.js", "editor-text.js", "editor-tools.js", "editor-picker.js", "upload.js", "nav.js", "tree.js"}
}

// assetTags is the stylesheet, icon and script links of every page, built
// once at load time because the asset hashes never change while running.
func (u *ui) assetTags() template.HTML {
	styles, printStyles, head, deferred := assetLists()
	var b strings.Builder
	for _, n := range styles {
		b.WriteString(`<link rel="stylesheet" href="` + attr(u.staticURL(n)) + "\">\n")
	}
	for _, n := range printStyles {
		b.WriteString(`<link rel="stylesheet" media="print" href="` + attr(u.staticURL(n)) + "\">\n")
	}
	b.WriteString(`<link rel="icon" href="` + attr(u.staticURL("favicon.svg")) + `" type="image/svg+xml">`)
	for _, n := range head {
		b.WriteString("\n" + `<script src="` + attr(u.staticURL(n)) + `"></script>`)
	}
	for _, n := range deferred {
		b.WriteString("\n" + `<script src="` + attr(u.staticURL(n)) + `" defer></script>`)
	}
	return template.HTML(b.String())
}
