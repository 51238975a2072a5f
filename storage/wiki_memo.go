package storage

import (
	"context"
	"slices"

	"github.com/warren-wiki/warren/storage/internal/memo"
	"github.com/warren-wiki/warren/wiki"
)

// A warm page view asks wiki.db the same questions every time (the page's
// index row and cached HTML, which of its links are missing, its backlinks,
// its last change), and each answer depends on the indexes alone. The memo
// (storage/internal/memo) keeps those answers in memory until the indexes
// next change, so a warm view of a busy page runs no SQL at all; a cold one
// fills the memo. Its generation moves after every commit that changes the
// indexes (apply, checkRenderer). The memo is per wiki (no lock shared
// across wikis) and bounded in bytes, so open wikis stay cheap.

// memoKind says which question an answer is for.
type memoKind uint8

const (
	memoView memoKind = iota
	memoBacklinks
	memoHistory
	memoChrome // _Sidebar and _Footer of a folder (pages_nav.go)
	memoHome   // the page the wiki root shows (pages_nav.go)
)

type memoKey struct {
	kind  memoKind
	name  string
	limit int
}

// Size is what the key holds, counted with each answer.
func (k memoKey) Size() int { return len(k.name) + 64 }

// viewMemo is View at HEAD through the memo. The caller gets its own copy
// of the structs; the content bytes are shared and must not be modified.
func (w *Wiki) viewMemo(ctx context.Context, name string) (*wiki.PageView, error) {
	size := func(pv *wiki.PageView) int {
		return len(pv.HTML) + len(pv.TOC) + len(pv.Content) + len(pv.Name) + len(pv.Title)
	}
	return memo.Do(&w.memo, memoKey{kind: memoView, name: name}, copyView, size, func() (*wiki.PageView, error) {
		return w.view(ctx, name, "")
	})
}

func copyView(pv *wiki.PageView) *wiki.PageView {
	p := *pv.Page
	return &wiki.PageView{Page: &p, HTML: pv.HTML, TOC: pv.TOC}
}

// backlinksMemo is backlinks through the memo.
func (w *Wiki) backlinksMemo(ctx context.Context, name string) ([]wiki.PageInfo, error) {
	size := func(pages []wiki.PageInfo) (n int) {
		for _, p := range pages {
			n += len(p.Name) + len(p.Title) + 128
		}
		return n
	}
	return memo.Do(&w.memo, memoKey{kind: memoBacklinks, name: name}, slices.Clone, size, func() ([]wiki.PageInfo, error) {
		return w.backlinks(ctx, name)
	})
}

// historyMemo is history through the memo, for the first screen of a
// page's history (the page footer asks for its last change on every view).
func (w *Wiki) historyMemo(ctx context.Context, name string, limit int, before int64) ([]wiki.Change, error) {
	if before > 0 || limit <= 0 || limit > 10 {
		return w.history(ctx, name, limit, before)
	}
	size := func(changes []wiki.Change) (n int) {
		for _, c := range changes {
			n += len(c.Page) + len(c.Author) + len(c.Message) + 192
		}
		return n
	}
	k := memoKey{kind: memoHistory, name: name, limit: limit}
	return memo.Do(&w.memo, k, slices.Clone, size, func() ([]wiki.Change, error) {
		return w.history(ctx, name, limit, before)
	})
}
