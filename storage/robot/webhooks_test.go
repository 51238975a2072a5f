package robot_test

import (
	"context"
	"testing"
	"time"

	"github.com/warren-wiki/warren/storage/robot"
	"github.com/warren-wiki/warren/wiki"
)

// TestWebhookQueueLifecycle walks one event through the queue: enqueued for
// every hook, claimed with a lease (not claimable again until it runs out),
// retried, delivered; the mark moves with the enqueue and a stale enqueue is
// refused without queueing twice.
func TestWebhookQueueLifecycle(t *testing.T) {
	ctx := context.Background()
	r, clock, _ := MustOpenRobot(t)
	addWikiRow(t, r, "acme", "", wiki.Private)
	h1, err := r.AddWebhook(ctx, "alice", "acme", "https://example.org/hook", "", 7)
	if err != nil {
		t.Fatal(err)
	}
	if len(h1.Secret) != 64 {
		t.Errorf("generated secret %q, want 64 hex digits", h1.Secret)
	}
	if _, err := r.AddWebhook(ctx, "alice", "acme", "http://example.net:8080/x", "0123456789abcdef", 99); err != nil {
		t.Fatal(err)
	}
	if mark, ok, err := r.WebhookMark(ctx, "acme"); err != nil || !ok || mark != 7 {
		t.Fatalf("mark = %d %v %v, want 7 (the first hook's)", mark, ok, err)
	}
	n, err := r.EnqueueEvent(ctx, "acme", wiki.EventPageChange, []byte(`{"x":1}`), 7, 9)
	if err != nil || n != 2 {
		t.Fatalf("EnqueueEvent = %d, %v; want 2 deliveries", n, err)
	}
	if _, err := r.EnqueueEvent(ctx, "acme", wiki.EventPageChange, []byte(`{}`), 7, 9); wiki.ErrorCode(err) != wiki.ECONFLICT {
		t.Fatalf("second enqueue from the old mark: %v, want conflict", err)
	}
	got, err := r.ClaimDueDeliveries(ctx, 10, time.Minute, nil)
	if err != nil || len(got) != 2 || got[0].Attempts != 1 || got[0].URL == "" || string(got[0].Payload) != `{"x":1}` {
		t.Fatalf("claim = %+v, %v", got, err)
	}
	if again, _ := r.ClaimDueDeliveries(ctx, 10, time.Minute, nil); len(again) != 0 {
		t.Fatalf("leased deliveries claimed again: %+v", again)
	}
	clock.Advance(2 * time.Minute) // the lease ran out: as after a crash mid-attempt
	again, _ := r.ClaimDueDeliveries(ctx, 10, time.Minute, nil)
	if len(again) != 2 || again[0].Attempts != 2 {
		t.Fatalf("after the lease: %+v", again)
	}
	if err := r.FinishAttempt(ctx, again[0].ID, robot.DeliveryResult{State: wiki.DeliveryDelivered, Status: 204}); err != nil {
		t.Fatal(err)
	}
	if err := r.FinishAttempt(ctx, again[1].ID, robot.DeliveryResult{State: wiki.DeliveryFailed, Status: 500, Body: "boom"}); err != nil {
		t.Fatal(err)
	}
	if pending, _ := r.PendingDeliveries(ctx); pending != 0 {
		t.Errorf("pending = %d after both finished", pending)
	}
	list, err := r.Deliveries(ctx, "acme", 0, 10)
	if err != nil || len(list) != 2 || list[0].LastStatus == 0 {
		t.Fatalf("Deliveries = %+v, %v", list, err)
	}
}

