package robot

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
	"github.com/warren-wiki/warren/storage/gitrepo"
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

// CreateWiki creates one wiki: CreateWikis of one. actor is who the audit
// trail names ("cli" for the command line).
func (r *Robot) CreateWiki(ctx context.Context, actor string, w wiki.Wiki, files []gitrepo.FileChange) error {
	return r.CreateWikis(ctx, actor, []wiki.Wiki{w}, func(wiki.Wiki) []gitrepo.FileChange { return files })
}

// WikiDir is the directory of one of this farm's wikis.
func (r *Robot) WikiDir(slug string) string { return WikiDir(r.dataDir, slug) }

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

// DeleteWiki removes a wiki: its row (grants cascade, tokens scoped to it
// go too), then its directory. ENOTFOUND if robot.db does not list it.
//
// The row goes first, so a crash never leaves a listed wiki without its
// files; the directory is then renamed to ".deleting-*" under the write lock
// (unless the slug was created anew in between) and removed. A crash before
// the rename leaves an unlisted directory that the next create of the slug
// moves aside; one after it leaves a dot-directory SweepLeftovers removes.
func (r *Robot) DeleteWiki(ctx context.Context, actor, slug string) error {
	err := r.writeTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := findWiki(ctx, tx, slug); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM wikis WHERE slug = ?`, slug); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM tokens WHERE wiki = ?`, slug); err != nil {
			return err
		}
		return r.audit(ctx, tx, actor, slug, "wiki.delete", "")
	})
	if err != nil {
		return err
	}
	var gone string
	err = r.writeTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := findWiki(ctx, tx, slug); err == nil {
			return nil // created anew meanwhile: the directory is the new wiki's
		} else if wiki.ErrorCode(err) != wiki.ENOTFOUND {
			return err
		}
		var err error
		gone, err = moveAside(r.WikiDir(slug))
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
