//go:build !unix

package gitrepo

import (
	"io/fs"
	"os"
)

// tryFlock has no kernel lock to take here: writers of one process are
// kept apart by the wiki's write lock, and a lock file left by a crash is
// broken by age alone.
func tryFlock(*os.File) (bool, error) { return true, nil }

// inode is 0: without inodes no lock file is recognised as warren's.
func inode(fs.FileInfo) uint64 { return 0 }
