package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/warren-wiki/warren/web"
	"github.com/warren-wiki/warren/wiki"
)

// lockedBuffer is a log sink that request goroutines may share.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestAccessLogJSON: every request leaves one JSON line at info level with
// the request id, wiki, user, method, route, status, bytes and duration —
// and no token, password or query string anywhere in the log.
func TestAccessLogJSON(t *testing.T) {
	logs := &lockedBuffer{}
	ts, stop := mustStartOn(t, t.TempDir(), func(s *web.Server) {
		s.Logger = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	})
	ts.MustCreateWiki(t, "acme", "owner", wiki.Private, map[string]string{"Otters": "# Otters\n"})
	ts.MustGrant(t, "acme", "alice", wiki.RoleEditor)
	token := mustToken(t, ts, "alice", "acme", wiki.RoleEditor)
	st, hdr, _ := ts.Do(t, Request{Path: "/acme/-/api/pages/Otters?access_token=query-secret", Headers: map[string]string{"Authorization": "Bearer " + token}})
	if st != http.StatusOK {
		t.Fatalf("token read: %d", st)
	}
	id := hdr.Get("X-Request-Id")
	ts.Do(t, Request{Path: "/acme/Otters", As: "alice"})
	ts.Do(t, Request{Path: "/nope/", As: "alice"})
	stop()

	out := logs.String()
	for _, secret := range []string{token, "query-secret", "access_token"} {
		if strings.Contains(out, secret) {
			t.Errorf("the log contains %q", secret)
		}
	}
	var found bool
	for line := range strings.Lines(out) {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line is not JSON: %q: %v", line, err)
		}
		if rec["msg"] != "request" || rec["req"] != id {
			continue
		}
		found = true
		if rec["level"] != "INFO" || rec["wiki"] != "acme" || rec["user"] != "alice" || rec["method"] != "GET" ||
			rec["route"] != "/-/api/pages/{path:.+}" || rec["status"] != float64(200) || rec["bytes"].(float64) <= 0 || rec["ms"] == nil {
			t.Errorf("access log line %s", line)
		}
	}
	if !found {
		t.Fatalf("no access log line for request %s in:\n%s", id, out)
	}
}

// TestMetricsForPlatformAdminsOnly: /-/metrics is 401 for anonymous
// callers, 403 for other users, and for platform admins lists the pool,
// saves, render cache, webhook and throttling metrics. With a separate
// listener it is not served on the main one at all.
func TestMetricsForPlatformAdminsOnly(t *testing.T) {
	ts, _ := mustStartOn(t, t.TempDir())
	ts.MustCreateWiki(t, "acme", "owner", wiki.Public, nil)
	mustPutPage(t, ts, "acme", "owner", "Otters", "# Otters\n")
	ts.Do(t, Request{Path: "/acme/Otters"})
	ts.Do(t, Request{Path: "/acme/Otters"})
	ts.Do(t, Request{Path: "/acme/-/api/pages/Otters", As: "owner"})
	if st, _, _ := ts.Do(t, Request{Path: "/-/metrics"}); st != http.StatusUnauthorized {
		t.Errorf("anonymous metrics: %d, want 401", st)
	}
	if st, _, _ := ts.Do(t, Request{Path: "/-/metrics", As: "owner"}); st != http.StatusForbidden {
		t.Errorf("wiki owner's metrics: %d, want 403", st)
	}
	token := mustToken(t, ts, "owner", "", wiki.RoleAdmin)
	if st, _, _ := ts.Do(t, Request{Path: "/-/metrics", Headers: map[string]string{"Authorization": "Bearer " + token}}); st != http.StatusForbidden {
		t.Errorf("a non-admin's token: %d, want 403", st)
	}
	st, _, body := ts.Do(t, Request{Path: "/-/metrics", As: "root"})
	if st != http.StatusOK {
		t.Fatalf("platform admin's metrics: %d", st)
	}
	mustContain(t, "metrics", body, "warren_pool_open ", "warren_pool_hits_total", "warren_pool_misses_total",
		"warren_pool_evictions_total", "warren_pool_open_seconds_count", `warren_ops_total{code="2xx",op="save"} 1`,
		"warren_op_duration_seconds_bucket", "warren_render_cache_hits_total", "warren_page_changes_total 1",
		"warren_webhook_queued_total", "warren_http_requests_total")

	dashboard, err := os.ReadFile("../deploy/grafana-dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range regexp.MustCompile(`warren_[a-z_]+`).FindAllString(string(dashboard), -1) {
		base := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(name, "_bucket"), "_count"), "_sum")
		if !strings.Contains(body, "\n"+base) {
			t.Errorf("the Grafana dashboard uses %s, which /-/metrics does not serve", name)
		}
	}

	sep, _ := mustStartOn(t, t.TempDir(), func(s *web.Server) { s.MetricsElsewhere = true })
	if st, _, _ := sep.Do(t, Request{Path: "/-/metrics", As: "root"}); st != http.StatusNotFound {
		t.Errorf("metrics on the main listener with a separate one: %d, want 404", st)
	}
	rec := httptest.NewRecorder()
	sep.Server.MetricsHandler().ServeHTTP(rec, httptest.NewRequest("GET", "/-/metrics", nil).WithContext(context.Background()))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "warren_pool_open") {
		t.Errorf("separate metrics handler: %d", rec.Code)
	}
}
