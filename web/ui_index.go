package web

import (
	"net/http"
	"strings"

	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/wiki"
)

// indexLimit is how many pages one screen of the index lists.
const indexLimit = 500

// indexData is one folder level of the page index.
type indexData struct {
	Prefix  string // "" or a folder path ending in "/"
	Folders []indexFolder
	Pages   []wiki.PageInfo
	Next    string // cursor for the next screen, "" at the end
}

// indexFolder is a folder below the current prefix, with how many of the
// listed pages it holds.
type indexFolder struct {
	Name  string // the folder's own name
	Path  string // full prefix, ending in "/"
	Count int
}

// handleIndex lists the pages below ?prefix=, with sub-folders first.
func (s *Server) handleIndex(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	q := r.URL.Query()
	prefix, after := q.Get("prefix"), q.Get("after")
	if prefix != "" {
		if !strings.HasSuffix(prefix, "/") {
			prefix += "/"
		}
		if err := wiki.ValidatePageName(strings.TrimSuffix(prefix, "/")); err != nil {
			s.htmlError(w, r, err)
			return
		}
	}
	pages, err := h.Store.List(r.Context(), prefix, after, indexLimit)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	d := groupIndex(prefix, pages)
	if len(pages) == indexLimit {
		d.Next = pages[len(pages)-1].Name
	}
	v := s.wikiView(r, h, role, "All pages")
	v.Crumbs = indexCrumbs(v, prefix)
	v.Data = d
	s.render(w, r, http.StatusOK, "pages.html", v)
}

// groupIndex splits listed pages into the pages directly below prefix and
// the folders that hold the others.
func groupIndex(prefix string, pages []wiki.PageInfo) indexData {
	d := indexData{Prefix: prefix}
	seen := map[string]int{}
	for _, p := range pages {
		rest := strings.TrimPrefix(p.Name, prefix)
		folder, _, nested := strings.Cut(rest, "/")
		if !nested {
			d.Pages = append(d.Pages, p)
			continue
		}
		if i, ok := seen[folder]; ok {
			d.Folders[i].Count++
			continue
		}
		seen[folder] = len(d.Folders)
		d.Folders = append(d.Folders, indexFolder{Name: folder, Path: prefix + folder + "/", Count: 1})
	}
	return d
}

// indexCrumbs is the breadcrumb of an index folder.
func indexCrumbs(v *view, prefix string) []crumb {
	cs := []crumb{{Label: "All pages", URL: v.IndexURL("")}}
	if prefix == "" {
		cs[0].URL = ""
		return cs
	}
	parts := strings.Split(strings.TrimSuffix(prefix, "/"), "/")
	for i, p := range parts {
		c := crumb{Label: p}
		if i < len(parts)-1 {
			c.URL = v.IndexURL(strings.Join(parts[:i+1], "/") + "/")
		}
		cs = append(cs, c)
	}
	return cs
}

// searchLimit bounds the hits one search shows.
const searchLimit = 50

// searchData is a search and its hits.
type searchData struct {
	Query string
	Hits  []wiki.SearchHit
}

// handleSearch queries the wiki's full-text index.
func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	d := searchData{Query: q}
	if q != "" {
		hits, err := h.Store.Search(r.Context(), q, searchLimit)
		if err != nil {
			s.htmlError(w, r, err)
			return
		}
		d.Hits = hits
	}
	v := s.wikiView(r, h, role, "Search")
	v.Query = q
	v.Data = d
	s.render(w, r, http.StatusOK, "search.html", v)
}

// backlinksData lists the pages that link to one page.
type backlinksData struct {
	Name  string
	Pages []wiki.PageInfo
}

// handleBacklinks lists what links to a page (it may not exist yet).
func (s *Server) handleBacklinks(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	name, err := uiPageParam(r)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	pages, err := h.Store.Backlinks(r.Context(), name)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	v := s.wikiView(r, h, role, "Links to "+wiki.PageTitle(name))
	v.Crumbs = pageCrumbs(v, name)
	v.Data = backlinksData{Name: name, Pages: pages}
	s.render(w, r, http.StatusOK, "backlinks.html", v)
}
