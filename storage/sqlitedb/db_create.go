package sqlitedb

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/jmoiron/sqlx"
	"github.com/warren-wiki/warren/schema"
)

// dsnBuild opens a database that nobody else can see yet: no fsync, no
// journal file, no WAL, no shared-memory file (each file created costs more
// than the schema), because createDB makes the finished file durable once,
// itself. It is marked as a WAL database once it is closed (markWAL).
const dsnBuild = "?_pragma=locking_mode(EXCLUSIVE)&_pragma=journal_mode(MEMORY)&_pragma=synchronous(OFF)" +
	"&_pragma=foreign_keys(1)&_txlock=immediate"

// newDBPrefix names the private file a new database is built in.
const newDBPrefix = ".new-"

// createDB makes sure a fully migrated database exists at path. A new one
// is built under a private name with fsync off, fsynced once and linked
// into place: SQLite itself would fsync six times creating a file and
// switching it to WAL, which was most of the first request to a wiki. A
// crash leaves either no database (the next open builds it again) or a
// complete one, never a half-written file under path. If path already
// exists it does nothing; if another process links its own build first,
// that one wins and this build is discarded.
//
// seed, if not nil, runs in the new database after the migrations, inside
// the build (so without its own fsync). The migrations themselves run once
// per process and schema; later builds copy their result (db_template.go).
func CreateDB(ctx context.Context, path string, set schema.Set, seed func(*sqlx.Tx) error) error {
	if _, err := os.Lstat(path); !errors.Is(err, fs.ErrNotExist) {
		return nil // there, or unreadable: Open reports which
	}
	dir, base := filepath.Split(path)
	if olds, _ := filepath.Glob(filepath.Join(dir, "."+base+newDBPrefix+"*")); len(olds) > 0 {
		for _, old := range olds { // left by a crash during an earlier build
			os.Remove(old)
		}
	}
	tmp := filepath.Join(dir, "."+base+newDBPrefix+rand.Text())
	defer os.Remove(tmp) // a no-op for the link in place
	if err := buildDB(ctx, tmp, set, seed); err != nil {
		return err
	}
	if err := os.Link(tmp, path); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	// The directory is not fsynced: a link lost in a crash only means the
	// next open builds the file again, and a new wiki.db holds nothing that
	// git cannot give back. (Preferences and drafts written later are
	// committed by SQLite with synchronous=NORMAL, which already lets a
	// power loss undo the last commits.) The file itself was fsynced, so a
	// link that survives never names a torn database.
	return nil
}

// buildDB creates and migrates a database at tmp, seeds it and closes it;
// then it marks the file as being in WAL mode and fsyncs it.
func buildDB(ctx context.Context, tmp string, set schema.Set, seed func(*sqlx.Tx) error) error {
	if err := migrateOrCopy(ctx, tmp, set); err != nil {
		return classify(tmp, err)
	}
	db, err := sqlx.Open("sqlite", "file:"+tmp+dsnBuild)
	if err != nil {
		return err
	}
	db.SetMaxOpenConns(1)
	if seed != nil {
		err = seedDB(ctx, db, seed)
	}
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return classify(tmp, err)
	}
	f, err := os.OpenFile(tmp, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := markWAL(f); err != nil {
		return err
	}
	return f.Sync()
}

// markWAL switches a closed database file, which has no journal, to WAL
// mode as PRAGMA journal_mode=WAL would, without SQLite creating (and on
// close deleting) a -wal file for it: the header's file format write and
// read versions (bytes 18 and 19) are 2 in WAL mode and 1 in rollback
// mode (https://www.sqlite.org/fileformat2.html#file_format_version_numbers),
// and that is all the switch changes in a file nobody has open. The next
// open then finds the database in WAL mode and writes nothing to switch.
func markWAL(f *os.File) error {
	var hdr [20]byte
	if _, err := f.ReadAt(hdr[:], 0); err != nil {
		return err
	}
	if string(hdr[:16]) != "SQLite format 3\x00" || hdr[18] != 1 || hdr[19] != 1 {
		return fmt.Errorf("build %s: not a rollback-mode SQLite file", filepath.Base(f.Name()))
	}
	_, err := f.WriteAt([]byte{2, 2}, 18)
	return err
}

func seedDB(ctx context.Context, db *sqlx.DB, seed func(*sqlx.Tx) error) error {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := seed(tx); err != nil {
		return err
	}
	return tx.Commit()
}
