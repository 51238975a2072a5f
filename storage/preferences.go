package storage

import (
	"context"
	"path/filepath"

	"github.com/warren-wiki/warren/storage/internal/prefs"
	"github.com/warren-wiki/warren/wiki"
)

// Preferences reads the wiki's settings from wiki.db; missing keys read as
// their defaults (wiki.DefaultPreferences, with the server's link style).
// A copy is kept while wiki.db is unchanged (storage/internal/prefs).
func (w *Wiki) Preferences(ctx context.Context) (wiki.Preferences, error) {
	stamp, ok := prefs.StampOf(w.DB.Path)
	if ok {
		if p, hit := w.prefs.Get(stamp); hit {
			return p, nil
		}
	}
	p, err := prefs.Read(ctx, w.DB.R, w.DefaultLinkStyle)
	if err == nil && ok {
		w.prefs.Put(stamp, p)
	}
	return p, err
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
	if err := prefs.Write(ctx, tx, p); err != nil {
		return err
	}
	w.prefs.Drop()
	if err := tx.Commit(); err != nil {
		return err
	}
	w.prefs.Drop()
	w.memo.Changed()
	if p.LinkStyle != w.linkStyle() {
		s := p.LinkStyle
		w.style.Store(&s)
		return w.restyle(ctx)
	}
	return nil
}

// SeedPreferences gives a wiki created a moment ago (by `warren wiki create
// --link-style`) its first preferences: it builds the wiki's wiki.db with
// them, without opening the repository or indexing anything (the first
// request does that). A wiki.db that exists already is updated instead.
func SeedPreferences(ctx context.Context, dir string, p wiki.Preferences) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if err := checkWikiDir(dir); err != nil {
		return err
	}
	return prefs.Seed(ctx, filepath.Join(dir, "wiki.db"), p)
}
