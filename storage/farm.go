package storage

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"
	"github.com/warren-wiki/warren/wiki"
)

// The farm's directory names. A wiki's directory is listed in robot.db only
// once it is complete; work in progress lives under names that start with a
// dot, which no slug can (wiki.ValidateSlug), so it can never be served.
const (
	wikisDirName   = "wikis"
	repoDirName    = "repo.git"
	creatingPrefix = ".creating-"
	deletingPrefix = ".deleting-"
)

// LeftoverAge is how old a ".creating-*" directory must be before
// SweepLeftovers removes it. Creating a wiki takes milliseconds, so an older
// one was left by a crash; a younger one may belong to a create running in
// another process (the CLI beside the server), which must not be disturbed.
const LeftoverAge = time.Hour

// WikiDir is the directory of one wiki: repo.git and wiki.db live inside.
func WikiDir(dataDir, slug string) string {
	return filepath.Join(dataDir, wikisDirName, slug)
}

// CreateWiki creates a wiki: its bare repository with a first commit of
// files, its robot.db row and, if it has an owner, the owner's admin grant.
// EEXISTS if the slug is taken; EINVALID for a bad slug, visibility, title
// or owner. The audit trail names the caller in ctx ("cli" if none).
//
// Crash safety: the repository is built under a ".creating-*" name, then,
// inside the robot.db write transaction, renamed into place before the row
// commits. A crash before the rename leaves only a dot-directory that
// SweepLeftovers removes; a crash between the rename and the commit leaves a
// directory robot.db does not list (never served), which the next create of
// that slug moves aside. A listed wiki always has its directory.
func CreateWiki(ctx context.Context, robot *Robot, dataDir string, w wiki.Wiki, files []FileChange) error {
	w, err := PrepareWiki(w)
	if err != nil {
		return err
	}
	if w.CreatedAt.IsZero() {
		w.CreatedAt = robot.now()
	}
	if _, err := robot.FindWiki(ctx, w.Slug); err == nil {
		return wiki.Errorf(wiki.EEXISTS, "wiki %q already exists", w.Slug)
	} else if wiki.ErrorCode(err) != wiki.ENOTFOUND {
		return err
	}
	wikis := filepath.Join(dataDir, wikisDirName)
	if err := os.MkdirAll(wikis, 0o750); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(wikis, creatingPrefix+w.Slug+"-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp) // a no-op once renamed into place
	author := &wiki.Caller{Login: w.Owner}
	if w.Owner == "" {
		author.Login = "warren"
	}
	repo, err := InitRepo(ctx, filepath.Join(tmp, repoDirName), files, author.AuthorName(), author.AuthorEmail(), "Create wiki "+w.Title)
	if err != nil {
		return err
	}
	repo.Close()
	return robot.commitNewWiki(ctx, dataDir, tmp, w)
}

// PrepareWiki fills a new wiki's defaults (private, titled by its slug) and
// validates it, so a caller creating many wikis can refuse a bad one before
// creating any.
func PrepareWiki(w wiki.Wiki) (wiki.Wiki, error) {
	if err := wiki.ValidateSlug(w.Slug); err != nil {
		return w, err
	}
	if w.Visibility == "" {
		w.Visibility = wiki.Private
	}
	v, err := wiki.ParseVisibility(string(w.Visibility))
	if err != nil {
		return w, err
	}
	w.Visibility = v
	w.Title = strings.TrimSpace(w.Title)
	if w.Title == "" {
		w.Title = w.Slug
	}
	if utf8.RuneCountInString(w.Title) > 200 || !utf8.ValidString(w.Title) ||
		strings.ContainsFunc(w.Title, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return w, wiki.Errorf(wiki.EINVALID, "invalid title: at most 200 characters, no control characters")
	}
	if w.Owner != "" {
		if err := wiki.ValidatePrincipal(w.Owner); err != nil || strings.HasPrefix(w.Owner, "group:") {
			return w, wiki.Errorf(wiki.EINVALID, "invalid owner %q: the owner is one login", w.Owner)
		}
	}
	return w, nil
}

// commitNewWiki inserts the row and grant, renames the finished directory
// into place and commits, in that order, holding robot.db's write lock
// throughout so that no other create or delete of the slug interleaves.
func (r *Robot) commitNewWiki(ctx context.Context, dataDir, tmp string, w wiki.Wiki) error {
	tx, err := r.DB.W.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := r.insertWiki(ctx, tx, w); err != nil {
		return err
	}
	final := WikiDir(dataDir, w.Slug)
	// No row exists and we hold the write lock, so a directory already
	// there is a crash leftover: move it aside.
	orphan, err := moveAside(final)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, final); err != nil {
		return err
	}
	if err := syncDir(filepath.Dir(final)); err != nil {
		return errors.Join(err, discard(final))
	}
	if err := tx.Commit(); err != nil {
		return errors.Join(err, discard(final))
	}
	if orphan != "" {
		_ = os.RemoveAll(orphan) // best effort; SweepLeftovers retries
	}
	return nil
}

