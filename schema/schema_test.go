package schema_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"github.com/jmoiron/sqlx"
	"github.com/warren-wiki/warren/schema"
	"github.com/warren-wiki/warren/wiki"
	_ "modernc.org/sqlite"
)

// MustOpenWriter opens a SQLite file the way storage's writer does: one
// connection, BEGIN IMMEDIATE.
func MustOpenWriter(tb testing.TB, path string) *sqlx.DB {
	tb.Helper()
	db, err := sqlx.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_txlock=immediate")
	if err != nil {
		tb.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	tb.Cleanup(func() { db.Close() })
	return db
}

func version(tb testing.TB, db *sqlx.DB) int {
	tb.Helper()
	v, err := schema.Version(context.Background(), db)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

// TestMigrateFresh brings empty files of both kinds to their latest version
// and is a no-op the second time.
func TestMigrateFresh(t *testing.T) {
	for _, set := range []schema.Set{schema.Robot, schema.Wiki} {
		t.Run(set.Name, func(t *testing.T) {
			db := MustOpenWriter(t, filepath.Join(t.TempDir(), set.Name+".db"))
			for range 2 {
				if err := schema.Migrate(t.Context(), db, set); err != nil {
					t.Fatal(err)
				}
				if got := version(t, db); got != set.Latest() {
					t.Fatalf("user_version %d, want %d", got, set.Latest())
				}
			}
		})
	}
}

// TestMigrateUpgradeFromPrevious starts from a wiki.db at the previous
// version holding user data (a draft) and upgrades it in place, keeping it.
func TestMigrateUpgradeFromPrevious(t *testing.T) {
	if schema.Wiki.Latest() < 2 {
		t.Fatal("the upgrade test needs at least two wiki.db versions")
	}
	ctx := t.Context()
	db := MustOpenWriter(t, filepath.Join(t.TempDir(), "wiki.db"))
	prev := schema.Set{Name: "wiki", Steps: schema.Wiki.Steps[:schema.Wiki.Latest()-1]}
	if err := schema.Migrate(ctx, db, prev); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO drafts(page, author, content, updated_at) VALUES ('Home', 'alice', 'kept', '2026-01-01T00:00:00Z')`); err != nil {
		t.Fatal(err)
	}
	if err := schema.Migrate(ctx, db, schema.Wiki); err != nil {
		t.Fatal(err)
	}
	if got := version(t, db); got != schema.Wiki.Latest() {
		t.Fatalf("user_version %d, want %d", got, schema.Wiki.Latest())
	}
	var content string
	if err := db.GetContext(ctx, &content, `SELECT content FROM drafts WHERE page = 'Home'`); err != nil || content != "kept" {
		t.Fatalf("draft after upgrade: %q %v", content, err)
	}
}

// TestMigrateRefusesNewerDatabase: a file written by a newer warren is
// refused with EUNAVAILABLE and left exactly as it was (never downgraded).
func TestMigrateRefusesNewerDatabase(t *testing.T) {
	ctx := t.Context()
	db := MustOpenWriter(t, filepath.Join(t.TempDir(), "wiki.db"))
	if err := schema.Migrate(ctx, db, schema.Wiki); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "PRAGMA user_version = 9"); err != nil {
		t.Fatal(err)
	}
	err := schema.Migrate(ctx, db, schema.Wiki)
	if got := wiki.ErrorCode(err); got != wiki.EUNAVAILABLE {
		t.Fatalf("code %q (%v), want unavailable", got, err)
	}
	if got := version(t, db); got != 9 {
		t.Fatalf("user_version changed to %d", got)
	}
}

// TestMigrateConcurrentOpeners: several connections (as several processes
// would) migrate one new file at once; every step applies exactly once.
func TestMigrateConcurrentOpeners(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wiki.db")
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		db := MustOpenWriter(t, path)
		wg.Go(func() { errs <- schema.Migrate(context.Background(), db, schema.Wiki) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	db := MustOpenWriter(t, path)
	if got := version(t, db); got != schema.Wiki.Latest() {
		t.Fatalf("user_version %d", got)
	}
	var n int
	if err := db.Get(&n, `SELECT count(*) FROM sqlite_master WHERE name = 'pages_fts'`); err != nil || n != 1 {
		t.Fatalf("pages_fts tables: %d %v", n, err)
	}
}
