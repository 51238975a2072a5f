package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/spf13/cobra"
	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/robot"
	"github.com/warren-wiki/warren/storage/sqlitedb"
	"github.com/warren-wiki/warren/wiki"
)

func newRestoreCmd() *cobra.Command {
	var data string
	cmd := &cobra.Command{
		Use:   "restore IN",
		Short: "Restore a backup into an empty data directory (IN: a backup directory, a .tar file, or - for stdin)",
		Args:  exactArgs(1, "warren restore --data DIR IN"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return restoreFarm(cmd.Context(), data, args[0], cmd.InOrStdin(), cmd.ErrOrStderr())
		},
	}
	dataFlag(cmd, &data)
	return cmd
}

func newImportCmd() *cobra.Command {
	var data string
	cmd := &cobra.Command{
		Use:   "import SLUG IN",
		Short: "Import a wiki exported with `warren export` under the name SLUG (also while serving)",
		Args:  exactArgs(2, "warren import --data DIR SLUG IN"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return importWiki(cmd.Context(), data, args[0], args[1], cmd.InOrStdin(), cmd.ErrOrStderr())
		},
	}
	dataFlag(cmd, &data)
	return cmd
}

// openArchive makes an archive readable as a directory: a directory as it
// is, a tar (file or stdin) unpacked into scratch. Then it checks the
// manifest and every file against it.
func openArchive(in string, stdin io.Reader, scratch, kind string) (dir string, m *manifest, err error) {
	dir = in
	if fi, serr := os.Stat(in); in == "-" || (serr == nil && fi.Mode().IsRegular()) {
		dir = filepath.Join(scratch, "archive")
		if err := unpackFrom(in, stdin, dir, kind); err != nil {
			return "", nil, err
		}
	} else if serr != nil {
		return "", nil, wiki.Errorf(wiki.EINVALID, "cannot read %s: %v", in, serr)
	}
	if m, err = readManifest(dir, kind); err != nil {
		return "", nil, err
	}
	if err := missingFiles(dir, m); err != nil {
		return "", nil, err
	}
	return dir, m, verifyFiles(dir, m)
}

func unpackFrom(in string, stdin io.Reader, dir, kind string) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	r := stdin
	if in != "-" {
		f, err := os.Open(in)
		if err != nil {
			return wiki.Errorf(wiki.EINVALID, "cannot read %s: %v", in, err)
		}
		defer f.Close()
		r = f
	}
	return unpackTar(bufio.NewReaderSize(r, 256<<10), dir, kind)
}

// restoreFarm checks the whole archive, builds the data directory beside
// data under a temporary name and renames it into place: data is never
// touched unless everything checked out.
func restoreFarm(ctx context.Context, data, in string, stdin io.Reader, stderr io.Writer) error {
	if err := refuseNonEmpty(data); err != nil {
		return err
	}
	parent := filepath.Dir(filepath.Clean(data))
	scratch, err := os.MkdirTemp(parent, ".warren-restore-")
	if err != nil {
		return wiki.Errorf(wiki.EINVALID, "cannot write beside %s: %v", data, err)
	}
	defer os.RemoveAll(scratch)
	src, m, err := openArchive(in, stdin, scratch, kindFarm)
	if err != nil {
		return err
	}
	built := filepath.Join(scratch, "data")
	slugs, err := buildFarm(ctx, src, built)
	if err != nil {
		return err
	}
	if err := placeData(built, data); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "restored %s into %s (backup of %s)\n", fmtSlugs(slugs), data, m.CreatedAt.Format("2006-01-02 15:04:05 UTC"))
	return nil
}

// refuseNonEmpty accepts a data directory that does not exist or is empty.
func refuseNonEmpty(data string) error {
	entries, err := os.ReadDir(data)
	if err == nil && len(entries) > 0 {
		return wiki.Errorf(wiki.EINVALID, "%s is not empty; restore into a new or empty data directory", data)
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return wiki.Errorf(wiki.EINVALID, "cannot use %s: %v", data, err)
	}
	return nil
}

