package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/robot"
	"github.com/warren-wiki/warren/storage/sqlitedb"
	"github.com/warren-wiki/warren/wiki"
)

// snapshotFarm writes a backup of the farm at data into stage: robot.db as
// of one instant, then every wiki that snapshot lists. A wiki deleted while
// the backup runs is dropped from the backup's robot.db, so the backup
// never lists a wiki it does not hold.
func snapshotFarm(ctx context.Context, data, stage string) (*manifest, error) {
	src := filepath.Join(data, robot.RobotFile)
	if _, err := os.Stat(src); err != nil {
		return nil, wiki.Errorf(wiki.ENOTFOUND, "no warren data in %s (no %s)", data, robot.RobotFile)
	}
	dst := filepath.Join(stage, robot.RobotFile)
	if err := sqlitedb.BackupInto(ctx, src, dst); err != nil {
		return nil, err
	}
	slugs, err := listedSlugs(ctx, dst)
	if err != nil {
		return nil, err
	}
	for _, slug := range slugs {
		err := snapshotWiki(ctx, robot.WikiDir(data, slug), filepath.Join(stage, "wikis", slug))
		if wiki.ErrorCode(err) == wiki.ENOTFOUND || errors.Is(err, fs.ErrNotExist) {
			err = forgetWiki(ctx, dst, slug, filepath.Join(stage, "wikis", slug))
		}
		if err != nil {
			return nil, err
		}
	}
	m := &manifest{Kind: kindFarm, CreatedAt: time.Now().UTC()}
	return m, describe(stage, m)
}

// listedSlugs reads the wikis a robot.db snapshot lists.
func listedSlugs(ctx context.Context, path string) ([]string, error) {
	db, err := sqlx.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	var slugs []string
	err = db.SelectContext(ctx, &slugs, `SELECT slug FROM wikis ORDER BY slug`)
	return slugs, err
}

// forgetWiki drops a wiki that vanished during the backup from the
// backup's robot.db (its grants and tokens with it) and its partial files.
func forgetWiki(ctx context.Context, robotCopy, slug, dir string) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	db, err := sqlx.Open("sqlite", "file:"+robotCopy+"?_pragma=foreign_keys(1)")
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `DELETE FROM wikis WHERE slug = ?`, slug); err != nil {
		return err
	}
	_, err = db.ExecContext(ctx, `DELETE FROM tokens WHERE wiki = ?`, slug)
	return err
}

// snapshotWiki writes one wiki into dst: wiki.db first (if the wiki was
// ever opened), then the refs and the pack they reach. A wiki.db a little
// older than the refs is what a crash leaves too: it catches up from its
// watermark when the restored wiki is first opened.
func snapshotWiki(ctx context.Context, wikiDir, dst string) error {
	if err := os.MkdirAll(dst, 0o750); err != nil {
		return err
	}
	db := filepath.Join(wikiDir, "wiki.db")
	if _, err := os.Stat(db); err == nil {
		if err := sqlitedb.BackupInto(ctx, db, filepath.Join(dst, "wiki.db")); err != nil {
			return err
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	snap, err := writePack(ctx, filepath.Join(wikiDir, "repo.git"), filepath.Join(dst, "repo.pack"))
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(snap, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dst, "refs.json"), b, 0o640)
}

// writePack snapshots a repository's refs and objects into the file dst.
func writePack(ctx context.Context, repo, dst string) (gitrepo.RefSnapshot, error) {
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return gitrepo.RefSnapshot{}, err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 256<<10)
	snap, err := gitrepo.Snapshot(ctx, repo, bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Close()
	}
	return snap, err
}

// exportedWiki is wiki.json of an export: what robot.db says of the wiki.
type exportedWiki struct {
	Wiki   wiki.Wiki    `json:"wiki"`
	Grants []wiki.Grant `json:"grants"`
}

// snapshotExport writes one wiki of the farm into stage for `warren export`.
func snapshotExport(ctx context.Context, rb *robot.Robot, data, slug, stage string) (*manifest, error) {
	w, err := rb.FindWiki(ctx, slug)
	if err != nil {
		return nil, err
	}
	grants, err := rb.Grants(ctx, slug)
	if err != nil {
		return nil, err
	}
	b, err := json.MarshalIndent(exportedWiki{Wiki: *w, Grants: grants}, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(stage, "wiki.json"), b, 0o640); err != nil {
		return nil, err
	}
	if err := snapshotWiki(ctx, robot.WikiDir(data, slug), stage); err != nil {
		return nil, err
	}
	m := &manifest{Kind: kindWiki, Slug: slug, CreatedAt: time.Now().UTC()}
	return m, describe(stage, m)
}
