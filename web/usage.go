package web

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/warren-wiki/warren/storage/robot"
	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/wiki"
)

// Usage is counted in memory: a request adds one to an atomic counter of
// its wiki, a change marks the wiki to be measured again. A flusher adds
// the counts to robot.db in one transaction a minute (and at shutdown) and
// measures the changed wikis' sizes then, so no request ever writes usage.

// wikiCount is one wiki's counts since the last flush.
type wikiCount struct {
	requests atomic.Int64
	saves    atomic.Int64
	changed  atomic.Bool // measure its size at the next flush
}

// usageCounter holds every wiki's counts; entries are never removed (one
// small struct per wiki used since the start).
type usageCounter struct {
	m sync.Map // slug → *wikiCount
}

func (u *usageCounter) get(slug string) *wikiCount {
	if c, ok := u.m.Load(slug); ok {
		return c.(*wikiCount)
	}
	c, _ := u.m.LoadOrStore(slug, &wikiCount{})
	return c.(*wikiCount)
}

// request counts one request to slug.
func (u *usageCounter) request(slug string) { u.get(slug).requests.Add(1) }

// saved counts one change of slug (a save, rename, delete, upload, MCP
// write or push) and marks it for measuring.
func (u *usageCounter) saved(slug string) {
	c := u.get(slug)
	c.saves.Add(1)
	c.changed.Store(true)
}

// take empties the counters and returns what they held, and the wikis to
// measure.
func (u *usageCounter) take() (map[string]robot.UsageCount, []string) {
	counts := map[string]robot.UsageCount{}
	var changed []string
	u.m.Range(func(k, v any) bool {
		c := v.(*wikiCount)
		n := robot.UsageCount{Requests: c.requests.Swap(0), Saves: c.saves.Swap(0)}
		if n.Requests != 0 || n.Saves != 0 {
			counts[k.(string)] = n
		}
		if c.changed.Swap(false) {
			changed = append(changed, k.(string))
		}
		return true
	})
	return counts, changed
}

// UsageFlush is how often usage counts reach robot.db.
const UsageFlush = time.Minute

// runUsage flushes the counters every interval until ctx ends, then once
// more.
func (s *Server) runUsage(ctx context.Context, interval time.Duration) {
	if interval <= 0 {
		interval = UsageFlush
	}
	tick := time.NewTicker(interval)
	defer tick.Stop()
	prune := time.NewTicker(6 * time.Hour)
	defer prune.Stop()
	for {
		select {
		case <-ctx.Done():
			s.FlushUsage(context.WithoutCancel(ctx))
			return
		case <-tick.C:
			s.FlushUsage(ctx)
		case <-prune.C:
			if err := s.Robot.PruneUsage(ctx); err != nil && ctx.Err() == nil {
				s.Logger.Error("usage: prune", "err", err)
			}
		}
	}
}

// FlushUsage writes the counts gathered since the last flush and measures
// the wikis that changed. The server calls it every minute and at shutdown;
// tests call it to read usage without waiting.
func (s *Server) FlushUsage(ctx context.Context) {
	s.once.Do(s.build)
	counts, changed := s.usage.take()
	if err := s.Robot.AddUsage(ctx, time.Now(), counts); err != nil {
		s.Logger.Error("usage: flush counts", "err", err)
	}
	for _, slug := range changed {
		if err := s.measure(ctx, slug); err != nil && wiki.ErrorCode(err) != wiki.ENOTFOUND {
			s.Logger.Error("usage: measure", "wiki", slug, "err", err)
		}
	}
}

// measure records one wiki's size.
func (s *Server) measure(ctx context.Context, slug string) error {
	if _, err := s.Robot.FindWiki(ctx, slug); err != nil {
		return err // deleted meanwhile: opening it would fail anyway
	}
	w, release, err := s.Pool.Acquire(ctx, slug)
	if err != nil {
		return err
	}
	size, err := w.Usage(ctx)
	release()
	if err != nil {
		return err
	}
	return s.Robot.SetUsageSize(ctx, slug, size)
}

// apiUsage answers GET /{wiki}/-/api/usage for the wiki's admins. A wiki
// never measured since it was created is measured now.
func (s *Server) apiUsage(w http.ResponseWriter, r *http.Request, h *tenant.Handle, _ wiki.Role) {
	u, err := s.Robot.Usage(r.Context(), h.Info.Slug)
	if err == nil && u.MeasuredAt == nil {
		if err = s.measure(r.Context(), h.Info.Slug); err == nil {
			u, err = s.Robot.Usage(r.Context(), h.Info.Slug)
		}
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, u)
}

// usageOf is one wiki's usage for the management API, nil if unknown.
func usageOf(all map[string]wiki.Usage, slug string) any {
	if u, ok := all[slug]; ok {
		return u
	}
	return nil
}
