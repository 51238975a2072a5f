package web

import (
	"net/http"
	"strings"

	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/wiki"
)

// indexLimit is how many folders, and how many pages, one screen of the
// index lists.
const indexLimit = 500

// indexData is one folder level of the page index: its sub-folders (with
// the number of pages below each, at any depth) and the pages directly in
// it, each list paged by its own cursor.
type indexData struct {
	Prefix     string // "" or a folder path ending in "/"
	Folder     string // Prefix without its "/", for the folder's actions
	Folders    []wiki.Folder
	Pages      []wiki.PageInfo
	Next       string // cursor of the next screen of pages, "" at the end
	NextFolder string // cursor of the next screen of folders, "" at the end
	Revision   string // the folder's revision, for deleting it (admins)
}

// handleIndex lists the folders and pages below ?prefix=, folders first;
// ?after= pages on through the pages, ?folders_after= through the folders.
func (s *Server) handleIndex(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	q := r.URL.Query()
	prefix, after, fafter := q.Get("prefix"), q.Get("after"), q.Get("folders_after")
	if prefix != "" && !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	d := indexData{Prefix: prefix, Folder: strings.TrimSuffix(prefix, "/")}
	var err error
	if after == "" {
		d.Folders, err = h.Store.Folders(r.Context(), prefix, fafter, indexLimit+1)
		if err == nil && len(d.Folders) > indexLimit {
			d.Folders = d.Folders[:indexLimit]
			d.NextFolder = d.Folders[indexLimit-1].Name
		}
	}
	if err == nil && fafter == "" {
		d.Pages, err = h.Store.PagesIn(r.Context(), prefix, after, indexLimit+1)
		if err == nil && len(d.Pages) > indexLimit {
			d.Pages = d.Pages[:indexLimit]
			d.Next = d.Pages[indexLimit-1].Name
		}
	}
	if err == nil && prefix != "" && role >= wiki.RoleAdmin {
		if d.Revision, err = h.Store.FolderRevision(r.Context(), prefix); wiki.ErrorCode(err) == wiki.ENOTFOUND {
			err = nil
		}
	}
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	v := s.wikiView(r, h, role, "All pages")
	v.Crumbs = indexCrumbs(v, prefix)
	v.Data = d
	s.render(w, r, http.StatusOK, "pages.html", v)
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

// searchLimit is how many hits one screen of search results shows.
const searchLimit = 25

// searchData is a search, one screen of its hits and the total.
type searchData struct {
	Query string
	Res   *wiki.SearchResult
}

// handleSearch queries the wiki's full-text index, one screen at a time
// (?after= is the cursor the previous screen's "More results" carries).
func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	d := searchData{Query: q}
	if err := wiki.ValidateSearchQuery(q); err != nil {
		s.htmlError(w, r, err)
		return
	}
	if q != "" {
		res, err := h.Store.Search(r.Context(), q, searchLimit, r.URL.Query().Get("after"))
		if err != nil {
			s.htmlError(w, r, err)
			return
		}
		d.Res = res
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
