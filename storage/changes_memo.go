package storage

import (
	"context"
	"slices"

	"github.com/warren-wiki/warren/wiki"
)

// memoChanges is the memo kind of the first screen of a change log.
const memoChanges memoKind = 101

// maxMemoChanges is the longest first screen kept in the memo.
const maxMemoChanges = 101

// changesMemo is changes through the memo, for the first screen of the
// wiki's recent changes or a page's history.
func (w *Wiki) changesMemo(ctx context.Context, name string, limit int) ([]wiki.ChangeEntry, error) {
	k := memoKey{kind: memoChanges, name: name, limit: limit}
	if v, ok := w.memo.get(k); ok {
		return slices.Clone(v.([]wiki.ChangeEntry)), nil
	}
	gen := w.memo.gen.Load()
	entries, err := w.changes(ctx, name, limit, 0)
	if err != nil {
		return nil, err
	}
	size := 0
	for _, e := range entries {
		size += len(e.Page) + len(e.Author) + len(e.Message) + 200
	}
	w.memo.put(k, gen, slices.Clone(entries), size)
	return entries, nil
}
