package index

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/sqlitedb"
	"github.com/warren-wiki/warren/wiki"
)

// MarkKey is the meta key of the watermark: the commit the derived tables
// describe. Deleting it makes the next catch-up rebuild everything.
const MarkKey = "indexed_commit"

// TimeLayout is how times are stored in wiki.db (UTC), by the indexer and
// by every reader of what it stores.
const TimeLayout = time.RFC3339Nano

// SearchRow is what a page puts into the search tables: its name, title
// and text as the search code folds them.
type SearchRow struct {
	Name, Title, Body, Fold string
}

// Indexer keeps one wiki's derived tables up to its main branch. One
// Indexer serves one open wiki; its catch-ups run one at a time.
type Indexer struct {
	Repo     *gitrepo.Repo
	DB       *sqlitedb.DB
	Renderer wiki.Renderer
	// Options are the render options of a page, as views render it (the
	// wiki's URL base and wikilink style), so the warmed cache is right.
	Options func(page string) wiki.RenderOptions
	// Search turns a page's name, title and plain text into its search
	// row; the search code owns the folding its queries expect.
	Search func(name, title, text string) SearchRow
	// Changed, if set, is called after every write of the indexes,
	// committed or not, so that warm answers derived from them are dropped.
	Changed func()

	mu     sync.Mutex  // serializes catch-ups
	behind atomic.Bool // a catch-up after a commit failed; reads retry it
	stmts  struct {
		once sync.Once
		m    map[string]*sqlx.Stmt
	}
}

// CatchUp brings the indexes up to HEAD and returns the commit they now
// describe. When nothing moved it costs one ref read and one indexed query.
func (ix *Indexer) CatchUp(ctx context.Context) (string, error) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	head, err := ix.Repo.Head(ctx)
	if err != nil {
		return "", err
	}
	mark, err := ix.Mark(ctx)
	if err != nil || head == mark {
		return head, ix.caughtUp(err)
	}
	// Someone else (receive-pack, the git CLI) wrote objects: make them visible.
	if err := ix.Repo.Reload(); err != nil {
		return "", err
	}
	if head, err = ix.Repo.Head(ctx); err != nil {
		return "", err
	}
	plan, err := ix.plan(ctx, mark, head)
	if err != nil {
		return "", err
	}
	defer plan.close()
	return head, ix.caughtUp(ix.apply(ctx, plan))
}

// caughtUp clears the behind flag after a catch-up that succeeded.
func (ix *Indexer) caughtUp(err error) error {
	if err == nil {
		ix.behind.Store(false)
	}
	return err
}

// Sync is CatchUp for callers that do not need the head; a failure marks
// the indexes as behind, so that reads retry it (Heal).
func (ix *Indexer) Sync(ctx context.Context) error {
	_, err := ix.CatchUp(ctx)
	if err != nil {
		ix.behind.Store(true)
	}
	return err
}

// Heal retries a catch-up that failed, before a read that would otherwise
// not show it; one atomic load when nothing is behind. A failure leaves
// the read to serve what the indexes describe.
func (ix *Indexer) Heal(ctx context.Context) {
	if ix.behind.Load() {
		ix.CatchUp(ctx)
	}
}

// Mark reads the watermark ("" when there is none).
func (ix *Indexer) Mark(ctx context.Context) (string, error) {
	var v string
	err := ix.DB.R.GetContext(ctx, &v, `SELECT value FROM meta WHERE key = ?`, MarkKey)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// setMark moves the watermark inside the transaction that wrote the tables.
func setMark(ctx context.Context, tx *sqlx.Tx, head string) error {
	_, err := tx.ExecContext(ctx,
		`INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
		MarkKey, head)
	return err
}

// Close releases the prepared statements before wiki.db closes.
func (ix *Indexer) Close() {
	closeStmts(ix.stmts.m)
	ix.stmts.m = nil
}

// prepared returns the indexer's statements, prepared once per open wiki
// on the single-connection writer: a save then binds them to its
// transaction instead of parsing them again. nil if preparing failed
// (apply then prepares per transaction).
func (ix *Indexer) prepared() map[string]*sqlx.Stmt {
	ix.stmts.once.Do(func() {
		stmts := make(map[string]*sqlx.Stmt, len(indexSQL))
		for name, q := range indexSQL {
			st, err := ix.DB.W.Preparex(q)
			if err != nil {
				closeStmts(stmts)
				return
			}
			stmts[name] = st
		}
		ix.stmts.m = stmts
	})
	return ix.stmts.m
}

func closeStmts(stmts map[string]*sqlx.Stmt) {
	for _, st := range stmts {
		st.Close()
	}
}

func formatTime(t time.Time) string { return t.UTC().Format(TimeLayout) }
