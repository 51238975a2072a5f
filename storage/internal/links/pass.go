package links

import (
	"context"
	"html"
	"iter"
	"net/url"
	"strings"

	"github.com/warren-wiki/warren/wiki"
)

// Cached HTML holds every link to the wiki as written (see the contract in
// wiki/markdown/wikilinks.go). The link pass runs per view, after the cache:
// it resolves all of a page's references at once (resolve.go) and points
// each at the canonical URL of its page or file, marks wikilinks to missing
// pages (class "missing", leading to the editor) and fills transclusions and
// page indexes in. Nothing of it is cached with the blob, so creating,
// deleting or renaming a page changes every link to it at once; the view
// memo keeps the result until the indexes next change.

// Transclusion bounds: how deep pages may include pages, and how many
// inclusions one view may make in all (a page including another many times,
// which includes another many times, would otherwise multiply).
const (
	maxTransclusionDepth = 4
	maxTransclusions     = 32
)

// linkPass is one view's pass: the transclusions still allowed and the
// pages being included (to stop loops).
type linkPass struct {
	r        *Resolver
	budget   int
	visiting map[string]bool
}

// Pass runs the link pass over the HTML of page from.
func (r *Resolver) Pass(ctx context.Context, from, htm string) (string, error) {
	lp := &linkPass{r: r, budget: maxTransclusions, visiting: map[string]bool{from: true}}
	return lp.run(ctx, from, htm, 0)
}

// tagRef is one tag of the HTML that carries a reference.
type tagRef struct {
	start, end int // the tag's bytes, htm[start:end]
	name       string
	ref        linkRef
	index      bool // a {{PageIndex}} placeholder
}

// run resolves the references of one page's HTML and rewrites it.
func (lp *linkPass) run(ctx context.Context, from, htm string, depth int) (string, error) {
	tags := scanTags(htm)
	if len(tags) == 0 {
		return htm, nil
	}
	refs := make([]linkRef, 0, len(tags))
	for i, t := range tags {
		if t.index {
			continue
		}
		// A link written with the wiki's own URL (/acme/Page in path mode)
		// names the page Page.
		if rest, ok := strings.CutPrefix(t.ref.target, lp.r.Base); ok && t.ref.kind == refPath && lp.r.Base != "/" {
			tags[i].ref.target = "/" + rest
		}
		refs = append(refs, tags[i].ref)
	}
	found, err := lp.r.resolveRefs(ctx, from, refs)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.Grow(len(htm) + len(htm)/8)
	last := 0
	for _, t := range tags {
		b.WriteString(htm[last:t.start])
		last = t.end
		out, skipClose, err := lp.rewrite(ctx, from, htm[t.start:t.end], t, found[t.ref], depth)
		if err != nil {
			return "", err
		}
		b.WriteString(out)
		if skipClose && strings.HasPrefix(htm[last:], "</div>") {
			last += len("</div>")
		}
	}
	b.WriteString(htm[last:])
	return b.String(), nil
}

// scanTags finds the <a>, <img> and <div> tags with a reference.
func scanTags(htm string) []tagRef {
	var out []tagRef
	for start, end := range tagSpans(htm) {
		if t, ok := tagRefOf(htm[start:end]); ok {
			t.start, t.end = start, end
			out = append(out, t)
		}
	}
	return out
}

// tagSpans yields where each tag of sanitized HTML starts and ends (past
// its ">"). Sanitized HTML quotes every attribute and escapes every "<" in
// text, so a "<" always starts a tag.
func tagSpans(htm string) iter.Seq2[int, int] {
	return func(yield func(int, int) bool) {
		for i := 0; ; {
			j := strings.IndexByte(htm[i:], '<')
			if j < 0 {
				return
			}
			start := i + j
			k := strings.IndexByte(htm[start:], '>')
			if k < 0 || !yield(start, start+k+1) {
				return
			}
			i = start + k + 1
		}
	}
}

