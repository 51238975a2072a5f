package web

import (
	"net/http"
	"strconv"

	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/wiki"
)

// History in the JSON API lives at /-/api/history/{path}, outside the
// pages' own namespace, so that no page name can collide with it (a page
// "X/history" is GET /-/api/pages/X/history). The old route,
// /-/api/pages/{path}/history, still answers a page's history unless a page
// of that name exists, which it then returns instead. Both page with
// ?limit= (1-500, default 50) and the "next" cursor of the previous answer
// (?next=), with no fixed cap; "next" is "" on the last screen. The wiki's
// change log, /-/api/changes, pages the same way.

// apiHistory answers GET /-/api/history/{path}.
func (s *Server) apiHistory(w http.ResponseWriter, r *http.Request, h *tenant.Handle, _ wiki.Role) {
	name, err := pageParam(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.writeChanges(w, r, h, name)
}

// apiPageHistory answers the old route: the page "{path}/history" when it
// exists, else the history of {path}.
func (s *Server) apiPageHistory(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	name, err := pageParam(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if _, err := h.Store.Page(r.Context(), name+"/history", ""); err == nil {
		s.apiGetPageNamed(w, r, h, name+"/history")
		return
	}
	s.writeChanges(w, r, h, name)
}

// writeChanges answers a page's history or the wiki's change log, one
// screen at a time.
func (s *Server) writeChanges(w http.ResponseWriter, r *http.Request, h *tenant.Handle, name string) {
	q := r.URL.Query()
	limit, err := limitParam(q.Get("limit"), 50, 500)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var before int64
	if v := q.Get("next"); v != "" {
		if before, err = strconv.ParseInt(v, 10, 64); err != nil || before <= 0 {
			s.apiError(w, r, wiki.Errorf(wiki.EINVALID, "next must be the cursor of a previous answer"))
			return
		}
	}
	entries, err := h.Store.Changes(r.Context(), name, limit+1, before)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	next := ""
	if len(entries) > limit {
		entries = entries[:limit]
		next = strconv.FormatInt(entries[limit-1].Seq, 10)
	}
	changes := make([]wiki.Change, len(entries))
	for i, e := range entries {
		changes[i] = e.Change
	}
	writeJSON(w, http.StatusOK, map[string]any{"history": changes, "next": next})
}
