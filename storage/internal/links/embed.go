package links

import (
	"context"
	"html"
	"regexp"
	"strings"

	"github.com/warren-wiki/warren/storage/internal/pagetree"
	"github.com/warren-wiki/warren/wiki"
)

// transclude fills a ![[Page#Heading]] placeholder with the page's HTML (or
// the part under the heading), itself run through the link pass as seen
// from that page. A loop, the depth limit or the view's budget leave a
// link to the page instead; a missing page leaves a link to its editor.
func (lp *linkPass) transclude(ctx context.Context, tag, name string, to target, depth int) (string, bool, error) {
	link := func(class string) string {
		a := `<a class="wikilink" href="` + html.EscapeString(lp.r.Base+wiki.EscapePage(to.page)) + `">`
		if to.page == "" {
			a = lp.r.missingLink(`<a class="wikilink">`, name)
		}
		return `<p class="` + class + `">` + a + html.EscapeString(name) + "</a></p>"
	}
	switch {
	case to.page == "":
		return link("transclusion"), true, nil
	case lp.visiting[to.page] || depth >= maxTransclusionDepth || lp.budget <= 0:
		return link("transclusion stopped"), true, nil
	}
	lp.budget--
	htm, err := lp.r.PageHTML(ctx, to.page)
	if err != nil {
		return "", false, err
	}
	if frag, ok := attr(tag, "data-fragment"); ok {
		frag = html.UnescapeString(frag)
		frag = frag[strings.LastIndexByte(frag, '#')+1:] // nested: the last heading
		var found bool
		if htm, found = section(htm, frag); !found {
			return link("transclusion"), true, nil
		}
	}
	lp.visiting[to.page] = true
	defer delete(lp.visiting, to.page)
	htm, err = lp.run(ctx, to.page, htm, depth+1)
	if err != nil {
		return "", false, err
	}
	return tag + htm + "</div>", true, nil
}

// headingRE finds the headings of rendered HTML (ids are set on every one).
var headingRE = regexp.MustCompile(`<h([1-6])[^>]*>(.*?)</h[1-6]>`)

// section cuts the part of a page under the heading whose text is frag
// (compared ignoring case, as Obsidian links headings by their text, or by
// id), up to the next heading of the same or a higher level; for a block
// reference (^id, Obsidian), the paragraph that ends with it. ok is false
// when there is no such part.
func section(htm, frag string) (string, bool) {
	if id, ok := strings.CutPrefix(frag, "^"); ok {
		return blockRef(htm, id)
	}
	ms := headingRE.FindAllStringSubmatchIndex(htm, -1)
	for i, m := range ms {
		text := html.UnescapeString(tagsRE.ReplaceAllString(htm[m[4]:m[5]], ""))
		id, _ := attr(htm[m[0]:m[1]], "id")
		if !strings.EqualFold(strings.TrimSpace(text), strings.TrimSpace(frag)) && !strings.EqualFold(id, frag) {
			continue
		}
		level := htm[m[2]:m[3]]
		for _, n := range ms[i+1:] {
			if htm[n[2]:n[3]] <= level {
				return htm[m[0]:n[0]], true
			}
		}
		return htm[m[0]:], true
	}
	return "", false
}

// blockRef finds the block Obsidian's " ^id" marks: the paragraph that
// ends with it, or, when the id stands alone after a list, quote, callout
// or table, the block before it. The marker itself is left out.
func blockRef(htm, id string) (string, bool) {
	marker := "^" + html.EscapeString(id)
	if i := strings.Index(htm, "<p>"+marker+"</p>"); i >= 0 {
		starts := topLevelStarts(htm[:i])
		if len(starts) == 0 {
			return "", false
		}
		return htm[starts[len(starts)-1]:i], true
	}
	for _, end := range []string{"</p>", "\n"} {
		i := strings.Index(htm, " "+marker+end)
		if i < 0 {
			continue
		}
		start := strings.LastIndex(htm[:i], "<p>")
		close := strings.Index(htm[i:], "</p>")
		if start < 0 || close < 0 {
			return "", false
		}
		return strings.Replace(htm[start:i+close+len("</p>")], " "+marker, "", 1), true
	}
	return "", false
}

// voidTags never have an end tag.
var voidTags = map[string]bool{"br": true, "hr": true, "img": true, "input": true, "wbr": true}

// topLevelStarts lists where each top-level element of sanitized HTML
// starts (every "<" of sanitized HTML starts a tag).
func topLevelStarts(htm string) []int {
	var starts []int
	depth := 0
	for start, end := range tagSpans(htm) {
		tag := htm[start+1 : end-1]
		name, _, _ := strings.Cut(strings.TrimPrefix(tag, "/"), " ")
		switch {
		case strings.HasPrefix(tag, "/"):
			depth--
		case voidTags[name] || strings.HasSuffix(tag, "/"):
			if depth == 0 {
				starts = append(starts, start)
			}
		default:
			if depth == 0 {
				starts = append(starts, start)
			}
			depth++
		}
	}
	return starts
}

var tagsRE = regexp.MustCompile(`<[^>]*>`)

// maxPageIndex bounds the pages one {{PageIndex}} lists.
const maxPageIndex = 500

// pageIndexHTML lists the pages below page from as nested lists, as An
// Otter Wiki's {{PageIndex}} does; on the home page, the whole wiki.
func (r *Resolver) pageIndexHTML(ctx context.Context, from string) (string, error) {
	prefix := from + "/"
	if from == "" || (!strings.Contains(from, "/") && strings.EqualFold(from, wiki.HomePage)) {
		prefix = ""
	}
	rows, err := pagetree.List(ctx, r.DB, prefix, "", maxPageIndex)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(`<div class="page-index">`)
	open := []string{} // folders of the list being written
	for _, row := range rows {
		if row.Name == from {
			continue
		}
		parts := strings.Split(strings.TrimPrefix(row.Name, prefix), "/")
		folders := parts[:len(parts)-1]
		common := 0
		for common < len(open) && common < len(folders) && open[common] == folders[common] {
			common++
		}
		for len(open) > common {
			b.WriteString("</ul></li>")
			open = open[:len(open)-1]
		}
		if len(open) == 0 && b.Len() == len(`<div class="page-index">`) {
			b.WriteString("<ul>")
		}
		for _, f := range folders[common:] {
			b.WriteString("<li>" + html.EscapeString(f) + "<ul>")
			open = append(open, f)
		}
		b.WriteString(`<li><a href="` + html.EscapeString(r.Base+wiki.EscapePage(row.Name)) + `">` + html.EscapeString(row.Title) + "</a></li>")
	}
	for range open {
		b.WriteString("</ul></li>")
	}
	if b.Len() > len(`<div class="page-index">`) {
		b.WriteString("</ul>")
	}
	b.WriteString("</div>")
	return b.String(), nil
}
