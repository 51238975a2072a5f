package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// fsyncFloor measures the fastest durable atomic update this disk allows,
// the baseline of save_per_s: in dir (inside the data directory, so on the
// same file system) it writes a small file, fsyncs it, renames it over the
// previous one and fsyncs the directory, over and over for d. A save must
// do at least this much: write something new, make it durable, and make
// the name that points at it durable.
func fsyncFloor(ctx context.Context, dir string, d time.Duration) (int, time.Duration, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, 0, err
	}
	target, tmp := filepath.Join(dir, "ref"), filepath.Join(dir, "ref.tmp")
	start, n := time.Now(), 0
	for time.Since(start) < d && ctx.Err() == nil {
		if err := floorOnce(dir, tmp, target, n); err != nil {
			return n, 0, err
		}
		n++
	}
	return n, time.Since(start), ctx.Err()
}

// floorOnce is one durable atomic update.
func floorOnce(dir, tmp, target string, n int) error {
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(f, "%040d\n", n); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, target); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
