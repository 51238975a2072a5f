//go:build !linux

package durable

import (
	"io/fs"
	"os"
	"path/filepath"
)

// SyncTrees makes everything written below the directories durable where
// there is no syncfs(2): every file and directory below them is fsynced,
// in one pass after all of them were written.
func SyncTrees(dirs []string) error {
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.Type()&fs.ModeSymlink != 0 {
				return err
			}
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			return f.Sync()
		})
		if err != nil {
			return err
		}
	}
	return nil
}
