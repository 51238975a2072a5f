package web_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/warren-wiki/warren/wiki"
)

// TestUsagePerWiki: saves and requests are counted in memory, flushed to
// robot.db and shown with the measured size in the API and on the wiki
// list; another wiki's traffic is not counted here.
func TestUsagePerWiki(t *testing.T) {
	ts, _ := mustStartOn(t, t.TempDir())
	ts.MustCreateWiki(t, "acme", "owner", wiki.Internal, nil)
	ts.MustCreateWiki(t, "other", "owner", wiki.Internal, nil)
	mustPutPage(t, ts, "acme", "owner", "One", "# One\n")
	mustPutPage(t, ts, "acme", "owner", "Two", "# Two\n")
	for range 5 {
		ts.Do(t, Request{Path: "/acme/One", As: "alice"})
	}
	mustPutPage(t, ts, "other", "owner", "X", "# X\n")
	ts.Server.FlushUsage(context.Background())

	st, _, body := ts.Do(t, Request{Path: "/acme/-/api/usage", As: "owner"})
	if st != http.StatusOK {
		t.Fatalf("usage: %d %s", st, body)
	}
	var u wiki.Usage
	MustJSON(t, body, &u)
	// Requests: 2 reads + 2 writes of the saves above, 5 views.
	if u.Wiki != "acme" || u.Pages != 3 || u.Saves1d != 2 || u.Saves30d != 2 || u.Requests1d != 9 || u.Requests30d != 9 ||
		u.RepoBytes <= 0 || u.LastChange == nil {
		t.Fatalf("usage = %s", body)
	}
	st, _, list := ts.Do(t, Request{Path: "/", As: "owner"})
	if st != http.StatusOK {
		t.Fatalf("wiki list: %d", st)
	}
	mustContain(t, "wiki list", list, "<th>Pages</th>", ">3<", "2 saves · 9 requests in 30 days")
	_, _, asReader := ts.Do(t, Request{Path: "/", As: "alice"})
	mustNotContain(t, "wiki list for a reader", asReader, "requests in 30 days")
}
