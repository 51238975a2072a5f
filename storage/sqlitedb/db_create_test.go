package sqlitedb_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/jmoiron/sqlx"
	"github.com/warren-wiki/warren/schema"
	"github.com/warren-wiki/warren/storage/sqlitedb"
)

// TestCreateDBBuildsAWALDatabase: CreateDB leaves one file, already in WAL
// mode on disk (no -wal or -shm made for it, nothing for the first open to
// switch), whole, migrated and seeded.
func TestCreateDBBuildsAWALDatabase(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "wiki.db")
	for i := range 2 { // the first build migrates, the second copies the template
		os.Remove(path)
		err := sqlitedb.CreateDB(ctx, path, schema.Wiki, func(tx *sqlx.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO preferences(key, value) VALUES ('sidebar', 'yes')`)
			return err
		})
		if err != nil {
			t.Fatalf("build %d: %v", i, err)
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 1 || entries[0].Name() != "wiki.db" {
			t.Fatalf("build %d left %v; want wiki.db alone", i, entries)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if b[18] != 2 || b[19] != 2 {
			t.Fatalf("build %d: header versions %d, %d; want 2, 2 (WAL)", i, b[18], b[19])
		}
		// A plain connection, with no pragma of its own, finds WAL mode.
		db, err := sqlx.Open("sqlite", "file:"+path)
		if err != nil {
			t.Fatal(err)
		}
		var mode, check, v string
		err = db.GetContext(ctx, &mode, `PRAGMA journal_mode`)
		if err == nil {
			err = db.GetContext(ctx, &check, `PRAGMA integrity_check`)
		}
		if err == nil {
			err = db.GetContext(ctx, &v, `SELECT value FROM preferences WHERE key = 'sidebar'`)
		}
		db.Close()
		if err != nil || mode != "wal" || check != "ok" || v != "yes" {
			t.Fatalf("build %d: journal_mode %q, integrity %q, sidebar %q, %v; want wal, ok, yes", i, mode, check, v, err)
		}
	}
}
