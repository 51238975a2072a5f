package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/warren-wiki/warren/wiki"
)

func newBackupCmd() *cobra.Command {
	var data string
	cmd := &cobra.Command{
		Use:   "backup OUT",
		Short: "Back up the whole farm, also while it serves: a directory, a .tar file, or - for a tar on stdout",
		Args:  exactArgs(1, "warren backup --data DIR OUT (OUT: a new or empty directory, FILE.tar, or - for stdout)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return writeArchive(cmd.Context(), args[0], cmd.OutOrStdout(), cmd.ErrOrStderr(), func(stage string) (*manifest, error) {
				return snapshotFarm(cmd.Context(), data, stage)
			})
		},
	}
	dataFlag(cmd, &data)
	return cmd
}

func newExportCmd() *cobra.Command {
	var data string
	cmd := &cobra.Command{
		Use:   "export SLUG OUT",
		Short: "Export one wiki (repository, wiki.db with preferences, grants) for `warren import`",
		Args:  exactArgs(2, "warren export --data DIR SLUG OUT (OUT: a new or empty directory, FILE.tar, or -)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, slug := cmd.Context(), args[0]
			rb, err := openRobot(ctx, data, false)
			if err != nil {
				return err
			}
			defer rb.Close()
			if _, err := rb.FindWiki(ctx, slug); err != nil {
				return err
			}
			return writeArchive(ctx, args[1], cmd.OutOrStdout(), cmd.ErrOrStderr(), func(stage string) (*manifest, error) {
				return snapshotExport(ctx, rb, data, slug, stage)
			})
		},
	}
	dataFlag(cmd, &data)
	return cmd
}

// writeArchive makes an archive at out with fill, which writes the files
// into a staging directory. A directory out is written in place and gets
// its manifest last, so a manifest means a complete backup; a tar (a file
// or stdout) is streamed from a staging directory beside it. On error
// nothing of the archive is left.
func writeArchive(ctx context.Context, out string, stdout, stderr io.Writer, fill func(stage string) (*manifest, error)) error {
	if out == "-" {
		return tarArchive(ctx, "", stdout, fill)
	}
	if strings.HasSuffix(out, ".tar") {
		return tarFile(ctx, out, fill)
	}
	created, err := claimDir(out)
	if err != nil {
		return err
	}
	m, err := fill(out)
	if err == nil {
		err = writeManifest(out, m)
	}
	if err != nil {
		clearDir(out, created)
		return err
	}
	fmt.Fprintf(stderr, "wrote %s: %d files\n", out, len(m.Files))
	return nil
}

// tarFile writes the archive as a new tar file.
func tarFile(ctx context.Context, out string, fill func(string) (*manifest, error)) error {
	f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if errors.Is(err, fs.ErrExist) {
		return wiki.Errorf(wiki.EINVALID, "%s already exists; back up into a new file", out)
	} else if err != nil {
		return wiki.Errorf(wiki.EINVALID, "cannot write %s: %v", out, err)
	}
	err = tarArchive(ctx, filepath.Dir(out), f, fill)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out)
	}
	return err
}

// tarArchive fills a staging directory under dir ("" = the system's) and
// streams it as a tar to w.
func tarArchive(_ context.Context, dir string, w io.Writer, fill func(string) (*manifest, error)) error {
	stage, err := os.MkdirTemp(dir, ".warren-backup-")
	if err != nil {
		return wiki.Errorf(wiki.EINVALID, "cannot stage the backup: %v", err)
	}
	defer os.RemoveAll(stage)
	m, err := fill(stage)
	if err == nil {
		err = writeManifest(stage, m)
	}
	if err != nil {
		return err
	}
	return writeTar(w, stage, m)
}

// claimDir makes out an empty directory to write into: a new one, or an
// existing empty one. Anything else is a usage error (exit 2).
func claimDir(out string) (created bool, err error) {
	entries, err := os.ReadDir(out)
	switch {
	case err == nil && len(entries) > 0:
		return false, wiki.Errorf(wiki.EINVALID, "%s is not empty; back up into a new or empty directory", out)
	case err == nil:
		if err := probeWritable(out); err != nil {
			return false, err
		}
		return false, nil
	case errors.Is(err, fs.ErrNotExist):
		if err := os.Mkdir(out, 0o750); err != nil {
			return false, wiki.Errorf(wiki.EINVALID, "cannot create %s: %v", out, err)
		}
		return true, nil
	}
	return false, wiki.Errorf(wiki.EINVALID, "cannot use %s: %v", out, err)
}

// probeWritable fails clearly when dir cannot take new files.
func probeWritable(dir string) error {
	f, err := os.CreateTemp(dir, ".warren-probe-")
	if err != nil {
		return wiki.Errorf(wiki.EINVALID, "cannot write into %s: %v", dir, err)
	}
	f.Close()
	return os.Remove(f.Name())
}

// clearDir removes what a failed backup wrote into out.
func clearDir(out string, created bool) {
	if created {
		os.RemoveAll(out)
		return
	}
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		os.RemoveAll(filepath.Join(out, e.Name()))
	}
}
