package web_test

import (
	"context"
	"crypto/hmac"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sync/atomic"
	"testing"
	"time"

	"github.com/warren-wiki/warren/cmd/warren/app"
	"github.com/warren-wiki/warren/storage/gitproto"
	"github.com/warren-wiki/warren/web"
)

// fastHooks are webhook bounds for tests: loopback receivers allowed,
// retries within milliseconds.
func fastHooks(s *web.Server) {
	s.Webhooks = web.WebhookOptions{AllowPrivate: true, Timeout: 2 * time.Second, Backoff: 5 * time.Millisecond,
		MaxBackoff: 20 * time.Millisecond, MaxAttempts: 1000, Poll: 50 * time.Millisecond}
}

// mustStartOn starts warren on an existing data directory, so a test can
// stop a server and start another on the same farm; stop closes it (and
// is safe to call twice).
func mustStartOn(tb testing.TB, data string, opts ...ServerOption) (ts *TestServer, stop func()) {
	tb.Helper()
	proxy, err := web.ProxyPreset("oauth2-proxy")
	if err != nil {
		tb.Fatal(err)
	}
	proxy.Trusted = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	m := &app.Main{Config: app.Config{DataDir: data, Proxy: proxy, Admins: []string{"root"},
		MaxOpen: 16, IdleTTL: time.Minute, MaxBody: 1 << 20, Metrics: true,
		Git: gitproto.Limits{MaxBlob: 1 << 20, MaxPush: 8 << 20}}}
	if err := m.Open(context.Background()); err != nil {
		tb.Fatalf("open warren: %v", err)
	}
	for _, o := range opts {
		o(m.Server)
	}
	m.Start()
	ts = &TestServer{DataDir: data, Robot: m.Robot, Server: m.Server, Pool: m.Pool, Main: m}
	ts.HTTP = httptest.NewServer(ts.Server)
	ts.URL = ts.HTTP.URL
	var stopped atomic.Bool
	stop = func() {
		if stopped.Swap(true) {
			return
		}
		ts.HTTP.Close()
		if err := m.Close(); err != nil {
			tb.Errorf("close warren: %v", err)
		}
	}
	tb.Cleanup(stop)
	return ts, stop
}

// hookCall is one request a test receiver got.
type hookCall struct {
	Header  http.Header
	Body    []byte
	Payload map[string]any
}

// receiver is a webhook target on loopback. Every call is sent on calls;
// answer decides the status (200 when nil).
type receiver struct {
	URL    string
	calls  chan hookCall
	answer atomic.Value // func() int
	srv    *httptest.Server
}

// startReceiver listens on a fixed loopback address for the test's life.
func startReceiver(tb testing.TB, ln net.Listener) *receiver {
	tb.Helper()
	rc := &receiver{calls: make(chan hookCall, 100)}
	rc.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		c := hookCall{Header: r.Header.Clone(), Body: body}
		_ = json.Unmarshal(body, &c.Payload)
		rc.calls <- c
		status := http.StatusOK
		if f, ok := rc.answer.Load().(func() int); ok && f != nil {
			status = f()
		}
		if status == 0 { // never answer: wait until the sender gives up
			<-r.Context().Done()
			return
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, "thanks")
	}))
	if ln != nil {
		rc.srv.Listener.Close()
		rc.srv.Listener = ln
	}
	rc.srv.Start()
	tb.Cleanup(rc.srv.Close)
	rc.URL = rc.srv.URL + "/hook?token=receiver-secret"
	return rc
}

// next waits for the receiver's next call; the bound only turns a missing
// delivery into a failure instead of a hung test.
func (rc *receiver) next(tb testing.TB) hookCall {
	tb.Helper()
	select {
	case c := <-rc.calls:
		return c
	case <-time.After(30 * time.Second):
		tb.Fatal("no webhook delivery arrived")
		return hookCall{}
	}
}

// verifySignature checks X-Warren-Signature against the body and secret.
func verifySignature(tb testing.TB, c hookCall, secret string) {
	tb.Helper()
	got := c.Header.Get("X-Warren-Signature")
	if !hmac.Equal([]byte(got), []byte(web.Sign(secret, c.Body))) || len(got) != len("sha256=")+64 {
		tb.Fatalf("signature %q does not match the body under the secret", got)
	}
}

// mustAddHook registers url on slug as login through the API and returns
// the secret.
func mustAddHook(tb testing.TB, ts *TestServer, slug, login, url string) (id int64, secret string) {
	tb.Helper()
	body, _ := json.Marshal(map[string]string{"url": url})
	st, _, resp := ts.Do(tb, Request{Method: "POST", Path: "/" + slug + "/-/api/webhooks", As: login, Body: string(body)})
	if st != http.StatusCreated {
		tb.Fatalf("add webhook: %d %s", st, resp)
	}
	var out struct {
		ID     int64  `json:"id"`
		Secret string `json:"secret"`
	}
	MustJSON(tb, resp, &out)
	return out.ID, out.Secret
}

// mustPutPage creates or replaces a page through the API as login.
func mustPutPage(tb testing.TB, ts *TestServer, slug, login, page, content string) string {
	tb.Helper()
	h := map[string]string{}
	st, hdr, _ := ts.Do(tb, Request{Path: "/" + slug + "/-/api/pages/" + page, As: login})
	if st == http.StatusOK {
		h["If-Match"] = hdr.Get("ETag")
	}
	body, _ := json.Marshal(map[string]string{"content": content})
	st, hdr, resp := ts.Do(tb, Request{Method: "PUT", Path: "/" + slug + "/-/api/pages/" + page, As: login, Body: string(body), Headers: h})
	if st != http.StatusOK && st != http.StatusCreated {
		tb.Fatalf("save %s: %d %s", page, st, resp)
	}
	return hdr.Get("ETag")
}
