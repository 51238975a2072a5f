package wiki

import "strings"

// LinkStyle says which side of a piped wikilink names the page.
type LinkStyle string

// The two wikilink styles real wikis use.
const (
	LinkTextPage LinkStyle = "text|page" // [[Text|Page]]: An Otter Wiki, GitHub, Gollum (the default)
	LinkPageText LinkStyle = "page|text" // [[Page|Text]]: MediaWiki, Obsidian
)

// Sidebar says what the page view shows beside a page.
type Sidebar string

// The sidebar modes.
const (
	SidebarTree Sidebar = "tree" // the wiki's page tree
	SidebarPage Sidebar = "page" // the nearest _Sidebar page
	SidebarOff  Sidebar = "off"
)

// Preferences are a wiki's settings that live in its wiki.db (title and
// visibility live in robot.db, because the platform needs them without
// opening the wiki). A missing key reads as its default.
type Preferences struct {
	Description            string    `json:"description"`
	Home                   string    `json:"home"` // the root's page; "" = Home, then README, then index
	LinkStyle              LinkStyle `json:"link_style"`
	Sidebar                Sidebar   `json:"sidebar"`
	HideHistoryFromViewers bool      `json:"hide_history_from_viewers"` // history, diffs, blame and attachments lists
	RequireMessage         bool      `json:"require_message"`           // edits need a commit message
	NewPageTemplate        string    `json:"new_page_template"`         // Markdown a new page starts with
}

// DefaultPreferences are a new wiki's settings.
func DefaultPreferences() Preferences {
	return Preferences{LinkStyle: LinkTextPage, Sidebar: SidebarPage}
}

// Validate refuses values a wiki cannot hold, with EINVALID.
func (p Preferences) Validate() error {
	switch p.LinkStyle {
	case LinkTextPage, LinkPageText:
	default:
		return Errorf(EINVALID, "link_style must be %q or %q", LinkTextPage, LinkPageText)
	}
	switch p.Sidebar {
	case SidebarTree, SidebarPage, SidebarOff:
	default:
		return Errorf(EINVALID, "sidebar must be tree, page or off")
	}
	if len(p.Description) > 1000 || strings.ContainsAny(p.Description, "\x00\r\n") {
		return Errorf(EINVALID, "description: one line of at most 1000 bytes")
	}
	if p.Home != "" {
		if err := ValidatePageName(p.Home); err != nil {
			return Errorf(EINVALID, "home: %s", ErrorMessage(err))
		}
	}
	if len(p.NewPageTemplate) > 64<<10 {
		return Errorf(EINVALID, "new_page_template: at most 64 KiB")
	}
	return nil
}

// WikiUpdate changes a wiki's robot.db row; nil fields stay as they are.
type WikiUpdate struct {
	Title      *string     `json:"title,omitempty"`
	Visibility *Visibility `json:"visibility,omitempty"`
	Owner      *string     `json:"owner,omitempty"`
}
