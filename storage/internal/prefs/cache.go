package prefs

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

// copied is the preferences as read when the files looked like stamp.
type copied struct {
	stamp Stamp
	prefs wiki.Preferences
}

// Stamp is the size and modification time of wiki.db's WAL.
type Stamp struct {
	size int64
	time time.Time
}

// StampOf reads the stamp of the WAL of the wiki.db at dbPath; false if it
// cannot be read, and then nothing may be cached.
func StampOf(dbPath string) (Stamp, bool) {
	wal, err := os.Stat(dbPath + "-wal")
	if err != nil {
		return Stamp{}, false
	}
	return Stamp{size: wal.Size(), time: wal.ModTime()}, true
}

// Cache holds the current copy; the zero Cache holds none.
type Cache struct{ cur atomic.Pointer[copied] }

// Get is the cached preferences if the files have not changed since.
func (c *Cache) Get(now Stamp) (wiki.Preferences, bool) {
	p := c.cur.Load()
	if p == nil || p.stamp != now {
		return wiki.Preferences{}, false
	}
	return p.prefs, true
}

// Put keeps prefs as read after the files had stamp.
func (c *Cache) Put(stamp Stamp, prefs wiki.Preferences) {
	c.cur.Store(&copied{stamp: stamp, prefs: prefs})
}

// Drop forgets the copy, after this process changed the preferences.
func (c *Cache) Drop() { c.cur.Store(nil) }
