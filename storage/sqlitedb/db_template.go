package sqlitedb

import (
	"context"
	"os"
	"strings"
	"sync"

	"github.com/jmoiron/sqlx"
	"github.com/warren-wiki/warren/schema"
)

// A new wiki.db is the same empty, fully migrated file every time, and
// running the migrations (dozens of CREATE statements, FTS5 tables) was
// most of a cold open's CPU. So the first build of a schema keeps the
// finished file's bytes, and later builds copy them and run only the seed.
// The memo maps a pure function of the embedded schema to its result; it
// is keyed by the schema's full text, so it can never hand out a file of
// another schema.
var templates sync.Map // schema key → []byte

// templateKey identifies a schema by its name and every step's text.
func templateKey(set schema.Set) string {
	return set.Name + "\x00" + strings.Join(set.Steps, "\x00")
}

// migrateOrCopy makes tmp a fully migrated database of set: a copy of the
// memoized empty file when there is one, else a migration whose result is
// memoized (by the first build of this process).
func migrateOrCopy(ctx context.Context, tmp string, set schema.Set) error {
	key := templateKey(set)
	if b, ok := templates.Load(key); ok {
		return os.WriteFile(tmp, b.([]byte), 0o644)
	}
	db, err := sqlx.Open("sqlite", "file:"+tmp+dsnBuild)
	if err != nil {
		return err
	}
	db.SetMaxOpenConns(1)
	err = schema.Migrate(ctx, db, set)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	b, err := os.ReadFile(tmp)
	if err == nil {
		templates.Store(key, b)
	}
	return err
}
