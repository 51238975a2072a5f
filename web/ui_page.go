package web

import (
	"html/template"
	"net/http"
	"strings"

	"github.com/gorilla/mux"
	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/wiki"
	"github.com/warren-wiki/warren/wiki/markdown"
)

// pageData is what the page view shows besides the rendered HTML.
type pageData struct {
	View      *wiki.PageView
	Backlinks []wiki.PageInfo
	Last      *wiki.Change   // the page's latest change, for the footer
	OldRev    *wiki.Revision // set when viewing an old revision
	// Actions and BacklinksHTML are built in Go from the fields above
	// (see ui_fragments.go) because they are the costliest template parts.
	Actions       template.HTML
	BacklinksHTML template.HTML
	LastHTML      template.HTML
	Restore       template.HTML // "Restore this version" on an old revision (editors)
	Tree          template.HTML // the sidebar's page tree (sidebar "tree"), see ui_tree.go
	// Chrome is the nearest _Sidebar and _Footer (ui_page_nav.go).
	Chrome chromeData
}

// missingData is what the page for a page that does not exist shows.
type missingData struct {
	Name string
}

// handlePage shows any page by its path, at HEAD or at ?rev=.
func (s *Server) handlePage(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	if raw := mux.Vars(r)["page"]; strings.HasSuffix(raw, "/") {
		// A folder path: the index of the pages below it, at its own URL.
		name, err := decodePage(strings.TrimRight(raw, "/"))
		if err != nil {
			s.htmlError(w, r, err)
			return
		}
		s.showFolder(w, r, h, role, name+"/")
		return
	}
	name, err := uiPageParam(r)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	s.showPage(w, r, h, role, name)
}

// showPage renders one page with its sidebar (table of contents and
// backlinks) and footer (the last change).
func (s *Server) showPage(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role, name string) {
	ctx := r.Context()
	rev := r.URL.Query().Get("rev")
	if rev != "" {
		err := validRev(rev)
		if err == nil {
			err = s.historyVisible(r, h, role) // an old revision is history
		}
		if err != nil {
			s.htmlError(w, r, err)
			return
		}
	}
	pv, err := h.Store.View(ctx, name, rev)
	if wiki.ErrorCode(err) == wiki.ENOTFOUND && rev == "" {
		if to, rerr := h.Store.Redirect(ctx, name); rerr == nil {
			// Renamed: the old address leads to the new one for good.
			http.Redirect(w, r, h.Root+escapePage(to), http.StatusMovedPermanently)
			return
		}
		s.notAPage(w, r, h, role, name)
		return
	} else if err != nil {
		s.htmlError(w, r, err)
		return
	}
	v := s.wikiView(r, h, role, pv.Title)
	v.Crumbs = pageCrumbs(v, pv.Name)
	d := pageData{View: pv}
	if err := s.pageSurroundings(r, h, v, &d, rev); err != nil {
		s.htmlError(w, r, err)
		return
	}
	if !v.HideHistory {
		v.Feeds = append(v.Feeds, feedLink{Title: "Changes to " + pv.Name, URL: v.URL("-/feed/") + escapePage(pv.Name)})
	}
	d.Actions = pageActions(v, pv.Name, d.OldRev != nil)
	d.BacklinksHTML = backlinksHTML(v, d.Backlinks)
	d.LastHTML = lastChangeHTML(v, pv.Name, d.Last)
	if d.Chrome, err = s.pageChrome(r, h, pv.Name); err != nil {
		s.htmlError(w, r, err)
		return
	}
	v.Data = d
	if markdown.HasDiagram(pv.HTML) {
		w.Header().Set("Content-Security-Policy", diagramCSP)
	}
	if rev == "" {
		markViewFill(w, v) // the cache may keep it (view_serve.go)
	}
	s.render(w, r, http.StatusOK, "page.html", v)
}

// pageSurroundings reads what the view shows around a page: backlinks,
// the old revision or the last change (unless history is hidden from the
// caller), and the sidebar's page tree when the wiki shows one.
func (s *Server) pageSurroundings(r *http.Request, h *tenant.Handle, v *view, d *pageData, rev string) error {
	ctx := r.Context()
	var err error
	if d.Backlinks, err = h.Store.Backlinks(ctx, d.View.Name); err != nil {
		return err
	}
	if v.Prefs.Sidebar == wiki.SidebarTree {
		if d.Tree, err = sidebarTree(ctx, h, v, d.View.Name); err != nil {
			return err
		}
	}
	if rev != "" {
		info, err := h.Store.Revision(ctx, rev)
		if err != nil {
			return err
		}
		d.OldRev = &info
		if v.Role >= wiki.RoleEditor {
			d.Restore, err = s.restoreForm(r, h, d.View.Name, rev)
		}
		return err
	}
	if v.HideHistory {
		return nil
	}
	changes, err := h.Store.History(ctx, d.View.Name, 1, 0)
	if len(changes) > 0 {
		d.Last = &changes[0]
	}
	return err
}

// diagramCSP is the policy of pages that draw diagrams: Mermaid styles its
// SVG with inline styles, so only there styles may be inline. Scripts stay
// 'self' only, and the sanitizer still strips authors' style attributes.
var diagramCSP = strings.Replace(contentSecurityPolicy, "style-src 'self'", "style-src 'self' 'unsafe-inline'", 1)

// missingPage answers 404 for a page that does not exist. Editors are
// offered its editor (links to missing pages lead here or straight there);
// viewers get the plain not-found page.
func (s *Server) missingPage(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role, name string) {
	if role < wiki.RoleEditor {
		s.htmlError(w, r, wiki.Errorf(wiki.ENOTFOUND, "There is no page %q.", name))
		return
	}
	v := s.wikiView(r, h, role, wiki.PageTitle(name))
	v.Crumbs = pageCrumbs(v, name)
	v.Data = missingData{Name: name}
	s.render(w, r, http.StatusNotFound, "missing.html", v)
}
