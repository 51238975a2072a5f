package web

import (
	"net/http"

	"github.com/gorilla/mux"
	"github.com/warren-wiki/warren/wiki"
)

// registerPageToolRoutes adds renaming (editor) and attachments (viewers
// list and download, editors upload and delete) to one wiki's routes. It
// is called from registerUIRoutes before the catch-all of /-/, so these
// actions are never taken for pages.
func (s *Server) registerPageToolRoutes(r *mux.Router) {
	get := []string{http.MethodGet, http.MethodHead}
	post := []string{http.MethodPost}
	viewer, editor := wiki.RoleViewer, wiki.RoleEditor

	r.HandleFunc("/-/rename/{page:.+}", s.wikiRoute(editor, s.handleRenameForm)).Methods(get...)
	r.HandleFunc("/-/rename/{page:.+}", s.wikiRoute(editor, s.handleRename)).Methods(post...)
	r.HandleFunc("/-/attachments/{page:.+}", s.historyRoute(viewer, s.handleAttachments)).Methods(get...)
	r.HandleFunc("/-/attachments/{page:.+}", s.wikiRoute(editor, s.handleUpload)).Methods(post...)
	r.HandleFunc("/-/delete-attachment/{page:.+}", s.wikiRoute(editor, s.handleDeleteAttachment)).Methods(post...)
	r.HandleFunc("/-/rename-attachment/{page:.+}", s.wikiRoute(editor, s.handleRenameAttachmentForm)).Methods(get...)
	r.HandleFunc("/-/rename-attachment/{page:.+}", s.wikiRoute(editor, s.handleRenameAttachment)).Methods(post...)
	r.HandleFunc("/-/attachment-history/{page:.+}", s.historyRoute(viewer, s.handleAttachmentHistory)).Methods(get...)
	r.HandleFunc("/-/files/{path:.+}", s.wikiRoute(viewer, s.handleFile)).Methods(get...)
}
