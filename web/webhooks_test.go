package web_test

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/storage/robot"
	"github.com/warren-wiki/warren/web"
	"github.com/warren-wiki/warren/wiki"
)

// TestWebhookDeliveredSignedAndRedeliveredAfterRestart: a save is POSTed
// to a loopback receiver, signed with the hook's secret, naming the wiki,
// ref, commit, page and actor. While the receiver is down a second save's
// delivery fails; the server stops, the receiver comes back, and a new
// server on the same data directory delivers that same delivery.
func TestWebhookDeliveredSignedAndRedeliveredAfterRestart(t *testing.T) {
	data := t.TempDir()
	ts, stop := mustStartOn(t, data, fastHooks)
	ts.MustCreateWiki(t, "acme", "owner", wiki.Private, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	rc := startReceiver(t, ln)
	_, secret := mustAddHook(t, ts, "acme", "owner", rc.URL)

	rev := mustPutPage(t, ts, "acme", "owner", "Otters", "# Otters\n")
	c := rc.next(t)
	verifySignature(t, c, secret)
	p := c.Payload
	if p["event"] != "page_change" || p["wiki"] != "acme" || p["ref"] != "refs/heads/main" || p["actor"] != "owner" ||
		`"`+p["after"].(string)+`"` != rev || c.Header.Get("X-Warren-Event") != "page_change" {
		t.Fatalf("payload %s, headers %v", c.Body, c.Header)
	}
	pages := p["pages"].([]any)
	if len(pages) != 1 || pages[0].(map[string]any)["path"] != "Otters" || pages[0].(map[string]any)["action"] != "added" {
		t.Errorf("pages = %v", pages)
	}
	if commits := p["commits"].([]any); len(commits) != 1 {
		t.Errorf("commits = %v", commits)
	}

	rc.answer.Store(func() int { return http.StatusServiceUnavailable })
	mustPutPage(t, ts, "acme", "owner", "Badgers", "# Badgers\n")
	failed := rc.next(t)
	id := failed.Header.Get("X-Warren-Delivery")
	stop()

	rc.answer.Store(func() int { return http.StatusNoContent })
	for len(rc.calls) > 0 { // attempts that raced the stop
		<-rc.calls
	}
	ts2, _ := mustStartOn(t, data, fastHooks)
	again := rc.next(t)
	verifySignature(t, again, secret)
	if again.Header.Get("X-Warren-Delivery") != id || again.Payload["pages"].([]any)[0].(map[string]any)["path"] != "Badgers" {
		t.Fatalf("after restart got delivery %s %s, want %s (Badgers)", again.Header.Get("X-Warren-Delivery"), again.Body, id)
	}
	st, _, body := ts2.Do(t, Request{Path: "/acme/-/api/webhooks", As: "owner"})
	if st != http.StatusOK || strings.Contains(body, secret) || !strings.Contains(body, `"state"`) {
		t.Errorf("webhook list: %d %s", st, body)
	}
}

// TestWebhookOnPush: a push with the real git client is announced as a
// push event naming the pusher and the ref it moved.
func TestWebhookOnPush(t *testing.T) {
	ts, _ := mustStartOn(t, t.TempDir(), fastHooks)
	ts.MustCreateWiki(t, "acme", "owner", wiki.Private, nil)
	ts.MustGrant(t, "acme", "ed", wiki.RoleEditor)
	rc := startReceiver(t, nil)
	_, secret := mustAddHook(t, ts, "acme", "owner", rc.URL)
	work := filepath.Join(t.TempDir(), "acme")
	mustGitAs(t, "ed", ".", "clone", "-q", ts.URL+"/acme/.git", work)
	if err := os.WriteFile(filepath.Join(work, "Pushed.md"), []byte("# Pushed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mustGitAs(t, "ed", work, "add", "Pushed.md")
	mustGitAs(t, "ed", work, "commit", "-q", "-m", "pushed page")
	mustGitAs(t, "ed", work, "push", "-q", "origin", "main")
	head := strings.TrimSpace(mustGitAs(t, "ed", work, "rev-parse", "HEAD"))
	c := rc.next(t)
	verifySignature(t, c, secret)
	p := c.Payload
	if p["event"] != "push" || p["actor"] != "ed" || p["ref"] != "refs/heads/main" || p["after"] != head || p["before"] == "" {
		t.Fatalf("push payload %s", c.Body)
	}
	if pages := p["pages"].([]any); len(pages) != 1 || pages[0].(map[string]any)["path"] != "Pushed" {
		t.Errorf("pages = %v", pages)
	}
	select {
	case extra := <-rc.calls:
		t.Errorf("a push made a second event: %s", extra.Body)
	default:
	}
}

// TestWebhookTargetsThatHangOrFailNeverStickTheQueue: with a receiver that
// never answers and one that always fails, a healthy receiver still gets
// every event; the failing one is dropped after the attempt limit.
func TestWebhookTargetsThatHangOrFailNeverStickTheQueue(t *testing.T) {
	data := t.TempDir()
	ts, stop := mustStartOn(t, data, func(s *web.Server) {
		fastHooks(s)
		s.Webhooks.Timeout, s.Webhooks.MaxAttempts = 300e6, 2
	})
	ts.MustCreateWiki(t, "acme", "owner", wiki.Private, nil)
	hang, failing, good := startReceiver(t, nil), startReceiver(t, nil), startReceiver(t, nil)
	hang.answer.Store(func() int { return 0 })
	failing.answer.Store(func() int { return http.StatusInternalServerError })
	mustAddHook(t, ts, "acme", "owner", hang.URL)
	failID, _ := mustAddHook(t, ts, "acme", "owner", failing.URL)
	mustAddHook(t, ts, "acme", "owner", good.URL)
	for _, page := range []string{"One", "Two", "Three"} {
		mustPutPage(t, ts, "acme", "owner", page, "# "+page+"\n")
		if got := good.next(t).Payload["pages"].([]any)[0].(map[string]any)["path"]; got != page {
			t.Fatalf("good receiver got %v, want %s", got, page)
		}
	}
	first := failing.next(t).Header.Get("X-Warren-Delivery")
	if second := failing.next(t).Header.Get("X-Warren-Delivery"); second != first {
		t.Fatalf("failing receiver: second call is delivery %s, want the retry of %s", second, first)
	}
	hang.next(t)
	stop() // waits for attempts in flight, each bounded by the timeout
	rb, err := robot.OpenRobot(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	defer rb.Close()
	dls, err := rb.Deliveries(context.Background(), "acme", failID, 10)
	if err != nil {
		t.Fatal(err)
	}
	var dropped bool
	for _, d := range dls {
		if d.ID == mustAtoi(t, first) {
			dropped = d.State == wiki.DeliveryFailed && d.Attempts == 2 && d.LastStatus == 500 && d.LastBody == "thanks"
		}
	}
	if !dropped {
		t.Errorf("failing delivery %s not dropped after 2 attempts: %+v", first, dls)
	}
}

// TestWebhookBadInput: URLs that are not http(s) or are malformed are 400,
// non-admins cannot see or add hooks, nothing is written.
func TestWebhookBadInput(t *testing.T) {
	ts := MustStartServer(t)
	ts.MustCreateWiki(t, "acme", "owner", wiki.Private, nil)
	ts.MustGrant(t, "acme", "ed", wiki.RoleEditor)
	for name, body := range map[string]string{
		"file url":         `{"url":"file:///etc/passwd"}`,
		"javascript url":   `{"url":"javascript:alert(1)"}`,
		"no host":          `{"url":"https:///x"}`,
		"header splitting": `{"url":"https://example.org/\r\nX-Evil: 1"}`,
		"credentials":      `{"url":"https://u:p@example.org/"}`,
		"short secret":     `{"url":"https://example.org/","secret":"abc"}`,
		"not json":         `url=https://example.org/`,
		"url not string":   `{"url":42}`,
	} {
		st, _, resp := ts.Do(t, Request{Method: "POST", Path: "/acme/-/api/webhooks", As: "owner", Body: body})
		if st != http.StatusBadRequest {
			t.Errorf("%s: %d %s, want 400", name, st, resp)
		}
	}
	for _, r := range []Request{
		{Method: "POST", Path: "/acme/-/api/webhooks", As: "ed", Body: `{"url":"https://example.org/"}`},
		{Path: "/acme/-/api/webhooks", As: "ed"},
		{Path: "/acme/-/api/usage", As: "ed"},
		{Method: "DELETE", Path: "/acme/-/api/webhooks/1", As: "ed"},
	} {
		if st, _, _ := ts.Do(t, r); st != http.StatusForbidden {
			t.Errorf("editor %s %s: %d, want 403", r.Method, r.Path, st)
		}
	}
	if st, _, _ := ts.Do(t, Request{Path: "/acme/-/api/webhooks", As: "stranger"}); st != http.StatusNotFound {
		t.Errorf("stranger sees the private wiki's hooks: %d", st)
	}
	if st, _, _ := ts.Do(t, Request{Method: "DELETE", Path: "/acme/-/api/webhooks/abc", As: "owner"}); st != http.StatusBadRequest {
		t.Errorf("delete a non-numeric id: %d", st)
	}
	if hooks, _ := ts.Robot.Webhooks(context.Background(), "acme"); len(hooks) != 0 {
		t.Errorf("refused input wrote hooks: %+v", hooks)
	}
}

// TestWebhookRefusesPrivateTargets: without --webhook-allow-private the
// addresses an attacker would aim a wiki's webhook at are refused when
// dialed; public addresses pass.
func TestWebhookRefusesPrivateTargets(t *testing.T) {
	for name, addr := range map[string]string{
		"loopback":           "127.0.0.1",
		"loopback elsewhere": "127.8.9.10",
		"ipv6 loopback":      "::1",
		"mapped loopback":    "::ffff:127.0.0.1",
		"cloud metadata":     "169.254.169.254",
		"rfc1918 10":         "10.1.2.3",
		"rfc1918 172":        "172.16.0.1",
		"rfc1918 192":        "192.168.1.1",
		"cgnat":              "100.64.0.1",
		"unspecified":        "0.0.0.0",
		"ipv6 unspecified":   "::",
		"ipv6 link-local":    "fe80::1",
		"ipv6 unique local":  "fd00::1",
		"multicast":          "224.0.0.1",
	} {
		if err := web.CheckWebhookAddress(netip.MustParseAddr(addr)); err == nil {
			t.Errorf("%s (%s) allowed", name, addr)
		}
	}
	for _, addr := range []string{"93.184.216.34", "2606:2800:220:1::1"} {
		if err := web.CheckWebhookAddress(netip.MustParseAddr(addr)); err != nil {
			t.Errorf("public %s refused: %v", addr, err)
		}
	}
}

func mustAtoi(t *testing.T, s string) int64 {
	t.Helper()
	var n int64
	for _, c := range s {
		if c < '0' || c > '9' {
			t.Fatalf("not a number: %q", s)
		}
		n = n*10 + int64(c-'0')
	}
	return n
}
