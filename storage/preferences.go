package storage

import (
	"context"
	"strconv"

	"github.com/jmoiron/sqlx"
	"github.com/warren-wiki/warren/wiki"
)

// Preferences reads the wiki's settings from wiki.db; missing keys read as
// their defaults (wiki.DefaultPreferences, with the server's link style).
// A copy is kept while wiki.db is unchanged (preferences_cache.go).
func (w *Wiki) Preferences(ctx context.Context) (wiki.Preferences, error) {
	stamp, ok := w.stamp()
	if ok {
		if p, hit := w.prefs.get(stamp); hit {
			return p, nil
		}
	}
	p, err := w.readPreferences(ctx)
	if err == nil && ok {
		w.prefs.put(stamp, p)
	}
	return p, err
}

// readPreferences is Preferences from the database.
func (w *Wiki) readPreferences(ctx context.Context) (wiki.Preferences, error) {
	p := wiki.DefaultPreferences()
	if w.DefaultLinkStyle != "" {
		p.LinkStyle = w.DefaultLinkStyle
	}
	var rows []struct {
		Key   string `db:"key"`
		Value string `db:"value"`
	}
	if err := w.DB.R.SelectContext(ctx, &rows, `SELECT key, value FROM preferences`); err != nil {
		return p, err
	}
	for _, r := range rows {
		setPreference(&p, r.Key, r.Value)
	}
	return p, nil
}

// SetPreferences validates and stores every setting in one transaction.
// Settings change how pages render and show, so warm answers are dropped.
func (w *Wiki) SetPreferences(ctx context.Context, p wiki.Preferences) error {
	if err := p.Validate(); err != nil {
		return err
	}
	tx, err := w.DB.W.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for k, v := range preferenceValues(p) {
		if err := putPreference(ctx, tx, k, v); err != nil {
			return err
		}
	}
	w.prefs.drop()
	if err := tx.Commit(); err != nil {
		return err
	}
	w.prefs.drop()
	w.memo.Changed()
	if p.LinkStyle != w.linkStyle() {
		s := p.LinkStyle
		w.style.Store(&s)
		return w.restyle(ctx)
	}
	return nil
}

// preferenceValues is p as wiki.db's key/value rows.
func preferenceValues(p wiki.Preferences) map[string]string {
	return map[string]string{
		"description":               p.Description,
		"home":                      p.Home,
		"link_style":                string(p.LinkStyle),
		"sidebar":                   string(p.Sidebar),
		"hide_history_from_viewers": strconv.FormatBool(p.HideHistoryFromViewers),
		"require_message":           strconv.FormatBool(p.RequireMessage),
		"new_page_template":         p.NewPageTemplate,
	}
}

// setPreference applies one stored row; unknown keys (from a newer warren)
// are ignored.
func setPreference(p *wiki.Preferences, key, value string) {
	switch key {
	case "description":
		p.Description = value
	case "home":
		p.Home = value
	case "link_style":
		p.LinkStyle = wiki.LinkStyle(value)
	case "sidebar":
		p.Sidebar = wiki.Sidebar(value)
	case "hide_history_from_viewers":
		p.HideHistoryFromViewers = value == "true"
	case "require_message":
		p.RequireMessage = value == "true"
	case "new_page_template":
		p.NewPageTemplate = value
	}
}

// putPreference writes one row.
func putPreference(ctx context.Context, tx *sqlx.Tx, key, value string) error {
	_, err := tx.ExecContext(ctx,
		`INSERT INTO preferences(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
		key, value)
	return err
}
