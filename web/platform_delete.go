package web

import (
	"net/http"
	"strings"

	"github.com/warren-wiki/warren/wiki"
)

// Deleting a wiki from the browser (platform admins): the wiki list's
// Delete leads to a page that says what goes, and the form there deletes
// only when the wiki's name is typed again, as GitHub asks before deleting
// a repository. It goes through Robot.DeleteWiki, which records the
// deletion and its actor in the audit trail, then takes the wiki out of
// the pool of open wikis.

// deleteWikiData is the confirmation page.
type deleteWikiData struct {
	Wiki  wiki.Wiki
	Typed string
	Error string
}

// handleDeleteWikiForm asks for confirmation: GET /-/wikis/delete?slug=.
func (s *Server) handleDeleteWikiForm(w http.ResponseWriter, r *http.Request) {
	s.deleteWikiPage(w, r, r.URL.Query().Get("slug"), http.StatusOK, deleteWikiData{})
}

// handleDeleteWiki deletes the wiki named by the form when confirm repeats
// its name; otherwise it shows the page again and deletes nothing.
func (s *Server) handleDeleteWiki(w http.ResponseWriter, r *http.Request) {
	c := wiki.CallerFrom(r.Context())
	if !s.isPlatformAdmin(c) {
		s.htmlError(w, r, platformDenial(c))
		return
	}
	if err := r.ParseForm(); err != nil {
		s.htmlError(w, r, formError(err))
		return
	}
	slug, typed := r.PostForm.Get("slug"), strings.TrimSpace(r.PostForm.Get("confirm"))
	if typed != slug {
		err := wiki.Errorf(wiki.EINVALID, "Type the wiki's name, %s, exactly to delete it.", slug)
		s.deleteWikiPage(w, r, slug, ErrorStatus(err), deleteWikiData{Typed: typed, Error: wiki.ErrorMessage(err)})
		return
	}
	if err := wiki.ValidateSlug(slug); err != nil {
		s.htmlError(w, r, err)
		return
	}
	if err := s.Robot.DeleteWiki(r.Context(), actor(r), slug); err != nil {
		s.htmlError(w, r, err)
		return
	}
	s.Pool.Remove(slug)
	s.forgetViews(slug)
	seeOther(w, r, s.platformURL(r)+"?notice=wiki-deleted")
}

// deleteWikiPage renders the confirmation for slug, for platform admins.
func (s *Server) deleteWikiPage(w http.ResponseWriter, r *http.Request, slug string, status int, d deleteWikiData) {
	c := wiki.CallerFrom(r.Context())
	if !s.isPlatformAdmin(c) {
		s.htmlError(w, r, platformDenial(c))
		return
	}
	if err := wiki.ValidateSlug(slug); err != nil {
		s.htmlError(w, r, err)
		return
	}
	info, err := s.Robot.FindWiki(r.Context(), slug)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	d.Wiki = *info
	v := s.platformView(r, "Delete "+slug)
	v.Data = d
	s.render(w, r, status, "delete-wiki.html", v)
}
