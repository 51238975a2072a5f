package web

import (
	"container/list"
	"sync"
	"time"

	"github.com/warren-wiki/warren/wiki"
)

// viewCacheBytes is the default bound of the farm-wide cache of rendered
// page views: about two thousand typical pages.
const viewCacheBytes = 64 << 20

// viewKey names one rendered view: a wiki, a path in it, and what of the
// caller shows in the page besides the signed-in name (which is spliced
// in at the marker): the role, whether the caller is anonymous, the
// sign-in link anonymous callers get (it holds the request's host) and
// the link to the wiki list (in host mode, from the host).
type viewKey struct {
	slug, path       string
	role             wiki.Role
	anonymous        bool
	signIn, platform string
}

// cachedView is one rendered view and what it was rendered from.
type cachedView struct {
	key    viewKey
	commit string  // the main branch's commit it was rendered from
	row    viewRow // the robot.db row it was rendered with
	// head and tail are the page around the signed-in name (tail is nil
	// for anonymous callers, whose page has no name in it).
	head, tail []byte
	csp        string // Content-Security-Policy, when the page sets its own
	route      string // the route's template, for the access log
	size       int64
}

// viewRow is what a page depends on of the wiki's robot.db row, compared
// as a value: the title it shows, and the settings token, which changes
// with the preferences (kept in wiki.db) and with every re-creation of
// the wiki.
type viewRow struct {
	title, settings string
	visibility      wiki.Visibility
	created         time.Time
}

func rowOf(w *wiki.Wiki) viewRow {
	return viewRow{title: w.Title, settings: w.SettingsToken, visibility: w.Visibility, created: w.CreatedAt}
}

// viewCache is a byte-bounded LRU of rendered views, shared by every wiki.
// It never decides on its own that an entry is fresh: get hands out an
// entry only if its stamp and row equal the ones the caller read just now.
type viewCache struct {
	max   int64
	mu    sync.Mutex
	lru   *list.List // of *cachedView, most recent first
	items map[viewKey]*list.Element
	size  int64
}

func newViewCache(max int64) *viewCache {
	return &viewCache{max: max, lru: list.New(), items: map[viewKey]*list.Element{}}
}

// get returns the entry for k if it was rendered from commit and row.
func (c *viewCache) get(k viewKey, commit string, row viewRow) (*cachedView, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[k]
	if !ok {
		return nil, false
	}
	v := e.Value.(*cachedView)
	if v.commit != commit || v.row != row {
		return nil, false
	}
	c.lru.MoveToFront(e)
	return v, true
}

// put stores v, replacing the entry of its key, and evicts the least
// recently used entries beyond the bound. An entry larger than an eighth
// of the bound is not kept, so one huge page cannot empty the cache.
func (c *viewCache) put(v *cachedView) {
	v.size = int64(len(v.head)+len(v.tail)+len(v.csp)+len(v.route)+len(v.key.slug)+len(v.key.path)+
		len(v.key.signIn)+len(v.key.platform)+len(v.commit)+len(v.row.settings)+len(v.row.title)) + 256
	if v.size > c.max/8 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.items[v.key]; ok {
		c.removeLocked(old)
	}
	c.items[v.key] = c.lru.PushFront(v)
	c.size += v.size
	for c.size > c.max {
		c.removeLocked(c.lru.Back())
	}
}

// dropWiki forgets every entry of a wiki (deleted: its name may be reused).
func (c *viewCache) dropWiki(slug string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.items {
		if k.slug == slug {
			c.removeLocked(e)
		}
	}
}

func (c *viewCache) removeLocked(e *list.Element) {
	v := e.Value.(*cachedView)
	c.lru.Remove(e)
	delete(c.items, v.key)
	c.size -= v.size
}

// bytes is the size of what is kept, for metrics and tests.
func (c *viewCache) bytes() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size
}
