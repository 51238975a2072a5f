package robot_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/warren-wiki/warren/storage/robot"
	"github.com/warren-wiki/warren/wiki"
)

func TestProtectRulesSetListEdit(t *testing.T) {
	r, _, _ := MustOpenRobot(t)
	ctx := wiki.NewContextWithRequestID(context.Background(), "req-1")
	addWikiRow(t, r, "acme", "", wiki.Private)
	rules := []wiki.ProtectRule{{Glob: "Policies/**", Role: wiki.RoleAdmin}, {Glob: "Policies/Drafts/**", Role: wiki.RoleEditor}}
	if err := r.SetProtectRules(ctx, "alice", "acme", rules); err != nil {
		t.Fatal(err)
	}
	got, err := r.ProtectRules(ctx, "acme")
	if err != nil || len(got) != 2 || got[0] != rules[0] || got[1] != rules[1] {
		t.Fatalf("ProtectRules = %+v, %v", got, err)
	}
	// Protect moves an existing glob to the end with its new role.
	if err := r.Protect(ctx, "cli", "acme", "Policies/**", wiki.RoleEditor); err != nil {
		t.Fatal(err)
	}
	got, _ = r.ProtectRules(ctx, "acme")
	if len(got) != 2 || got[1] != (wiki.ProtectRule{Glob: "Policies/**", Role: wiki.RoleEditor}) {
		t.Fatalf("after Protect: %+v", got)
	}
	if err := r.Unprotect(ctx, "cli", "acme", "Policies/Drafts/**"); err != nil {
		t.Fatal(err)
	}
	if err := r.Unprotect(ctx, "cli", "acme", "Nothing/**"); wiki.ErrorCode(err) != wiki.ENOTFOUND {
		t.Errorf("unprotect an unknown glob: %v", err)
	}
	pol, err := r.WritePolicy(ctx, "acme")
	if err != nil || len(pol.Rules) != 1 || pol.Rules[0].Glob != "Policies/**" {
		t.Fatalf("WritePolicy = %+v, %v", pol, err)
	}
	log, _ := r.QueryAudit(ctx, wiki.AuditQuery{Wiki: "acme"})
	if len(log) != 3 || log[2].Action != wiki.AuditProtect || log[2].Actor != "alice" || log[2].RequestID != "req-1" ||
		log[2].Detail != "Policies/**=admin Policies/Drafts/**=editor" {
		t.Fatalf("audit = %+v", log)
	}
}

// TestProtectRulesBadInputChangesNothing: an invalid list, an unknown
// wiki — refused, and the rules stay as they were.
func TestProtectRulesBadInputChangesNothing(t *testing.T) {
	r, _, _ := MustOpenRobot(t)
	ctx := context.Background()
	addWikiRow(t, r, "acme", "", wiki.Private)
	if err := r.SetProtectRules(ctx, "a", "acme", []wiki.ProtectRule{{Glob: "A/**", Role: wiki.RoleAdmin}}); err != nil {
		t.Fatal(err)
	}
	before := countRows(t, r, "audit")
	for name, rules := range map[string][]wiki.ProtectRule{
		"viewer rule":  {{Glob: "B/**", Role: wiki.RoleViewer}},
		"escaping":     {{Glob: "../**", Role: wiki.RoleAdmin}},
		"listed twice": {{Glob: "B/**", Role: wiki.RoleAdmin}, {Glob: "B/**", Role: wiki.RoleEditor}},
	} {
		if err := r.SetProtectRules(ctx, "a", "acme", rules); wiki.ErrorCode(err) != wiki.EINVALID {
			t.Errorf("%s: %v, want EINVALID", name, err)
		}
	}
	if err := r.SetProtectRules(ctx, "a", "nope", nil); wiki.ErrorCode(err) != wiki.ENOTFOUND {
		t.Errorf("unknown wiki: %v", err)
	}
	if err := r.Protect(ctx, "a", "acme", "/abs", wiki.RoleAdmin); wiki.ErrorCode(err) != wiki.EINVALID {
		t.Errorf("absolute glob: %v", err)
	}
	got, _ := r.ProtectRules(ctx, "acme")
	if len(got) != 1 || got[0].Glob != "A/**" || countRows(t, r, "audit") != before {
		t.Errorf("rules %+v, audit %d → %d: something changed", got, before, countRows(t, r, "audit"))
	}
}

func TestQuotaOverrideAndDefault(t *testing.T) {
	r, _, _ := MustOpenRobot(t)
	ctx := context.Background()
	addWikiRow(t, r, "acme", "", wiki.Private)
	r.DefaultQuota = wiki.Quota{MaxBytes: 1000, MaxPages: 10}
	if q, err := r.Quota(ctx, "acme"); err != nil || q != r.DefaultQuota {
		t.Fatalf("default quota = %+v, %v", q, err)
	}
	pages := int64(3)
	if err := r.SetQuota(ctx, "cli", "acme", wiki.QuotaOverride{MaxPages: &pages}); err != nil {
		t.Fatal(err)
	}
	if q, _ := r.Quota(ctx, "acme"); q != (wiki.Quota{MaxBytes: 1000, MaxPages: 3}) {
		t.Fatalf("override = %+v", q)
	}
	neg := int64(-5)
	if err := r.SetQuota(ctx, "cli", "acme", wiki.QuotaOverride{MaxBytes: &neg}); wiki.ErrorCode(err) != wiki.EINVALID {
		t.Errorf("negative quota: %v", err)
	}
	if err := r.SetQuota(ctx, "cli", "nope", wiki.QuotaOverride{MaxBytes: &pages}); wiki.ErrorCode(err) != wiki.ENOTFOUND {
		t.Errorf("unknown wiki: %v", err)
	}
	if err := r.SetQuota(ctx, "cli", "acme", wiki.QuotaOverride{}); err != nil {
		t.Fatal(err)
	}
	if q, _ := r.Quota(ctx, "acme"); q != r.DefaultQuota || countRows(t, r, "quotas") != 0 {
		t.Errorf("back to default: %+v", q)
	}
	log, _ := r.QueryAudit(ctx, wiki.AuditQuery{Wiki: "acme"})
	if len(log) != 2 || log[0].Detail != "max_bytes=default max_pages=default" || log[1].Detail != "max_bytes=default max_pages=3" {
		t.Errorf("audit = %+v", log)
	}
}

