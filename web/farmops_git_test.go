package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/wiki"
)

// mustHead is main's commit on the server.
func mustHead(t *testing.T, ts *TestServer, slug string) string {
	t.Helper()
	h, release, err := ts.Pool.Acquire(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	head, err := h.Repo.Head(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return head
}

func mustWriteCommit(t *testing.T, login, work string, files map[string]string, msg string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(work, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mustGitAs(t, login, work, "add", "-A")
	mustGitAs(t, login, work, "commit", "-q", "-m", msg)
}

// TestPushTouchingProtectedPathRefused: an editor's push that changes a
// protected page — alone or beside an allowed change, on the main branch
// — is refused by the real git client with the rule named, and nothing of
// it is applied; an admin's same push goes through.
func TestPushTouchingProtectedPathRefused(t *testing.T) {
	ts := MustStartServer(t)
	ts.MustCreateWiki(t, "acme", "owner", wiki.Private, map[string]string{"Policies/Rules": "# Rules\n"})
	ts.MustGrant(t, "acme", "ed", wiki.RoleEditor)
	ts.MustGrant(t, "acme", "boss", wiki.RoleAdmin)
	if err := ts.Robot.Protect(context.Background(), "test", "acme", "Policies/**", wiki.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	work := filepath.Join(t.TempDir(), "acme")
	mustGitAs(t, "ed", ".", "clone", "-q", ts.URL+"/acme/.git", work)
	mustWriteCommit(t, "ed", work, map[string]string{"Free.md": "# Free\n", "Policies/Rules.md": "# Rules, mine now\n"}, "edit the rules")
	before := mustHead(t, ts, "acme")
	out, err := gitAs(t, "ed", work, "push", "origin", "main")
	if err == nil || !strings.Contains(out, `Policies/Rules.md is protected by the rule "Policies/**" (admin)`) {
		t.Fatalf("editor push of a protected page: %v\n%s", err, out)
	}
	if after := mustHead(t, ts, "acme"); after != before {
		t.Fatalf("main moved from %s to %s after a refused push", before, after)
	}
	// Deleting a protected page by push is touching it too.
	mustGitAs(t, "ed", work, "reset", "-q", "--hard", "origin/main")
	mustGitAs(t, "ed", work, "rm", "-q", "Policies/Rules.md")
	mustGitAs(t, "ed", work, "commit", "-q", "-m", "drop the rules")
	if out, err := gitAs(t, "ed", work, "push", "origin", "main"); err == nil || !strings.Contains(out, "protected by the rule") {
		t.Fatalf("editor push deleting a protected page: %v\n%s", err, out)
	}
	// The same editor may push elsewhere, and an admin may push the rules.
	mustGitAs(t, "ed", work, "reset", "-q", "--hard", "origin/main")
	mustWriteCommit(t, "ed", work, map[string]string{"Free.md": "# Free\n"}, "free page")
	mustGitAs(t, "ed", work, "push", "-q", "origin", "main")
	mustWriteCommit(t, "ed", work, map[string]string{"Policies/Rules.md": "# Rules v2\n"}, "new rules")
	mustGitAs(t, "boss", work, "push", "-q", "origin", "main")
}

// TestPushOverPageQuotaRefused: a push adding pages past the wiki's page
// quota is refused with the figure, nothing moves, and the refusal is in
// the audit trail; a push that edits existing pages still goes through.
func TestPushOverPageQuotaRefused(t *testing.T) {
	ts := MustStartServer(t)
	ts.MustCreateWiki(t, "acme", "owner", wiki.Private, map[string]string{"A": "a\n"})
	ts.MustGrant(t, "acme", "ed", wiki.RoleEditor)
	three := int64(3)
	if err := ts.Robot.SetQuota(context.Background(), "test", "acme", wiki.QuotaOverride{MaxPages: &three}); err != nil {
		t.Fatal(err)
	}
	work := filepath.Join(t.TempDir(), "acme")
	mustGitAs(t, "ed", ".", "clone", "-q", ts.URL+"/acme/.git", work)
	mustWriteCommit(t, "ed", work, map[string]string{"B.md": "b\n", "C.md": "c\n"}, "two pages")
	before := mustHead(t, ts, "acme")
	out, err := gitAs(t, "ed", work, "push", "origin", "main")
	if err == nil || !strings.Contains(out, "at most 3 pages; it has 2 and this change adds 2") {
		t.Fatalf("push over the page quota: %v\n%s", err, out)
	}
	if mustHead(t, ts, "acme") != before {
		t.Fatal("main moved after a refused push")
	}
	log, _ := ts.Robot.QueryAudit(context.Background(), wiki.AuditQuery{Wiki: "acme", Limit: 1})
	if len(log) != 1 || log[0].Action != wiki.AuditQuotaRefuse || log[0].Actor != "ed" || log[0].RequestID == "" {
		t.Fatalf("audit %+v", log)
	}
	mustGitAs(t, "ed", work, "reset", "-q", "--hard", "origin/main")
	mustWriteCommit(t, "ed", work, map[string]string{"A.md": "a, edited\n", "B.md": "b\n"}, "one page and an edit")
	mustGitAs(t, "ed", work, "push", "-q", "origin", "main")
}

// TestPushOverByteQuotaRefused: a pack that would take the repository
// past its byte quota is refused, whatever branch it goes to.
func TestPushOverByteQuotaRefused(t *testing.T) {
	ts := MustStartServer(t)
	ts.MustCreateWiki(t, "acme", "owner", wiki.Private, nil)
	ts.MustGrant(t, "acme", "ed", wiki.RoleEditor)
	work := filepath.Join(t.TempDir(), "acme")
	mustGitAs(t, "ed", ".", "clone", "-q", ts.URL+"/acme/.git", work)
	limit := dirBytes(t, filepath.Join(ts.DataDir, "wikis", "acme", "repo.git")) + 2048
	if err := ts.Robot.SetQuota(context.Background(), "test", "acme", wiki.QuotaOverride{MaxBytes: &limit}); err != nil {
		t.Fatal(err)
	}
	noise := make([]byte, 64<<10)
	for i := range noise {
		noise[i] = byte(i*7919 + i/13) // poorly compressible
	}
	mustWriteCommit(t, "ed", work, map[string]string{"big.bin": string(noise)}, "a big file")
	out, err := gitAs(t, "ed", work, "push", "origin", "HEAD:refs/heads/side")
	if err == nil || !strings.Contains(out, "repository may take at most") {
		t.Fatalf("push over the byte quota: %v\n%s", err, out)
	}
}

func dirBytes(t *testing.T, dir string) int64 {
	t.Helper()
	var n int64
	err := filepath.Walk(dir, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && fi.Mode().IsRegular() {
			n += fi.Size()
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestPushForceAndDeleteAudited: an admin's force-push and a deleted tag
// are in the audit trail with the actor and the request id.
func TestPushForceAndDeleteAudited(t *testing.T) {
	ts := MustStartServer(t)
	ts.MustCreateWiki(t, "acme", "boss", wiki.Private, nil)
	work := filepath.Join(t.TempDir(), "acme")
	mustGitAs(t, "boss", ".", "clone", "-q", ts.URL+"/acme/.git", work)
	mustWriteCommit(t, "boss", work, map[string]string{"A.md": "a\n"}, "a")
	mustGitAs(t, "boss", work, "tag", "v1")
	mustGitAs(t, "boss", work, "push", "-q", "origin", "main", "v1")
	mustGitAs(t, "boss", work, "commit", "-q", "--amend", "-m", "a, reworded")
	mustGitAs(t, "boss", work, "push", "-q", "--force", "origin", "main")
	mustGitAs(t, "boss", work, "push", "-q", "origin", ":refs/tags/v1")
	log, _ := ts.Robot.QueryAudit(context.Background(), wiki.AuditQuery{Wiki: "acme", Limit: 2})
	if len(log) != 2 || log[0].Action != wiki.AuditRefDelete || !strings.HasPrefix(log[0].Detail, "refs/tags/v1 was ") ||
		log[1].Action != wiki.AuditForcePush || !strings.HasPrefix(log[1].Detail, "refs/heads/main ") ||
		log[1].Actor != "boss" || log[1].RequestID == "" {
		t.Fatalf("audit %+v", log)
	}
}