// TestWebhookBadInput refuses URLs that are not http(s) or are malformed,
// short secrets and unknown wikis, and writes nothing for any of them.
func TestWebhookBadInput(t *testing.T) {
	ctx := context.Background()
	r, _, _ := MustOpenRobot(t)
	addWikiRow(t, r, "acme", "", wiki.Private)
	for name, url := range map[string]string{
		"file scheme":     "file:///etc/passwd",
		"javascript":      "javascript:alert(1)",
		"gopher":          "gopher://example.org/",
		"no host":         "http:///path",
		"relative":        "/hooks/x",
		"credentials":     "https://user:pw@example.org/",
		"space":           "https://exa mple.org/",
		"newline":         "https://example.org/\r\nX-Evil: 1",
		"bad port":        "https://example.org:99999999/",
		"fragment":        "https://example.org/#x",
		"empty":           "",
		"bad escape":      "https://example.org/%zz",
		"scheme only":     "https:",
		"opaque":          "http:example.org",
		"unicode control": "https://example.org/\u0085",
	} {
		if _, err := r.AddWebhook(ctx, "alice", "acme", url, "", 0); wiki.ErrorCode(err) != wiki.EINVALID {
			t.Errorf("%s (%q): %v, want invalid", name, url, err)
		}
	}
	if _, err := r.AddWebhook(ctx, "alice", "acme", "https://example.org/", "short", 0); wiki.ErrorCode(err) != wiki.EINVALID {
		t.Errorf("short secret: %v", err)
	}
	if _, err := r.AddWebhook(ctx, "alice", "nope", "https://example.org/", "", 0); wiki.ErrorCode(err) != wiki.ENOTFOUND {
		t.Errorf("unknown wiki: %v", err)
	}
	if err := r.RemoveWebhook(ctx, "alice", "acme", 12345); wiki.ErrorCode(err) != wiki.ENOTFOUND {
		t.Errorf("remove unknown: %v", err)
	}
	if n := countRows(t, r, "webhooks"); n != 0 {
		t.Errorf("%d webhooks written by refused input", n)
	}
}

// TestWebhookRemoveOtherWikisHook: an admin of one wiki cannot remove
// another wiki's hook by its id.
func TestWebhookRemoveOtherWikisHook(t *testing.T) {
	ctx := context.Background()
	r, _, _ := MustOpenRobot(t)
	addWikiRow(t, r, "acme", "", wiki.Private)
	addWikiRow(t, r, "other", "", wiki.Private)
	h, err := r.AddWebhook(ctx, "bob", "other", "https://example.org/", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.RemoveWebhook(ctx, "alice", "acme", h.ID); wiki.ErrorCode(err) != wiki.ENOTFOUND {
		t.Fatalf("removing other's hook: %v", err)
	}
	if hooks, _ := r.Webhooks(ctx, "other"); len(hooks) != 1 {
		t.Fatalf("other's hooks = %+v", hooks)
	}
}

// TestUsageWindows adds counts to different hours and reads the last day
// and the last 30 days back; old hours are pruned.
func TestUsageWindows(t *testing.T) {
	ctx := context.Background()
	r, clock, _ := MustOpenRobot(t)
	addWikiRow(t, r, "acme", "", wiki.Private)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(r.AddUsage(ctx, clock.In(-40*24*time.Hour), map[string]robot.UsageCount{"acme": {Requests: 1000, Saves: 100}}))
	must(r.AddUsage(ctx, clock.In(-5*24*time.Hour), map[string]robot.UsageCount{"acme": {Requests: 10, Saves: 2}}))
	must(r.AddUsage(ctx, clock.In(-time.Hour), map[string]robot.UsageCount{"acme": {Requests: 3, Saves: 1}, "gone": {Requests: 5}}))
	must(r.AddUsage(ctx, clock.In(0), map[string]robot.UsageCount{"acme": {Requests: 4}}))
	last := clock.In(-time.Hour)
	must(r.SetUsageSize(ctx, "acme", wiki.UsageSize{Pages: 3, RepoBytes: 1234, AttachmentBytes: 56, LastChange: &last}))
	u, err := r.Usage(ctx, "acme")
	must(err)
	if u.Requests1d != 7 || u.Requests30d != 17 || u.Saves1d != 1 || u.Saves30d != 3 || u.Pages != 3 || u.RepoBytes != 1234 ||
		u.AttachmentBytes != 56 || u.LastChange == nil {
		t.Fatalf("usage = %+v", u)
	}
	must(r.PruneUsage(ctx))
	if n := countRows(t, r, "usage_hourly"); n != 3 {
		t.Errorf("%d hourly rows after pruning, want 3", n)
	}
	if _, err := r.Usage(ctx, "gone"); wiki.ErrorCode(err) != wiki.ENOTFOUND {
		t.Errorf("usage of an unknown wiki: %v", err)
	}
}
