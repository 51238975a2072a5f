package storage_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/storage"
	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/robot"
	"github.com/warren-wiki/warren/wiki"
	"github.com/warren-wiki/warren/wiki/markdown"
)

// farmWiki is a wiki created the real way in a real farm, opened with the
// farm's robot.db as its write policy.
type farmWiki struct {
	*storage.Wiki
	Robot *robot.Robot
}

func mustFarmWiki(tb testing.TB, files map[string]string) *farmWiki {
	tb.Helper()
	ctx := context.Background()
	data := tb.TempDir()
	rb, err := robot.OpenRobot(ctx, data)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { rb.Close() })
	var changes []gitrepo.FileChange
	for p, c := range files {
		changes = append(changes, gitrepo.FileChange{Path: p, Content: []byte(c)})
	}
	if err := rb.CreateWiki(ctx, "test", wiki.Wiki{Slug: "acme"}, changes); err != nil {
		tb.Fatal(err)
	}
	w, err := storage.OpenWiki(ctx, rb.WikiDir("acme"), "acme", markdown.New(), "/acme/")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { w.Close() })
	w.Policy = rb
	return &farmWiki{Wiki: w, Robot: rb}
}

func (fw *farmWiki) head(tb testing.TB) string {
	tb.Helper()
	h, err := fw.Repo.Head(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return h
}

func as(login string, role wiki.Role) *wiki.Caller {
	return (&wiki.Caller{Login: login}).WithRole(role)
}

// TestProtectedPathRefusesEveryWebWrite tries each write operation of the
// storage service on a protected path as an editor: each is refused,
// naming the rule, and the branch does not move; an admin may.
func TestProtectedPathRefusesEveryWebWrite(t *testing.T) {
	ctx := context.Background()
	fw := mustFarmWiki(t, map[string]string{"Home.md": "# Home\n", "Policies/Rules.md": "# Rules\n",
		"Policies/Rules/seal.png": "PNG", "Notes.md": "# Notes\n"})
	if err := fw.Robot.Protect(ctx, "test", "acme", "Policies/**", wiki.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	ed := as("eve", wiki.RoleEditor)
	rules, err := fw.Page(ctx, "Policies/Rules", "")
	if err != nil {
		t.Fatal(err)
	}
	notes, _ := fw.Page(ctx, "Notes", "")
	before := fw.head(t)
	attempts := map[string]func() error{
		"save over a protected page": func() error {
			_, err := fw.Save(ctx, wiki.SaveRequest{Name: "Policies/Rules", Content: []byte("# Mine\n"), BaseRevision: rules.Revision, Author: ed})
			return err
		},
		"create a page in a protected folder": func() error {
			_, err := fw.Save(ctx, wiki.SaveRequest{Name: "Policies/New", Content: []byte("x"), Author: ed})
			return err
		},
		"create in another case": func() error {
			_, err := fw.Save(ctx, wiki.SaveRequest{Name: "policies/Sneaky", Content: []byte("x"), Author: ed})
			return err
		},
		"rename a protected page away": func() error {
			_, err := fw.Rename(ctx, "Policies/Rules", "Moved", rules.Revision, "", ed)
			return err
		},
		"rename a page into a protected folder": func() error {
			_, err := fw.Rename(ctx, "Notes", "Policies/Notes", notes.Revision, "", ed)
			return err
		},
		"delete a protected page": func() error {
			_, err := fw.Delete(ctx, "Policies/Rules", rules.Revision, "", ed)
			return err
		},
		"upload to a protected page": func() error {
			_, err := fw.PutAttachment(ctx, wiki.AttachmentRequest{Page: "Policies/Rules", Name: "x.txt", Content: []byte("x"), Author: ed})
			return err
		},
		"delete a protected attachment": func() error {
			_, err := fw.DeleteAttachment(ctx, "Policies/Rules", "seal.png", "", ed)
			return err
		},
		"a caller without a role": func() error {
			_, err := fw.Save(ctx, wiki.SaveRequest{Name: "Policies/Rules", Content: []byte("x"), BaseRevision: rules.Revision, Author: &wiki.Caller{Login: "eve"}})
			return err
		},
	}
	for name, try := range attempts {
		err := try()
		if wiki.ErrorCode(err) != wiki.EFORBIDDEN || !strings.Contains(wiki.ErrorMessage(err), `"Policies/**"`) {
			t.Errorf("%s: %v, want EFORBIDDEN naming the rule", name, err)
		}
	}
	if after := fw.head(t); after != before {
		t.Fatalf("main moved from %s to %s", before, after)
	}
	if _, err := fw.Save(ctx, wiki.SaveRequest{Name: "Notes", Content: []byte("# Notes 2\n"), BaseRevision: notes.Revision, Author: ed}); err != nil {
		t.Errorf("editor outside the rule: %v", err)
	}
	if _, err := fw.Save(ctx, wiki.SaveRequest{Name: "Policies/Rules", Content: []byte("# Rules 2\n"), BaseRevision: rules.Revision, Author: as("ann", wiki.RoleAdmin)}); err != nil {
		t.Errorf("admin: %v", err)
	}
}

// TestQuotaPagesRefusesSave: at its page quota a wiki refuses a new page
// (EQUOTA naming the figure, an audit line) but still takes edits of
// existing pages and deletions.
func TestQuotaPagesRefusesSave(t *testing.T) {
	ctx := wiki.NewContextWithRequestID(context.Background(), "req-q")
	fw := mustFarmWiki(t, map[string]string{"Home.md": "# Home\n", "A.md": "a"})
	two := int64(2)
	if err := fw.Robot.SetQuota(ctx, "test", "acme", wiki.QuotaOverride{MaxPages: &two}); err != nil {
		t.Fatal(err)
	}
	ed := as("eve", wiki.RoleEditor)
	_, err := fw.Save(ctx, wiki.SaveRequest{Name: "B", Content: []byte("b"), Author: ed})
	var qe *wiki.QuotaError
	if wiki.ErrorCode(err) != wiki.EQUOTA || !errors.As(err, &qe) || qe.Limit != 2 || qe.Used != 2 ||
		!strings.Contains(wiki.ErrorMessage(err), "at most 2 pages") {
		t.Fatalf("new page over quota: %v", err)
	}
	if _, err := fw.Page(ctx, "B", ""); wiki.ErrorCode(err) != wiki.ENOTFOUND {
		t.Fatalf("the refused page exists: %v", err)
	}
	a, _ := fw.Page(ctx, "A", "")
	if _, err := fw.Save(ctx, wiki.SaveRequest{Name: "A", Content: []byte("a2"), BaseRevision: a.Revision, Author: ed}); err != nil {
		t.Fatalf("edit at quota: %v", err)
	}
	a, _ = fw.Page(ctx, "A", "")
	if _, err := fw.Delete(ctx, "A", a.Revision, "", ed); err != nil {
		t.Fatalf("delete at quota: %v", err)
	}
	if _, err := fw.Save(ctx, wiki.SaveRequest{Name: "B", Content: []byte("b"), Author: ed}); err != nil {
		t.Fatalf("new page after a delete: %v", err)
	}
	log, _ := fw.Robot.QueryAudit(ctx, wiki.AuditQuery{Wiki: "acme"})
	if len(log) == 0 || log[0].Action != wiki.AuditQuotaRefuse || log[0].Actor != "eve" || log[0].RequestID != "req-q" ||
		log[0].Detail != "pages: used=2 adds=1 limit=2" {
		t.Fatalf("audit %+v", log)
	}
}

// TestQuotaBytesRefusesUpload: an upload that would take the repository
// past its byte quota is refused with the figures, and nothing is written.
func TestQuotaBytesRefusesUpload(t *testing.T) {
	ctx := context.Background()
	fw := mustFarmWiki(t, map[string]string{"Home.md": "# Home\n"})
	used := dirSize(t, fw.Repo.Dir())
	limit := used + 4096
	if err := fw.Robot.SetQuota(ctx, "test", "acme", wiki.QuotaOverride{MaxBytes: &limit}); err != nil {
		t.Fatal(err)
	}
	before := fw.head(t)
	_, err := fw.PutAttachment(ctx, wiki.AttachmentRequest{Page: "Home", Name: "big.bin", Content: make([]byte, 8192), Author: as("eve", wiki.RoleEditor)})
	var qe *wiki.QuotaError
	if !errors.As(err, &qe) || qe.What != "bytes" || qe.Limit != limit || qe.Added != 8192 || wiki.ErrorCode(err) != wiki.EQUOTA {
		t.Fatalf("upload over quota: %v", err)
	}
	if fw.head(t) != before {
		t.Fatal("main moved")
	}
	if _, err := fw.PutAttachment(ctx, wiki.AttachmentRequest{Page: "Home", Name: "small.txt", Content: []byte("ok"), Author: as("eve", wiki.RoleEditor)}); err != nil {
		t.Fatalf("small upload: %v", err)
	}
}

func dirSize(tb testing.TB, dir string) int64 {
	tb.Helper()
	var n int64
	err := filepath.Walk(dir, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && fi.Mode().IsRegular() {
			n += fi.Size()
		}
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// TestEveryCommitIsGuarded keeps the guard the only way to the branch: a
// storage operation that called w.Repo.Commit itself would skip the
// protected paths and the quota.
func TestEveryCommitIsGuarded(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "guard.go" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "Repo.Commit(") {
			t.Errorf("%s calls Repo.Commit directly; commit through w.commit (guard.go) so protected paths and quotas apply", f)
		}
	}
}
