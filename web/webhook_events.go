package web

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"sync/atomic"
	"time"

	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/wiki"
)

// Webhook events are made off the request path. A write (browser, API, MCP
// or push) only drops a note into a buffered channel; one recorder
// goroutine turns notes into events. It reads the wiki's change log past
// the mark robot.db keeps per wiki, and queues the event and moves the mark
// in one robot.db transaction. A note that finds nothing past the mark is
// dropped, so notes may be lost or repeated without harm: the recorder also
// catches every wiki with webhooks up at start (changes acknowledged just
// before a crash) and after a note was dropped because the channel was full.

// webhookNote is what a write tells the recorder: which wiki, and for a
// push who pushed and which refs moved.
type webhookNote struct {
	slug string
	push *pushNote
}

// pushNote describes one push for its event.
type pushNote struct {
	actor string
	refs  []refMove
}

// refMove is one ref a push created, moved or deleted ("" = absent).
type refMove struct {
	Ref    string `json:"ref"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// webhookPayload is the JSON body every receiver gets.
type webhookPayload struct {
	Event     string          `json:"event"` // page_change or push
	Wiki      string          `json:"wiki"`
	Ref       string          `json:"ref"`
	Before    string          `json:"before,omitempty"`
	After     string          `json:"after,omitempty"`
	Refs      []refMove       `json:"refs,omitempty"`
	Commits   []payloadCommit `json:"commits"`
	Pages     []payloadPage   `json:"pages"`
	Actor     string          `json:"actor"`
	At        time.Time       `json:"at"`
	Truncated bool            `json:"truncated,omitempty"` // more changes than one event lists
}

type payloadCommit struct {
	ID      string    `json:"id"`
	Message string    `json:"message"`
	Author  string    `json:"author"`
	Time    time.Time `json:"time"`
}

type payloadPage struct {
	Path     string `json:"path"`
	Action   string `json:"action"` // added, modified, deleted
	Revision string `json:"revision"`
}

// maxEventChanges bounds the change-log entries one event lists; a larger
// batch (an import) is announced with "truncated": true.
const maxEventChanges = 1000

// webhookNotes is the recorder's inbox size: a burst of writes beyond it
// sets the catch-up flag instead of blocking a write.
const webhookNotes = 4096

// noteWebhook hands a note to the recorder without ever blocking.
func (s *Server) noteWebhook(n webhookNote) {
	if s.hooks == nil {
		return
	}
	select {
	case s.hooks.notes <- n:
	default:
		s.hooks.behind.Store(true)
	}
}

// webhookPushStart snapshots the refs before a push, and returns what to
// call once the refs moved: it notes the push with the refs it changed.
func (s *Server) webhookPushStart(ctx context.Context, h *tenant.Handle) func(context.Context) {
	before, _ := h.Store.Repository().Refs(ctx)
	actor := callerName(wiki.CallerFrom(ctx))
	return func(ctx context.Context) {
		after, err := h.Store.Repository().Refs(ctx)
		if err != nil {
			return
		}
		if moves := refMoves(before, after); len(moves) > 0 {
			s.noteWebhook(webhookNote{slug: h.Info.Slug, push: &pushNote{actor: actor, refs: moves}})
		}
	}
}

// callerName is who an event names as its actor.
func callerName(c *wiki.Caller) string {
	if c.Anonymous() {
		return "anonymous"
	}
	return c.Login
}

// refMoves lists the refs that differ between two snapshots, by name.
func refMoves(before, after map[string]string) []refMove {
	var moves []refMove
	names := slices.Sorted(maps.Keys(after))
	for name := range before {
		if _, ok := after[name]; !ok {
			names = append(names, name)
		}
	}
	for _, name := range names {
		if name != "HEAD" && before[name] != after[name] {
			moves = append(moves, refMove{Ref: name, Before: before[name], After: after[name]})
		}
	}
	return moves
}

// webhookService is the Server's webhook machinery: the recorder's inbox
// and the dispatcher's wake-up.
type webhookService struct {
	notes  chan webhookNote
	wake   chan struct{}
	behind atomic.Bool // a note was dropped: catch every wiki up
}

func newWebhookService() *webhookService {
	return &webhookService{notes: make(chan webhookNote, webhookNotes), wake: make(chan struct{}, 1)}
}

// runRecorder turns notes into queued events until ctx ends, catching
// every wiki with webhooks up at start and whenever notes were dropped.
func (s *Server) runRecorder(ctx context.Context) {
	s.catchUpAll(ctx)
	tick := time.NewTicker(time.Minute)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case n := <-s.hooks.notes:
			s.record(ctx, n)
		case <-tick.C:
			if s.hooks.behind.Swap(false) {
				s.catchUpAll(ctx)
			}
		}
	}
}

// catchUpAll announces what every wiki with webhooks changed past its mark.
func (s *Server) catchUpAll(ctx context.Context) {
	slugs, err := s.Robot.WikisWithWebhooks(ctx)
	if err != nil {
		s.Logger.Error("webhooks: list wikis", "err", err)
		return
	}
	for _, slug := range slugs {
		s.record(ctx, webhookNote{slug: slug})
	}
}

// record queues the event for one note, retrying once if the mark moved
// under it.
func (s *Server) record(ctx context.Context, n webhookNote) {
	for range 2 {
		err := s.recordOnce(ctx, n)
		if err == nil {
			return
		}
		if wiki.ErrorCode(err) != wiki.ECONFLICT {
			if ctx.Err() == nil {
				s.Logger.Error("webhooks: record event", "wiki", n.slug, "err", err)
			}
			return
		}
	}
}

func (s *Server) recordOnce(ctx context.Context, n webhookNote) error {
	mark, ok, err := s.Robot.WebhookMark(ctx, n.slug)
	if err != nil || !ok {
		return err // no webhooks: nothing to do
	}
	w, release, err := s.Pool.Acquire(ctx, n.slug)
	if err != nil {
		return err
	}
	entries, newest, err := changesAfter(ctx, w.Changes, mark)
	release()
	if err != nil {
		return err
	}
	if newest < mark { // wiki.db was rebuilt and its log starts anew
		return s.Robot.SetWebhookMark(ctx, n.slug, newest)
	}
	if len(entries) == 0 && n.push == nil {
		return nil
	}
	p := buildPayload(n, entries)
	body, err := json.Marshal(p)
	if err != nil {
		return err
	}
	queued, err := s.Robot.EnqueueEvent(ctx, n.slug, p.Event, body, mark, max(newest, mark))
	if err == nil && queued > 0 {
		s.metrics.webhookQueued(queued)
		s.wakeDispatcher()
	}
	return err
}

// changesAfter reads the change log newer than mark, newest first, at most
// maxEventChanges entries, and the newest seq in the log (0 if empty).
func changesAfter(ctx context.Context, changes func(context.Context, string, int, int64) ([]wiki.ChangeEntry, error), mark int64) ([]wiki.ChangeEntry, int64, error) {
	var out []wiki.ChangeEntry
	newest, before := int64(0), int64(0)
	for len(out) < maxEventChanges+1 {
		batch, err := changes(ctx, "", 500, before)
		if err != nil {
			return nil, 0, err
		}
		if len(batch) == 0 {
			break
		}
		if newest == 0 {
			newest = batch[0].Seq
		}
		for _, c := range batch {
			if c.Seq <= mark {
				return out, newest, nil
			}
			out = append(out, c)
			before = c.Seq
		}
	}
	return out, newest, nil
}

// buildPayload describes a batch of change-log entries (newest first) and,
// for a push, the refs it moved.
func buildPayload(n webhookNote, entries []wiki.ChangeEntry) webhookPayload {
	p := webhookPayload{Event: wiki.EventPageChange, Wiki: n.slug, Ref: gitrepo.MainBranch,
		Commits: []payloadCommit{}, Pages: []payloadPage{}, At: time.Now().UTC()}
	if len(entries) > maxEventChanges {
		entries, p.Truncated = entries[:maxEventChanges], true
	}
	seenCommit, pageAt := map[string]bool{}, map[string]int{}
	for i := len(entries) - 1; i >= 0; i-- { // oldest first, as git lists a push
		c := entries[i]
		if !seenCommit[c.Revision] {
			seenCommit[c.Revision] = true
			p.Commits = append(p.Commits, payloadCommit{ID: c.Revision, Message: c.Message, Author: c.Author, Time: c.Time.UTC()})
		}
		pg := payloadPage{Path: c.Page, Action: c.Action, Revision: c.Revision}
		if j, ok := pageAt[c.Page]; ok {
			p.Pages[j] = pg // a page's newest change wins
		} else {
			pageAt[c.Page] = len(p.Pages)
			p.Pages = append(p.Pages, pg)
		}
	}
	if len(entries) > 0 {
		p.After, p.Actor = entries[0].Revision, entries[0].Author
	}
	if n.push != nil {
		p.Event, p.Actor, p.Refs = wiki.EventPush, n.push.actor, n.push.refs
		p.Ref, p.Before, p.After = n.push.refs[0].Ref, n.push.refs[0].Before, n.push.refs[0].After
		if i := slices.IndexFunc(n.push.refs, func(m refMove) bool { return m.Ref == gitrepo.MainBranch }); i >= 0 {
			p.Ref, p.Before, p.After = gitrepo.MainBranch, n.push.refs[i].Before, n.push.refs[i].After
		}
	}
	return p
}
