package web

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/gorilla/mux"
	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/wiki"
)

// registerHistoryRoutes adds the commit view, revert, blame, restore,
// folder delete, tags and the Atom feeds to one wiki's routes; it is
// called from registerUIRoutes before the catch-all of /-/.
func (s *Server) registerHistoryRoutes(r *mux.Router) {
	get := []string{http.MethodGet, http.MethodHead}
	post := []string{http.MethodPost}
	viewer, editor, admin := wiki.RoleViewer, wiki.RoleEditor, wiki.RoleAdmin

	r.HandleFunc("/-/commit/{id}", s.historyRoute(viewer, s.handleCommit)).Methods(get...)
	r.HandleFunc("/-/revert/{id}", s.wikiRoute(editor, s.handleRevert)).Methods(post...)
	r.HandleFunc("/-/blame/{page:.+}", s.historyRoute(viewer, s.handleBlame)).Methods(get...)
	r.HandleFunc("/-/restore/{page:.+}", s.wikiRoute(editor, s.handleRestore)).Methods(post...)
	r.HandleFunc("/-/delete-folder/{page:.+}", s.wikiRoute(admin, s.handleDeleteFolderForm)).Methods(get...)
	r.HandleFunc("/-/delete-folder/{page:.+}", s.wikiRoute(admin, s.handleDeleteFolder)).Methods(post...)
	r.HandleFunc("/-/tags", s.wikiRoute(viewer, s.handleTags)).Methods(get...)
	r.HandleFunc("/-/feed", s.feedRoute(s.historyGate(s.handleFeed))).Methods(get...)
	r.HandleFunc("/-/feed/{page:.+}", s.feedRoute(s.historyGate(s.handleFeed))).Methods(get...)
}

// commitData is one commit and its diffs, rendered.
type commitData struct {
	*wiki.Commit
	Subject, Body string
	Files         []commitFileView
	Head          string // the wiki's head when shown, for revert's precondition
}

// commitFileView is one changed file with its diff as HTML.
type commitFileView struct {
	wiki.CommitFile
	Diff template.HTML
}

// handleCommit shows a commit: message, author, date, parents and every
// changed file with its diff; editors get "Revert this change".
func (s *Server) handleCommit(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	id := mux.Vars(r)["id"]
	if err := validRev(id); err != nil {
		s.htmlError(w, r, err)
		return
	}
	c, err := h.Store.CommitView(r.Context(), id)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	d := commitData{Commit: c}
	d.Subject, d.Body, _ = strings.Cut(c.Message, "\n")
	d.Body = strings.TrimSpace(d.Body)
	for _, f := range c.Changes {
		v := commitFileView{CommitFile: f}
		if !f.Binary {
			v.Diff = diffTable(f.Lines)
		}
		d.Files = append(d.Files, v)
	}
	if d.Head, err = h.Store.Repository().Head(r.Context()); err != nil {
		s.htmlError(w, r, err)
		return
	}
	v := s.wikiView(r, h, role, "Commit "+shortRev(c.ID))
	v.Crumbs = []crumb{{Label: "Recent changes", URL: v.URL("-/changes")}, {Label: shortRev(c.ID)}}
	v.Data = d
	s.render(w, r, http.StatusOK, "commit.html", v)
}

