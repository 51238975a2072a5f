package web

import (
	"context"
	"fmt"
	"strings"

	"github.com/warren-wiki/warren/storage"
	"github.com/warren-wiki/warren/storage/robot"
	"github.com/warren-wiki/warren/wiki"
)

// Settings live where they belong: title and visibility in robot.db (the
// platform decides who may read a wiki without opening it), everything
// else in the wiki's own wiki.db. The settings page, the API and
// `warren wiki set` all go through ApplySettings, so they validate alike
// and each change takes effect on the next request.

// ReadSettings is a wiki's settings as the API shows them.
func ReadSettings(ctx context.Context, info *wiki.Wiki, store *storage.Wiki) (wiki.Settings, error) {
	prefs, err := store.Preferences(ctx)
	if err != nil {
		return wiki.Settings{}, err
	}
	return wiki.Settings{Title: info.Title, Visibility: info.Visibility, Preferences: prefs}, nil
}

// ApplySettings validates a patch completely before writing anything, then
// stores the robot.db part through Robot.UpdateWiki (audited there) and the
// preferences in wiki.db (audited here as "wiki.settings"). It returns the
// settings as they now are. EINVALID for a bad value; nothing changes then.
func ApplySettings(ctx context.Context, rb *robot.Robot, store *storage.Wiki, actor, slug string, p wiki.SettingsPatch) (wiki.Settings, error) {
	info, err := rb.FindWiki(ctx, slug)
	if err != nil {
		return wiki.Settings{}, err
	}
	cur, err := ReadSettings(ctx, info, store)
	if err != nil {
		return cur, err
	}
	next, err := p.Apply(cur)
	if err != nil {
		return cur, err
	}
	candidate := *info
	candidate.Title, candidate.Visibility = next.Title, next.Visibility
	if candidate, err = robot.PrepareWiki(candidate); err != nil {
		return cur, err
	}
	next.Title = candidate.Title
	if next.Title != cur.Title || next.Visibility != cur.Visibility {
		if _, err := rb.UpdateWiki(ctx, actor, slug, wiki.WikiUpdate{Title: &next.Title, Visibility: &next.Visibility}); err != nil {
			return cur, err
		}
	}
	if detail := preferenceChanges(cur.Preferences, next.Preferences); detail != "" {
		// Views rendered with the old preferences, cached by this server
		// or by another process, must not be served again: the token is
		// renewed even when SetPreferences fails, which may be after its
		// commit (re-indexing for a new link style).
		err := store.SetPreferences(ctx, next.Preferences)
		if terr := rb.RenewSettingsToken(ctx, slug); err == nil {
			err = terr
		}
		if err != nil {
			return cur, err
		}
		if err := rb.Audit(ctx, actor, slug, "wiki.settings", detail); err != nil {
			return next, err
		}
	}
	return next, nil
}

// preferenceChanges names the preferences that differ, for the audit
// trail; long texts are named, not copied.
func preferenceChanges(a, b wiki.Preferences) string {
	var out []string
	add := func(changed bool, name string, v any) {
		if changed {
			out = append(out, fmt.Sprintf("%s=%v", name, v))
		}
	}
	add(a.Description != b.Description, "description", "…")
	add(a.Home != b.Home, "home", b.Home)
	add(a.LinkStyle != b.LinkStyle, "link_style", b.LinkStyle)
	add(a.Sidebar != b.Sidebar, "sidebar", b.Sidebar)
	add(a.HideHistoryFromViewers != b.HideHistoryFromViewers, "hide_history_from_viewers", b.HideHistoryFromViewers)
	add(a.RequireMessage != b.RequireMessage, "require_message", b.RequireMessage)
	add(a.NewPageTemplate != b.NewPageTemplate, "new_page_template", "…")
	return strings.Join(out, " ")
}
