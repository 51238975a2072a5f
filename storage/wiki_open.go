package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/warren-wiki/warren/schema"
	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/internal/index"
	"github.com/warren-wiki/warren/storage/internal/prefs"
	"github.com/warren-wiki/warren/storage/internal/search"
	"github.com/warren-wiki/warren/storage/sqlitedb"
	"github.com/warren-wiki/warren/wiki"
)

// Keys of the indexer's state in wiki.db's meta table.
const (
	metaIndexed  = index.MarkKey    // the commit the derived tables describe
	metaBase     = "render_base"    // the URL base baked into cached HTML
	metaRenderer = "render_version" // the renderer version the indexes were built with
	timeLayout   = index.TimeLayout // how times are stored in wiki.db (UTC)
)

// OpenWiki opens one wiki's directory (DATA/wikis/<slug>): its bare
// repository and its wiki.db, which is created and migrated on first use.
// The indexes are brought up to HEAD before it returns, so a crash or an
// out-of-band push since the last run heals here. A wiki.db that is
// corrupt or newer than this binary fails with EUNAVAILABLE.
func OpenWiki(ctx context.Context, dir, slug string, r wiki.Renderer, base string, opts ...OpenOption) (*Wiki, error) {
	if err := checkWikiDir(dir); err != nil {
		return nil, err
	}
	repo, err := gitrepo.OpenRepo(filepath.Join(dir, "repo.git"))
	if err != nil {
		return nil, err
	}
	w := &Wiki{Slug: slug, Repo: repo, Renderer: r, Base: base, Now: time.Now}
	for _, o := range opts {
		o(w)
	}
	w.indexer = w.newIndexer()
	dbPath := filepath.Join(dir, "wiki.db")
	built := false // this open built wiki.db: it holds the seed's meta and the whole index
	err = sqlitedb.CreateDB(ctx, dbPath, schema.Wiki, func(tx *sqlx.Tx) error {
		built = true
		return w.seed(ctx, tx)
	})
	if err == nil {
		w.DB, err = sqlitedb.Open(ctx, dbPath, schema.Wiki, sqlitedb.Options{Readers: 2})
	}
	if err != nil {
		repo.Close()
		return nil, err
	}
	w.indexer.DB, w.finder = w.DB, &search.Searcher{DB: w.DB.R, Memo: w.searchMemo}
	if err := w.checkState(ctx, built); err != nil {
		w.Close()
		return nil, err
	}
	if err := w.Sync(ctx); err != nil {
		w.Close()
		return nil, err
	}
	return w, nil
}

// Close closes the repository and wiki.db. It tolerates a Wiki built by
// hand with only some of its parts.
func (w *Wiki) Close() error {
	var errs []error
	if w.Repo != nil {
		errs = append(errs, w.Repo.Close())
	}
	if w.DB != nil {
		w.closeReadStmts()
		if w.finder != nil {
			w.finder.Close()
		}
		if w.indexer != nil {
			w.indexer.Close()
		}
		errs = append(errs, w.DB.Close())
	}
	return errors.Join(errs...)
}

// checkState reads the style in force and checks the renderer, except in
// a wiki.db this open built: it holds no preferences and the seed's meta
// (had another process's build won, the first view's ensureStyle reads it).
func (w *Wiki) checkState(ctx context.Context, built bool) error {
	if built {
		s := w.linkStyle()
		w.style.Store(&s)
		return nil
	}
	stamp, ok := prefs.StampOf(w.DB.Path) // before the reads, as in ensureStyle
	if err := w.loadLinkStyle(ctx); err != nil {
		return err
	}
	if err := w.checkRenderer(ctx); err != nil {
		return err
	}
	// The style in force is now the preference's and the indexes': what
	// the first view's ensureStyle would check again while wiki.db stays
	// as it was.
	if s := w.style.Load(); ok && s != nil && *s == w.linkStyle() {
		w.styleStamp.Store(&stamp)
	}
	return nil
}

