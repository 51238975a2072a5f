package web

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
	"time"

	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/wiki"
)

// What a wiki URL shows when it is not a page of that exact name, as the
// wikis warren imports expect:
//   - the root shows the "home" preference, else Home, README or index (any
//     case), else the page index (a wiki with no pages at all still offers
//     to write Home);
//   - a page URL is resolved by the one resolver (spaces ≡ hyphens, an
//     alias, a base name anywhere) and the page is shown at that URL;
//   - An Otter Wiki's /{page}/{file} serves the file when no page has that
//     name (pages win, so a page named like an attachment stays reachable);
//   - a folder lists its pages;
//   - else the missing page (editors are offered its editor).

// handleHome shows the wiki's home page, or its page index without one.
func (s *Server) handleHome(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	name, err := h.Store.HomePage(r.Context())
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	if name != "" {
		s.showPage(w, r, h, role, name)
		return
	}
	if any, err := h.Store.List(r.Context(), "", "", 1); err != nil || len(any) == 0 {
		s.showPage(w, r, h, role, wiki.HomePage) // an empty wiki: offer to write Home
		return
	}
	s.showFolder(w, r, h, role, "")
}

// notAPage answers a page URL that names no page exactly.
func (s *Server) notAPage(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role, name string) {
	ctx := r.Context()
	res, err := h.Store.Resolve(ctx, name)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	switch {
	case res.Page != "" && res.Page != name:
		s.showPage(w, r, h, role, res.Page)
		return
	case res.File != "":
		s.serveWikiFile(w, r, h, res.File)
		return
	}
	if ok, err := h.Store.HasFolder(ctx, name); err != nil {
		s.htmlError(w, r, err)
		return
	} else if ok {
		s.showFolder(w, r, h, role, name+"/")
		return
	}
	s.missingPage(w, r, h, role, name)
}

// showFolder shows the page index of one folder ("" = the root) at the
// folder's own URL.
func (s *Server) showFolder(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role, prefix string) {
	r2 := r.Clone(r.Context())
	q := url.Values{}
	if prefix != "" {
		q.Set("prefix", prefix)
	}
	if after := r.URL.Query().Get("after"); after != "" {
		q.Set("after", after)
	}
	r2.URL.RawQuery = q.Encode()
	s.handleIndex(w, r2, h, role)
}

// serveWikiFile serves a file of the wiki found by its path.
func (s *Server) serveWikiFile(w http.ResponseWriter, r *http.Request, h *tenant.Handle, p string) {
	data, blob, err := h.Store.File(r.Context(), p)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	hdr := w.Header()
	setFileHeaders(hdr, p)
	hdr.Set("ETag", `"`+blob+`"`)
	hdr.Set("Cache-Control", "private, no-cache")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
}

// chromeData is the _Sidebar and _Footer shown with a page.
type chromeData struct {
	Sidebar, Footer         template.HTML
	SidebarEdit, FooterEdit string // their editors, for editors
}

// pageChrome fetches the chrome of a page's folder tree.
func (s *Server) pageChrome(r *http.Request, h *tenant.Handle, name string) (chromeData, error) {
	c, err := h.Store.Chrome(r.Context(), name)
	if err != nil {
		return chromeData{}, err
	}
	d := chromeData{Sidebar: template.HTML(c.Sidebar), Footer: template.HTML(c.Footer)}
	if c.SidebarPage != "" {
		d.SidebarEdit = h.Root + "-/edit/" + escapePage(c.SidebarPage)
	}
	if c.FooterPage != "" {
		d.FooterEdit = h.Root + "-/edit/" + escapePage(c.FooterPage)
	}
	return d, nil
}
