package web

import (
	"errors"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/warren-wiki/warren/wiki"
)

// Request bodies are guarded on every route:
//
//   - a declared Content-Length over the route's limit is refused with 413
//     before a byte of the body is read;
//   - a body without a length (chunked) is cut at the limit, and answered
//     413 even when the handler stopped at bad input before the limit (the
//     rest is read, up to the limit, to tell the two apart);
//   - a body must keep arriving at a minimum rate: after BodyGrace, at least
//     MinBodyRate bytes a second on average, else the read fails and the
//     request is answered 408. A git push that keeps sending, however long
//     it takes, is never cut off; a client that declares a megabyte and
//     sends fifteen bytes is.
//
// git pushes are limited by --max-push in the receive-pack handler (after
// decompression), so only the rate applies to them here.

// Defaults of the body rate rule.
const (
	defaultBodyGrace   = 20 * time.Second
	defaultMinBodyRate = 1 << 10 // bytes per second
)

// guardBody applies the rules above to the request's body.
func (s *Server) guardBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}
		limit := int64(-1)
		if !strings.HasSuffix(r.URL.Path, "/.git/git-receive-pack") {
			limit = s.attachmentBodyLimit(r) // MaxBody, more for uploads
		}
		if limit >= 0 && r.ContentLength > limit {
			w.Header().Set("Connection", "close")
			s.fail(w, r, tooLarge(limit))
			return
		}
		r.Body = &guardedBody{rc: r.Body, limit: limit, ctl: http.NewResponseController(w),
			start: time.Now(), grace: s.bodyGrace(), rate: s.minBodyRate()}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) bodyGrace() time.Duration {
	if s.BodyGrace > 0 {
		return s.BodyGrace
	}
	return defaultBodyGrace
}

func (s *Server) minBodyRate() int64 {
	if s.MinBodyRate > 0 {
		return s.MinBodyRate
	}
	return defaultMinBodyRate
}

func tooLarge(limit int64) error {
	return wiki.Errorf(wiki.ETOOLARGE, "request body is larger than %d bytes", limit)
}

// guardedBody is a request body under the size limit and the rate rule.
type guardedBody struct {
	rc       io.ReadCloser
	limit    int64 // -1: none
	ctl      *http.ResponseController
	start    time.Time
	grace    time.Duration
	rate     int64
	n        int64
	eof      bool
	over     bool // the body went past limit
	timedOut bool // the body came too slowly
}

func (b *guardedBody) Read(p []byte) (int, error) {
	switch {
	case b.timedOut:
		return 0, bodyTimeout()
	case b.over:
		return 0, tooLarge(b.limit)
	case b.eof:
		return 0, io.EOF
	}
	if b.limit >= 0 && int64(len(p)) > b.limit-b.n+1 {
		p = p[:b.limit-b.n+1] // one byte past the limit proves it exceeded
	}
	_ = b.ctl.SetReadDeadline(b.deadline()) // unsupported writers (tests) just have no deadline
	n, err := b.rc.Read(p)
	b.n += int64(n)
	if b.limit >= 0 && b.n > b.limit {
		b.over = true
		return n - int(b.n-b.limit), tooLarge(b.limit)
	}
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded):
		b.timedOut = true
		return n, bodyTimeout()
	case err == io.EOF:
		b.eof = true
		_ = b.ctl.SetReadDeadline(time.Time{}) // the body is done: no deadline for what follows
	}
	return n, err
}

// deadline is when the body must have arrived by, at the minimum rate, so
// far.
func (b *guardedBody) deadline() time.Time {
	return b.start.Add(b.grace + time.Duration(b.n*int64(time.Second)/b.rate))
}

func (b *guardedBody) Close() error { return b.rc.Close() }

func bodyTimeout() error {
	return wiki.Errorf(wiki.ETIMEOUT, "The request body arrived too slowly.")
}

// bodyVerdict gives the body's own failure precedence over whatever the
// handler made of it: a body that came too slowly is 408, one over the
// limit 413. A handler that stopped at bad input before the end of a body
// without a declared length has the rest read (up to the limit) to know
// whether the body was too large.
func bodyVerdict(r *http.Request, err error) error {
	b, ok := r.Body.(*guardedBody)
	if !ok || err == nil {
		return err
	}
	if !b.eof && !b.over && !b.timedOut && b.limit >= 0 && wiki.ErrorCode(err) == wiki.EINVALID {
		_, _ = io.Copy(io.Discard, b)
	}
	switch {
	case b.timedOut:
		return bodyTimeout()
	case b.over:
		return tooLarge(b.limit)
	}
	return err
}
