package storage

import (
	"context"

	"github.com/warren-wiki/warren/storage/internal/pagetree"
	"github.com/warren-wiki/warren/wiki"
)

// Tree bounds: children listed per folder by default and at most.
const (
	DefaultTreeN = pagetree.DefaultTreeN
	MaxTreeN     = pagetree.MaxTreeN
)

// Tree lists the children of one folder of the page tree ("" = the root),
// in name order: its pages and its sub-folders, one entry each (a page and
// a folder of the same name share one). At most limit entries; more is
// true when there are others. A folder costs about as many rows as it has
// children, whatever the wiki's size (pagetree.Tree).
func (w *Wiki) Tree(ctx context.Context, dir string, limit int) (entries []wiki.TreeEntry, more bool, err error) {
	return pagetree.Tree(ctx, w.DB.R, dir, limit)
}
