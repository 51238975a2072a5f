package web_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/warren-wiki/warren/wiki"
)

// TestDeleteWikiFromTheList: a platform admin deletes a wiki by typing its
// name; a wrong name, a non-admin or an unknown wiki deletes nothing, and
// the deletion is audited with its actor.
func TestDeleteWikiFromTheList(t *testing.T) {
	ts := mustUIWiki(t)
	ts.MustCreateWiki(t, "doomed", "root", wiki.Private, nil)
	ts.Do(t, Request{Path: "/doomed/", As: "root"}) // open it, so the pool holds it
	post := func(as, slug, confirm string) Request {
		return formPost("/-/wikis/delete", as, form("slug", slug, "confirm", confirm))
	}
	runScenarios(t, ts, []scenario{
		{name: "confirmation page", req: Request{Path: "/-/wikis/delete?slug=doomed", As: "root"}, status: 200, want: []string{"cannot be undone", `name="confirm"`}},
		{name: "list links it", req: Request{Path: "/", As: "root"}, status: 200, want: []string{`/-/wikis/delete?slug=doomed`}},
		{name: "list hides it from others", req: Request{Path: "/", As: owner}, status: 200, notWant: []string{`/-/wikis/delete`}},
		{name: "page refused to a wiki admin", req: Request{Path: "/-/wikis/delete?slug=acme", As: owner}, status: 403},
		{name: "wiki admin may not delete", req: post(owner, "acme", "acme"), status: 403},
		{name: "anonymous may not delete", req: post("", "acme", "acme"), status: 401},
		{name: "wrong name typed", req: post("root", "doomed", "doome"), status: 400, want: []string{"exactly"}},
		{name: "nothing typed", req: post("root", "doomed", ""), status: 400},
		{name: "another wiki's name typed", req: post("root", "doomed", "acme"), status: 400},
		{name: "unknown wiki", req: post("root", "ghost", "ghost"), status: 404},
		{name: "bad slug", req: post("root", "../x", "../x"), status: 400},
	})
	if _, err := ts.Robot.FindWiki(context.Background(), "doomed"); err != nil {
		t.Fatalf("a refused delete deleted: %v", err)
	}
	st, hdr, _ := ts.Do(t, post("root", "doomed", "doomed"))
	if st != http.StatusSeeOther || hdr.Get("Location") != "/?notice=wiki-deleted" {
		t.Fatalf("delete: %d %v", st, hdr)
	}
	if _, err := ts.Robot.FindWiki(context.Background(), "doomed"); wiki.ErrorCode(err) != wiki.ENOTFOUND {
		t.Fatalf("deleted wiki still listed: %v", err)
	}
	if _, err := os.Stat(filepath.Join(ts.DataDir, "wikis", "doomed")); !os.IsNotExist(err) {
		t.Fatalf("deleted wiki's folder: %v", err)
	}
	if st, _, _ := ts.Do(t, Request{Path: "/doomed/", As: "root"}); st != 404 {
		t.Fatalf("deleted wiki still served: %d", st)
	}
	audit, _ := ts.Robot.AuditLog(context.Background(), "doomed", 5)
	if len(audit) == 0 || audit[0].Action != "wiki.delete" || audit[0].Actor != "root" {
		t.Fatalf("audit: %+v", audit)
	}
}
