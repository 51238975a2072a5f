package wiki

import "strings"

// Settings are everything a wiki's admins may change, as the settings API
// and page show them: the robot.db part (title, visibility), which the
// platform needs without opening the wiki, and the wiki.db preferences.
type Settings struct {
	Title      string     `json:"title"`
	Visibility Visibility `json:"visibility"`
	Preferences
}

// SettingsPatch is a change to some settings; nil fields stay as they are.
// Values are plain strings so that a bad one is refused by Apply with a
// message naming the field, whatever the client sent.
type SettingsPatch struct {
	Title                  *string `json:"title"`
	Description            *string `json:"description"`
	Home                   *string `json:"home"`
	Visibility             *string `json:"visibility"`
	LinkStyle              *string `json:"link_style"`
	Sidebar                *string `json:"sidebar"`
	HideHistoryFromViewers *bool   `json:"hide_history_from_viewers"`
	RequireMessage         *bool   `json:"require_message"`
	NewPageTemplate        *string `json:"new_page_template"`
}

// Apply returns s with the patch applied and the preferences validated
// (EINVALID naming the field otherwise). The title is checked by the
// platform service that stores it.
func (p SettingsPatch) Apply(s Settings) (Settings, error) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&s.Title, p.Title)
	set(&s.Description, p.Description)
	set(&s.NewPageTemplate, p.NewPageTemplate)
	if p.Home != nil {
		s.Home = strings.Trim(strings.TrimSpace(*p.Home), "/")
	}
	if p.Visibility != nil {
		v, err := ParseVisibility(*p.Visibility)
		if err != nil {
			return s, err
		}
		s.Visibility = v
	}
	if p.LinkStyle != nil {
		s.LinkStyle = LinkStyle(*p.LinkStyle)
	}
	if p.Sidebar != nil {
		s.Sidebar = Sidebar(*p.Sidebar)
	}
	if p.HideHistoryFromViewers != nil {
		s.HideHistoryFromViewers = *p.HideHistoryFromViewers
	}
	if p.RequireMessage != nil {
		s.RequireMessage = *p.RequireMessage
	}
	return s, s.Preferences.Validate()
}

// Empty reports whether the patch changes nothing.
func (p SettingsPatch) Empty() bool { return p == SettingsPatch{} }

// HidesHistoryFrom reports whether a caller with role may not see the
// wiki's history (page histories, diffs, blame, old revisions, recent
// changes) and attachment lists: viewers, when the wiki's admins said so.
// Editors always see them, because they need them to edit safely.
func (p Preferences) HidesHistoryFrom(role Role) bool {
	return p.HideHistoryFromViewers && role < RoleEditor
}

// NewPageText is the text the editor starts a new page with: the wiki's
// template with {{title}} replaced by the page's title, or a heading.
func (p Preferences) NewPageText(name string) string {
	if p.NewPageTemplate == "" {
		return "# " + PageTitle(name) + "\n\n"
	}
	return strings.ReplaceAll(p.NewPageTemplate, "{{title}}", PageTitle(name))
}

// TreeEntry is one child of a folder in the page tree: a page, a folder
// of pages, or both (Team.md beside Team/).
type TreeEntry struct {
	Name   string `json:"name"`            // the last segment of Path
	Path   string `json:"path"`            // the page's name, or the folder's path
	Title  string `json:"title,omitempty"` // the page's title, when it is a page
	Page   bool   `json:"page"`
	Folder bool   `json:"folder"`
}
