package web

import (
	"net/http"
	"strings"

	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/wiki"
)

// settingsData is a wiki's settings page: its settings and its grants.
type settingsData struct {
	Settings      wiki.Settings
	SettingsError string // why the settings form was refused; its values stay
	Grants        []wiki.Grant
	Roles         []string
	Principal     string // the form's values after a refused add
	Role          string
	Error         string
}

// handleSettings shows the wiki's visibility and grants to its admins.
func (s *Server) handleSettings(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	s.settingsPage(w, r, h, role, http.StatusOK, settingsData{Role: wiki.RoleViewer.String()})
}

// settingsPage renders the settings with the current grants.
func (s *Server) settingsPage(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role, status int, d settingsData) {
	grants, err := s.Robot.Grants(r.Context(), h.Info.Slug)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	d.Grants = grants
	if d.SettingsError == "" {
		if d.Settings, err = ReadSettings(r.Context(), h.Info, h.Store); err != nil {
			s.htmlError(w, r, err)
			return
		}
	}
	d.Roles = []string{wiki.RoleViewer.String(), wiki.RoleEditor.String(), wiki.RoleAdmin.String()}
	v := s.wikiView(r, h, role, "Settings")
	v.Data = d
	s.render(w, r, status, "settings.html", v)
}

// handleGrant gives a login or group a role on this wiki; the actor is
// recorded in the audit trail by the robot service.
func (s *Server) handleGrant(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	if err := r.ParseForm(); err != nil {
		s.htmlError(w, r, formError(err))
		return
	}
	d := settingsData{
		Principal: strings.TrimSpace(r.PostForm.Get("principal")),
		Role:      r.PostForm.Get("role"),
	}
	grant, err := wiki.ParseRole(d.Role)
	if err == nil {
		err = wiki.ValidatePrincipal(d.Principal)
	}
	if err == nil {
		err = s.Robot.SetGrant(r.Context(), actor(r), h.Info.Slug, d.Principal, grant)
	}
	if wiki.ErrorCode(err) == wiki.EINVALID {
		d.Error = wiki.ErrorMessage(err)
		s.settingsPage(w, r, h, role, ErrorStatus(err), d)
		return
	} else if err != nil {
		s.htmlError(w, r, err)
		return
	}
	seeOther(w, r, h.Root+"-/settings?notice=granted")
}

// handleRevokeGrant removes a principal's grant on this wiki.
func (s *Server) handleRevokeGrant(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	if err := r.ParseForm(); err != nil {
		s.htmlError(w, r, formError(err))
		return
	}
	principal := r.PostForm.Get("principal")
	if err := wiki.ValidatePrincipal(principal); err != nil {
		s.htmlError(w, r, err)
		return
	}
	if err := s.Robot.RevokeGrant(r.Context(), actor(r), h.Info.Slug, principal); err != nil {
		s.htmlError(w, r, err)
		return
	}
	seeOther(w, r, h.Root+"-/settings?notice=revoked")
}

// actor names the caller in the audit trail.
func actor(r *http.Request) string {
	if c := wiki.CallerFrom(r.Context()); !c.Anonymous() {
		return c.Login
	}
	return "anonymous"
}
