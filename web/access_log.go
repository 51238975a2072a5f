package web

import (
	"io"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/gorilla/mux"
	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/wiki"
)

// requestNote is what inner layers tell the access log about a request:
// the wiki, the caller and the matched route. It lives in the statusWriter
// that observe put around the response, so the context stays free of it.
type requestNote struct {
	wiki, user, route string
	in                atomic.Int64 // request body bytes read
}

// noteOf finds the request's note through the response writer's wrappers;
// nil when the request did not pass observe (tests of a single handler).
func noteOf(w http.ResponseWriter) *requestNote {
	for {
		switch x := w.(type) {
		case *statusWriter:
			return &x.note
		case interface{ Unwrap() http.ResponseWriter }:
			w = x.Unwrap()
		default:
			return nil
		}
	}
}

// noteWiki notes the wiki and caller of a wiki request and counts it for
// the wiki's usage.
func (s *Server) noteWiki(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n := noteOf(w); n != nil {
			if h := tenant.From(r.Context()); h != nil {
				n.wiki = h.Info.Slug
				s.usage.request(h.Info.Slug)
			}
			n.user = wiki.CallerFrom(r.Context()).Login
		}
		next.ServeHTTP(w, r)
	})
}

// noteCaller notes the caller of a platform request.
func (s *Server) noteCaller(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n := noteOf(w); n != nil {
			n.user = wiki.CallerFrom(r.Context()).Login
		}
		next.ServeHTTP(w, r)
	})
}

// noteRoute is router middleware: it notes the matched route's template,
// which names the route without the page or any value in it.
func noteRoute(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n := noteOf(w); n != nil {
			if rt := mux.CurrentRoute(r); rt != nil {
				n.route, _ = rt.GetPathTemplate()
			}
		}
		next.ServeHTTP(w, r)
	})
}

// countBody counts the request body's bytes into the note as handlers
// read it (a push's size).
func countBody(r *http.Request, n *requestNote) {
	if r.Body != nil && r.Body != http.NoBody {
		r.Body = &countingBody{ReadCloser: r.Body, n: &n.in}
	}
}

type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (c *countingBody) Read(p []byte) (int, error) {
	k, err := c.ReadCloser.Read(p)
	c.n.Add(int64(k))
	return k, err
}

// accessLog writes one info line per request: its id, wiki, user, method,
// route (the template, never the query or a page name), status, bytes
// sent and duration. Query strings, headers and bodies — where tokens and
// secrets travel — are never logged. It also counts saves, pushes, clones
// and throttled requests.
func (s *Server) accessLog(r *http.Request, id string, sw *statusWriter, d time.Duration) {
	n := &sw.note
	route := n.route
	if route == "" {
		route = "(unmatched)"
	}
	s.metrics.observeOp(opOf(r.Method, n.route), sw.status, n.in.Load(), sw.bytes, d)
	if s.metrics.reg != nil {
		switch sw.status {
		case http.StatusTooManyRequests: // the write rate limit (ratelimit.go)
			s.metrics.ops.throttled.WithLabelValues(ThrottleRate).Inc()
		case http.StatusInsufficientStorage: // a quota (EQUOTA)
			s.metrics.ops.throttled.WithLabelValues(ThrottleQuota).Inc()
		}
	}
	if !s.Logger.Enabled(r.Context(), slog.LevelInfo) {
		return // without building the line's attributes
	}
	s.Logger.Info("request", "req", id, "wiki", n.wiki, "user", n.user, "method", r.Method, "route", route,
		"status", sw.status, "bytes", sw.bytes, "in", n.in.Load(), "ms", float64(d.Microseconds())/1000)
}