// TestAuditQueryAndPrune pages through the trail by wiki, time and id,
// and prunes what is older than the retention.
func TestAuditQueryAndPrune(t *testing.T) {
	r, clock, _ := MustOpenRobot(t)
	ctx := context.Background()
	for i, slug := range []string{"a", "b", "a", "b", "a"} {
		rctx := wiki.NewContextWithRequestID(ctx, "r"+string(rune('0'+i)))
		if err := r.Audit(rctx, "alice", slug, "test", ""); err != nil {
			t.Fatal(err)
		}
		clock.Advance(24 * time.Hour)
	}
	all, _ := r.QueryAudit(ctx, wiki.AuditQuery{})
	if len(all) != 5 || all[0].RequestID != "r4" {
		t.Fatalf("all = %+v", all)
	}
	onA, _ := r.QueryAudit(ctx, wiki.AuditQuery{Wiki: "a", Limit: 2})
	if len(onA) != 2 || onA[0].RequestID != "r4" || onA[1].RequestID != "r2" {
		t.Fatalf("wiki a, 2 = %+v", onA)
	}
	next, _ := r.QueryAudit(ctx, wiki.AuditQuery{Wiki: "a", Before: onA[1].ID})
	if len(next) != 1 || next[0].RequestID != "r0" {
		t.Fatalf("next page = %+v", next)
	}
	since, _ := r.QueryAudit(ctx, wiki.AuditQuery{Since: clock.In(-2 * 24 * time.Hour)})
	if len(since) != 2 {
		t.Fatalf("since two days ago = %+v", since)
	}
	if _, err := r.QueryAudit(ctx, wiki.AuditQuery{Limit: wiki.MaxAuditLimit + 1}); wiki.ErrorCode(err) != wiki.EINVALID {
		t.Errorf("limit too large: %v", err)
	}
	n, err := r.PruneAudit(ctx, clock.In(-3*24*time.Hour))
	if err != nil || n != 2 || countRows(t, r, "audit") != 3 {
		t.Fatalf("pruned %d, %v; %d left", n, err, countRows(t, r, "audit"))
	}
}

// TestAuditPrunerRunsAtStart: the server's pruner prunes once at start
// and stops with its context.
func TestAuditPrunerRunsAtStart(t *testing.T) {
	r, clock, _ := MustOpenRobot(t)
	ctx, cancel := context.WithCancel(context.Background())
	if err := r.Audit(ctx, "alice", "a", "old", ""); err != nil {
		t.Fatal(err)
	}
	clock.Advance(500 * 24 * time.Hour)
	if err := r.Audit(ctx, "alice", "a", "new", ""); err != nil {
		t.Fatal(err)
	}
	pruned := make(chan string, 4)
	p := &robot.AuditPruner{Robot: r, Retention: robot.DefaultAuditRetention, Interval: time.Hour,
		Log: func(_ slog.Level, msg string, _ ...any) { pruned <- msg }}
	done := make(chan struct{})
	go func() { p.Run(ctx); close(done) }()
	if msg := <-pruned; !strings.Contains(msg, "pruned") {
		t.Fatalf("log %q", msg)
	}
	cancel()
	<-done
	left, _ := r.QueryAudit(context.Background(), wiki.AuditQuery{})
	if len(left) != 1 || left[0].Action != "new" {
		t.Fatalf("left %+v", left)
	}
}

// TestTokenPlatformAdminFlag: only a token issued with the flag carries
// it; every other token, including one made by CreateToken, does not.
func TestTokenPlatformAdminFlag(t *testing.T) {
	r, _, _ := MustOpenRobot(t)
	ctx := context.Background()
	plain, _, err := r.CreateToken(ctx, "root", "", "", wiki.RoleAdmin, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	admin, tok, err := r.IssueToken(ctx, "root", wiki.TokenRequest{User: "root", Role: wiki.RoleAdmin, PlatformAdmin: true})
	if err != nil || !tok.PlatformAdmin {
		t.Fatalf("IssueToken: %+v, %v", tok, err)
	}
	c, _ := r.VerifyToken(ctx, plain)
	if c.TokenAdmin || c.PlatformAdmin || c.TokenID == 0 {
		t.Errorf("plain token caller %+v", c)
	}
	c, _ = r.VerifyToken(ctx, admin)
	if !c.TokenAdmin || c.PlatformAdmin || c.TokenID != tok.ID {
		t.Errorf("admin token caller %+v: the flag is carried, the right is web's to give", c)
	}
	ts, _ := r.Tokens(ctx, "root")
	if len(ts) != 2 || ts[0].PlatformAdmin || !ts[1].PlatformAdmin {
		t.Errorf("tokens %+v", ts)
	}
	if err := r.RevokeTokenAs(ctx, "root", "", tok.ID); err != nil {
		t.Fatal(err)
	}
	log, _ := r.QueryAudit(ctx, wiki.AuditQuery{})
	if log[0].Action != "token.revoke" || log[0].Actor != "root" || !strings.Contains(log[1].Detail, "platform_admin") {
		t.Errorf("audit %+v", log)
	}
}
