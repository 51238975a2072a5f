package robot

import (
	"context"
	"errors"
	"os"
	"path/filepath"

	"github.com/jmoiron/sqlx"
	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/internal/durable"
	"github.com/warren-wiki/warren/storage/sqlitedb"
	"github.com/warren-wiki/warren/wiki"
)

// CreateWikis creates many wikis at once, all or none: each with its
// repository holding a first commit of files(w), its robot.db row and, if
// it has an owner, the owner's admin grant. It refuses the whole batch before creating anything if any wiki is
// invalid (EINVALID), named twice (EINVALID) or already exists (EEXISTS).
//
// actor is who the audit trail names.
//
// Crash safety: the repositories are built under ".creating-*" names
// without any fsync, made durable together by one sync of the file system
// (fsyncing every file of every new repository dominated the cost of
// registering thousands of wikis), then listed in one robot.db transaction
// that renames each into place before the commit. What a crash leaves
// before the commit is either a dot-directory SweepLeftovers removes or an
// unlisted directory the next create of its slug moves aside; a listed wiki
// always has its complete, durable directory.
func (r *Robot) CreateWikis(ctx context.Context, actor string, ws []wiki.Wiki, files func(wiki.Wiki) []gitrepo.FileChange) error {
	ws, err := r.prepareBatch(ctx, ws)
	if err != nil || len(ws) == 0 {
		return err
	}
	wikis := filepath.Join(r.dataDir, wikisDirName)
	if err := os.MkdirAll(wikis, 0o750); err != nil {
		return err
	}
	tmps := make([]string, len(ws))
	defer func() {
		for _, tmp := range tmps {
			if tmp != "" {
				os.RemoveAll(tmp) // a no-op for those renamed into place
			}
		}
	}()
	// One at a time: building is mostly file creation in one directory,
	// and two builders measured slower than one (the kernel serializes them).
	for i, w := range ws {
		var err error
		if tmps[i], err = buildUnsynced(ctx, wikis, w, files(w)); err != nil {
			return err
		}
	}
	if err := durable.SyncTrees(tmps); err != nil {
		return err
	}
	return r.commitNewWikis(ctx, actor, tmps, ws, nil)
}

// prepareBatch fills defaults, validates every wiki and refuses duplicates
// and slugs robot.db already lists, before anything is created.
func (r *Robot) prepareBatch(ctx context.Context, ws []wiki.Wiki) ([]wiki.Wiki, error) {
	out := make([]wiki.Wiki, 0, len(ws))
	seen := make(map[string]bool, len(ws))
	now := r.now()
	for _, w := range ws {
		w, err := PrepareWiki(w)
		if err != nil {
			return nil, err
		}
		if seen[w.Slug] {
			return nil, wiki.Errorf(wiki.EINVALID, "wiki %q is named twice", w.Slug)
		}
		seen[w.Slug] = true
		if w.CreatedAt.IsZero() {
			w.CreatedAt = now
		}
		out = append(out, w)
	}
	existing, err := r.ListWikis(ctx)
	if err != nil {
		return nil, err
	}
	for _, w := range existing {
		if seen[w.Slug] {
			return nil, wiki.Errorf(wiki.EEXISTS, "wiki %q already exists", w.Slug)
		}
	}
	return out, nil
}

// buildUnsynced builds one wiki's repository in a fresh ".creating-*"
// directory under wikis without fsyncing anything, and returns that
// directory.
func buildUnsynced(ctx context.Context, wikis string, w wiki.Wiki, files []gitrepo.FileChange) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(wikis, creatingPrefix+w.Slug+"-")
	if err != nil {
		return "", err
	}
	author := &wiki.Caller{Login: w.Owner}
	if w.Owner == "" {
		author.Login = "warren"
	}
	repo := filepath.Join(tmp, repoDirName)
	err = os.Mkdir(repo, 0o755)
	if err == nil {
		err = gitrepo.InitRepoIn(ctx, repo, files, author.AuthorName(), author.AuthorEmail(), "Create wiki "+w.Title, false)
	}
	if err != nil {
		os.RemoveAll(tmp)
		return "", err
	}
	return tmp, nil
}

// commitNewWikis lists the wikis in one robot.db transaction: rows, grants
// and audit lines, each directory renamed into place, the wikis directory
// fsynced, then the commit. If anything fails, the renamed directories are
// discarded and robot.db is unchanged.
// extra, if set, writes more in the same transaction (an import's grants).
func (r *Robot) commitNewWikis(ctx context.Context, actor string, tmps []string, ws []wiki.Wiki, extra func(*sqlx.Tx) error) (err error) {
	tx, err := r.DB.W.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var placed, orphans []string
	defer func() {
		if err != nil {
			for _, dir := range placed {
				err = errors.Join(err, discard(dir))
			}
		}
	}()
	for i, w := range ws {
		if err := r.insertWiki(ctx, tx, actor, w); err != nil {
			return err
		}
		final := r.WikiDir(w.Slug)
		orphan, err := moveAside(final)
		if err != nil {
			return err
		}
		if orphan != "" {
			orphans = append(orphans, orphan)
		}
		if err := os.Rename(tmps[i], final); err != nil {
			return err
		}
		placed = append(placed, final)
	}
	if extra != nil {
		if err := extra(tx); err != nil {
			return err
		}
	}
	if err := durable.SyncDir(filepath.Join(r.dataDir, wikisDirName)); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	for _, o := range orphans {
		_ = os.RemoveAll(o) // best effort; SweepLeftovers retries
	}
	return nil
}

// insertWiki writes a new wiki's row, its owner's grant and the audit line.
func (r *Robot) insertWiki(ctx context.Context, tx *sqlx.Tx, actor string, w wiki.Wiki) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO wikis (slug, title, owner, visibility, created_at) VALUES (?, ?, ?, ?, ?)`,
		w.Slug, w.Title, w.Owner, string(w.Visibility), robotTime(w.CreatedAt))
	if sqlitedb.IsUniqueViolation(err) {
		return wiki.Errorf(wiki.EEXISTS, "wiki %q already exists", w.Slug)
	} else if err != nil {
		return err
	}
	if w.Owner != "" {
		if err := setGrant(ctx, tx, w.Slug, w.Owner, wiki.RoleAdmin); err != nil {
			return err
		}
	}
	return r.audit(ctx, tx, actor, w.Slug, "wiki.create", "visibility="+string(w.Visibility)+" owner="+w.Owner)
}
