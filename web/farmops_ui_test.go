package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/wiki"
)

// TestProtectPageAndAuditPage: a wiki admin adds and removes a rule in the
// browser, a bad glob is shown back with 400 and stored nowhere, and the
// platform admin's audit page lists the change with its request id.
func TestProtectPageAndAuditPage(t *testing.T) {
	ts := MustStartServer(t)
	ts.MustCreateWiki(t, "acme", "owner", wiki.Private, nil)
	ts.MustGrant(t, "acme", "ed", wiki.RoleEditor)
	form := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	st, hdr, _ := ts.Do(t, Request{Method: "POST", Path: "/acme/-/protect", As: "owner", Headers: form, Body: "glob=Policies%2F**&role=admin"})
	if st != 303 {
		t.Fatalf("add rule: %d", st)
	}
	reqID := hdr.Get("X-Request-Id")
	st, _, body := ts.Do(t, Request{Path: "/acme/-/protect", As: "owner"})
	mustContain(t, "protect page", body, "<code>Policies/**</code>", "admin")
	if st != 200 {
		t.Fatalf("protect page: %d", st)
	}
	st, _, body = ts.Do(t, Request{Method: "POST", Path: "/acme/-/protect", As: "owner", Headers: form, Body: "glob=..%2Fx&role=admin"})
	if st != 400 || !strings.Contains(body, "invalid glob") || !strings.Contains(body, `value="../x"`) {
		t.Fatalf("bad glob: %d", st)
	}
	if st, _, _ := ts.Do(t, Request{Path: "/acme/-/protect", As: "ed"}); st != 403 {
		t.Errorf("editor opens the protect page: %d", st)
	}
	if st, _, _ := ts.Do(t, Request{Method: "POST", Path: "/acme/-/protect/remove", As: "ed", Headers: form, Body: "glob=Policies%2F**"}); st != 403 {
		t.Errorf("editor removes a rule: %d", st)
	}
	rules, _ := ts.Robot.ProtectRules(context.Background(), "acme")
	if len(rules) != 1 {
		t.Fatalf("rules %+v", rules)
	}
	st, _, body = ts.Do(t, Request{Path: "/-/audit?wiki=acme", As: "root"})
	if st != 200 {
		t.Fatalf("audit page: %d", st)
	}
	mustContain(t, "audit page", body, "protect.set", "Policies/**=admin", reqID)
	if st, _, _ := ts.Do(t, Request{Path: "/-/audit", As: "ed"}); st != 403 {
		t.Errorf("a non-admin's audit page: %d", st)
	}
	if st, _, body := ts.Do(t, Request{Path: "/-/audit?wiki=acme", As: "owner"}); st != 200 || !strings.Contains(body, "protect.set") {
		t.Errorf("the wiki admin's audit page of their wiki: %d", st)
	}
	if st, _, _ := ts.Do(t, Request{Method: "POST", Path: "/acme/-/protect/remove", As: "owner", Headers: form, Body: "glob=Policies%2F**"}); st != 303 {
		t.Errorf("remove: %d", st)
	}
}
