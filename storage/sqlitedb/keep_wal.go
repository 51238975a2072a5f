package sqlitedb

import (
	"context"
	"database/sql"
	"database/sql/driver"

	"github.com/jmoiron/sqlx"
	"modernc.org/sqlite"
)

// A database in WAL mode has two files beside it, -wal and -shm. SQLite
// creates them when the first connection opens the database and, by
// default, deletes them when the last one closes. For a wiki.db that is
// every pool eviction followed by a reopen, and creating two files (inode
// allocation) was the largest part of a reopen's system time. So every
// connection opened here keeps them (SQLITE_FCNTL_PERSIST_WAL): the last
// close still checkpoints the WAL into the database and fsyncs it, then
// truncates the WAL to zero bytes (journal_size_limit, below) instead of
// deleting it, and leaves the 32 KiB -shm in place. A clean close so
// leaves an empty WAL, which SQLite ignores on the next open; a crash
// leaves what it always left, which the next open recovers.

// dsnWALLimit bounds what a WAL keeps on disk after a checkpoint has reset
// it: above a WAL's normal size (wal_autocheckpoint's 1,000 pages of 4 KiB
// plus frame headers), so that it never truncates in normal use, and a
// WAL a big rebuild grew goes back to it. At the last close the kept WAL is
// truncated to zero bytes whatever the limit, as long as there is one.
const dsnWALLimit = "&_pragma=journal_size_limit(4194304)"

// keepWAL opens database connections by dsn through the sqlite driver and
// sets each one to keep the WAL files.
type keepWAL struct {
	dsn string
	drv driver.Driver
}

// sqliteDriver is the driver registered as "sqlite", for keepWAL.
var sqliteDriver = func() driver.Driver {
	db, _ := sql.Open("sqlite", "") // opens nothing
	defer db.Close()
	return db.Driver()
}()

// Connect opens one connection with the dsn's pragmas, then keeps its WAL.
func (k keepWAL) Connect(context.Context) (driver.Conn, error) {
	c, err := k.drv.Open(k.dsn)
	if err != nil {
		return nil, err
	}
	if fc, ok := c.(sqlite.FileControl); ok {
		if _, err := fc.FileControlPersistWAL("main", 1); err != nil {
			c.Close()
			return nil, err
		}
	}
	return c, nil
}

// Driver is the sqlite driver.
func (k keepWAL) Driver() driver.Driver { return k.drv }

// openKeepingWAL is sqlx.Open("sqlite", dsn) for connections that keep the
// WAL files; like sqlx.Open it connects nothing yet.
func openKeepingWAL(dsn string) *sqlx.DB {
	return sqlx.NewDb(sql.OpenDB(keepWAL{dsn: dsn, drv: sqliteDriver}), "sqlite")
}
