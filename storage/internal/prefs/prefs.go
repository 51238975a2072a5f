package prefs

import (
	"context"
	"strconv"

	"github.com/jmoiron/sqlx"
	"github.com/warren-wiki/warren/schema"
	"github.com/warren-wiki/warren/storage/sqlitedb"
	"github.com/warren-wiki/warren/wiki"
)

// Read reads the preferences from wiki.db; missing keys read as their
// defaults (wiki.DefaultPreferences, with the server's link style when
// style is not "").
func Read(ctx context.Context, db sqlx.QueryerContext, style wiki.LinkStyle) (wiki.Preferences, error) {
	p := wiki.DefaultPreferences()
	if style != "" {
		p.LinkStyle = style
	}
	var rows []struct {
		Key   string `db:"key"`
		Value string `db:"value"`
	}
	if err := sqlx.SelectContext(ctx, db, &rows, `SELECT key, value FROM preferences`); err != nil {
		return p, err
	}
	for _, r := range rows {
		set(&p, r.Key, r.Value)
	}
	return p, nil
}

// Write stores every setting of p in the transaction tx.
func Write(ctx context.Context, tx *sqlx.Tx, p wiki.Preferences) error {
	for k, v := range values(p) {
		_, err := tx.ExecContext(ctx,
			`INSERT INTO preferences(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
			k, v)
		if err != nil {
			return err
		}
	}
	return nil
}

// Seed gives the wiki.db at path its first preferences, creating and
// migrating it if it does not exist yet; one that exists is updated.
func Seed(ctx context.Context, path string, p wiki.Preferences) error {
	seeded := false
	err := sqlitedb.CreateDB(ctx, path, schema.Wiki, func(tx *sqlx.Tx) error {
		seeded = true
		return Write(ctx, tx, p)
	})
	if err != nil || seeded {
		return err
	}
	db, err := sqlitedb.Open(ctx, path, schema.Wiki, sqlitedb.Options{Readers: 1})
	if err != nil {
		return err
	}
	defer db.Close()
	tx, err := db.W.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := Write(ctx, tx, p); err != nil {
		return err
	}
	return tx.Commit()
}

// values is p as wiki.db's key/value rows.
func values(p wiki.Preferences) map[string]string {
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

// set applies one stored row; unknown keys (from a newer warren) are
// ignored.
func set(p *wiki.Preferences, key, value string) {
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
