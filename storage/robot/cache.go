package robot

import (
	"context"
	"database/sql"
	"strings"
	"sync"

	"github.com/warren-wiki/warren/wiki"
)

// Every wiki request reads the same two facts from robot.db: the wiki's row
// and the caller's granted role. Both are kept in memory, and the memory is
// exact: before it answers, the cache asks SQLite's PRAGMA data_version on
// a connection of its own, which changes whenever any other connection —
// this server's writer, or the CLI in another process — has committed to
// robot.db since the last ask. Then everything is dropped and read again.
// There is no time-to-live: a revoked grant applies to the next request.

// maxCacheEntries bounds each map (rows, roles): a flood of made-up slugs
// or group lists starts the map over instead of growing it.
const maxCacheEntries = 50000

// cache is the robot.db read cache.
type cache struct {
	gate    askGate
	mu      sync.Mutex
	conn    *sql.Conn // pinned reader that asks data_version; nil until first use
	ask     *sql.Stmt // PRAGMA data_version, prepared on conn
	version int64     // data_version the maps describe
	gen     uint64    // moves whenever the maps are dropped
	wikis   map[string]wikiEntry
	roles   map[string]wiki.Role // slug + "\x00" + principals
}

// wikiEntry is a wiki row, or the fact that there is none.
type wikiEntry struct {
	w   *wiki.Wiki
	err error
}

// fresh drops the maps if robot.db changed since they were filled and
// returns the generation that answers read now may be stored under.
// Concurrent requests share checks (askGate); the check runs without the
// caller's cancellation, since others may be waiting for its answer.
func (r *Robot) fresh(ctx context.Context) (uint64, error) {
	ctx = context.WithoutCancel(ctx)
	return r.cache.gate.do(func() (uint64, error) { return r.ask(ctx) })
}

// ask is one check of data_version.
func (r *Robot) ask(ctx context.Context) (uint64, error) {
	c := &r.cache
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn == nil {
		if err := c.pin(ctx, r); err != nil {
			return 0, err
		}
	}
	var v int64
	if err := c.ask.QueryRowContext(ctx).Scan(&v); err != nil {
		c.unpin() // a broken connection is replaced on the next ask
		return 0, err
	}
	if v != c.version || c.wikis == nil {
		c.version, c.gen = v, c.gen+1
		c.wikis, c.roles = map[string]wikiEntry{}, map[string]wiki.Role{}
	}
	return c.gen, nil
}

// cachedWiki returns the wiki's row (a copy) from the cache, reading it on
// a miss.
func (r *Robot) cachedWiki(ctx context.Context, slug string) (*wiki.Wiki, error) {
	gen, err := r.fresh(ctx)
	if err != nil {
		return nil, err
	}
	return r.wikiAt(ctx, gen, slug)
}

// wikiAt is cachedWiki once fresh has answered gen.
func (r *Robot) wikiAt(ctx context.Context, gen uint64, slug string) (*wiki.Wiki, error) {
	c := &r.cache
	c.mu.Lock()
	e, ok := c.wikis[slug]
	c.mu.Unlock()
	if !ok {
		e.w, e.err = r.findWikiPrepared(ctx, slug)
		if e.err != nil && wiki.ErrorCode(e.err) != wiki.ENOTFOUND {
			return nil, e.err // not an answer worth keeping
		}
		c.put(gen, func() { c.wikis[slug] = e })
	}
	if e.err != nil {
		return nil, e.err
	}
	w := *e.w
	return &w, nil
}

// cachedRole is grantedRole through the cache.
func (r *Robot) cachedRole(ctx context.Context, slug string, principals []string) (wiki.Role, error) {
	gen, err := r.fresh(ctx)
	if err != nil {
		return wiki.RoleNone, err
	}
	return r.roleAt(ctx, gen, slug, principals)
}

// roleAt is cachedRole once fresh has answered gen.
func (r *Robot) roleAt(ctx context.Context, gen uint64, slug string, principals []string) (wiki.Role, error) {
	key := slug + "\x00" + strings.Join(principals, "\x00")
	c := &r.cache
	c.mu.Lock()
	role, ok := c.roles[key]
	c.mu.Unlock()
	if ok {
		return role, nil
	}
	role, err := grantedRole(ctx, r.DB.R, slug, principals)
	if err != nil {
		return wiki.RoleNone, err
	}
	c.put(gen, func() { c.roles[key] = role })
	return role, nil
}

// put stores an answer read under generation gen, unless the maps were
// dropped meanwhile (the answer may predate the change that dropped them).
func (c *cache) put(gen uint64, store func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if len(c.wikis) >= maxCacheEntries || len(c.roles) >= maxCacheEntries {
		c.gen++
		c.wikis, c.roles = map[string]wikiEntry{}, map[string]wiki.Role{}
		return
	}
	store()
}

// pin takes a reader connection of its own and prepares the question on it.
func (c *cache) pin(ctx context.Context, r *Robot) error {
	conn, err := r.DB.R.Conn(ctx)
	if err != nil {
		return err
	}
	ask, err := conn.PrepareContext(ctx, `PRAGMA data_version`)
	if err != nil {
		conn.Close()
		return err
	}
	c.conn, c.ask = conn, ask
	return nil
}

// unpin releases the pinned connection.
func (c *cache) unpin() {
	if c.conn != nil {
		c.ask.Close()
		c.conn.Close()
		c.conn, c.ask = nil, nil
	}
}

// close releases the pinned connection for good.
func (c *cache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.unpin()
}
