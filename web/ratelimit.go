package web

import (
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/warren-wiki/warren/wiki"
	"golang.org/x/time/rate"
)

// WriteLimiter holds one token bucket per user or token (--write-rate,
// --write-burst): a writer may make Burst changes at once and Rate per
// second after that. Only writes draw on it; reads are never throttled, so
// one busy wiki or writer never slows another wiki's readers.
type WriteLimiter struct {
	rate  rate.Limit
	burst int

	mu      sync.Mutex
	buckets map[string]*writeBucket
	swept   time.Time
}

type writeBucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// NewWriteLimiter limits each writer to perSecond writes a second with
// bursts of burst (at least 1).
func NewWriteLimiter(perSecond float64, burst int) *WriteLimiter {
	return &WriteLimiter{rate: rate.Limit(perSecond), burst: max(burst, 1), buckets: map[string]*writeBucket{}}
}

// Take draws one write for key. If the bucket is empty it draws nothing and
// says how long until a write is allowed again.
func (wl *WriteLimiter) Take(key string, now time.Time) (wait time.Duration, ok bool) {
	wl.mu.Lock()
	defer wl.mu.Unlock()
	wl.sweepLocked(now)
	b := wl.buckets[key]
	if b == nil {
		b = &writeBucket{lim: rate.NewLimiter(wl.rate, wl.burst)}
		wl.buckets[key] = b
	}
	b.seen = now
	res := b.lim.ReserveN(now, 1)
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return d, false
	}
	return 0, true
}

// sweepLocked forgets, every few minutes, the writers whose buckets have
// filled up again: a fresh bucket is the same as a full one, so memory
// stays bounded by the writers of the last few minutes.
func (wl *WriteLimiter) sweepLocked(now time.Time) {
	if now.Sub(wl.swept) < 5*time.Minute {
		return
	}
	wl.swept = now
	refill := time.Duration(float64(wl.burst)/float64(wl.rate)*float64(time.Second)) + time.Minute
	for k, b := range wl.buckets {
		if now.Sub(b.seen) > refill {
			delete(wl.buckets, k)
		}
	}
}

// writerKey names whose bucket a request draws on: a token's own (so one
// leaked or runaway token cannot exhaust its user's browser session), a
// signed-in user's, or an anonymous caller's address.
func writerKey(r *http.Request, c *wiki.Caller) string {
	switch {
	case c.ViaToken:
		return "token:" + strconv.FormatInt(c.TokenID, 10)
	case !c.Anonymous():
		return "user:" + c.Login
	}
	if r == nil {
		return "anonymous"
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return "addr:" + host
}

// isWrite reports whether a request may change state: every method but
// GET, HEAD and OPTIONS, except git fetches and previews, which only read
// (MCP's write tools draw on the bucket themselves, in mcpWiki).
func isWrite(r *http.Request) bool {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	p := r.URL.Path
	return !strings.HasSuffix(p, "/.git/git-upload-pack") && !strings.HasSuffix(p, "/-/preview") && !strings.HasSuffix(p, "/-/mcp")
}

// throttleWrites answers 429 with Retry-After to a writer whose bucket is
// empty, before the request reaches any wiki.
func (s *Server) throttleWrites(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.Writes != nil && isWrite(r) {
			if err := s.takeWrite(w, r, wiki.CallerFrom(r.Context())); err != nil {
				s.fail(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// takeWrite draws one write for the caller; when refused it sets
// Retry-After (if w is not nil) and returns ETHROTTLED.
func (s *Server) takeWrite(w http.ResponseWriter, r *http.Request, c *wiki.Caller) error {
	if s.Writes == nil {
		return nil
	}
	wait, ok := s.Writes.Take(writerKey(r, c), time.Now())
	if ok {
		return nil
	}
	secs := int(math.Ceil(wait.Seconds()))
	if w != nil {
		w.Header().Set("Retry-After", strconv.Itoa(secs))
	}
	return wiki.Errorf(wiki.ETHROTTLED, "Too many changes in a short time; try again in %d s.", secs)
}
