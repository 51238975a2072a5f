package web

import (
	"net/http"
	"strings"

	"github.com/gorilla/mux"
	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/wiki"
)

// registerProtectUI adds a wiki's protected-paths page (admins): the
// rules in order, a form that adds one (or moves its glob to the end with
// a new role), and a remove button per rule. Called before the catch-all
// of /-/.
func (s *Server) registerProtectUI(r *mux.Router) {
	r.HandleFunc("/-/protect", s.wikiRoute(wiki.RoleAdmin, s.handleProtect)).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/-/protect", s.wikiRoute(wiki.RoleAdmin, s.handleAddRule)).Methods(http.MethodPost)
	r.HandleFunc("/-/protect/remove", s.wikiRoute(wiki.RoleAdmin, s.handleRemoveRule)).Methods(http.MethodPost)
}

// protectData is the protected-paths page.
type protectData struct {
	Rules    []wiki.ProtectRule
	Quota    wiki.Quota
	MaxBytes string // the byte quota for people
	Roles    []string
	Glob     string // the form's values after a refused add
	Role     string
	Error    string
}

func (s *Server) handleProtect(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	s.protectPage(w, r, h, role, http.StatusOK, protectData{Role: wiki.RoleAdmin.String()})
}

// protectPage renders the rules and the quota in force with status.
func (s *Server) protectPage(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role, status int, d protectData) {
	pol, err := s.Robot.WritePolicy(r.Context(), h.Info.Slug)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	d.Rules, d.Quota, d.MaxBytes = pol.Rules, pol.Quota, wiki.FormatBytes(pol.Quota.MaxBytes)
	d.Roles = []string{wiki.RoleAdmin.String(), wiki.RoleEditor.String()}
	v := s.wikiView(r, h, role, "Protected paths")
	v.Data = d
	s.render(w, r, status, "protect.html", v)
}

// handleAddRule adds the form's rule through the same service as the CLI.
func (s *Server) handleAddRule(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	if err := r.ParseForm(); err != nil {
		s.htmlError(w, r, formError(err))
		return
	}
	d := protectData{Glob: strings.TrimSpace(r.PostForm.Get("glob")), Role: r.PostForm.Get("role")}
	rule, err := wiki.ParseProtectRule(d.Glob, d.Role)
	if err == nil {
		err = s.Robot.Protect(r.Context(), actor(r), h.Info.Slug, rule.Glob, rule.Role)
	}
	if wiki.ErrorCode(err) == wiki.EINVALID {
		d.Error = wiki.ErrorMessage(err)
		s.protectPage(w, r, h, role, ErrorStatus(err), d)
		return
	} else if err != nil {
		s.htmlError(w, r, err)
		return
	}
	seeOther(w, r, h.Root+"-/protect")
}

func (s *Server) handleRemoveRule(w http.ResponseWriter, r *http.Request, h *tenant.Handle, _ wiki.Role) {
	if err := r.ParseForm(); err != nil {
		s.htmlError(w, r, formError(err))
		return
	}
	if err := s.Robot.Unprotect(r.Context(), actor(r), h.Info.Slug, r.PostForm.Get("glob")); err != nil {
		s.htmlError(w, r, err)
		return
	}
	seeOther(w, r, h.Root+"-/protect")
}