// handleRevert undoes a commit from the commit view's form; a conflict
// (or a merge commit without a parent chosen) shows the error page and
// changes nothing.
func (s *Server) handleRevert(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	id := mux.Vars(r)["id"]
	if err := validRev(id); err != nil {
		s.htmlError(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.htmlError(w, r, formError(err))
		return
	}
	base := r.PostForm.Get("base_revision")
	if base != "" {
		if err := validRev(base); err != nil {
			s.htmlError(w, r, err)
			return
		}
	}
	parent, _ := strconv.Atoi(r.PostForm.Get("parent"))
	rev, err := h.Store.Revert(r.Context(), wiki.RevertRequest{Commit: id, Parent: parent, BaseRevision: base,
		Message: strings.TrimSpace(r.PostForm.Get("message")), Author: wiki.CallerFrom(r.Context())})
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	s.publishCommit(r, h, rev)
	seeOther(w, r, h.Root+"-/commit/"+rev)
}

// blameData is a page's lines with their commits.
type blameData struct {
	Name  string
	Lines []wiki.BlameLine
}

// handleBlame shows each line of a page with the commit that last changed it.
func (s *Server) handleBlame(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	name, err := uiPageParam(r)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	lines, err := h.Store.Blame(r.Context(), name)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	v := s.wikiView(r, h, role, "Blame of "+wiki.PageTitle(name))
	v.Crumbs = actionCrumbs(v, name, "Blame")
	v.Data = blameData{Name: name, Lines: lines}
	s.render(w, r, http.StatusOK, "blame.html", v)
}

// handleRestore makes an old revision the page's text again, from the
// "Restore this version" buttons of the history and the old-revision view.
// base_revision is the page's revision when the button was shown: if the
// page changed since, nothing happens (412).
func (s *Server) handleRestore(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	name, err := pageForm(r)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	rev, base := r.PostForm.Get("revision"), r.PostForm.Get("base_revision")
	if err := validRev(rev); err != nil {
		s.htmlError(w, r, err)
		return
	}
	if base != "" { // "" only for a page that no longer exists
		if err := validRev(base); err != nil {
			s.htmlError(w, r, err)
			return
		}
	}
	_, err = h.Store.Restore(r.Context(), wiki.RestoreRequest{Name: name, Revision: rev, BaseRevision: base,
		Message: strings.TrimSpace(r.PostForm.Get("message")), Author: wiki.CallerFrom(r.Context())})
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	s.published(h, name)
	seeOther(w, r, h.Root+escapePage(name)+"?notice=restored")
}

// folderData is the confirmation of a folder delete.
type folderData struct {
	Name     string
	Revision string
	Count    int
}

// handleDeleteFolderForm asks an admin to confirm deleting a folder.
func (s *Server) handleDeleteFolderForm(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	name, err := uiPageParam(r)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	rev, err := h.Store.FolderRevision(r.Context(), name+"/")
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	d := folderData{Name: name, Revision: rev}
	parent, base := "", name
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		parent, base = name[:i+1], name[i+1:]
	}
	if fs, err := h.Store.Folders(r.Context(), parent, "", maxFolderLookup); err == nil {
		for _, f := range fs {
			if f.Name == base {
				d.Count = f.Count
			}
		}
	}
	v := s.wikiView(r, h, role, "Delete folder "+name)
	v.Crumbs = indexCrumbs(v, name+"/")
	v.Data = d
	s.render(w, r, http.StatusOK, "delete-folder.html", v)
}

// maxFolderLookup bounds the folder listing read to count one folder's pages.
const maxFolderLookup = 1000

// handleDeleteFolder deletes a folder with everything in it, if no page in
// it changed since the confirmation was shown.
func (s *Server) handleDeleteFolder(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	name, base, err := pageFormAt(r)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	rev, err := h.Store.DeleteFolder(r.Context(), name, base, strings.TrimSpace(r.PostForm.Get("message")), wiki.CallerFrom(r.Context()))
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	s.publishCommit(r, h, rev)
	seeOther(w, r, h.Root+"-/pages?notice=deleted")
}

// handleTags lists every front-matter tag with its pages.
func (s *Server) handleTags(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	tags, err := h.Store.Tags(r.Context())
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	v := s.wikiView(r, h, role, "Tags")
	v.Data = tags
	s.render(w, r, http.StatusOK, "tags.html", v)
}

// restoreForm is the "Restore this version" button of an old revision: a
// form posting the revision and the page's current revision ("" if the
// page is deleted now).
func (s *Server) restoreForm(r *http.Request, h *tenant.Handle, name, rev string) (template.HTML, error) {
	base := ""
	if p, err := h.Store.Page(r.Context(), name, ""); err == nil {
		if p.Revision == rev {
			return "", nil
		}
		base = p.Revision
	} else if wiki.ErrorCode(err) != wiki.ENOTFOUND {
		return "", err
	}
	return template.HTML(` <form method="post" class="inline" action="` + attr(h.Root+"-/restore/"+escapePage(name)) + `">` +
		`<input type="hidden" name="revision" value="` + attr(rev) + `">` +
		`<input type="hidden" name="base_revision" value="` + attr(base) + `">` +
		`<button type="submit" class="small">Restore this version</button></form>`), nil
}
