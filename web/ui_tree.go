package web

import (
	"context"
	"html/template"
	"net/http"
	"strings"

	"github.com/warren-wiki/warren/storage"
	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/wiki"
)

// The sidebar's page tree (the wiki's "tree" sidebar): the page view
// renders the root folder and the folders down to the current page, open,
// with the current page marked (aria-current), so it works without script.
// Every other folder is a closed <details> that tree.js fills from
// GET /-/api/tree?dir=… the first time it is opened; without script the
// closed folder offers the page index of its pages instead. Each level
// reads only the page index in wiki.db (storage.Wiki.Tree), never the git
// tree, and lists at most storage.DefaultTreeN children with a "More…"
// link to the index, so a wiki of 10,000 pages costs what a small one does.

// sidebarTree is the tree's markup for a page view of current.
func sidebarTree(ctx context.Context, h *tenant.Handle, v *view, current string) (template.HTML, error) {
	var b strings.Builder
	b.WriteString(`<nav class="tree" aria-label="Pages" data-tree="` + attr(v.URL("-/api/tree")) +
		`" data-root="` + attr(v.Root) + `"><h2>Pages</h2>`)
	if err := writeTreeLevel(ctx, h, v, &b, "", current); err != nil {
		return "", err
	}
	b.WriteString("</nav>")
	return template.HTML(b.String()), nil
}

// writeTreeLevel writes one folder's children, opening the folder that
// leads to current.
func writeTreeLevel(ctx context.Context, h *tenant.Handle, v *view, b *strings.Builder, dir, current string) error {
	entries, more, err := h.Store.Tree(ctx, dir, storage.DefaultTreeN)
	if err != nil {
		return err
	}
	b.WriteString("<ul>")
	for _, e := range entries {
		b.WriteString("<li>")
		if !e.Folder {
			writeTreePage(b, v, e, current)
			b.WriteString("</li>")
			continue
		}
		open := strings.HasPrefix(current, e.Path+"/")
		b.WriteString(`<details data-dir="` + attr(e.Path) + `"`)
		if open {
			b.WriteString(" open")
		}
		b.WriteString("><summary>")
		if e.Page {
			writeTreePage(b, v, e, current)
		} else {
			b.WriteString(`<span class="folder">` + attr(e.Name) + "</span>")
		}
		b.WriteString("</summary>")
		if open {
			if err := writeTreeLevel(ctx, h, v, b, e.Path, current); err != nil {
				return err
			}
		} else {
			b.WriteString(`<ul data-lazy><li><a href="` + attr(v.IndexURL(e.Path+"/")) + `">Pages in ` + attr(e.Name) + "</a></li></ul>")
		}
		b.WriteString("</details></li>")
	}
	if more {
		b.WriteString(`<li><a class="more" href="` + attr(v.IndexURL(treePrefix(dir))) + `">More…</a></li>`)
	}
	b.WriteString("</ul>")
	return nil
}

// writeTreePage writes the link to one page of the tree.
func writeTreePage(b *strings.Builder, v *view, e wiki.TreeEntry, current string) {
	b.WriteString(`<a href="` + attr(v.PageURL(e.Path)) + `"`)
	if e.Title != "" && e.Title != e.Name {
		b.WriteString(` title="` + attr(e.Title) + `"`)
	}
	if e.Path == current {
		b.WriteString(` aria-current="page"`)
	}
	b.WriteString(">" + attr(e.Name) + "</a>")
}

// treePrefix is the index prefix of a folder ("" for the root).
func treePrefix(dir string) string {
	if dir == "" {
		return ""
	}
	return dir + "/"
}

// apiTree answers GET /-/api/tree?dir=&limit=: one folder's children for
// the sidebar, {"dir", "entries": [{name, path, title, page, folder}], "more"}.
func (s *Server) apiTree(w http.ResponseWriter, r *http.Request, h *tenant.Handle, _ wiki.Role) {
	q := r.URL.Query()
	limit, err := limitParam(q.Get("limit"), storage.DefaultTreeN, storage.MaxTreeN)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	dir := strings.Trim(q.Get("dir"), "/")
	entries, more, err := h.Store.Tree(r.Context(), dir, limit)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if entries == nil {
		entries = []wiki.TreeEntry{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"dir": dir, "entries": entries, "more": more})
}
