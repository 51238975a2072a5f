package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/warren-wiki/warren/cmd/warren/app"
	"github.com/warren-wiki/warren/storage/gitproto"
	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/robot"
	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/web"
	"github.com/warren-wiki/warren/wiki"
)

// TestServer is the whole warren stack on a loopback port with real
// robot.db, real repositories and the real renderer.
type TestServer struct {
	URL     string
	DataDir string
	Robot   *robot.Robot
	Server  *web.Server
	Pool    *tenant.Pool
	HTTP    *httptest.Server
	Main    *app.Main
}

// ServerOption adjusts the server before it starts.
type ServerOption func(*web.Server)

// MustStartServer starts warren in path mode trusting loopback proxies with
// the oauth2-proxy preset; callers identify themselves with As(login).
func MustStartServer(tb testing.TB, opts ...ServerOption) *TestServer {
	tb.Helper()
	data := tb.TempDir()
	proxy, err := web.ProxyPreset("oauth2-proxy")
	if err != nil {
		tb.Fatal(err)
	}
	proxy.Trusted = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	m := &app.Main{Config: app.Config{DataDir: data, Proxy: proxy, Admins: []string{"root"},
		MaxOpen: 16, IdleTTL: time.Minute, MaxBody: 1 << 20,
		Git: gitproto.Limits{MaxBlob: 1 << 20, MaxPush: 8 << 20}}}
	if err := m.Open(context.Background()); err != nil {
		tb.Fatalf("open warren: %v", err)
	}
	for _, o := range opts {
		o(m.Server)
	}
	m.Start()
	ts := &TestServer{DataDir: data, Robot: m.Robot, Server: m.Server, Pool: m.Pool, Main: m}
	ts.HTTP = httptest.NewServer(ts.Server)
	ts.URL = ts.HTTP.URL
	tb.Cleanup(func() {
		ts.HTTP.Close()
		if err := m.Close(); err != nil {
			tb.Errorf("close warren: %v", err)
		}
	})
	return ts
}

// MustCreateWiki creates a wiki owned by owner with the given pages
// (name → Markdown) besides its home page.
func (ts *TestServer) MustCreateWiki(tb testing.TB, slug, owner string, vis wiki.Visibility, pages map[string]string) {
	tb.Helper()
	files := []gitrepo.FileChange{{Path: "Home.md", Content: []byte("# " + slug + "\n\nWelcome.\n")}}
	for name, content := range pages {
		files = append(files, gitrepo.FileChange{Path: wiki.PageFile(name), Content: []byte(content)})
	}
	w := wiki.Wiki{Slug: slug, Title: slug, Owner: owner, Visibility: vis}
	if err := ts.Robot.CreateWiki(context.Background(), "test", w, files); err != nil {
		tb.Fatalf("create wiki %s: %v", slug, err)
	}
}

// MustGrant gives principal role on slug.
func (ts *TestServer) MustGrant(tb testing.TB, slug, principal string, role wiki.Role) {
	tb.Helper()
	if err := ts.Robot.SetGrant(context.Background(), "test", slug, principal, role); err != nil {
		tb.Fatalf("grant: %v", err)
	}
}

// Request describes one HTTP call in a scenario table.
type Request struct {
	Method  string
	Path    string
	As      string            // login asserted through the proxy header ("" = anonymous)
	Headers map[string]string // extra headers
	Body    string
}

// Do performs r against the server and returns status, headers and body.
func (ts *TestServer) Do(tb testing.TB, r Request) (int, http.Header, string) {
	tb.Helper()
	if r.Method == "" {
		r.Method = "GET"
	}
	req, err := http.NewRequest(r.Method, ts.URL+r.Path, strings.NewReader(r.Body))
	if err != nil {
		tb.Fatal(err)
	}
	if r.As != "" {
		req.Header.Set("X-Forwarded-User", r.As)
		req.Header.Set("X-Forwarded-Email", r.As+"@example.org")
	}
	for k, v := range r.Headers {
		req.Header.Set(k, v)
	}
	if h := r.Headers["Host"]; h != "" {
		req.Host = h // the Host header is the request's Host field
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", r.Method, r.Path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// MustJSON decodes a JSON body or fails.
func MustJSON(tb testing.TB, body string, v any) {
	tb.Helper()
	if err := json.Unmarshal([]byte(body), v); err != nil {
		tb.Fatalf("decode %q: %v", body, err)
	}
}
