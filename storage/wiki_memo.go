package storage

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/warren-wiki/warren/wiki"
)

// A warm page view asks wiki.db the same questions every time (the page's
// index row and cached HTML, which of its links are missing, its backlinks,
// its last change), and each answer depends on the indexes alone. memo keeps
// those answers in memory until the indexes next change, so a warm view of
// a busy page runs no SQL at all; a cold one fills the memo.
//
// Correctness rests on one counter: gen moves after every commit that
// changes the indexes (apply, checkRenderer), and an answer is stored with
// the gen read before its queries ran, so an answer computed from data
// older than the newest commit is never served. The memo is per wiki (no
// lock shared across wikis) and bounded in bytes, so open wikis stay cheap.
type memo struct {
	gen   atomic.Uint64
	mu    sync.Mutex
	items map[memoKey]memoItem // guarded by mu
	size  int                  // bytes held, roughly; guarded by mu
}

// Memo bounds: a wiki keeps at most memoBudget bytes of answers (then starts
// over), and an answer bigger than memoMaxItem is never kept.
const (
	memoBudget  = 256 << 10
	memoMaxItem = 64 << 10
)

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

type memoItem struct {
	gen  uint64
	val  any
	size int
}

// changed invalidates every answer; call it after an index change commits.
func (m *memo) changed() { m.gen.Add(1) }

// get returns the answer to k if it was computed at the current gen.
func (m *memo) get(k memoKey) (any, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	it, ok := m.items[k]
	if !ok || it.gen != m.gen.Load() {
		return nil, false
	}
	return it.val, true
}

// put stores an answer computed from reads that started at gen.
func (m *memo) put(k memoKey, gen uint64, val any, size int) {
	size += len(k.name) + 64
	if size > memoMaxItem {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if gen != m.gen.Load() {
		return // the indexes changed meanwhile: the answer may be stale
	}
	if old, ok := m.items[k]; ok {
		m.size -= old.size
	}
	if m.items == nil || m.size+size > memoBudget {
		m.items, m.size = make(map[memoKey]memoItem), 0
	}
	m.items[k] = memoItem{gen: gen, val: val, size: size}
	m.size += size
}

// viewMemo is View at HEAD through the memo. The caller gets its own copy
// of the structs; the content bytes are shared and must not be modified.
func (w *Wiki) viewMemo(ctx context.Context, name string) (*wiki.PageView, error) {
	k := memoKey{kind: memoView, name: name}
	if v, ok := w.memo.get(k); ok {
		return copyView(v.(*wiki.PageView)), nil
	}
	gen := w.memo.gen.Load()
	pv, err := w.view(ctx, name, "")
	if err != nil {
		return nil, err
	}
	w.memo.put(k, gen, copyView(pv), len(pv.HTML)+len(pv.TOC)+len(pv.Content)+len(pv.Name)+len(pv.Title))
	return pv, nil
}

func copyView(pv *wiki.PageView) *wiki.PageView {
	p := *pv.Page
	return &wiki.PageView{Page: &p, HTML: pv.HTML, TOC: pv.TOC}
}

// backlinksMemo is backlinks through the memo.
func (w *Wiki) backlinksMemo(ctx context.Context, name string) ([]wiki.PageInfo, error) {
	k := memoKey{kind: memoBacklinks, name: name}
	if v, ok := w.memo.get(k); ok {
		return slices.Clone(v.([]wiki.PageInfo)), nil
	}
	gen := w.memo.gen.Load()
	pages, err := w.backlinks(ctx, name)
	if err != nil {
		return nil, err
	}
	size := 0
	for _, p := range pages {
		size += len(p.Name) + len(p.Title) + 128
	}
	w.memo.put(k, gen, slices.Clone(pages), size)
	return pages, nil
}

// historyMemo is history through the memo, for the first screen of a
// page's history (the page footer asks for its last change on every view).
func (w *Wiki) historyMemo(ctx context.Context, name string, limit int, before int64) ([]wiki.Change, error) {
	if before > 0 || limit <= 0 || limit > 10 {
		return w.history(ctx, name, limit, before)
	}
	k := memoKey{kind: memoHistory, name: name, limit: limit}
	if v, ok := w.memo.get(k); ok {
		return slices.Clone(v.([]wiki.Change)), nil
	}
	gen := w.memo.gen.Load()
	changes, err := w.history(ctx, name, limit, before)
	if err != nil {
		return nil, err
	}
	size := 0
	for _, c := range changes {
		size += len(c.Page) + len(c.Author) + len(c.Message) + 192
	}
	w.memo.put(k, gen, slices.Clone(changes), size)
	return changes, nil
}
