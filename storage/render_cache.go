package storage

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/warren-wiki/warren/wiki"
)

// Rendered HTML is cached in wiki.db by (blob, renderer version): a blob's
// HTML never changes unless the renderer does, and the URL base and the
// wikilink style baked into it are checked at open and when the style
// changes (checkRenderer). Everything that depends on other pages (where a
// link points, missing-page marks, transclusions, page indexes) is applied
// per view by the link pass (links_view.go), never cached with the blob.

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
	r, err := w.Renderer.Render(p.Content, w.renderOptions(p.Name))
	if err != nil {
		return "", "", err
	}
	_, err = w.DB.W.ExecContext(ctx,
		`INSERT INTO render_cache(blob, renderer_version, html, toc) VALUES (?, ?, ?, ?)
		 ON CONFLICT(blob, renderer_version) DO NOTHING`, p.Blob, w.Renderer.Version(), r.HTML, r.TOC)
	return r.HTML, r.TOC, err
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
