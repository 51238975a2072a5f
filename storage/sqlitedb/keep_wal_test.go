package sqlitedb_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/warren-wiki/warren/schema"
	"github.com/warren-wiki/warren/storage/sqlitedb"
)

// MustOpen opens (creating and migrating) a wiki.db at path.
func MustOpen(tb testing.TB, path string) *sqlitedb.DB {
	tb.Helper()
	db, err := sqlitedb.Open(context.Background(), path, schema.Wiki, sqlitedb.Options{Readers: 2})
	if err != nil {
		tb.Fatalf("Open %s: %v", path, err)
	}
	return db
}

// TestCloseKeepsEmptyWAL: the last close checkpoints everything into the
// database file and leaves its WAL files in place, the WAL empty, so that
// the next open creates no file; the next open sees every commit.
func TestCloseKeepsEmptyWAL(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "wiki.db")
	db := MustOpen(t, path)
	if _, err := db.W.ExecContext(ctx, `INSERT INTO preferences(key, value) VALUES ('sidebar', 'yes')`); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path + "-wal"); err != nil || fi.Size() == 0 {
		t.Fatalf("WAL before close = %v, %v; want the commit in it", fi, err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path + "-wal"); err != nil || fi.Size() != 0 {
		t.Fatalf("WAL after close = %v, %v; want it kept, empty", fi, err)
	}
	if _, err := os.Stat(path + "-shm"); err != nil {
		t.Fatalf("shared-memory file after close: %v; want it kept", err)
	}
	// The database file alone holds the commit: it was checkpointed.
	alone := filepath.Join(t.TempDir(), "wiki.db")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(alone, b, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{alone, path} {
		db := MustOpen(t, p)
		var v string
		err := db.R.GetContext(ctx, &v, `SELECT value FROM preferences WHERE key = 'sidebar'`)
		db.Close()
		if err != nil || v != "yes" {
			t.Errorf("%s after reopen: sidebar = %q, %v; want yes", p, v, err)
		}
	}
}

// TestCloseWhileAnotherHasItOpen: a close that is not the last one (the
// CLI beside the server) leaves the WAL as it is for the other connection.
func TestCloseWhileAnotherHasItOpen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "wiki.db")
	server := MustOpen(t, path)
	defer server.Close()
	var n int
	if err := server.R.GetContext(ctx, &n, `SELECT count(*) FROM preferences`); err != nil {
		t.Fatal(err)
	}
	cli := MustOpen(t, path)
	if _, err := cli.W.ExecContext(ctx, `INSERT INTO preferences(key, value) VALUES ('sidebar', 'no')`); err != nil {
		t.Fatal(err)
	}
	if err := cli.Close(); err != nil {
		t.Fatal(err)
	}
	var v string
	if err := server.R.GetContext(ctx, &v, `SELECT value FROM preferences WHERE key = 'sidebar'`); err != nil || v != "no" {
		t.Errorf("server reads sidebar = %q, %v after the other close; want no", v, err)
	}
}
