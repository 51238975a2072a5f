package sqlitedb

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/warren-wiki/warren/schema"
	"github.com/warren-wiki/warren/wiki"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

func init() {
	// sqlx does not know modernc's driver name; it uses '?' bindvars.
	sqlx.BindDriver("sqlite", sqlx.QUESTION)
}

// Pragmas are per connection, so they live in the DSN where every pooled
// connection gets them. busy_timeout must come first so that the WAL switch
// itself waits instead of failing. cache_size is small because thousands of
// wikis may be open at once.
const (
	dsnCommon = "?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)" +
		"&_pragma=foreign_keys(1)&_pragma=cache_size(-1000)&_pragma=temp_store(MEMORY)&_time_format=sqlite" + dsnWALLimit
	dsnWriter = dsnCommon + "&_txlock=immediate"
	dsnReader = dsnCommon + "&_pragma=query_only(1)"
)

// DB is one SQLite file opened as a single-connection writer plus a small
// reader pool. One writer means transactions never race to upgrade a lock
// (no SQLITE_BUSY under load); WAL lets the readers run beside it.
type DB struct {
	W    *sqlx.DB // BEGIN IMMEDIATE, one connection
	R    *sqlx.DB // query_only readers
	Path string
}

// Options size a DB for its role: robot.db is shared by every request and
// gets more readers; a wiki.db gets few so that many wikis can be open.
type Options struct {
	Readers int
	// IdleReaders are kept open between queries (0 = 1). A database read by
	// concurrent requests needs as many as run at once: a reader beyond
	// them is closed on release and reopened (pragmas, schema) on the next
	// query, which costs more than the query.
	IdleReaders int
	IdleTimeout time.Duration
}

// Open opens (creating if needed) the SQLite file at path and migrates it to
// the latest version of set. Its connections keep the WAL files when they
// close (keep_wal.go). A database that is corrupt or newer than this
// binary fails here with EUNAVAILABLE, and only the caller's wiki is affected.
func Open(ctx context.Context, path string, set schema.Set, opt Options) (*DB, error) {
	if opt.Readers <= 0 {
		opt.Readers = 2
	}
	if opt.IdleTimeout <= 0 {
		opt.IdleTimeout = 2 * time.Minute
	}
	w := openKeepingWAL("file:" + path + dsnWriter)
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxIdleTime(opt.IdleTimeout)
	r := openKeepingWAL("file:" + path + dsnReader)
	r.SetMaxOpenConns(opt.Readers)
	r.SetMaxIdleConns(max(1, min(opt.IdleReaders, opt.Readers)))
	r.SetConnMaxIdleTime(opt.IdleTimeout)
	if err := migrate(ctx, w, r, set); err != nil {
		r.Close()
		w.Close()
		return nil, classify(path, err)
	}
	return &DB{W: w, R: r, Path: path}, nil
}

// migrate runs schema.Migrate only when a reader sees the file behind this
// binary. Reopening an evicted wiki is then one reader connection and no
// write lock: the writer connection opens only when something is written.
// Migrate itself re-reads the version under BEGIN IMMEDIATE, so a racing
// opener can never make a step run twice, and it refuses a newer file.
func migrate(ctx context.Context, w, r *sqlx.DB, set schema.Set) error {
	v, err := schema.Version(ctx, r)
	if err != nil {
		return err
	}
	if v == set.Latest() {
		return nil
	}
	return schema.Migrate(ctx, w, set)
}

// Close closes both pools. When this session wrote (the writer has a
// connection), it runs PRAGMA optimize first so the planner's statistics
// survive for the next open; a read-only session does not open the writer
// just for that.
func (db *DB) Close() error {
	if db.W.Stats().OpenConnections > 0 {
		_, _ = db.W.Exec("PRAGMA optimize")
	}
	return errors.Join(db.R.Close(), db.W.Close())
}

// classify turns the driver's corruption errors into EUNAVAILABLE so web can
// answer 503 for this wiki instead of 500.
func classify(path string, err error) error {
	if wiki.ErrorCode(err) != wiki.EINTERNAL {
		return err
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
			return wiki.Errorf(wiki.EUNAVAILABLE, "database is damaged and cannot be opened; restore it or delete it to rebuild")
		}
	}
	return fmt.Errorf("open %s: %w", path, err)
}

// IsUniqueViolation reports whether err is a UNIQUE or PRIMARY KEY
// violation, so callers can answer EEXISTS instead of EINTERNAL.
func IsUniqueViolation(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		c := se.Code()
		return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// IsDiskFull reports whether err is SQLite's "database or disk is full", so
// callers can answer ENOSPACE instead of EINTERNAL.
func IsDiskFull(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_FULL
}
