package web

import (
	"net/http"

	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/wiki"
)

// handleSaveSettings applies the settings form (wiki admins): every field
// at once, through the same ApplySettings as the API and the CLI, so each
// change applies on the next request. A refused value shows the form again
// with what was typed and changes nothing.
func (s *Server) handleSaveSettings(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	if err := r.ParseForm(); err != nil {
		s.htmlError(w, r, formError(err))
		return
	}
	p := settingsForm(r)
	if _, err := ApplySettings(r.Context(), s.Robot, h.Store, actor(r), h.Info.Slug, p); wiki.ErrorCode(err) == wiki.EINVALID {
		s.settingsPage(w, r, h, role, ErrorStatus(err), settingsData{Settings: typedSettings(p),
			SettingsError: wiki.ErrorMessage(err), Role: wiki.RoleViewer.String()})
		return
	} else if err != nil {
		s.htmlError(w, r, err)
		return
	}
	seeOther(w, r, h.Root+"-/settings?notice=settings")
}

// settingsForm reads every field of the form into a patch; an unchecked
// box is sent as nothing, so it means false.
func settingsForm(r *http.Request) wiki.SettingsPatch {
	f := r.PostForm
	str := func(k string) *string { v := f.Get(k); return &v }
	yes := func(k string) *bool { v := f.Get(k) != ""; return &v }
	return wiki.SettingsPatch{
		Title:                  str("title"),
		Description:            str("description"),
		Home:                   str("home"),
		Visibility:             str("visibility"),
		LinkStyle:              str("link_style"),
		Sidebar:                str("sidebar"),
		HideHistoryFromViewers: yes("hide_history_from_viewers"),
		RequireMessage:         yes("require_message"),
		NewPageTemplate:        str("new_page_template"),
	}
}

// settingsChoices are the values the settings form offers for its choices.
type settingsChoices struct {
	Visibilities []wiki.Visibility
	LinkStyles   []wiki.LinkStyle
	Sidebars     []wiki.Sidebar
}

// Choices lists the values of the form's select boxes.
func (d settingsData) Choices() settingsChoices {
	return settingsChoices{
		Visibilities: []wiki.Visibility{wiki.Private, wiki.Internal, wiki.Public},
		LinkStyles:   []wiki.LinkStyle{wiki.LinkTextPage, wiki.LinkPageText},
		Sidebars:     []wiki.Sidebar{wiki.SidebarTree, wiki.SidebarPage, wiki.SidebarOff},
	}
}

// typedSettings is what the form sent, unvalidated, to show it again.
func typedSettings(p wiki.SettingsPatch) wiki.Settings {
	return wiki.Settings{Title: *p.Title, Visibility: wiki.Visibility(*p.Visibility), Preferences: wiki.Preferences{
		Description: *p.Description, Home: *p.Home, LinkStyle: wiki.LinkStyle(*p.LinkStyle),
		Sidebar: wiki.Sidebar(*p.Sidebar), HideHistoryFromViewers: *p.HideHistoryFromViewers,
		RequireMessage: *p.RequireMessage, NewPageTemplate: *p.NewPageTemplate,
	}}
}
