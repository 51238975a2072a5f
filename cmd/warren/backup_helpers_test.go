package main_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/warren-wiki/warren/cmd/warren/app"
	"github.com/warren-wiki/warren/storage/gitproto"
	"github.com/warren-wiki/warren/web"
)

// farm is a warren server running in this process on a data directory,
// for tests that drive the CLI against a live farm.
type farm struct {
	URL  string
	Main *app.Main
	stop func()
}

// mustServe starts warren on data (loopback proxy identities trusted).
func mustServe(tb testing.TB, data string) *farm {
	tb.Helper()
	proxy, err := web.ProxyPreset("oauth2-proxy")
	if err != nil {
		tb.Fatal(err)
	}
	proxy.Trusted = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	m := &app.Main{Config: app.Config{DataDir: data, Proxy: proxy, Admins: []string{"root"}, MaxOpen: 16,
		IdleTTL: time.Minute, MaxBody: 1 << 20, Logger: slog.New(slog.DiscardHandler), Git: gitproto.Limits{MaxBlob: 1 << 20, MaxPush: 8 << 20}}}
	if err := m.Open(context.Background()); err != nil {
		tb.Fatal(err)
	}
	m.Start()
	hs := httptest.NewServer(m.Server)
	f := &farm{URL: hs.URL, Main: m}
	stopped := false
	f.stop = func() {
		if !stopped {
			stopped = true
			hs.Close()
			m.Close()
		}
	}
	tb.Cleanup(f.stop)
	return f
}

// call performs one request as login and returns status and body.
func (f *farm) call(tb testing.TB, method, path, login, body string, headers map[string]string) (int, http.Header, string) {
	tb.Helper()
	req, err := http.NewRequest(method, f.URL+path, strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("X-Forwarded-User", login)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// page reads a page through the API: content and revision ("" if absent).
func (f *farm) page(tb testing.TB, slug, name, rev string) (content, revision string) {
	tb.Helper()
	q := ""
	if rev != "" {
		q = "?rev=" + rev
	}
	st, _, body := f.call(tb, "GET", "/"+slug+"/-/api/pages/"+name+q, "root", "", nil)
	if st != http.StatusOK {
		return "", ""
	}
	var p struct{ Content, Revision string }
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		tb.Fatal(err)
	}
	return p.Content, p.Revision
}

// pageNames lists a wiki's pages through the API.
func (f *farm) pageNames(tb testing.TB, slug string) []string {
	tb.Helper()
	st, _, body := f.call(tb, "GET", "/"+slug+"/-/api/pages?limit=1000", "root", "", nil)
	if st != http.StatusOK {
		tb.Fatalf("list pages: %d %s", st, body)
	}
	var out struct{ Pages []struct{ Path string } }
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		tb.Fatal(err)
	}
	names := make([]string, len(out.Pages))
	for i, p := range out.Pages {
		names[i] = p.Path
	}
	return names
}

// save creates a page through the API; ok reports a 2xx answer.
func (f *farm) save(tb testing.TB, slug, name, content string) bool {
	b, _ := json.Marshal(map[string]string{"content": content})
	st, _, _ := f.call(tb, "PUT", "/"+slug+"/-/api/pages/"+name, "root", string(b), nil)
	return st/100 == 2
}

// git runs the real git client as login against nothing but its arguments.
func git(tb testing.TB, login, dir string, args ...string) string {
	tb.Helper()
	base := []string{"-c", "user.name=Backup Test", "-c", "user.email=b@example.org", "-c", "init.defaultBranch=main"}
	if login != "" {
		base = append(base, "-c", "http.extraHeader=X-Forwarded-User: "+login)
	}
	cmd := exec.Command("git", append(base, args...)...)
	cmd.Dir = dir
	home := tb.TempDir()
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GIT_") && !strings.HasPrefix(kv, "HOME=") {
			env = append(env, kv)
		}
	}
	cmd.Env = append(env, "HOME="+home, "XDG_CONFIG_HOME="+home, "GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0")
	out, err := cmd.CombinedOutput()
	if err != nil {
		tb.Errorf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}
