package web

import (
	"context"
	"sync"

	"github.com/warren-wiki/warren/tenant"
)

// pageChange says that pages of one wiki changed, by whatever route: a
// browser save, the JSON API, a git push or an MCP tool.
type pageChange struct {
	Wiki  string   // slug
	Pages []string // page names as the index lists them
}

// changeHub fans page changes out to in-process listeners (today: the MCP
// server's resource subscriptions). Listeners are keyed by wiki slug; ""
// listens to every wiki. Publish never blocks on a listener's clients:
// listeners must hand slow work to their own goroutine.
type changeHub struct {
	mu   sync.Mutex
	next int
	subs map[string]map[int]func(pageChange)
}

// subscribe calls fn for every change of wiki slug ("" = all wikis) until
// the returned cancel func is called.
func (hub *changeHub) subscribe(slug string, fn func(pageChange)) (cancel func()) {
	hub.mu.Lock()
	defer hub.mu.Unlock()
	if hub.subs == nil {
		hub.subs = make(map[string]map[int]func(pageChange))
	}
	if hub.subs[slug] == nil {
		hub.subs[slug] = make(map[int]func(pageChange))
	}
	hub.next++
	id := hub.next
	hub.subs[slug][id] = fn
	return func() {
		hub.mu.Lock()
		defer hub.mu.Unlock()
		delete(hub.subs[slug], id)
	}
}

// publish tells the wiki's listeners and the all-wiki listeners.
func (hub *changeHub) publish(c pageChange) {
	if hub == nil || len(c.Pages) == 0 {
		return
	}
	hub.mu.Lock()
	var fns []func(pageChange)
	for _, key := range []string{c.Wiki, ""} {
		for _, fn := range hub.subs[key] {
			fns = append(fns, fn)
		}
	}
	hub.mu.Unlock()
	for _, fn := range fns {
		fn(c)
	}
}

// published is the one hook every write path calls after a successful
// write: it tells listeners which pages of the request's wiki changed.
func (s *Server) published(h *tenant.Handle, pages ...string) {
	if h == nil {
		return
	}
	s.changes.publish(pageChange{Wiki: h.Info.Slug, Pages: pages})
}

// maxPushChanges bounds how many change-log entries one push publishes; a
// push larger than that is an import, and listeners of the pages beyond it
// are not told (they read the page anew on their next request anyway).
const maxPushChanges = 5000

// afterPush is a push's OnUpdated hook: it catches the indexes up (what
// the push did before MCP existed) and then publishes the pages the change
// log gained since the push began, so a push is a change like any other.
func (s *Server) afterPush(ctx context.Context, h *tenant.Handle) func(context.Context) error {
	mark := changeMark(ctx, h)
	pushed := s.webhookPushStart(ctx, h) // webhook_events.go
	return func(ctx context.Context) error {
		if err := h.Store.Sync(ctx); err != nil {
			return err
		}
		pushed(ctx)
		s.published(h, changedSince(ctx, h, mark)...)
		return nil
	}
}

// changeMark is the newest change-log cursor (0 for an empty log).
func changeMark(ctx context.Context, h *tenant.Handle) int64 {
	last, err := h.Store.Changes(ctx, "", 1, 0)
	if err != nil || len(last) == 0 {
		return 0
	}
	return last[0].Seq
}

// changedSince lists the distinct pages of changes newer than mark.
func changedSince(ctx context.Context, h *tenant.Handle, mark int64) []string {
	seen := map[string]bool{}
	var pages []string
	before := int64(0)
	for n := 0; n < maxPushChanges; {
		batch, err := h.Store.Changes(ctx, "", 500, before)
		if err != nil || len(batch) == 0 {
			break
		}
		for _, c := range batch {
			if c.Seq <= mark {
				return pages
			}
			if !seen[c.Page] {
				seen[c.Page] = true
				pages = append(pages, c.Page)
			}
			before = c.Seq
		}
		n += len(batch)
	}
	return pages
}