// tagRefOf reads the reference a tag carries, if any.
func tagRefOf(tag string) (tagRef, bool) {
	name, _, _ := strings.Cut(tag[1:], " ")
	switch name {
	case "a":
		if v, ok := attr(tag, "data-wikilink"); ok {
			return tagRef{name: name, ref: linkRef{kind: refWiki, target: html.UnescapeString(v)}}, true
		}
		if v, ok := attr(tag, "data-link"); ok {
			return tagRef{name: name, ref: linkRef{kind: refPath, target: html.UnescapeString(v)}}, true
		}
	case "img":
		if v, ok := attr(tag, "data-embed"); ok {
			return tagRef{name: name, ref: linkRef{kind: refEmbed, target: html.UnescapeString(v)}}, true
		}
		if v, ok := attr(tag, "data-link"); ok {
			return tagRef{name: name, ref: linkRef{kind: refPath, target: html.UnescapeString(v)}}, true
		}
	case "div":
		if v, ok := attr(tag, "data-transclude"); ok {
			return tagRef{name: name, ref: linkRef{kind: refWiki, target: html.UnescapeString(v)}}, true
		}
		if _, ok := attr(tag, "data-page-index"); ok {
			return tagRef{name: name, index: true}, true
		}
	}
	return tagRef{}, false
}

// rewrite returns what replaces one tag; skipClose says the tag's
// </div> is part of the replacement.
func (lp *linkPass) rewrite(ctx context.Context, from, tag string, t tagRef, to target, depth int) (string, bool, error) {
	switch {
	case t.index:
		out, err := lp.r.pageIndexHTML(ctx, from)
		return out, true, err
	case t.name == "div":
		return lp.transclude(ctx, tag, t.ref.target, to, depth)
	case t.name == "img":
		if to.file != "" {
			return setAttr(tag, "src", html.EscapeString(lp.r.fileURL(to.file))), false, nil
		}
		return lp.r.underBase(tag, "src", t.ref), false, nil
	}
	href, _ := attr(tag, "href")
	_, frag, hasFrag := strings.Cut(href, "#")
	switch {
	case to.page != "":
		u := html.EscapeString(lp.r.Base + wiki.EscapePage(to.page))
		if hasFrag {
			u += "#" + frag // still HTML-escaped, as it was in the tag
		}
		return setAttr(tag, "href", u), false, nil
	case to.file != "":
		return setAttr(tag, "href", html.EscapeString(lp.r.fileURL(to.file))), false, nil
	case t.ref.kind == refWiki:
		return lp.r.missingLink(tag, t.ref.target), false, nil
	}
	return lp.r.underBase(tag, "href", t.ref), false, nil
}

// underBase points a root-absolute link that named nothing of the wiki at
// the wiki anyway, in path mode: in the wikis it comes from (An Otter Wiki),
// "/x" means the page x of this wiki, and there it shows the missing page,
// a folder's index or the wiki's own 404.
func (r *Resolver) underBase(tag, name string, ref linkRef) string {
	v, ok := attr(tag, name)
	if ref.kind != refPath || !strings.HasPrefix(ref.target, "/") || !ok || !strings.HasPrefix(v, "/") ||
		r.Base == "/" || strings.HasPrefix(v, html.EscapeString(r.Base)) {
		return tag
	}
	return setAttr(tag, name, html.EscapeString(strings.TrimSuffix(r.Base, "/"))+v)
}

// missingLink points a wikilink at the editor of the page it names.
func (r *Resolver) missingLink(tag, name string) string {
	tag = setAttr(tag, "href", html.EscapeString(r.Base+"-/edit/"+wiki.EscapePage(name)))
	if class, ok := attr(tag, "class"); ok {
		return setAttr(tag, "class", class+" missing")
	}
	return strings.Replace(tag, "<a ", `<a class="missing" `, 1)
}

// fileURL is where a file of the wiki is served.
func (r *Resolver) fileURL(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return r.Base + "-/files/" + strings.Join(segs, "/")
}