// buildFarm lays out a data directory at dst from a checked archive: the
// databases must pass PRAGMA integrity_check, the wikis robot.db lists and
// the wikis the archive holds must be the same, and each repository is
// rebuilt from its pack (which indexing checks object by object).
func buildFarm(ctx context.Context, src, dst string) ([]string, error) {
	robotDB := filepath.Join(src, robot.RobotFile)
	if err := sqlitedb.IntegrityCheck(ctx, robotDB); err != nil {
		return nil, refuseArchive("robot.db: %v", err)
	}
	slugs, err := listedSlugs(ctx, robotDB)
	if err != nil {
		return nil, refuseArchive("robot.db: %v", err)
	}
	held, _ := os.ReadDir(filepath.Join(src, "wikis"))
	if len(held) != len(slugs) {
		return nil, refuseArchive("robot.db lists %d wikis, the archive holds %d", len(slugs), len(held))
	}
	if err := os.MkdirAll(filepath.Join(dst, "wikis"), 0o750); err != nil {
		return nil, err
	}
	if err := copyFile(robotDB, filepath.Join(dst, robot.RobotFile)); err != nil {
		return nil, err
	}
	for _, slug := range slugs {
		if !slices.ContainsFunc(held, func(e fs.DirEntry) bool { return e.Name() == slug }) {
			return nil, refuseArchive("wiki %s is listed but not in the archive", slug)
		}
		if err := buildWiki(ctx, filepath.Join(src, "wikis", slug), robot.WikiDir(dst, slug)); err != nil {
			return nil, fmt.Errorf("wiki %s: %w", slug, err)
		}
	}
	return slugs, nil
}

// buildWiki makes one wiki's directory at dst from its archived files.
func buildWiki(ctx context.Context, src, dst string) error {
	var snap gitrepo.RefSnapshot
	b, err := os.ReadFile(filepath.Join(src, "refs.json"))
	if err == nil {
		err = json.Unmarshal(b, &snap)
	}
	if err != nil {
		return refuseArchive("refs.json: %v", err)
	}
	if err := os.MkdirAll(dst, 0o750); err != nil {
		return err
	}
	pack, err := os.Open(filepath.Join(src, "repo.pack"))
	if err != nil {
		return refuseArchive("repo.pack: %v", err)
	}
	defer pack.Close()
	if err := gitrepo.RestoreSnapshot(ctx, filepath.Join(dst, "repo.git"), bufio.NewReaderSize(pack, 256<<10), snap); err != nil {
		return refuseArchive("repository: %s", wiki.ErrorMessage(err))
	}
	db := filepath.Join(src, "wiki.db")
	if _, err := os.Stat(db); errors.Is(err, fs.ErrNotExist) {
		return nil // never opened: rebuilt from git on first use
	}
	if err := sqlitedb.IntegrityCheck(ctx, db); err != nil {
		return refuseArchive("wiki.db: %v", err)
	}
	return copyFile(db, filepath.Join(dst, "wiki.db"))
}

// copyFile copies src to a new file dst and fsyncs it.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// placeData moves the built directory to data (replacing an empty one) and
// makes the rename durable.
func placeData(built, data string) error {
	if err := syncTree(built); err != nil {
		return err
	}
	if err := os.Remove(data); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return wiki.Errorf(wiki.EINVALID, "%s: %v", data, err)
	}
	if err := os.Rename(built, data); err != nil {
		return err
	}
	return syncDir(filepath.Dir(filepath.Clean(data)))
}

// importWiki checks an export and lists it as wiki slug (which must not
// exist), with its title, visibility, owner and grants.
func importWiki(ctx context.Context, data, slug, in string, stdin io.Reader, stderr io.Writer) error {
	if err := wiki.ValidateSlug(slug); err != nil {
		return err
	}
	rb, err := openRobot(ctx, data, true)
	if err != nil {
		return err
	}
	defer rb.Close()
	if _, err := rb.FindWiki(ctx, slug); err == nil {
		return wiki.Errorf(wiki.EEXISTS, "wiki %q already exists; import under another name or delete it first", slug)
	}
	scratch, err := os.MkdirTemp("", "warren-import-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(scratch)
	src, _, err := openArchive(in, stdin, scratch, kindWiki)
	if err != nil {
		return err
	}
	var ex exportedWiki
	b, err := os.ReadFile(filepath.Join(src, "wiki.json"))
	if err == nil {
		err = json.Unmarshal(b, &ex)
	}
	if err != nil {
		return refuseArchive("wiki.json: %v", err)
	}
	w := wiki.Wiki{Slug: slug, Title: ex.Wiki.Title, Owner: ex.Wiki.Owner, Visibility: ex.Wiki.Visibility}
	if w.Title == ex.Wiki.Slug {
		w.Title = slug
	}
	err = rb.ImportWiki(ctx, cliActor, w, ex.Grants, func(dir string) error { return buildWiki(ctx, src, dir) })
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "imported wiki %s (%d grants)\n", slug, len(ex.Grants))
	return nil
}
