package web

import (
	"net/http"
	"strings"

	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/wiki"
)

// renameData is what the rename form shows: the page, the revision the
// user saw (so a rename never moves an edit nobody looked at), the name
// typed so far and why it was refused.
type renameData struct {
	Name     string
	Revision string
	To       string
	Error    string
}

// handleRenameForm asks for the new name; renaming is a POST from this form.
func (s *Server) handleRenameForm(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	p, err := urlPage(r, h)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	s.renderRename(w, r, h, role, http.StatusOK, renameData{Name: p.Name, Revision: p.Revision, To: p.Name})
}

// handleRename moves the page if it is still at the revision the user saw.
// A bad or taken name shows the form again with the user's input and the
// reason; a stale revision is the plain 412 error page.
func (s *Server) handleRename(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	name, base, err := pageFormAt(r)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	to := strings.Trim(strings.TrimSpace(r.PostForm.Get("to")), "/")
	message := strings.TrimSpace(r.PostForm.Get("message")) // "" = the service's default
	_, err = h.Store.Rename(r.Context(), name, to, base, message, wiki.CallerFrom(r.Context()))
	switch code := wiki.ErrorCode(err); {
	case err == nil:
		s.published(h, name, to)
		seeOther(w, r, h.Root+escapePage(to))
	case code == wiki.EINVALID || code == wiki.EEXISTS:
		d := renameData{Name: name, Revision: base, To: to, Error: wiki.ErrorMessage(err)}
		s.renderRename(w, r, h, role, ErrorStatus(err), d)
	default:
		s.htmlError(w, r, err)
	}
}

func (s *Server) renderRename(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role, status int, d renameData) {
	v := s.wikiView(r, h, role, "Rename "+wiki.PageTitle(d.Name))
	v.Crumbs = pageCrumbs(v, d.Name)
	v.Data = d
	s.render(w, r, status, "rename.html", v)
}
