package sqlitedb

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// BackupInto writes a consistent snapshot of the SQLite file at src to dst
// (which must not exist) with VACUUM INTO: one read transaction, so writers
// in other processes go on meanwhile (WAL) and the copy is the database as
// of one instant, compacted, in rollback-journal mode.
func BackupInto(ctx context.Context, src, dst string) error {
	db, err := sqlx.Open("sqlite", "file:"+src+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, dst); err != nil {
		return fmt.Errorf("snapshot %s: %w", src, err)
	}
	return nil
}

// IntegrityCheck runs PRAGMA integrity_check on the file at path without
// writing to it, and fails unless SQLite answers "ok".
func IntegrityCheck(ctx context.Context, path string) error {
	db, err := sqlx.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	var rows []string
	if err := db.SelectContext(ctx, &rows, `PRAGMA integrity_check`); err != nil {
		return fmt.Errorf("check %s: %w", path, err)
	}
	if len(rows) != 1 || rows[0] != "ok" {
		return fmt.Errorf("check %s: %v", path, rows)
	}
	return nil
}
