package web

import (
	"net/http"
	"strconv"

	"github.com/gorilla/mux"
	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/wiki"
)

// registerHistoryAPI adds raw source, blame, the commit view, restore,
// revert, rename and folder delete to a wiki's JSON API; registerAPIRoutes
// calls it before its catch-alls.
func (s *Server) registerHistoryAPI(r *mux.Router) {
	r.HandleFunc("/raw/{path:.+}", s.wikiRoute(wiki.RoleViewer, s.apiRaw)).Methods("GET", "HEAD")
	r.HandleFunc("/blame/{path:.+}", s.historyRoute(wiki.RoleViewer, s.apiBlame)).Methods("GET")
	r.HandleFunc("/commits/{id}", s.historyRoute(wiki.RoleViewer, s.apiCommit)).Methods("GET")
	r.HandleFunc("/restore/{path:.+}", s.wikiRoute(wiki.RoleEditor, s.apiRestore)).Methods("POST")
	r.HandleFunc("/revert/{id}", s.wikiRoute(wiki.RoleEditor, s.apiRevert)).Methods("POST")
	r.HandleFunc("/rename/{path:.+}", s.wikiRoute(wiki.RoleEditor, s.apiRename)).Methods("POST")
	r.HandleFunc("/folders/{path:.+}", s.wikiRoute(wiki.RoleAdmin, s.apiDeleteFolder)).Methods("DELETE")
	r.HandleFunc("/tags", s.wikiRoute(wiki.RoleViewer, s.apiTags)).Methods("GET")
}

// apiRaw answers a page's Markdown, at HEAD or ?revision=, as plain text.
func (s *Server) apiRaw(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	name, err := pageParam(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	rev := r.URL.Query().Get("revision")
	if rev != "" {
		err := validRev(rev)
		if err == nil {
			err = s.historyVisible(r, h, role) // an old revision is history
		}
		if err != nil {
			s.apiError(w, r, err)
			return
		}
	}
	p, err := h.Store.Page(r.Context(), name, rev)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("ETag", `"`+p.Blob+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(p.Content)))
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(p.Content)
}

// apiBlame answers each line of a page with its last commit.
func (s *Server) apiBlame(w http.ResponseWriter, r *http.Request, h *tenant.Handle, _ wiki.Role) {
	name, err := pageParam(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	lines, err := h.Store.Blame(r.Context(), name)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if lines == nil {
		lines = []wiki.BlameLine{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"path": name, "lines": lines})
}

// apiCommit answers one commit with its files and diffs.
func (s *Server) apiCommit(w http.ResponseWriter, r *http.Request, h *tenant.Handle, _ wiki.Role) {
	c, err := h.Store.CommitView(r.Context(), mux.Vars(r)["id"])
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

type apiRestoreBody struct {
	Revision string `json:"revision"`
	Message  string `json:"message"`
}

// apiRestore puts a page back to an old revision; If-Match names the
// page's current revision (428 without it when the page exists).
func (s *Server) apiRestore(w http.ResponseWriter, r *http.Request, h *tenant.Handle, _ wiki.Role) {
	var body apiRestoreBody
	name, base, err := pageRequest(r, &body)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	res, err := h.Store.Restore(r.Context(), wiki.RestoreRequest{Name: name, Revision: body.Revision,
		BaseRevision: base, Message: body.Message, Author: wiki.CallerFrom(r.Context())})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.published(h, name)
	w.Header().Set("ETag", `"`+res.Revision+`"`)
	writeJSON(w, http.StatusOK, map[string]any{"path": name, "revision": res.Revision})
}

type apiRevertBody struct {
	Parent  int    `json:"parent"`
	Message string `json:"message"`
}

// apiRevert undoes one commit; an optional If-Match names the wiki's head
// the caller saw. The body is optional.
func (s *Server) apiRevert(w http.ResponseWriter, r *http.Request, h *tenant.Handle, _ wiki.Role) {
	var body apiRevertBody
	if r.ContentLength != 0 {
		if err := decodeJSON(r, &body); err != nil {
			s.apiError(w, r, err)
			return
		}
	}
	base, err := ifMatch(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	id := mux.Vars(r)["id"]
	rev, err := h.Store.Revert(r.Context(), wiki.RevertRequest{Commit: id, Parent: body.Parent,
		BaseRevision: base, Message: body.Message, Author: wiki.CallerFrom(r.Context())})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.publishCommit(r, h, rev)
	writeJSON(w, http.StatusOK, map[string]any{"commit": rev, "reverted": id})
}

type apiRenameBody struct {
	To           string `json:"to"`
	RewriteLinks *bool  `json:"rewrite_links"`
	Message      string `json:"message"`
}

// apiRename moves a page (or folder) with If-Match; links are rewritten
// unless rewrite_links is false.
func (s *Server) apiRename(w http.ResponseWriter, r *http.Request, h *tenant.Handle, _ wiki.Role) {
	var body apiRenameBody
	name, base, err := pageRequest(r, &body)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	res, err := h.Store.Move(r.Context(), wiki.MoveRequest{From: name, To: body.To, BaseRevision: base,
		Message: body.Message, Author: wiki.CallerFrom(r.Context()), RewriteLinks: body.RewriteLinks == nil || *body.RewriteLinks})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.publishMove(h, res)
	w.Header().Set("ETag", `"`+res.Revision+`"`)
	writeJSON(w, http.StatusOK, res)
}

// apiDeleteFolder deletes a folder with If-Match naming its revision (the
// "revision" of GET …/pages?prefix= answers, see FolderRevision).
func (s *Server) apiDeleteFolder(w http.ResponseWriter, r *http.Request, h *tenant.Handle, _ wiki.Role) {
	name, base, err := pageRequest(r, nil)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	rev, err := h.Store.DeleteFolder(r.Context(), name, base, r.URL.Query().Get("message"), wiki.CallerFrom(r.Context()))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.publishCommit(r, h, rev)
	writeJSON(w, http.StatusOK, map[string]any{"path": name, "revision": rev, "deleted": true})
}

// apiTags lists the tags with their pages.
func (s *Server) apiTags(w http.ResponseWriter, r *http.Request, h *tenant.Handle, _ wiki.Role) {
	tags, err := h.Store.Tags(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if tags == nil {
		tags = []wiki.Tag{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"tags": tags})
}

// publishMove tells the change hub about every page a move touched.
func (s *Server) publishMove(h *tenant.Handle, res *wiki.MoveResult) {
	var pages []string
	for old, new := range res.Moved {
		pages = append(pages, old, new)
	}
	s.published(h, append(pages, res.Rewritten...)...)
}

// publishCommit tells the change hub about the pages one commit changed.
func (s *Server) publishCommit(r *http.Request, h *tenant.Handle, rev string) {
	c, err := h.Store.CommitView(r.Context(), rev)
	if err != nil {
		return
	}
	var pages []string
	for _, f := range c.Changes {
		if f.Page != "" {
			pages = append(pages, f.Page)
		}
	}
	s.published(h, pages...)
}
