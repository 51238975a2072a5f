package storage

import (
	"os"
	"sync/atomic"
	"time"

	"github.com/warren-wiki/warren/wiki"
)

// Every page view needs the wiki's preferences (sidebar, hidden history),
// and a query costs far more than the rest of a warm view, so they are kept
// in memory. They can change in two ways: through SetPreferences in this
// process, which drops the copy, and from another process (`warren wiki
// set`), which commits to wiki.db. wiki.db is in WAL mode, so every commit
// writes wiki.db-wal (appending, or from its start after a checkpoint),
// changing its modification time and usually its size. The copy is kept
// with the WAL's size and time, taken before the read, and used only while
// they are unchanged: one stat call instead of a query. Without a WAL file
// (every connection closed) nothing is cached.

// prefsCopy is the preferences as read when the files looked like stamp.
type prefsCopy struct {
	stamp dbStamp
	prefs wiki.Preferences
}

// dbStamp is the size and modification time of wiki.db's WAL.
type dbStamp struct {
	size int64
	time time.Time
}

// stamp reads the WAL's stamp; false if it cannot be read, and then
// nothing is cached.
func (w *Wiki) stamp() (dbStamp, bool) {
	wal, err := os.Stat(w.DB.Path + "-wal")
	if err != nil {
		return dbStamp{}, false
	}
	return dbStamp{size: wal.Size(), time: wal.ModTime()}, true
}

// prefsCache holds the current copy; nil when there is none.
type prefsCache struct{ cur atomic.Pointer[prefsCopy] }

// get is the cached preferences if the files have not changed since.
func (c *prefsCache) get(now dbStamp) (wiki.Preferences, bool) {
	p := c.cur.Load()
	if p == nil || p.stamp != now {
		return wiki.Preferences{}, false
	}
	return p.prefs, true
}

// put keeps prefs as read after the files had stamp.
func (c *prefsCache) put(stamp dbStamp, prefs wiki.Preferences) {
	c.cur.Store(&prefsCopy{stamp: stamp, prefs: prefs})
}

// drop forgets the copy, after this process changed the preferences.
func (c *prefsCache) drop() { c.cur.Store(nil) }
