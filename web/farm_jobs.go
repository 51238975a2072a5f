package web

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/warren-wiki/warren/wiki"
)

// listenForChanges subscribes the farm's background work to the change
// hub that every write path publishes to (browser, API, MCP, push): the
// webhook recorder, the usage counters and the change metric.
func (s *Server) listenForChanges() {
	s.hooks = newWebhookService()
	s.changes.subscribe("", func(c pageChange) {
		s.noteWebhook(webhookNote{slug: c.Wiki})
		s.usage.saved(c.Wiki)
		s.metrics.pageChanged()
	})
}

// JobOptions tune the background work of RunJobs.
type JobOptions struct {
	UsageFlush time.Duration // how often usage counts reach robot.db (UsageFlush)
}

// RunJobs runs the server's background work until ctx ends: the webhook
// recorder and dispatcher and the usage flusher. It returns once they have
// stopped (the usage counts flushed a last time, attempts in flight
// finished), so the caller may then close the pool and robot.db.
func (s *Server) RunJobs(ctx context.Context, opt JobOptions) {
	s.once.Do(s.build)
	var wg sync.WaitGroup
	wg.Go(func() { s.runRecorder(ctx) })
	wg.Go(func() { s.runDispatcher(ctx) })
	wg.Go(func() { s.runUsage(ctx, opt.UsageFlush) })
	wg.Wait()
}

// MetricsHandler serves the metrics without any check, for a listener of
// its own (--metrics-listen) that only the operator's network reaches.
func (s *Server) MetricsHandler() http.Handler {
	s.once.Do(s.build)
	if s.Registry == nil {
		return http.NotFoundHandler()
	}
	return s.metricsHandler()
}

// platformAdminOnly lets platform admins through. Anonymous callers are
// asked to authenticate (401, so a scraper with a token can); signed-in
// callers who are not platform admins get 403.
func (s *Server) platformAdminOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := wiki.CallerFrom(r.Context())
		switch {
		case s.isPlatformAdmin(c):
			next.ServeHTTP(w, r)
		case c.Anonymous():
			w.Header().Set("WWW-Authenticate", `Basic realm="warren", charset="UTF-8"`)
			plainError(w, wiki.Errorf(wiki.EUNAUTHORIZED, "Metrics are for platform admins: sign in or send an admin token."))
		default:
			plainError(w, wiki.Errorf(wiki.EFORBIDDEN, "Metrics are for platform admins."))
		}
	})
}

// wikiUsage is one row's usage on the wiki list, formatted for people.
type wikiUsage struct {
	Pages      int64
	Size       string
	Activity   string // saves and requests in 30 days; wiki admins only
	LastChange *time.Time
}

// usageForList reads every wiki's usage in one query for the wiki list;
// on error the list simply shows none.
func (s *Server) usageForList(ctx context.Context) map[string]wiki.Usage {
	all, err := s.Robot.AllUsage(ctx)
	if err != nil {
		s.Logger.Error("usage for the wiki list", "err", err)
		return nil
	}
	return all
}

// listUsage formats one wiki's usage; activity only for its admins.
func listUsage(u wiki.Usage, ok bool, role wiki.Role) *wikiUsage {
	if !ok || u.MeasuredAt == nil {
		return nil
	}
	out := &wikiUsage{Pages: u.Pages, Size: humanSize(u.RepoBytes), LastChange: u.LastChange}
	if role >= wiki.RoleAdmin {
		out.Activity = formatCount(u.Saves30d, "save") + " · " + formatCount(u.Requests30d, "request")
	}
	return out
}

func formatCount(n int64, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return itoa(n) + " " + what + "s"
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
