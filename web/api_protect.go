package web

import (
	"net/http"

	"github.com/gorilla/mux"
	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/wiki"
)

// registerProtectAPI mounts a wiki's protected paths under its /-/api/:
// editors read the rules (so they know where they cannot write), admins
// replace them.
func (s *Server) registerProtectAPI(r *mux.Router) {
	r.HandleFunc("/protect", s.wikiRoute(wiki.RoleEditor, s.apiGetProtect)).Methods("GET")
	r.HandleFunc("/protect", s.wikiRoute(wiki.RoleAdmin, s.apiPutProtect)).Methods("PUT")
}

// apiGetProtect answers the wiki's rules as a JSON list of
// {"glob", "role"}, in order (the last match decides).
func (s *Server) apiGetProtect(w http.ResponseWriter, r *http.Request, h *tenant.Handle, _ wiki.Role) {
	rules, err := s.Robot.ProtectRules(r.Context(), h.Info.Slug)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rules)
}

// apiPutProtect replaces the rules with the list in the body ([] clears
// them) and answers the list as stored. A bad rule is 400 and changes
// nothing.
func (s *Server) apiPutProtect(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	var rules []wiki.ProtectRule
	if err := decodeStrict(r, &rules); err != nil {
		s.apiError(w, r, err)
		return
	}
	if rules == nil {
		s.apiError(w, r, wiki.Errorf(wiki.EINVALID, `the body is a JSON list of {"glob", "role"} rules ([] for none)`))
		return
	}
	if err := s.Robot.SetProtectRules(r.Context(), actor(r), h.Info.Slug, rules); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiGetProtect(w, r, h, role)
}
