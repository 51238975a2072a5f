package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/wiki"
)

// renameData is what the rename form shows: the page or folder, the
// revision the user saw (so a rename never moves an edit nobody looked
// at), the name typed so far, whether links are rewritten, and why it was
// refused.
type renameData struct {
	Name     string
	Folder   bool
	Revision string
	To       string
	Keep     bool // leave links in other pages as they are
	Error    string
}

// handleRenameForm asks for the new name of a page, or of a folder when no
// page has the name; renaming is a POST from this form.
func (s *Server) handleRenameForm(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	p, err := urlPage(r, h)
	if wiki.ErrorCode(err) == wiki.ENOTFOUND {
		name, _ := uiPageParam(r)
		rev, ferr := h.Store.FolderRevision(r.Context(), name+"/")
		if ferr != nil {
			s.htmlError(w, r, err)
			return
		}
		s.renderRename(w, r, h, role, http.StatusOK, renameData{Name: name, Folder: true, Revision: rev, To: name})
		return
	} else if err != nil {
		s.htmlError(w, r, err)
		return
	}
	s.renderRename(w, r, h, role, http.StatusOK, renameData{Name: p.Name, Revision: p.Revision, To: p.Name})
}

// handleRename moves the page (or folder) if it is still at the revision
// the user saw, rewriting links unless asked not to. A bad or taken name
// shows the form again with the user's input and the reason; a stale
// revision is the plain 412 error page.
func (s *Server) handleRename(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	name, base, err := pageFormAt(r)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	to := strings.Trim(strings.TrimSpace(r.PostForm.Get("to")), "/")
	keep := r.PostForm.Get("keep_links") != ""
	res, err := h.Store.Move(r.Context(), wiki.MoveRequest{From: name, To: to, BaseRevision: base,
		Message: strings.TrimSpace(r.PostForm.Get("message")), Author: wiki.CallerFrom(r.Context()), RewriteLinks: !keep})
	switch code := wiki.ErrorCode(err); {
	case err == nil:
		s.publishMove(h, res)
		if _, page := res.Moved[name]; page || len(res.Moved) == 0 {
			seeOther(w, r, h.Root+escapePage(to))
			return
		}
		seeOther(w, r, h.Root+"-/pages?prefix="+url.QueryEscape(to+"/"))
	case code == wiki.EINVALID || code == wiki.EEXISTS:
		d := renameData{Name: name, Folder: r.PostForm.Get("folder") != "", Revision: base, To: to, Keep: keep, Error: wiki.ErrorMessage(err)}
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
