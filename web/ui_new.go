package web

import (
	"net/http"
	"strings"

	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/wiki"
)

// newData is what the "new page" form shows.
type newData struct {
	Name   string
	Error  string
	Exists string // name of an existing page the user asked to create
}

// handleNew asks for a page name and sends the user to its editor. It only
// reads (GET): the page is created when the editor is saved.
func (s *Server) handleNew(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	q := r.URL.Query()
	d := newData{Name: q.Get("prefix")}
	status := http.StatusOK
	if q.Has("name") {
		d.Name = strings.Trim(strings.TrimSpace(q.Get("name")), "/")
		err := wiki.ValidatePageName(d.Name)
		if err == nil {
			var p *wiki.Page
			p, err = h.Store.Page(r.Context(), d.Name, "")
			switch {
			case err == nil:
				d.Exists = p.Name
				status = ErrorStatus(wiki.Errorf(wiki.EEXISTS, "page %q exists", p.Name))
			case wiki.ErrorCode(err) == wiki.ENOTFOUND:
				seeOther(w, r, h.Root+"-/edit/"+escapePage(d.Name))
				return
			default:
				s.htmlError(w, r, err)
				return
			}
		} else {
			d.Error = wiki.ErrorMessage(err)
			status = ErrorStatus(err)
		}
	}
	v := s.wikiView(r, h, role, "New page")
	v.Data = d
	s.render(w, r, status, "new.html", v)
}

// deleteData is what the delete confirmation shows.
type deleteData struct {
	Name     string
	Revision string
}

// handleDeleteForm asks for confirmation; deleting is a POST from this form.
func (s *Server) handleDeleteForm(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	p, err := urlPage(r, h)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	v := s.wikiView(r, h, role, "Delete "+p.Title)
	v.Crumbs = pageCrumbs(v, p.Name)
	v.Data = deleteData{Name: p.Name, Revision: p.Revision}
	s.render(w, r, http.StatusOK, "delete.html", v)
}

// handleDelete removes a page if it is still at the revision the user saw,
// so nobody deletes an edit they never looked at.
func (s *Server) handleDelete(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	name, base, err := pageFormAt(r)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	message := strings.TrimSpace(r.PostForm.Get("message")) // "" = the service's default
	if _, err := h.Store.Delete(r.Context(), name, base, message, wiki.CallerFrom(r.Context())); err != nil {
		s.htmlError(w, r, err)
		return
	}
	s.published(h, name)
	seeOther(w, r, h.Root+"-/changes?notice=deleted")
}
