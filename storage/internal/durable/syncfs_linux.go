package durable

import (
	"os"

	"golang.org/x/sys/unix"
)

// syncTrees makes everything written below the directories durable. They
// all live in DATA/wikis, on one file system, so one syncfs(2) does it: for
// a batch of new repositories that is one journal commit instead of one
// fsync per file and directory.
func SyncTrees(dirs []string) error {
	if len(dirs) == 0 {
		return nil
	}
	f, err := os.Open(dirs[0])
	if err != nil {
		return err
	}
	defer f.Close()
	return unix.Syncfs(int(f.Fd()))
}
