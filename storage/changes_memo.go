package storage

import (
	"context"
	"slices"

	"github.com/warren-wiki/warren/storage/internal/memo"
	"github.com/warren-wiki/warren/wiki"
)

// memoChanges is the memo kind of the first screen of a change log.
const memoChanges memoKind = 101

// maxMemoChanges is the longest first screen kept in the memo.
const maxMemoChanges = 101

// changesMemo is changes through the memo, for the first screen of the
// wiki's recent changes or a page's history.
func (w *Wiki) changesMemo(ctx context.Context, name string, limit int) ([]wiki.ChangeEntry, error) {
	size := func(entries []wiki.ChangeEntry) (n int) {
		for _, e := range entries {
			n += len(e.Page) + len(e.Author) + len(e.Message) + 200
		}
		return n
	}
	k := memoKey{kind: memoChanges, name: name, limit: limit}
	return memo.Do(&w.memo, k, slices.Clone, size, func() ([]wiki.ChangeEntry, error) {
		return w.changes(ctx, name, limit, 0)
	})
}