// seed writes into a wiki.db being built what checkRenderer would write
// on the first open, and the index of HEAD (index.Indexer.Build).
// The keys go in one statement: the build's connection is new, and each
// statement it runs is compiled for it alone.
func (w *Wiki) seed(ctx context.Context, tx *sqlx.Tx) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES (?, ?), (?, ?), (?, ?)`,
		metaBase, w.Base, metaStyle, string(w.linkStyle()), metaRenderer, strconv.Itoa(w.Renderer.Version()))
	if err != nil {
		return err
	}
	return w.indexer.Build(ctx, tx)
}

// checkRenderer drops what an earlier run derived with another renderer
// version, URL base or wikilink style: cached HTML has the base and the
// style baked into its links, and search text and the link graph come from
// the renderer, so both
// are rebuilt (and the cache warmed again) by the Sync that follows.
func (w *Wiki) checkRenderer(ctx context.Context) error {
	version := strconv.Itoa(w.Renderer.Version())
	// Read through a reader: the first view needs one anyway, and the
	// writer connection then opens only if something is written.
	if same, err := w.rendererUnchanged(ctx, w.DB.R, version); same || err != nil {
		return err
	}
	tx, err := w.DB.W.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	defer w.memo.Changed()
	if _, err := tx.ExecContext(ctx, `DELETE FROM render_cache`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM meta WHERE key = ?`, metaIndexed); err != nil {
		return err
	}
	if err := setMeta(ctx, tx, metaBase, w.Base); err != nil {
		return err
	}
	if err := setMeta(ctx, tx, metaRenderer, version); err != nil {
		return err
	}
	if err := setMeta(ctx, tx, metaStyle, string(w.linkStyle())); err != nil {
		return err
	}
	return tx.Commit()
}

// rendererUnchanged reports whether the indexes were built with this base
// and renderer version, so that a normal open writes nothing.
func (w *Wiki) rendererUnchanged(ctx context.Context, q sqlx.QueryerContext, version string) (bool, error) {
	// One statement, not three: a reopened wiki compiles each afresh.
	var rows []struct{ Key, Value string }
	err := sqlx.SelectContext(ctx, q, &rows, `SELECT key, value FROM meta WHERE key IN (?, ?, ?)`, metaBase, metaRenderer, metaStyle)
	got := map[string]string{} // a missing key reads as ""
	for _, r := range rows {
		got[r.Key] = r.Value
	}
	return got[metaBase] == w.Base && got[metaRenderer] == version && got[metaStyle] == string(w.linkStyle()), err
}

// getMeta reads one indexer key; a missing key reads as "".
func getMeta(ctx context.Context, q sqlx.QueryerContext, key string) (string, error) {
	var v string
	err := sqlx.GetContext(ctx, q, &v, `SELECT value FROM meta WHERE key = ?`, key)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// setMeta writes one indexer key.
func setMeta(ctx context.Context, tx *sqlx.Tx, key, value string) error {
	_, err := tx.ExecContext(ctx,
		`INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
		key, value)
	return err
}

// now is the wiki's clock; tests may set Now.
func (w *Wiki) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

// formatTime and parseTime keep stored times in one sortable UTC form.
func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) time.Time {
	t, _ := time.Parse(timeLayout, s)
	return t
}

// checkWikiDir refuses a wiki directory, repository or wiki.db that is a
// symbolic link: everything of a wiki must live inside its own directory
// under DATA/wikis, so a link planted there cannot make warren read or
// write elsewhere. The checks go through an os.Root of the wikis directory.
func checkWikiDir(dir string) error {
	root, err := os.OpenRoot(filepath.Dir(dir))
	if err != nil {
		return fmt.Errorf("open wikis directory: %w", err)
	}
	defer root.Close()
	name := filepath.Base(dir)
	for _, p := range []string{name, filepath.Join(name, "repo.git"), filepath.Join(name, "wiki.db")} {
		fi, err := root.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) && p != name {
			continue // wiki.db is created on first use; OpenRepo reports a missing repo
		}
		if err != nil {
			return wiki.Errorf(wiki.EUNAVAILABLE, "wiki directory is unreadable")
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			return wiki.Errorf(wiki.EUNAVAILABLE, "wiki directory contains a symbolic link (%s); refusing to follow it", p)
		}
	}
	return nil
}
