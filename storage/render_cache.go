package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"html"
	"net/url"
	"strings"

	"github.com/warren-wiki/warren/wiki"
)

// Rendered HTML is cached in wiki.db by (blob, renderer version): a blob's
// HTML never changes unless the renderer does, and the URL base baked into
// the links is checked at open (checkRenderer). Missing-page marks are not
// cached; they are applied per view, so creating a page fixes the links to
// it everywhere at once.

// cachedHTML looks a blob up in the render cache; ok is false on a miss.
func (w *Wiki) cachedHTML(ctx context.Context, blob string) (htm, toc string, ok bool, err error) {
	var row struct {
		HTML string `db:"html"`
		TOC  string `db:"toc"`
	}
	err = w.DB.R.GetContext(ctx, &row,
		`SELECT html, toc FROM render_cache WHERE blob = ? AND renderer_version = ?`, blob, w.Renderer.Version())
	if errors.Is(err, sql.ErrNoRows) {
		w.Stats.renderLookup(false)
		return "", "", false, nil
	}
	w.Stats.renderLookup(err == nil)
	return row.HTML, row.TOC, err == nil, err
}

// renderCached renders a blob and stores the result: the only write a view
// ever makes, and only on a miss.
func (w *Wiki) renderCached(ctx context.Context, p *wiki.Page) (htm, toc string, err error) {
	r, err := w.Renderer.Render(p.Content, wiki.RenderOptions{Base: w.Base, Page: p.Name})
	if err != nil {
		return "", "", err
	}
	_, err = w.DB.W.ExecContext(ctx,
		`INSERT INTO render_cache(blob, renderer_version, html, toc) VALUES (?, ?, ?, ?)
		 ON CONFLICT(blob, renderer_version) DO NOTHING`, p.Blob, w.Renderer.Version(), r.HTML, r.TOC)
	return r.HTML, r.TOC, err
}

const wikilinkAttr = `data-wikilink="`

// wikilinkTargets lists the distinct lower-cased targets of the wikilinks
// in rendered HTML, in the form the renderer wrote into data-wikilink.
func wikilinkTargets(htm string) []string {
	var out []string
	seen := map[string]bool{}
	for rest := htm; ; {
		i := strings.Index(rest, wikilinkAttr)
		if i < 0 {
			return out
		}
		rest = rest[i+len(wikilinkAttr):]
		j := strings.IndexByte(rest, '"')
		if j < 0 {
			return out
		}
		t := html.UnescapeString(rest[:j])
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
		rest = rest[j:]
	}
}

// markMissing rewrites the wikilinks of rendered HTML whose target page does
// not exist: class "missing" and a link to the target's editor. It costs
// nothing without wikilinks and one indexed query with them.
func (w *Wiki) markMissing(ctx context.Context, htm string) (string, error) {
	targets := wikilinkTargets(htm)
	if len(targets) == 0 {
		return htm, nil
	}
	missing, err := w.missingPages(ctx, targets)
	if err != nil || len(missing) == 0 {
		return htm, err
	}
	return rewriteMissing(htm, missing, w.Base), nil
}

// missingPages returns which of the lower-cased names have no page, in one
// prepared query that probes the lname index once per name.
func (w *Wiki) missingPages(ctx context.Context, names []string) (map[string]bool, error) {
	list, err := json.Marshal(names)
	if err != nil {
		return nil, err
	}
	var missing []string
	if st := w.readStmt(stmtMissing); st != nil {
		err = st.SelectContext(ctx, &missing, string(list))
	} else {
		err = w.DB.R.SelectContext(ctx, &missing, readSQL[stmtMissing], string(list))
	}
	if err != nil || len(missing) == 0 {
		return nil, err
	}
	set := make(map[string]bool, len(missing))
	for _, m := range missing {
		set[m] = true
	}
	return set, nil
}

// rewriteMissing edits the <a> tags that carry a missing data-wikilink.
func rewriteMissing(htm string, missing map[string]bool, base string) string {
	var b strings.Builder
	b.Grow(len(htm) + len(htm)/8)
	for {
		i := strings.Index(htm, "<a ")
		if i < 0 {
			break
		}
		j := strings.IndexByte(htm[i:], '>')
		if j < 0 {
			break
		}
		b.WriteString(htm[:i])
		b.WriteString(rewriteAnchor(htm[i:i+j+1], missing, base))
		htm = htm[i+j+1:]
	}
	b.WriteString(htm)
	return b.String()
}

// rewriteAnchor rewrites one <a ...> tag if it links to a missing page. The
// editor link keeps the original href's spelling of the name (its case and
// escaping) and drops any #fragment.
func rewriteAnchor(tag string, missing map[string]bool, base string) string {
	target, ok := attr(tag, "data-wikilink")
	if !ok || !missing[html.UnescapeString(target)] {
		return tag
	}
	href, _ := attr(tag, "href")
	name, _, _ := strings.Cut(href, "#")
	if rest, ok := strings.CutPrefix(name, base); ok && rest != "" {
		name = rest
	} else {
		name = html.EscapeString(escapePageName(html.UnescapeString(target)))
	}
	tag = setAttr(tag, "href", html.EscapeString(base)+"-/edit/"+name)
	if class, ok := attr(tag, "class"); ok {
		return setAttr(tag, "class", class+" missing")
	}
	return strings.Replace(tag, "<a ", `<a class="missing" `, 1)
}

// attr returns the raw (still HTML-escaped) value of a double-quoted attribute.
func attr(tag, name string) (string, bool) {
	i := attrIndex(tag, name)
	if i < 0 {
		return "", false
	}
	v := tag[i+len(name)+2:]
	j := strings.IndexByte(v, '"')
	if j < 0 {
		return "", false
	}
	return v[:j], true
}

// setAttr replaces the value of an attribute, or adds it.
func setAttr(tag, name, value string) string {
	i := attrIndex(tag, name)
	if i < 0 {
		return strings.Replace(tag, "<a ", "<a "+name+`="`+value+`" `, 1)
	}
	start := i + len(name) + 2
	end := start + strings.IndexByte(tag[start:], '"')
	return tag[:start] + value + tag[end:]
}

// attrIndex finds ` name="` in a tag, so that "class" never matches inside
// "data-class" and an attribute name never matches inside a value.
func attrIndex(tag, name string) int {
	needle := " " + name + `="`
	for off := 0; ; {
		i := strings.Index(tag[off:], needle)
		if i < 0 {
			return -1
		}
		i += off
		if strings.Count(tag[:i], `"`)%2 == 0 {
			return i + 1
		}
		off = i + 1
	}
}

// escapePageName escapes each path segment of a page name for a URL.
func escapePageName(name string) string {
	parts := strings.Split(name, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return strings.Join(parts, "/")
}
