package storage

import (
	"context"
	"path/filepath"

	"github.com/jmoiron/sqlx"
	"github.com/warren-wiki/warren/schema"
	"github.com/warren-wiki/warren/storage/sqlitedb"
	"github.com/warren-wiki/warren/wiki"
)

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
	path := filepath.Join(dir, "wiki.db")
	write := func(tx *sqlx.Tx) error {
		for k, v := range preferenceValues(p) {
			if err := putPreference(ctx, tx, k, v); err != nil {
				return err
			}
		}
		return nil
	}
	seeded := false
	err := sqlitedb.CreateDB(ctx, path, schema.Wiki, func(tx *sqlx.Tx) error {
		seeded = true
		return write(tx)
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
	if err := write(tx); err != nil {
		return err
	}
	return tx.Commit()
}
