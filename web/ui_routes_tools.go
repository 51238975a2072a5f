package web

import (
	"net/http"

	"github.com/gorilla/mux"
	"github.com/warren-wiki/warren/wiki"
)

// registerPageToolRoutes adds renaming (editor) to one wiki's routes. It
// is called from registerUIRoutes before the catch-all of /-/, so these
// actions are never taken for pages.
func (s *Server) registerPageToolRoutes(r *mux.Router) {
	get := []string{http.MethodGet, http.MethodHead}
	post := []string{http.MethodPost}
	editor := wiki.RoleEditor

	r.HandleFunc("/-/rename/{page:.+}", s.wikiRoute(editor, s.handleRenameForm)).Methods(get...)
	r.HandleFunc("/-/rename/{page:.+}", s.wikiRoute(editor, s.handleRename)).Methods(post...)
}
