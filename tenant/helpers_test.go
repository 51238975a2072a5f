package tenant_test

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/warren-wiki/warren/schema"
	"github.com/warren-wiki/warren/storage"
	"github.com/warren-wiki/warren/storage/sqlitedb"
	"github.com/warren-wiki/warren/tenant"
)

// opener opens real wiki.db files under dir and keeps count of opens and
// closes per slug. It reports a test error the moment a second handle for a
// slug is opened while the first is still open.
type opener struct {
	tb  testing.TB
	dir string

	mu     sync.Mutex
	opens  map[string]int
	closes map[string]int
	live   map[string]int
	fail   map[string]error         // slug → error Open answers instead of opening
	gate   map[string]chan struct{} // slug → Open blocks until it is closed
	handed map[*storage.Wiki]bool   // every handle opened, closed or not
}

func newOpener(tb testing.TB) *opener {
	return &opener{
		tb: tb, dir: tb.TempDir(),
		opens: map[string]int{}, closes: map[string]int{}, live: map[string]int{},
		fail: map[string]error{}, gate: map[string]chan struct{}{}, handed: map[*storage.Wiki]bool{},
	}
}

// Open is a Pool.Open: a real wiki.db, created and migrated on first use.
func (o *opener) Open(ctx context.Context, slug string) (*storage.Wiki, error) {
	o.mu.Lock()
	o.opens[slug]++
	gate, err := o.gate[slug], o.fail[slug]
	o.mu.Unlock()
	if gate != nil {
		<-gate
	}
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(o.dir, slug)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	db, err := sqlitedb.Open(ctx, filepath.Join(dir, "wiki.db"), schema.Wiki, sqlitedb.Options{})
	if err != nil {
		return nil, err
	}
	w := &storage.Wiki{Slug: slug, DB: db, Now: time.Now}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.live[slug]++
	o.handed[w] = true
	if o.live[slug] > 1 {
		o.tb.Errorf("two open handles for wiki %s at once", slug)
	}
	return w, nil
}

// Close is a Pool.Closer that counts and then really closes.
func (o *opener) Close(w *storage.Wiki) error {
	o.mu.Lock()
	o.closes[w.Slug]++
	o.live[w.Slug]--
	o.mu.Unlock()
	return w.Close()
}

// counts returns the opens and closes of slug so far.
func (o *opener) counts(slug string) (opens, closes int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.opens[slug], o.closes[slug]
}

func (o *opener) setFail(slug string, err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.fail[slug] = err
}

// hold makes Open for slug block until the returned func is called.
func (o *opener) hold(slug string) (open func()) {
	ch := make(chan struct{})
	o.mu.Lock()
	o.gate[slug] = ch
	o.mu.Unlock()
	return func() { close(ch) }
}

// mustPool returns a Pool over o, closed when the test ends.
func mustPool(tb testing.TB, o *opener, max int, ttl time.Duration) *tenant.Pool {
	tb.Helper()
	p := &tenant.Pool{
		Max: max, IdleTTL: ttl, Open: o.Open, Closer: o.Close,
		Logger: slog.New(slog.DiscardHandler),
	}
	tb.Cleanup(func() { p.Close() })
	return p
}

// mustAcquire acquires slug or fails the test.
func mustAcquire(tb testing.TB, p *tenant.Pool, slug string) (*storage.Wiki, func()) {
	tb.Helper()
	w, release, err := p.Acquire(context.Background(), slug)
	if err != nil {
		tb.Fatalf("acquire %s: %v", slug, err)
	}
	if w.Slug != slug {
		tb.Fatalf("acquire %s returned wiki %s", slug, w.Slug)
	}
	return w, release
}

// answers reports whether w's wiki.db still works, through both pools.
func answers(w *storage.Wiki) error {
	var n int
	if err := w.DB.R.Get(&n, "SELECT count(*) FROM sqlite_master"); err != nil {
		return err
	}
	_, err := w.DB.W.Exec("PRAGMA user_version")
	return err
}

// isClosed reports whether w's wiki.db has been closed.
func isClosed(w *storage.Wiki) bool {
	return w.DB.R.Ping() != nil && w.DB.W.Ping() != nil
}
