package web

import (
	"net/http"

	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/wiki"
)

// handleSaveDraft keeps the editor's unsaved text (the editor's script
// posts it a few seconds after the last keystroke), so a closed tab or a
// lost connection loses nothing. The next visit to the editor offers it.
func (s *Server) handleSaveDraft(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	name, err := uiPageParam(r)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	c := wiki.CallerFrom(r.Context())
	if c.Anonymous() {
		s.htmlError(w, r, wiki.Errorf(wiki.EUNAUTHORIZED, "Sign in to keep drafts."))
		return
	}
	base, err := editForm(r)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	content := normalizeText(r.PostForm.Get("content"))
	if err := h.Store.SaveDraft(r.Context(), name, c.Login, base, []byte(content)); err != nil {
		s.htmlError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleDiscardDraft throws the caller's kept text of a page away.
func (s *Server) handleDiscardDraft(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	name, err := uiPageParam(r)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	if c := wiki.CallerFrom(r.Context()); !c.Anonymous() {
		if err := h.Store.DeleteDraft(r.Context(), name, c.Login); err != nil {
			s.htmlError(w, r, err)
			return
		}
	}
	seeOther(w, r, h.Root+"-/edit/"+escapePage(name))
}