// DeleteWiki removes a wiki: its row (grants cascade, tokens scoped to it
// go too), then its directory. ENOTFOUND if robot.db does not list it.
//
// The row goes first, so a crash never leaves a listed wiki without its
// files; the directory is then renamed to ".deleting-*" under the write lock
// (unless the slug was created anew in between) and removed. A crash before
// the rename leaves an unlisted directory that the next create of the slug
// moves aside; one after it leaves a dot-directory SweepLeftovers removes.
func DeleteWiki(ctx context.Context, robot *Robot, dataDir, slug string) error {
	err := robot.writeTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := findWiki(ctx, tx, slug); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM wikis WHERE slug = ?`, slug); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM tokens WHERE wiki = ?`, slug); err != nil {
			return err
		}
		return robot.audit(ctx, tx, actorOf(ctx), slug, "wiki.delete", "")
	})
	if err != nil {
		return err
	}
	var gone string
	err = robot.writeTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := findWiki(ctx, tx, slug); err == nil {
			return nil // created anew meanwhile: the directory is the new wiki's
		} else if wiki.ErrorCode(err) != wiki.ENOTFOUND {
			return err
		}
		var err error
		gone, err = moveAside(WikiDir(dataDir, slug))
		return err
	})
	if err != nil || gone == "" {
		return err
	}
	return os.RemoveAll(gone)
}

// SweepLeftovers removes what crashed creates and deletes left under
// DATA/wikis: ".deleting-*" directories, and ".creating-*" ones older than
// LeftoverAge. Call it at start and before creating wikis. Each leftover is
// first renamed to a fresh ".deleting-*" name, so a create that is still
// running either finishes its rename first or fails cleanly on it.
func SweepLeftovers(dataDir string) error {
	wikis := filepath.Join(dataDir, wikisDirName)
	entries, err := os.ReadDir(wikis)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	var errs []error
	for _, e := range entries {
		name := e.Name()
		switch {
		case strings.HasPrefix(name, deletingPrefix):
			errs = append(errs, os.RemoveAll(filepath.Join(wikis, name)))
		case strings.HasPrefix(name, creatingPrefix):
			errs = append(errs, sweepCreating(filepath.Join(wikis, name)))
		}
	}
	return errors.Join(errs...)
}

func sweepCreating(dir string) error {
	fi, err := os.Lstat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	if time.Since(fi.ModTime()) < LeftoverAge {
		return nil
	}
	gone, err := moveAside(dir)
	if err != nil || gone == "" {
		return err
	}
	return os.RemoveAll(gone)
}

// moveAside renames dir to a fresh ".deleting-*" sibling and returns the new
// name, or "" if dir does not exist.
func moveAside(dir string) (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	name := strings.TrimPrefix(filepath.Base(dir), creatingPrefix)
	gone := filepath.Join(filepath.Dir(dir), deletingPrefix+name+"-"+hex.EncodeToString(b[:]))
	if err := os.Rename(dir, gone); errors.Is(err, fs.ErrNotExist) {
		return "", nil
	} else if err != nil {
		return "", err
	}
	return gone, nil
}

// discard undoes a rename into place whose row did not commit.
func discard(dir string) error {
	gone, err := moveAside(dir)
	if err != nil || gone == "" {
		return err
	}
	return os.RemoveAll(gone)
}

// actorOf names who does something for the audit trail: the request's
// signed-in caller, or "cli" for the command line.
func actorOf(ctx context.Context) string {
	if c := wiki.CallerFrom(ctx); !c.Anonymous() {
		return c.Login
	}
	return "cli"
}
